import * as z from 'zod';
import { defineOperation, me, READ } from '../operation.js';
import { ConfigOut, ModelId } from '../schemas.js';

export const getConfig = defineOperation({
  tool: 'vitrine_get_config',
  title: 'Get scene config',
  description:
    "Returns a model's merged scene config (defaults ← look ← layout ← model overrides) and which fields the model overrides. " +
    'Read it before vitrine_set_config; field meanings are in vitrine_config_schema.',
  toolset: 'scene',
  auth: 'required',
  rest: { method: 'GET', path: '/v1/models/:model_id/config' },
  input: z.object({ model_id: ModelId }),
  output: ConfigOut,
  annotations: READ,
  async handler(ctx, input) {
    const { config, overrides } = await ctx.core.models.config(me(ctx), input.model_id);
    return { model_id: input.model_id, config, overrides };
  },
});
