import * as z from 'zod';
import { defineOperation, me, READ } from '../operation.js';
import { presentModelDetails } from '../presenters.js';
import { ModelDetailsOut, ModelId } from '../schemas.js';

export const modelInfo = defineOperation({
  tool: 'vitrine_model_info',
  title: 'Model details',
  description:
    'Returns one model with its merged scene config, overrides, geometry stats, publish state and thumbnail URLs. ' +
    'Use it to check the current state before changing the scene.',
  toolset: 'models',
  auth: 'required',
  rest: { method: 'GET', path: '/v1/models/:model_id' },
  input: z.object({ model_id: ModelId }),
  output: ModelDetailsOut,
  annotations: READ,
  async handler(ctx, input) {
    return presentModelDetails(ctx, await ctx.core.models.details(me(ctx), input.model_id));
  },
});
