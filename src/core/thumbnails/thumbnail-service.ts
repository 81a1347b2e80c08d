/**
 * Thumbnails: the real viewer rendered server-side. The renderer is optional (no Chromium →
 * renderer_unavailable); everything else keeps working without it.
 *
 * A render produces a PNG master (1024², alpha kept), WebP squares 1024/512/256 and one WebP at
 * the layout's aspect ratio (long side 1024; the camera framing depends on the aspect, so it is a
 * real second frame, not a crop). Files are written under a fresh generation prefix
 * `models/<id>/thumbs/<gen>/`, then the model row points at them, then the previous generation is
 * deleted: readers see the old set or the new set, never half of one; a failed render leaves no
 * new files and keeps the old images (status `failed`, with the error).
 *
 * Background work (enabled by the container): after an upload (when configured) and whenever the
 * merged config changes. Changes mark the thumbnail `stale` at once; renders are debounced per
 * model so a burst of patches costs one render. All thumbnail-state writes of one model run one
 * after the other, and a render that finishes after a newer change leaves the status `stale`.
 */
import { AppError, isAppError } from '../errors.js';
import type { CoreDeps } from '../deps.js';
import { assertKnownHdri } from '../reference/hdri-check.js';
import { applyPatch } from '../scene/cascade.js';
import type { ConfigPatch, SceneConfig } from '../scene/config-schema.js';
import type { Model, Principal, ThumbnailState } from '../types.js';
import { modelBlobPrefix, type ModelService } from '../models/model-service.js';
import type { RenderFrame } from '../ports/thumbnail-renderer.js';
import { AGENT_IMAGE_SIZE, aspectFrame, MASTER_SIZE, PREVIEW_DEFAULT_SIZE, SQUARE_SIZES, thumbnailPrefix } from './thumbnail-sizes.js';

export interface ThumbnailUrls {
  [size: string]: string;
}

export type ProgressFn = (progress: number, total: number, message: string) => void;

export interface RenderOptions {
  signal?: AbortSignal;
  onProgress?: ProgressFn;
}

export interface BackgroundOptions {
  /** Render a thumbnail right after each upload. */
  onUpload: boolean;
  /** Quiet time after the last config change before re-rendering (coalesces bursts). */
  debounceMs?: number;
}

export class ThumbnailService {
  private background: Required<BackgroundOptions> | null = null;
  private stopped = false;
  /** Bumped on every config change; a render compares it before and after. */
  private readonly versions = new Map<string, number>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Tail of each model's chain of thumbnail work (renders and state writes, in order). */
  private readonly chains = new Map<string, Promise<unknown>>();
  /** Background renders whose timer fired but that have not reached their chain yet. */
  private readonly starting = new Set<Promise<void>>();
  /** The render in flight per model, shared by callers asking for the same version. */
  private readonly inflight = new Map<string, { version: number; promise: Promise<RenderOutcome> }>();

  constructor(
    private readonly d: CoreDeps,
    private readonly models: ModelService,
  ) {
    models.onConfigChanged((model) => this.configChanged(model));
    models.onCreated((model) => this.created(model));
  }

  /** Turns on background renders (after upload, after config changes). Called by the container. */
  startBackground(opts: BackgroundOptions): void {
    this.background = { onUpload: opts.onUpload, debounceMs: opts.debounceMs ?? 1_500 };
    this.stopped = false;
  }

  /** Stops background work (shutdown): pending timers are dropped, running renders are not stored. */
  stop(): void {
    this.stopped = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }

  /** Settles when every scheduled and running thumbnail job has finished (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.timers.size > 0 || this.chains.size > 0 || this.starting.size > 0) {
      await Promise.allSettled([...this.chains.values(), ...this.starting]);
      if (this.timers.size > 0) await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Renders now with the stored config, stores the images, returns the updated model and the master PNG. */
  async render(p: Principal, id: string, opts: RenderOptions = {}): Promise<{ model: Model; png: Buffer | null }> {
    await this.models.require(p, id);
    await this.requireRenderer();
    // Rendering now supersedes a scheduled background render of the same model.
    this.unschedule(id);
    const outcome = await this.renderShared(id, opts);
    return { model: outcome.model, png: outcome.master };
  }

  /** The master PNG scaled down for an agent to look at (MCP image content). */
  async agentImage(png: Buffer): Promise<{ data: Buffer; mimeType: 'image/png' }> {
    const encoder = this.requireEncoder();
    return { data: await encoder.resizePng(png, AGENT_IMAGE_SIZE, AGENT_IMAGE_SIZE), mimeType: 'image/png' };
  }

  /**
   * Renders the model with `patch` applied on top of its overrides, WITHOUT saving anything:
   * no config change, no stored image. Returns the PNG (square, `size` px) and the config used.
   */
  async preview(p: Principal, id: string, patch: ConfigPatch, opts: RenderOptions & { size?: number } = {}): Promise<{ model: Model; config: SceneConfig; png: Buffer }> {
    const model = await this.models.require(p, id);
    await assertKnownHdri(this.d, patch);
    const renderer = await this.requireRenderer();
    const config = await this.models.mergedConfig({ ...model, overrides: applyPatch(model.overrides, patch) });
    const size = opts.size ?? PREVIEW_DEFAULT_SIZE;
    const hdri = await this.d.hdris.find(config.hdri_preset);
    const [png] = await renderer.renderFrames(
      { glbKey: model.file_key, hdriUrl: hdri?.file_url ?? null, config, signal: opts.signal, onProgress: opts.onProgress },
      [{ width: size, height: size }],
    );
    return { model, config, png: png! };
  }

  // ── background ───────────────────────────────────────────────────────────────────────────

  private created(model: Model): void {
    const renderer = this.d.renderer;
    if (!this.background?.onUpload || this.stopped || !renderer) return;
    void this.enqueue(model.id, async () => {
      // No browser binary: stay `none` rather than promise a render that cannot happen.
      if (!(await renderer.available()) || this.stopped) return;
      await this.writeState(model.id, (t) => (t.status === 'none' ? { ...t, status: 'pending' } : null));
      this.schedule(model.id, 0);
    });
  }

  private configChanged(model: Model): void {
    this.versions.set(model.id, (this.versions.get(model.id) ?? 0) + 1);
    // Nothing rendered yet and nothing asked for: nothing goes stale.
    if (model.thumbnail.status === 'none' && !this.timers.has(model.id) && !this.inflight.has(model.id)) return;
    void this.enqueue(model.id, () =>
      this.writeState(model.id, (t) => (t.status === 'ready' ? { ...t, status: 'stale' } : null)),
    );
    if (this.background && !this.stopped && this.d.renderer) this.schedule(model.id, this.background.debounceMs);
  }

  private schedule(id: string, delayMs: number): void {
    this.unschedule(id);
    const timer = setTimeout(() => {
      this.timers.delete(id);
      // Tracked until done: between the timer and the render's chain entry there is an await
      // (renderer.available()), and idle() must not report quiet in that gap.
      const job = this.backgroundRender(id);
      this.starting.add(job);
      void job.finally(() => this.starting.delete(job));
    }, delayMs);
    timer.unref?.();
    this.timers.set(id, timer);
  }

  private unschedule(id: string): void {
    const t = this.timers.get(id);
    if (t) clearTimeout(t);
    this.timers.delete(id);
  }

  private async backgroundRender(id: string): Promise<void> {
    if (this.stopped) return;
    try {
      if (!(await this.d.renderer?.available())) return;
      await this.renderShared(id, {});
    } catch (err) {
      if (isAppError(err) && err.code === 'renderer_busy' && !this.stopped) {
        // Not the model's fault: try again later, the thumbnail stays stale/pending meanwhile.
        this.schedule(id, Math.max(1, err.retryAfterSeconds ?? 5) * 1000);
        return;
      }
      if (!(isAppError(err) && (err.code === 'model_not_found' || err.code === 'renderer_unavailable'))) {
        this.d.log.warn({ model_id: id, err: err instanceof Error ? err.message : String(err) }, 'background thumbnail render failed');
      }
    }
  }

  // ── rendering ────────────────────────────────────────────────────────────────────────────

  /** One render per model and config version at a time; callers asking for the same one share it. */
  private renderShared(id: string, opts: RenderOptions): Promise<RenderOutcome> {
    const version = this.versions.get(id) ?? 0;
    const current = this.inflight.get(id);
    if (current && current.version === version) return current.promise;
    const promise = this.enqueue(id, () => this.renderAndStore(id, version, opts));
    const entry = { version, promise };
    this.inflight.set(id, entry);
    void promise.catch(() => {}).finally(() => {
      if (this.inflight.get(id) === entry) this.inflight.delete(id);
    });
    return promise;
  }

  private async renderAndStore(id: string, version: number, opts: RenderOptions): Promise<RenderOutcome> {
    const renderer = await this.requireRenderer();
    const encoder = this.requireEncoder();
    const model = await this.d.repos.models.findById(id);
    if (!model) throw new AppError('model_not_found', `No model found with ID '${id}'.`);
    const config = await this.models.mergedConfig(model);
    const hdri = await this.d.hdris.find(config.hdri_preset);
    const aspect = aspectFrame(config.aspect_ratio);
    const frames: RenderFrame[] = [{ width: MASTER_SIZE, height: MASTER_SIZE }, ...(aspect ? [aspect] : [])];
    const steps = frames.length + 4;
    const progress = opts.onProgress;

    let pngs: Buffer[];
    try {
      pngs = await renderer.renderFrames(
        { glbKey: model.file_key, hdriUrl: hdri?.file_url ?? null, config, signal: opts.signal, onProgress: progress ? (p, _t, m) => progress(p, steps, m) : undefined },
        frames,
      );
    } catch (err) {
      await this.recordFailure(id, err);
      throw err;
    }
    if (this.stopped) throw new AppError('renderer_unavailable', 'The thumbnail renderer is shutting down.');

    progress?.(steps - 2, steps, 'Encoding thumbnails');
    const gen = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
    const dir = `${thumbnailPrefix(id)}${gen}/`;
    const keys: Record<string, string> = {};
    try {
      const [master, aspectPng] = pngs as [Buffer, Buffer | undefined];
      const files: { size: string; name: string; data: Buffer; type: string }[] = [{ size: 'master', name: 'master.png', data: master, type: 'image/png' }];
      for (const s of SQUARE_SIZES) files.push({ size: String(s), name: `${s}.webp`, data: await encoder.resizeWebp(master, s, s), type: 'image/webp' });
      if (aspect && aspectPng) files.push({ size: 'aspect', name: 'aspect.webp', data: await encoder.resizeWebp(aspectPng, aspect.width, aspect.height), type: 'image/webp' });
      progress?.(steps - 1, steps, 'Storing thumbnails');
      for (const f of files) {
        await this.d.blobs.putBuffer(dir + f.name, f.data, f.type);
        keys[f.size] = dir + f.name;
      }
      // A square layout's aspect image is the 1024 square itself.
      if (!aspect) keys.aspect = keys['1024']!;
    } catch (err) {
      await this.d.blobs.deletePrefix(dir).catch(() => {});
      const failure = new AppError('render_failed', `Storing the thumbnails failed: ${err instanceof Error ? err.message : String(err)}`);
      await this.recordFailure(id, failure);
      throw failure;
    }

    const now = this.d.clock.now().toISOString();
    const stale = (this.versions.get(id) ?? 0) !== version;
    const next: ThumbnailState = { status: stale ? 'stale' : 'ready', keys, rendered_at: now, error: null };
    // The owner can change under us (a claim moves the model), so re-read once if the owner-scoped
    // write misses; only a model that is really gone counts as deleted.
    let fresh: Model | null = null;
    let updated: Model | null = null;
    for (let attempt = 0; attempt < 2 && !updated; attempt++) {
      fresh = await this.d.repos.models.findById(id);
      if (!fresh) break;
      updated = await this.d.repos.models.update(fresh.owner_id, id, { thumbnail: next }, now);
    }
    if (!updated) {
      // Only this render's files go; a live generation another render stored is never touched.
      await this.d.blobs.deletePrefix(dir).catch(() => {});
      if (!fresh) await this.d.blobs.deletePrefix(modelBlobPrefix(id)).catch(() => {});
      throw new AppError('model_not_found', `No model found with ID '${id}'.`);
    }
    // The previous generation is unreferenced now.
    const old = new Set(Object.values(fresh!.thumbnail.keys).filter((k) => !k.startsWith(dir)));
    await Promise.all([...old].map((k) => this.d.blobs.delete(k).catch(() => {})));
    progress?.(steps, steps, stale ? 'Rendered (the config changed meanwhile; another render follows)' : 'Thumbnails ready');
    this.d.log.info({ model_id: id, stale, frames: frames.length }, 'thumbnails rendered');
    return { model: updated, master: pngs[0]! };
  }

  /** Marks a real failure (not a busy/unavailable renderer, not a cancellation) on the model. */
  private async recordFailure(id: string, err: unknown): Promise<void> {
    if (this.stopped) return;
    if (isAppError(err) && (err.code === 'renderer_busy' || err.code === 'renderer_unavailable' || err.details?.cancelled === true)) return;
    const message = err instanceof Error ? err.message : String(err);
    // Runs inside this model's chain already: write directly.
    await this.writeStateNow(id, (t) => ({ ...t, status: 'failed', error: message.slice(0, 500) })).catch(() => {});
  }

  // ── state ────────────────────────────────────────────────────────────────────────────────

  /** Runs `fn` after every earlier thumbnail job of this model. */
  private enqueue<T>(id: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.chains.get(id) ?? Promise.resolve();
    const run = prev.then(fn, fn);
    const tail = run.catch(() => {});
    this.chains.set(id, tail);
    void tail.then(() => {
      if (this.chains.get(id) === tail) this.chains.delete(id);
    });
    return run;
  }

  private async writeState(id: string, change: (t: ThumbnailState) => ThumbnailState | null): Promise<void> {
    if (this.stopped) return;
    await this.writeStateNow(id, change).catch((err) => this.d.log.warn({ model_id: id, err: String(err) }, 'thumbnail state update failed'));
  }

  private async writeStateNow(id: string, change: (t: ThumbnailState) => ThumbnailState | null): Promise<void> {
    const model = await this.d.repos.models.findById(id);
    if (!model) return;
    const next = change(model.thumbnail);
    if (!next) return;
    await this.d.repos.models.update(model.owner_id, id, { thumbnail: next }, this.d.clock.now().toISOString());
  }

  private async requireRenderer() {
    const renderer = this.d.renderer;
    if (!renderer || !(await renderer.available())) {
      throw new AppError(
        'renderer_unavailable',
        'Thumbnail rendering needs Chromium on the server. Install it (Debian/Ubuntu: apt-get install -y chromium) or set CHROME_PATH, then restart vitrine. Everything else works without it.',
      );
    }
    return renderer;
  }

  private requireEncoder() {
    if (!this.d.encoder) throw new AppError('renderer_unavailable', 'No image encoder is configured on this server.');
    return this.d.encoder;
  }
}

interface RenderOutcome {
  model: Model;
  master: Buffer;
}
