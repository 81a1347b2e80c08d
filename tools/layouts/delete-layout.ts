import * as z from 'zod';
import { defineOperation, DELETE, me } from '../operation.js';
import { Deleted, Id } from '../schemas.js';

export const deleteLayout = defineOperation({
  tool: 'vitrine_delete_layout',
  title: 'Delete a layout',
  description: 'Deletes one of your layouts. Showcases that used it fall back to the default layout.',
  toolset: 'layouts',
  auth: 'required',
  rest: { method: 'DELETE', path: '/v1/layouts/:layout_id' },
  input: z.object({ layout_id: Id('Layout') }),
  output: Deleted,
  annotations: DELETE,
  async handler(ctx, input) {
    await ctx.core.layouts.delete(me(ctx), input.layout_id);
    return { id: input.layout_id, deleted: true as const };
  },
});
