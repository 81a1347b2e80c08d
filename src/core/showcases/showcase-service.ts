/**
 * Showcases: the published face of a model (same id). Publishing, look/layout choice, and the
 * public manifest the viewer loads. Unpublished and unknown ids look the same from outside.
 */
import { AppError } from '../errors.js';
import type { CoreDeps } from '../deps.js';
import type { HdriPreset } from '../ports/hdri-catalog.js';
import type { BlobHandle } from '../ports/blob-store.js';
import { findBuiltinLayout } from '../scene/layouts-builtin.js';
import type { SceneConfig } from '../scene/config-schema.js';
import type { Model, Principal } from '../types.js';
import type { ModelService } from '../models/model-service.js';

export interface ShowcasePatch {
  name?: string;
  published?: boolean;
  look_id?: string | null;
  layout_id?: string | null;
}

export interface PublicManifest {
  id: string;
  name: string;
  config: SceneConfig;
  glb_url: string;
  hdri: HdriPreset | null;
  poster_url: string | null;
  embed_url: string;
}

export class ShowcaseService {
  constructor(
    private readonly d: CoreDeps,
    private readonly models: ModelService,
  ) {}

  async update(p: Principal, id: string, patch: ShowcasePatch): Promise<Model> {
    await this.models.require(p, id);
    if (patch.look_id) {
      const look = await this.d.repos.looks.findOwned(p.accountId, patch.look_id);
      if (!look) throw new AppError('look_not_found', `No look found with ID '${patch.look_id}'.`);
    }
    if (patch.layout_id && !findBuiltinLayout(patch.layout_id)) {
      const layout = await this.d.repos.layouts.findOwned(p.accountId, patch.layout_id);
      if (!layout) throw new AppError('layout_not_found', `No layout found with ID '${patch.layout_id}'.`);
    }
    const fields: ShowcasePatch = {};
    if (patch.name !== undefined) fields.name = patch.name.trim().slice(0, 200);
    if (patch.published !== undefined) fields.published = patch.published;
    if (patch.look_id !== undefined) fields.look_id = patch.look_id;
    if (patch.layout_id !== undefined) fields.layout_id = patch.layout_id;
    const updated = await this.d.repos.models.update(p.accountId, id, fields, this.d.clock.now().toISOString());
    if (!updated) throw new AppError('model_not_found', `No model found with ID '${id}'.`);
    // A new look or layout changes what the model looks like: its thumbnails go stale.
    if (fields.look_id !== undefined || fields.layout_id !== undefined) this.models.notifyConfigChanged(updated);
    return updated;
  }

  /** What the embed snippet needs; refuses unpublished models (409: publish first). */
  async embedTarget(p: Principal, id: string): Promise<{ model: Model; config: SceneConfig }> {
    const model = await this.models.require(p, id);
    if (!model.published) {
      throw new AppError('not_published', `Model '${id}' is not published. Publish it first: PATCH /v1/showcases/${id} {"published": true} (or vitrine_publish).`);
    }
    return { model, config: await this.models.mergedConfig(model) };
  }

  async requirePublished(id: string): Promise<Model> {
    const model = await this.d.repos.models.findById(id);
    if (!model || !model.published) throw new AppError('model_not_found', `No published model found with ID '${id}'.`);
    return model;
  }

  async publicManifest(id: string): Promise<PublicManifest> {
    const model = await this.requirePublished(id);
    const config = await this.models.mergedConfig(model);
    const hdri = await this.d.hdris.find(config.hdri_preset);
    return {
      id: model.id,
      name: model.name,
      config,
      glb_url: `/p/${model.id}/model.glb`,
      hdri,
      poster_url: model.thumbnail.keys['1024'] ? `/p/${model.id}/poster.webp` : null,
      embed_url: `/embed/${model.id}`,
    };
  }

  async openPublicGlb(id: string): Promise<BlobHandle & { etag: string }> {
    const model = await this.requirePublished(id);
    const blob = await this.d.blobs.open(model.file_key);
    if (!blob) throw new AppError('model_not_found', `No published model found with ID '${id}'.`);
    return { ...blob, etag: `"${model.sha256}"` };
  }

  /** A stored thumbnail of a published model (`1024`, `512`, `256`, `aspect`, `master`). */
  async openPublicThumbnail(id: string, size: string): Promise<BlobHandle & { etag: string }> {
    const model = await this.requirePublished(id);
    const key = model.thumbnail.keys[size];
    const blob = key ? await this.d.blobs.open(key) : null;
    if (!blob) throw new AppError('not_found', `No thumbnail '${size}' for model '${id}'.`);
    return { ...blob, etag: `"${model.sha256.slice(0, 16)}-${model.thumbnail.rendered_at}-${size}"` };
  }
}
