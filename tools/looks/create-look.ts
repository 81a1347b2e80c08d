import * as z from 'zod';
import { LookConfig } from '../../src/core/scene/config-schema.js';
import { CREATE, defineOperation, me } from '../operation.js';
import { presentLook } from '../presenters.js';
import { LookOut } from '../schemas.js';

export const createLook = defineOperation({
  tool: 'vitrine_create_look',
  title: 'Create a look',
  description:
    'Saves a named look: a reusable set of look fields (background, HDRI, tone, lights, shadows, effects, camera). ' +
    'Apply it to models with vitrine_apply_look; their own overrides still win over the look.',
  toolset: 'looks',
  auth: 'anonymous_ok',
  rest: { method: 'POST', path: '/v1/looks', status: 201 },
  input: z.object({ name: z.string().min(1).max(200).describe('Look name'), config: LookConfig.default({}) }),
  output: LookOut,
  annotations: CREATE,
  async handler(ctx, input) {
    return presentLook(await ctx.core.looks.create(me(ctx), input));
  },
});
