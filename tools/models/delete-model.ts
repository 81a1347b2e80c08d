import * as z from 'zod';
import { defineOperation, DELETE, me } from '../operation.js';
import { Deleted, ModelId } from '../schemas.js';

export const deleteModel = defineOperation({
  tool: 'vitrine_delete_model',
  title: 'Delete a model',
  description:
    'Permanently deletes a model, its showcase, its thumbnails and its stored file. Embeds of it stop working. Cannot be undone.',
  toolset: 'models',
  auth: 'required',
  rest: { method: 'DELETE', path: '/v1/models/:model_id' },
  input: z.object({ model_id: ModelId }),
  output: Deleted,
  annotations: DELETE,
  async handler(ctx, input) {
    await ctx.core.models.delete(me(ctx), input.model_id);
    return { id: input.model_id, deleted: true as const };
  },
});
