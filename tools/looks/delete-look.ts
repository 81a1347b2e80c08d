import * as z from 'zod';
import { defineOperation, DELETE, me } from '../operation.js';
import { Deleted, Id } from '../schemas.js';

export const deleteLook = defineOperation({
  tool: 'vitrine_delete_look',
  title: 'Delete a look',
  description: 'Deletes a look. Showcases that used it fall back to the defaults (their own overrides stay).',
  toolset: 'looks',
  auth: 'required',
  rest: { method: 'DELETE', path: '/v1/looks/:look_id' },
  input: z.object({ look_id: Id('Look') }),
  output: Deleted,
  annotations: DELETE,
  async handler(ctx, input) {
    await ctx.core.looks.delete(me(ctx), input.look_id);
    return { id: input.look_id, deleted: true as const };
  },
});
