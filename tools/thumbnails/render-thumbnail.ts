import * as z from 'zod';
import { defineOperation, me } from '../operation.js';
import { presentModel } from '../presenters.js';
import { ModelId, ThumbnailOut } from '../schemas.js';

export const renderThumbnail = defineOperation({
  tool: 'vitrine_render_thumbnail',
  title: 'Render thumbnails',
  description:
    'Renders the model server-side with its current scene config, exactly as the embed shows it, and stores the thumbnails ' +
    '(1024/512/256 px square WebP, one at the layout aspect ratio, and a PNG master). Over MCP the image is returned so you can look at it. ' +
    'Takes a second or two; fails with renderer_unavailable when the server has no Chromium, renderer_busy (retry later) when many renders are queued. ' +
    'To try a look before saving it, use vitrine_render_preview instead.',
  toolset: 'thumbnails',
  auth: 'required',
  rest: { method: 'POST', path: '/v1/models/:model_id/thumbnail' },
  input: z.object({ model_id: ModelId }),
  output: z.object({ model_id: z.string(), thumbnail: ThumbnailOut }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async handler(ctx, input) {
    const { model, png } = await ctx.core.thumbnails.render(me(ctx), input.model_id, { signal: ctx.signal, onProgress: ctx.progress });
    // MCP only: a 512 px PNG is plenty for an agent to judge the look, and a quarter of the master's tokens.
    if (png && ctx.attachImage) ctx.attachImage(await ctx.core.thumbnails.agentImage(png));
    return { model_id: model.id, thumbnail: presentModel(ctx, model).thumbnail };
  },
});
