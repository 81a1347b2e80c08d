/**
 * ThumbnailRenderer on headless Chromium: the real viewer (`window.vitrine.render`, see
 * src/viewer/render-mode.ts) in warm pages of one long-lived browser.
 *
 * Per job: wait for a slot in the bounded queue → take the slot's warm page (launching the
 * browser / loading the page if needed) → `vitrine.render({glb_url, config, hdri_url, width,
 * height, pmrem_size})` → `vitrine.capture()` (PNG with alpha) for each frame. A hard timeout
 * covers the whole job; a page that overran it is thrown away. A dead browser fails its jobs with
 * a clear message and is relaunched for the next one.
 */
import type { Page } from 'puppeteer-core';
import { AppError, isAppError } from '../core/errors.js';
import type { CoreLog } from '../core/deps.js';
import type { RenderFrame, RenderJob, ThumbnailRenderer } from '../core/ports/thumbnail-renderer.js';
import { BrowserPool, type WarmPage } from './browser-pool.js';
import { INSTALL_ADVICE, isExecutable } from './chromium-launch.js';
import { RenderQueue, cancelledError } from './render-queue.js';
import { tinyGlbDataUrl } from './tiny-glb.js';

export interface ChromiumRendererOptions {
  chromePath: string | null;
  /** Origin (+ optional path prefix) under which the browser reaches this server, e.g. http://127.0.0.1:8787. */
  baseUrl: () => string;
  /** The render page, relative to baseUrl. */
  pagePath?: string;
  /** Warm pages = renders in parallel. */
  pages: number;
  /** Jobs allowed to wait for a page; more → renderer_busy. */
  queueSize: number;
  /** Hard limit for one job, including a cold browser start. */
  timeoutMs: number;
  /** PMREM size under software GL (REFERENCE.md: 64–128; 256 costs seconds). */
  pmremSize?: number;
  /** Signs a blob key into a URL path the browser may fetch for `ttlMs` (private GLBs). */
  signGlbUrl?: (key: string, ttlMs: number) => string;
  /** Render a tiny model once per new page, so the first real job finds shaders and PMREM ready. */
  warmup?: boolean;
  maxRendersPerPage?: number;
  log?: CoreLog;
}

interface InPageRequest {
  glb_url: string;
  config: Record<string, unknown>;
  hdri_url: string | null;
  width: number;
  height: number;
  pmrem_size: number;
  timeout_ms: number;
}

/** What the page reports after a render (see render-mode.ts). */
export interface InPageResult {
  ok: true;
  ms: number;
  triangles?: number;
  software_gl?: boolean;
}

const CRASH_MESSAGE =
  'The headless browser exited during the render (it crashed or was killed). It is restarted automatically; retry the render.';

export class ChromiumRenderer implements ThumbnailRenderer {
  readonly queue: RenderQueue;
  readonly pool: BrowserPool | null;
  private closed = false;
  /** In-page timings of the last frames, for the bench and logs. */
  lastTimings: { frames: number[]; captureMs: number[]; waitMs: number; totalMs: number } | null = null;

  constructor(private readonly opts: ChromiumRendererOptions) {
    this.queue = new RenderQueue(Math.max(1, opts.pages), Math.max(0, opts.queueSize));
    this.pool = opts.chromePath
      ? new BrowserPool({
          chromePath: opts.chromePath,
          slots: Math.max(1, opts.pages),
          pageUrl: () => this.pageUrl(),
          verify: verifyRenderPage,
          warmup: opts.warmup === false ? undefined : (page) => this.warmup(page),
          maxRendersPerPage: opts.maxRendersPerPage,
          // Evaluations are bounded by our own timeout; keep CDP's well above it.
          protocolTimeoutMs: opts.timeoutMs + 30_000,
          log: opts.log,
        })
      : null;
  }

  available(): Promise<boolean> {
    return isExecutable(this.opts.chromePath);
  }

  /** Launches the browser and warms the pages now (otherwise the first render does it). */
  async warm(): Promise<void> {
    await this.requirePool().warmAll();
  }

  render(job: RenderJob): Promise<Buffer> {
    return this.renderFrames(job, [{ width: job.width, height: job.height }]).then((b) => b[0]!);
  }

  async renderFrames(job: Omit<RenderJob, 'width' | 'height'>, frames: readonly RenderFrame[]): Promise<Buffer[]> {
    if (this.closed) throw new AppError('renderer_unavailable', 'The thumbnail renderer is shutting down.');
    if (!(await this.available())) throw new AppError('renderer_unavailable', INSTALL_ADVICE);
    const pool = this.requirePool();
    if (!frames.length) throw new AppError('invalid_request', 'Nothing to render: no frames given.');
    for (const f of frames) {
      if (!Number.isInteger(f.width) || !Number.isInteger(f.height) || f.width < 16 || f.height < 16 || f.width > 4096 || f.height > 4096) {
        throw new AppError('invalid_request', 'Render sizes must be whole pixels between 16 and 4096.');
      }
    }
    const glbUrl = this.glbUrl(job);
    const queuedAt = Date.now();
    const total = frames.length + 2;
    if (this.queue.running >= this.queue.concurrency) job.onProgress?.(0, total, 'Waiting for the renderer');
    return this.queue.run(async (slot) => {
      const waitMs = Date.now() - queuedAt;
      const started = Date.now();
      let timer: NodeJS.Timeout | undefined;
      let wp: WarmPage | null = null;
      let timedOut = false;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          timedOut = true;
          reject(timeoutError(this.opts.timeoutMs));
        }, this.opts.timeoutMs);
      });
      const work = (async () => {
        job.onProgress?.(1, total, pool.running ? 'Rendering' : 'Starting the headless browser');
        const page = await pool.page(slot);
        wp = page;
        page.renders++;
        const out: Buffer[] = [];
        const timings: number[] = [];
        const captures: number[] = [];
        for (const [i, frame] of frames.entries()) {
          if (job.signal?.aborted) throw cancelledError();
          const remaining = this.opts.timeoutMs - (Date.now() - started);
          const request: InPageRequest = {
            glb_url: glbUrl,
            config: job.config as unknown as Record<string, unknown>,
            hdri_url: job.hdriUrl,
            width: frame.width,
            height: frame.height,
            pmrem_size: this.opts.pmremSize ?? 64,
            timeout_ms: Math.max(1_000, remaining - 500),
          };
          const result = await page.page.evaluate((req) => (window as unknown as RenderWindow).vitrine.render(req as never), request as never);
          timings.push((result as InPageResult).ms);
          const c0 = Date.now();
          const dataUrl = await page.page.evaluate(() => (window as unknown as RenderWindow).vitrine.capture({ type: 'image/png' }));
          captures.push(Date.now() - c0);
          out.push(decodeDataUrl(dataUrl));
          job.onProgress?.(2 + i, total, `Rendered ${frame.width}×${frame.height}`);
        }
        this.lastTimings = { frames: timings, captureMs: captures, waitMs, totalMs: Date.now() - started };
        job.onProgress?.(total, total, 'Rendered');
        return out;
      })();
      try {
        return await Promise.race([work, timeout]);
      } catch (err) {
        const page = wp as WarmPage | null;
        if (timedOut) {
          // The page may still be busy with the job that overran: never hand it to the next one.
          pool.recycle(slot);
          work.catch(() => {});
          throw err;
        }
        throw this.explain(err, page, slot);
      } finally {
        clearTimeout(timer);
      }
    }, job.signal);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.queue.drain(new AppError('renderer_unavailable', 'The thumbnail renderer is shutting down.'));
    await this.pool?.close();
  }

  private requirePool(): BrowserPool {
    if (!this.pool) throw new AppError('renderer_unavailable', INSTALL_ADVICE);
    return this.pool;
  }

  private pageUrl(): string {
    return new URL(this.opts.pagePath ?? '/render.html', this.opts.baseUrl() + '/').href;
  }

  private glbUrl(job: Omit<RenderJob, 'width' | 'height'>): string {
    if (job.glbKey) {
      if (!this.opts.signGlbUrl) throw new AppError('internal_error', 'The renderer cannot serve stored models: no URL signer configured.');
      return new URL(this.opts.signGlbUrl(job.glbKey, this.opts.timeoutMs + 60_000), this.opts.baseUrl() + '/').href;
    }
    if (job.glbUrl) return new URL(job.glbUrl, this.opts.baseUrl() + '/').href;
    throw new AppError('invalid_request', 'Nothing to render: no GLB given.');
  }

  /** Turns whatever went wrong into an AppError a caller can act on. */
  private explain(err: unknown, wp: WarmPage | null, slot: number): AppError {
    if (isAppError(err)) return err;
    const message = err instanceof Error ? err.message : String(err);
    const died = !!wp && (wp.session.died || !wp.session.launched.browser.connected);
    const pageGone = !!wp && (wp.broken || wp.page.isClosed());
    if (died || pageGone || /Target closed|Session closed|Connection closed|Protocol error.*(closed|detached)|Page crashed|frame was detached/i.test(message)) {
      this.pool?.recycle(slot);
      return new AppError('render_failed', CRASH_MESSAGE, { reason: 'browser_exited' });
    }
    const inPage = /(invalid_render_request|glb_load_failed|glb_parse_failed|hdri_load_failed|render_timeout):\s*([^\n]*)/.exec(message);
    if (inPage) {
      const [, code, detail] = inPage;
      if (code === 'render_timeout') return timeoutError(this.opts.timeoutMs);
      const what =
        code === 'glb_load_failed'
          ? 'The viewer could not download the model'
          : code === 'glb_parse_failed'
            ? 'The viewer could not read the model'
            : code === 'hdri_load_failed'
              ? 'The viewer could not load the HDRI environment'
              : 'The render request was refused by the viewer';
      return new AppError('render_failed', `${what}: ${detail}`.slice(0, 500), { reason: code });
    }
    // Unknown failure inside the page: don't trust the page for the next job.
    this.pool?.recycle(slot);
    this.opts.log?.warn({ err: message }, 'render failed');
    return new AppError('render_failed', `The render failed: ${message.split('\n')[0]!.slice(0, 300)}`, { reason: 'unknown' });
  }

  private async warmup(page: Page): Promise<void> {
    await page.evaluate(
      (req) => (window as unknown as RenderWindow).vitrine.render(req as never),
      { glb_url: tinyGlbDataUrl(), config: {}, hdri_url: null, width: 256, height: 256, pmrem_size: this.opts.pmremSize ?? 64, timeout_ms: 20_000 } as never,
    );
  }
}

async function verifyRenderPage(page: Page): Promise<void> {
  const ok = await page.evaluate(() => typeof (window as unknown as Partial<RenderWindow>).vitrine?.render === 'function' && typeof (window as unknown as Partial<RenderWindow>).vitrine?.capture === 'function');
  if (!ok) {
    throw new AppError('renderer_unavailable', `The viewer's render page (${page.url()}) did not load the vitrine.js render API. Run the build (npm run build) so dist/public/vitrine.js exists.`);
  }
}

function timeoutError(ms: number): AppError {
  return new AppError(
    'render_failed',
    `The render did not finish within ${Math.round(ms / 1000)} s (the model may be too heavy, or its file never finished loading).`,
    { reason: 'timeout', timeout_ms: ms },
  );
}

function decodeDataUrl(dataUrl: string): Buffer {
  const comma = dataUrl.indexOf(',');
  if (!dataUrl.startsWith('data:image/png;base64,') || comma < 0) throw new AppError('render_failed', 'The viewer returned no image.', { reason: 'no_image' });
  return Buffer.from(dataUrl.slice(comma + 1), 'base64');
}

/** The part of the viewer's render-mode API (src/viewer/render-mode.ts) this renderer drives. */
interface RenderWindow {
  vitrine: {
    render(req: unknown): Promise<unknown>;
    capture(opts?: { type?: string; quality?: number }): Promise<string>;
  };
}
