import * as z from 'zod';
import { LayoutConfig } from '../../src/core/scene/config-schema.js';
import { defineOperation, me, UPDATE } from '../operation.js';
import { presentLayout } from '../presenters.js';
import { Id, LayoutOut } from '../schemas.js';

export const updateLayout = defineOperation({
  tool: 'vitrine_update_layout',
  title: 'Update a layout',
  description: 'Renames one of your layouts and/or patches its config (null removes a field). Built-in layouts cannot be changed.',
  toolset: 'layouts',
  auth: 'required',
  rest: { method: 'PATCH', path: '/v1/layouts/:layout_id' },
  input: z.object({ layout_id: Id('Layout'), name: z.string().min(1).max(200).optional(), config: LayoutConfig.optional() }),
  output: LayoutOut,
  annotations: UPDATE,
  async handler(ctx, { layout_id, ...input }) {
    return presentLayout(await ctx.core.layouts.update(me(ctx), layout_id, input));
  },
});
