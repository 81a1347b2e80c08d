/**
 * Models: upload, list, details, delete, and the scene config of each model.
 * A model and its showcase share one id and one row.
 */
import { AppError } from '../errors.js';
import type { CoreDeps } from '../deps.js';
import type { ByteSource } from '../ports/staging.js';
import { canonicalizePatch } from '../scene/cascade.js';
import { ConfigResolver } from '../scene/config-resolver.js';
import type { ConfigOverrides, ConfigPatch, SceneConfig } from '../scene/config-schema.js';
import type { Model, Page, Principal } from '../types.js';
import { ByteSourceStager } from '../uploads/byte-source-stager.js';
import { assertKnownHdri } from '../reference/hdri-check.js';

export const modelBlobPrefix = (id: string) => `models/${id}/`;
export const modelFileKey = (id: string) => `models/${id}/model.glb`;

export interface ModelDetails {
  model: Model;
  config: SceneConfig;
  expires_at: string | null;
}

export interface CreateModelInput {
  name?: string | null;
  filename?: string | null;
  source: ByteSource;
}

/** Called after the merged config of a model may have changed (thumbnails go stale). */
export type ConfigChangedHook = (model: Model) => void;

export class ModelService {
  private readonly resolver: ConfigResolver;
  private readonly stager: ByteSourceStager;
  private configChanged: ConfigChangedHook = () => {};
  private created: ConfigChangedHook = () => {};

  constructor(private readonly d: CoreDeps) {
    this.resolver = new ConfigResolver(d);
    this.stager = new ByteSourceStager(d);
  }

  /** Lets the thumbnail service follow config changes without a dependency cycle. */
  onConfigChanged(hook: ConfigChangedHook) {
    this.configChanged = hook;
  }

  /** For services that change a model's merged config indirectly (look or layout switched). */
  notifyConfigChanged(model: Model) {
    this.configChanged(model);
  }

  onCreated(hook: ConfigChangedHook) {
    this.created = hook;
  }

  /**
   * Largest file a caller may upload, for adapters that stage before calling create. No
   * principal yet (a credential-less upload, whose session is minted after) → the anonymous plan.
   */
  maxUploadBytes(p: Principal | null): number {
    return this.d.settings.plans[p?.plan ?? 'anonymous'].maxFileBytes;
  }

  list(p: Principal, opts: { limit: number; cursor: string | null }): Promise<Page<Model>> {
    return this.d.repos.models.list(p.accountId, opts);
  }

  async require(p: Principal, id: string): Promise<Model> {
    const model = await this.d.repos.models.findOwned(p.accountId, id);
    if (!model) throw new AppError('model_not_found', `No model found with ID '${id}'.`);
    return model;
  }

  async details(p: Principal, id: string): Promise<ModelDetails> {
    const model = await this.require(p, id);
    const [config, account] = await Promise.all([this.resolver.merged(model), this.d.repos.accounts.findById(p.accountId)]);
    return { model, config, expires_at: account?.expires_at ?? null };
  }

  async create(p: Principal, input: CreateModelInput): Promise<ModelDetails> {
    const limits = this.d.settings.plans[p.plan];
    const usage = await this.d.repos.models.usage(p.accountId);
    if (usage.models >= limits.maxModels) {
      await this.stager.discard(input.source);
      throw new AppError('plan_limit_reached', `Your plan allows ${limits.maxModels} models; delete one or upgrade.`, { limit: 'models', max: limits.maxModels });
    }
    if (input.source.kind === 'upload') {
      // Refuse before the upload is consumed, so a storage-limit answer doesn't cost a re-upload.
      const pending = await this.d.repos.uploads.findOwned(p.accountId, input.source.uploadId);
      if (pending?.size_bytes != null && usage.bytes + pending.size_bytes > limits.maxTotalBytes) {
        throw new AppError('plan_limit_reached', `Your plan allows ${limits.maxTotalBytes} bytes of storage; delete models or upgrade.`, { limit: 'storage', max: limits.maxTotalBytes });
      }
    }
    const staged = await this.stager.stage(p, input.source, limits.maxFileBytes);
    const id = this.d.ids.id('mdl');
    let stored = false;
    try {
      const stats = await this.d.inspector.inspect(staged.path, staged.size);
      await this.d.blobs.putFile(modelFileKey(id), staged.path, 'model/gltf-binary');
      stored = true;
      const now = this.d.clock.now().toISOString();
      const model: Model = {
        id,
        owner_id: p.accountId,
        name: cleanName(input.name) ?? nameFromFile(input.filename) ?? 'Untitled model',
        published: false,
        look_id: null,
        layout_id: null,
        overrides: {},
        file_key: modelFileKey(id),
        size_bytes: staged.size,
        sha256: staged.sha256,
        stats,
        thumbnail: { status: 'none', keys: {}, rendered_at: null, error: null },
        created_at: now,
        updated_at: now,
      };
      const result = await this.d.repos.models.insertWithinQuota(model, { maxModels: limits.maxModels, maxTotalBytes: limits.maxTotalBytes });
      if (!result.ok) {
        const max = result.limit === 'models' ? limits.maxModels : limits.maxTotalBytes;
        throw new AppError('plan_limit_reached', result.limit === 'models'
          ? `Your plan allows ${max} models; delete one or upgrade.`
          : `Your plan allows ${max} bytes of storage; delete models or upgrade.`, { limit: result.limit, max });
      }
      this.created(model);
      return await this.details(p, id);
    } catch (err) {
      // Nothing half-written: a failed upload leaves no row and no file.
      if (stored) await this.d.blobs.deletePrefix(modelBlobPrefix(id)).catch(() => {});
      throw err;
    } finally {
      await staged.release();
    }
  }

  async delete(p: Principal, id: string): Promise<void> {
    const model = await this.d.repos.models.delete(p.accountId, id);
    if (!model) throw new AppError('model_not_found', `No model found with ID '${id}'.`);
    await this.d.blobs.deletePrefix(modelBlobPrefix(id));
  }

  async config(p: Principal, id: string): Promise<{ config: SceneConfig; overrides: ConfigOverrides }> {
    const model = await this.require(p, id);
    return { config: await this.resolver.merged(model), overrides: model.overrides };
  }

  async patchConfig(p: Principal, id: string, patch: ConfigPatch): Promise<{ config: SceneConfig; overrides: ConfigOverrides }> {
    await this.require(p, id);
    await assertKnownHdri(this.d, patch);
    const canonical = Object.fromEntries(Object.entries(canonicalizePatch(patch)).filter(([, v]) => v !== undefined));
    const updated = await this.d.repos.models.patchOverrides(p.accountId, id, canonical, this.d.clock.now().toISOString());
    if (!updated) throw new AppError('model_not_found', `No model found with ID '${id}'.`);
    this.configChanged(updated);
    return { config: await this.resolver.merged(updated), overrides: updated.overrides };
  }

  mergedConfig(model: Model, extra?: ConfigOverrides | null): Promise<SceneConfig> {
    return this.resolver.merged(model, extra);
  }
}

function cleanName(name: string | null | undefined): string | null {
  const trimmed = name?.trim();
  return trimmed ? trimmed.slice(0, 200) : null;
}

function nameFromFile(filename: string | null | undefined): string | null {
  return cleanName(filename?.replace(/\.(glb|gltf)$/i, '').replace(/[_-]+/g, ' '));
}
