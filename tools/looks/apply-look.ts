import * as z from 'zod';
import { defineOperation, me, UPDATE } from '../operation.js';
import { Id, ModelId } from '../schemas.js';
import { presentShowcase, ShowcaseOut } from '../showcases/showcase-out.js';

export const applyLook = defineOperation({
  tool: 'vitrine_apply_look',
  title: 'Apply a look to a model',
  description:
    "Sets a model's look (from vitrine_list_looks); pass look_id null to detach it. The model's own overrides still win over the look.",
  toolset: 'looks',
  auth: 'required',
  rest: null,
  input: z.object({ model_id: ModelId, look_id: Id('Look').nullable() }),
  output: ShowcaseOut,
  annotations: UPDATE,
  async handler(ctx, input) {
    return presentShowcase(ctx, await ctx.core.showcases.update(me(ctx), input.model_id, { look_id: input.look_id }));
  },
});
