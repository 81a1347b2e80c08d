import * as z from 'zod';
import { defineOperation, me, READ } from '../operation.js';
import { presentLook } from '../presenters.js';
import { LookOut } from '../schemas.js';

export const listLooks = defineOperation({
  tool: 'vitrine_list_looks',
  title: 'List looks',
  description: 'Lists your saved looks (named, reusable scene styles). Apply one to a model with vitrine_apply_look.',
  toolset: 'looks',
  auth: 'required',
  rest: { method: 'GET', path: '/v1/looks' },
  input: z.object({}),
  output: z.object({ looks: z.array(LookOut) }),
  annotations: READ,
  async handler(ctx) {
    return { looks: (await ctx.core.looks.list(me(ctx))).map(presentLook) };
  },
});
