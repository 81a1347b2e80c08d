import * as z from 'zod';
import { ConfigPatch } from '../../src/core/scene/config-schema.js';
import { defineOperation, me } from '../operation.js';
import { MergedConfigOut, ModelId } from '../schemas.js';

export const renderPreview = defineOperation({
  tool: 'vitrine_render_preview',
  title: 'Preview a look without saving',
  description:
    "Renders the model with a scene config patch applied on top of its current config, WITHOUT saving anything: the model's config " +
    'and stored thumbnails stay as they are. Use it to try looks (background, HDRI, lights, camera, effects) and look at the result ' +
    'before committing; over MCP the image comes back as image content. When you like it, save the same patch with vitrine_set_config ' +
    '(then vitrine_render_thumbnail). Takes about a second; renderer_unavailable when the server has no Chromium.',
  toolset: 'thumbnails',
  auth: 'required',
  rest: { method: 'POST', path: '/v1/models/:model_id/preview', bodyField: 'config' },
  input: z.object({
    model_id: ModelId,
    config: ConfigPatch.describe('Sparse config patch to try (same fields as vitrine_set_config); {} renders the current config'),
    size: z.number().int().min(128).max(1024).default(512).describe('Square image size in px (MCP only; REST always renders 512)'),
  }),
  output: z.object({
    model_id: z.string(),
    saved: z.literal(false).describe('Nothing was saved'),
    config: MergedConfigOut.describe('The merged config the preview was rendered with'),
    width: z.number().int(),
    height: z.number().int(),
    image: z
      .object({ mime_type: z.literal('image/png'), data: z.string().describe('base64 PNG') })
      .optional()
      .describe('REST only: the rendered PNG. Over MCP the image is sent as image content instead'),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async handler(ctx, input) {
    const { model, config, png } = await ctx.core.thumbnails.preview(me(ctx), input.model_id, input.config, {
      size: input.size,
      signal: ctx.signal,
      onProgress: ctx.progress,
    });
    const out = { model_id: model.id, saved: false as const, config, width: input.size, height: input.size };
    if (ctx.attachImage) {
      ctx.attachImage({ data: png, mimeType: 'image/png' });
      return out;
    }
    return { ...out, image: { mime_type: 'image/png' as const, data: png.toString('base64') } };
  },
});
