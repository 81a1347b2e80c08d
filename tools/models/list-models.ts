import * as z from 'zod';
import { defineOperation, me, READ } from '../operation.js';
import { presentModel } from '../presenters.js';
import { ModelOut } from '../schemas.js';

export const listModels = defineOperation({
  tool: 'vitrine_list_models',
  title: 'List models',
  description:
    'Lists your uploaded 3D models, newest first, with id, name, publish state, size, geometry stats and thumbnail URLs. ' +
    'Use it to find a model id before configuring, publishing or embedding. Pass next_cursor back as cursor for the next page.',
  toolset: 'models',
  auth: 'required',
  rest: { method: 'GET', path: '/v1/models' },
  input: z.object({
    limit: z.coerce.number().int().min(1).max(100).default(20).describe('Page size (1..100, default 20)'),
    cursor: z.string().max(200).optional().describe('next_cursor from the previous page'),
  }),
  output: z.object({ models: z.array(ModelOut), next_cursor: z.string().nullable() }),
  annotations: READ,
  async handler(ctx, input) {
    const page = await ctx.core.models.list(me(ctx), { limit: input.limit, cursor: input.cursor ?? null });
    return { models: page.items.map((m) => presentModel(ctx, m)), next_cursor: page.next_cursor };
  },
});
