/** Domain records → public JSON. URLs are absolute, built from the server's public URL. */
import type { Credential, Layout, Look, Model } from '../src/core/types.js';
import type { ModelDetails } from '../src/core/models/model-service.js';
import type { OperationContext } from './operation.js';

const base = (ctx: OperationContext) => ctx.core.deps.settings.publicBaseUrl;

export function thumbnailUrls(ctx: OperationContext, model: Model): Record<string, string> {
  const urls: Record<string, string> = {};
  for (const size of Object.keys(model.thumbnail.keys)) {
    const file = size === 'master' ? 'master.png' : `${size}.webp`;
    urls[size] = model.published
      ? `${base(ctx)}/p/${model.id}/thumbnails/${file}`
      : `${base(ctx)}/v1/models/${model.id}/thumbnails/${file}`;
  }
  return urls;
}

export function presentModel(ctx: OperationContext, model: Model) {
  return {
    id: model.id,
    name: model.name,
    status: 'ready' as const,
    published: model.published,
    look_id: model.look_id,
    layout_id: model.layout_id,
    size_bytes: model.size_bytes,
    sha256: model.sha256,
    stats: model.stats,
    thumbnail: {
      status: model.thumbnail.status,
      urls: thumbnailUrls(ctx, model),
      rendered_at: model.thumbnail.rendered_at,
      error: model.thumbnail.error,
    },
    viewer_url: model.published ? `${base(ctx)}/embed/${model.id}` : null,
    created_at: model.created_at,
    updated_at: model.updated_at,
  };
}

export function presentModelDetails(ctx: OperationContext, d: ModelDetails) {
  return { ...presentModel(ctx, d.model), config: d.config, overrides: d.model.overrides, expires_at: d.expires_at };
}

export const presentLook = (look: Look) => ({
  id: look.id,
  name: look.name,
  config: look.config,
  created_at: look.created_at,
  updated_at: look.updated_at,
});

export const presentLayout = (layout: Layout) => ({
  id: layout.id,
  name: layout.name,
  builtin: layout.builtin,
  config: layout.config,
  created_at: layout.created_at,
  updated_at: layout.updated_at,
});

export const presentApiKey = (c: Credential) => ({
  id: c.id,
  name: c.name,
  prefix: c.prefix,
  created_at: c.created_at,
  last_used_at: c.last_used_at,
  revoked_at: c.revoked_at,
});
