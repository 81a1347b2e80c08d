import * as z from 'zod';
import { LookConfig } from '../../src/core/scene/config-schema.js';
import { defineOperation, me, UPDATE } from '../operation.js';
import { presentLook } from '../presenters.js';
import { Id, LookOut } from '../schemas.js';

export const updateLook = defineOperation({
  tool: 'vitrine_update_look',
  title: 'Update a look',
  description:
    'Renames a look and/or patches its config (fields set, null removes). Every showcase using the look changes with it.',
  toolset: 'looks',
  auth: 'required',
  rest: { method: 'PATCH', path: '/v1/looks/:look_id' },
  input: z.object({ look_id: Id('Look'), name: z.string().min(1).max(200).optional(), config: LookConfig.optional() }),
  output: LookOut,
  annotations: UPDATE,
  async handler(ctx, { look_id, ...input }) {
    return presentLook(await ctx.core.looks.update(me(ctx), look_id, input));
  },
});
