import * as z from 'zod';
import { embedSnippet } from '../../src/viewer/embed-snippet.js';
import { defineOperation, me, READ } from '../operation.js';
import { ModelId } from '../schemas.js';

export const getEmbed = defineOperation({
  tool: 'vitrine_get_embed',
  title: 'Get embed code',
  description:
    'Returns the embed code of a published model: html (the <vitrine-viewer> web component plus its script tag, sized by the layout), ' +
    'iframe_html (a plain iframe), script_url and viewer_url. Fails with not_published until vitrine_publish was called.',
  toolset: 'publish',
  auth: 'required',
  rest: { method: 'GET', path: '/v1/showcases/:model_id/embed' },
  input: z.object({ model_id: ModelId }),
  output: z.object({
    model_id: z.string(),
    html: z.string().describe('Web component snippet: paste into any page'),
    iframe_html: z.string().describe('Iframe snippet, for sites that strip scripts'),
    script_url: z.string(),
    viewer_url: z.string().describe('Standalone viewer page'),
  }),
  annotations: READ,
  async handler(ctx, input) {
    const { model, config } = await ctx.core.showcases.embedTarget(me(ctx), input.model_id);
    const snippet = embedSnippet({
      publicBaseUrl: ctx.core.deps.settings.publicBaseUrl,
      id: model.id,
      name: model.name,
      aspectRatio: config.aspect_ratio,
    });
    return { model_id: model.id, ...snippet };
  },
});
