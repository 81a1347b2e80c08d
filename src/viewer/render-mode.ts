/**
 * Render mode: the API the thumbnail renderer (src/render, puppeteer) drives.
 *
 * ── Contract ────────────────────────────────────────────────────────────────────────────────
 * Load any page that includes vitrine.js; `<base>/render.html` is a blank transparent page made
 * for this. Then, in the page:
 *
 *   await window.vitrine.render({
 *     glb_url: 'https://…/model.glb',   // any URL the page can fetch (http(s), blob:, data:)
 *     config: { bg_mode: 'gradient', … }, // sparse or complete; merged over the schema defaults
 *     hdri_url: '/assets/hdri/studio.exr', // optional; default: config.hdri_preset via the catalog
 *     width: 1024, height: 1024,          // CSS px = device px (pixel ratio 1), 16..4096
 *     pmrem_size: 64,                     // optional; default 64 under software GL
 *     timeout_ms: 30000,                  // optional
 *   })
 *   → { ok: true, ms, width, height, triangles, meshes, pmrem_size, software_gl, bloom_applied }
 *
 * When it resolves, the model and environment are loaded and one complete frame (all passes:
 * contact shadow, AO, bloom, tone mapping, background) is in the canvas, which keeps its
 * drawing buffer (preserveDrawingBuffer) — screenshot it with
 *   page.screenshot({ clip: { x: 0, y: 0, width, height }, omitBackground: true })
 * (the canvas sits at the top-left corner, above everything) or call
 *   await window.vitrine.capture({ type: 'image/png' })  → data URL (keeps alpha).
 *
 * Errors reject with an Error whose message starts with a code: `invalid_render_request`,
 * `glb_load_failed`, `glb_parse_failed`, `hdri_load_failed`, `render_timeout`.
 *
 * ONE renderer serves every call: three.js, compiled shaders, decoders and the PMREM'd
 * environments (keyed by URL + PMREM size) stay warm; only the model is swapped (and kept when
 * the same glb_url comes again, e.g. several configs of one model). Calls are serialised.
 * `window.vitrine.info()` reports the GPU string and whether it is software GL;
 * `window.vitrine.reset()` drops the renderer (the next call starts cold).
 * ────────────────────────────────────────────────────────────────────────────────────────────
 */
import { mergeLayers, sanitizeLayer } from './config.js';
import { resolveHdriPreset } from './manifest.js';
import { SCRIPT_BASE, resolveUrl } from './script-base.js';
import { Viewer } from './viewer.js';

export interface RenderRequest {
  glb_url: string;
  config?: Record<string, unknown>;
  hdri_url?: string | null;
  width?: number;
  height?: number;
  pmrem_size?: number;
  timeout_ms?: number;
}

export interface RenderResult {
  ok: true;
  ms: number;
  width: number;
  height: number;
  triangles: number;
  meshes: number;
  pmrem_size: number;
  software_gl: boolean;
  bloom_applied: boolean;
}

let canvas: HTMLCanvasElement | null = null;
let viewer: Viewer | null = null;
let queue: Promise<unknown> = Promise.resolve();

function engine(pmremSize?: number): Viewer {
  if (!canvas) {
    canvas = document.createElement('canvas');
    canvas.id = 'vitrine-render';
    Object.assign(canvas.style, { position: 'fixed', left: '0', top: '0', zIndex: '2147483647', display: 'block' });
    document.body.appendChild(canvas);
  }
  viewer ??= new Viewer({ canvas, renderMode: true, base: SCRIPT_BASE, pmremSize });
  if (pmremSize) viewer.setPmremSize(pmremSize);
  return viewer;
}

/**
 * One presented frame, or 100 ms: a page that is not the active tab gets no animation frames
 * at all (puppeteer keeps several warm pages), and the drawing buffer is preserved anyway.
 */
const nextFrame = () =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 100);
    requestAnimationFrame(() => {
      clearTimeout(timer);
      resolve();
    });
  });

function checkSize(value: unknown, fallback: number): number {
  const n = value === undefined ? fallback : Number(value);
  if (!Number.isInteger(n) || n < 16 || n > 4096) throw new Error(`invalid_render_request: width/height must be integers in 16..4096`);
  return n;
}

async function renderNow(req: RenderRequest): Promise<RenderResult> {
  const started = performance.now();
  if (!req || typeof req.glb_url !== 'string' || !req.glb_url) throw new Error('invalid_render_request: glb_url is required');
  const width = checkSize(req.width, 1024);
  const height = checkSize(req.height, 1024);
  const v = engine(req.pmrem_size);
  const config = mergeLayers(sanitizeLayer(req.config ?? {}, 'render config'));
  canvas!.style.width = `${width}px`;
  canvas!.style.height = `${height}px`;
  v.setSize(width, height, 1);

  const abort = new AbortController();
  const timeoutMs = req.timeout_ms ?? 30000;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      abort.abort();
      reject(new Error(`render_timeout: not done after ${timeoutMs} ms`));
    }, timeoutMs);
  });
  try {
    const work = (async () => {
      let hdri: { url: string | null; format?: string } = { url: null };
      if (req.hdri_url) hdri = { url: resolveUrl(location.href, req.hdri_url) };
      else {
        const preset = await resolveHdriPreset(SCRIPT_BASE, config.hdri_preset);
        hdri = { url: preset?.file_url ?? null, format: preset?.format };
      }
      await Promise.all([
        v.setEnvironment(hdri.url, hdri.format),
        v.loadModel(resolveUrl(location.href, req.glb_url), () => {}, abort.signal),
      ]);
      if (abort.signal.aborted) return;
      // Thumbnails always start from the configured pose.
      v.applyConfig(config, true);
      v.renderNow();
      // Wait for the GPU (reading one pixel back blocks until the frame is really drawn; finish()
      // returns early in Chromium's command-buffer model), then for the compositor to present the
      // frame, so a screenshot taken right after this promise resolves sees it.
      const gl = v.renderer.getContext();
      gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, new Uint8Array(4));
      await nextFrame();
    })();
    await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
  const stats = v.modelStats;
  return {
    ok: true,
    ms: Math.round(performance.now() - started),
    width,
    height,
    triangles: stats.triangles,
    meshes: stats.meshes,
    pmrem_size: v.pmremSize,
    software_gl: v.quality.software,
    bloom_applied: v.bloomActive,
  };
}

export interface VitrineRenderApi {
  version: string;
  render(req: RenderRequest): Promise<RenderResult>;
  capture(opts?: { type?: string; quality?: number }): Promise<string>;
  info(): { webgl: boolean; renderer: string; software_gl: boolean; pmrem_size: number | null };
  reset(): void;
}

export function createRenderApi(): VitrineRenderApi {
  return {
    version: __VITRINE_VERSION__,
    render(req) {
      const job = queue.then(() => renderNow(req));
      queue = job.catch(() => {});
      return job;
    },
    async capture(opts = {}) {
      await queue;
      if (!canvas) throw new Error('invalid_render_request: nothing rendered yet');
      return canvas.toDataURL(opts.type ?? 'image/png', opts.quality);
    },
    info() {
      if (!viewer) {
        const probe = document.createElement('canvas').getContext('webgl2');
        return { webgl: !!probe, renderer: '', software_gl: false, pmrem_size: null };
      }
      return { webgl: true, renderer: viewer.quality.rendererName, software_gl: viewer.quality.software, pmrem_size: viewer.pmremSize };
    },
    reset() {
      viewer?.dispose();
      viewer = null;
      canvas?.remove();
      canvas = null;
    },
  };
}
