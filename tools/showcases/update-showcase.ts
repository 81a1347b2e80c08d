import * as z from 'zod';
import { defineOperation, me, UPDATE } from '../operation.js';
import { ModelId } from '../schemas.js';
import { presentShowcase, ShowcaseOut } from './showcase-out.js';

export const updateShowcase = defineOperation({
  tool: 'vitrine_update_showcase',
  title: 'Update a showcase',
  description:
    "Updates a model's showcase: its display name, whether it is published (public and embeddable), and which look and layout it uses " +
    '(null detaches them). Only the fields you send change. To just publish, vitrine_publish is simpler.',
  toolset: 'publish',
  auth: 'required',
  rest: { method: 'PATCH', path: '/v1/showcases/:model_id' },
  input: z.object({
    model_id: ModelId,
    name: z.string().min(1).max(200).optional().describe('Display name'),
    published: z.boolean().optional().describe('true makes the showcase public and embeddable'),
    look_id: z.string().max(64).nullable().optional().describe('A look id from vitrine_list_looks, or null'),
    layout_id: z.string().max(64).nullable().optional().describe('A layout id from vitrine_list_layouts (built-ins: widescreen, classic, square, portrait, story), or null'),
  }),
  output: ShowcaseOut,
  annotations: UPDATE,
  async handler(ctx, { model_id, ...patch }) {
    return presentShowcase(ctx, await ctx.core.showcases.update(me(ctx), model_id, patch));
  },
});
