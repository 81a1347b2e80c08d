import * as z from 'zod';
import { defineOperation, me, UPDATE } from '../operation.js';
import { ModelId } from '../schemas.js';
import { presentShowcase, ShowcaseOut } from './showcase-out.js';

export const publish = defineOperation({
  tool: 'vitrine_publish',
  title: 'Publish or unpublish',
  description:
    'Publishes a model so its showcase is public and embeddable (published: true, the default), or takes it offline (published: false). ' +
    'Next: vitrine_get_embed for the snippet to paste into a web page.',
  toolset: 'publish',
  auth: 'required',
  rest: null,
  input: z.object({ model_id: ModelId, published: z.boolean().default(true).describe('true to publish, false to unpublish') }),
  output: ShowcaseOut,
  annotations: UPDATE,
  async handler(ctx, input) {
    return presentShowcase(ctx, await ctx.core.showcases.update(me(ctx), input.model_id, { published: input.published }));
  },
});
