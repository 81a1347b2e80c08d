/**
 * Server-side thumbnails in real headless Chromium: the real server (startTestServer), the real
 * viewer bundle (dist/public), generated GLBs, and the pixels that come out.
 *
 * Skips loudly when no Chromium is installed, except under CI=true where that is a failure.
 * Set VITRINE_TEST_SHOTS=<dir> to keep the images for a human to look at.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SCENE_CONFIG } from '../../src/core/scene/config-schema.js';
import { ChromiumRenderer } from '../../src/render/chromium-renderer.js';
import { makeGlbFixtures, type GlbFixtures } from '../fixtures/glb-fixtures.js';
import { uploadGlb } from '../helpers/rest.js';
import { api, startTestServer, type TestServer } from '../helpers/test-server.js';
import { chromiumForSuite } from './chromium.js';

const chromePath = chromiumForSuite('thumbnail browser tests');

const shotsDir = process.env.VITRINE_TEST_SHOTS;
const save = (name: string, bytes: Buffer) => {
  if (!shotsDir) return;
  mkdirSync(shotsDir, { recursive: true });
  writeFileSync(path.join(shotsDir, name), bytes);
};

interface Raw {
  width: number;
  height: number;
  channels: number;
  hasAlpha: boolean;
  data: Buffer;
}

async function decode(bytes: Buffer): Promise<Raw> {
  const meta = await sharp(bytes).metadata();
  const { data, info } = await sharp(bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, channels: info.channels, hasAlpha: !!meta.hasAlpha, data };
}

const px = (img: Raw, x: number, y: number) => {
  const i = (Math.floor(y) * img.width + Math.floor(x)) * 4;
  return [img.data[i]!, img.data[i + 1]!, img.data[i + 2]!, img.data[i + 3]!] as const;
};

/** Mean absolute RGB difference (0..255) between a region and a reference colour. */
function regionDiffFrom(img: Raw, color: readonly number[], r: { x: number; y: number; w: number; h: number }): number {
  let sum = 0;
  let n = 0;
  for (let y = r.y; y < r.y + r.h; y += 2) {
    for (let x = r.x; x < r.x + r.w; x += 2) {
      const p = px(img, x, y);
      sum += Math.abs(p[0] - color[0]!) + Math.abs(p[1] - color[1]!) + Math.abs(p[2] - color[2]!);
      n += 3;
    }
  }
  return sum / n;
}

function meanDiff(a: Raw, b: Raw): number {
  let sum = 0;
  for (let i = 0; i < a.data.length; i += 4) sum += Math.abs(a.data[i]! - b.data[i]!) + Math.abs(a.data[i + 1]! - b.data[i + 1]!) + Math.abs(a.data[i + 2]! - b.data[i + 2]!);
  return sum / ((a.data.length / 4) * 3);
}

const centre = (img: Raw) => ({ x: Math.round(img.width * 0.4), y: Math.round(img.height * 0.4), w: Math.round(img.width * 0.2), h: Math.round(img.height * 0.2) });

describe.skipIf(!chromePath)('server-side thumbnails in headless Chromium', () => {
  let srv: TestServer;
  let fx: GlbFixtures;
  let box = '';
  let grid = '';
  let renderer: ChromiumRenderer;

  const thumbnail = (id: string) => api(`${srv.url}/v1/models/${id}/thumbnail`, { method: 'POST', key: srv.ownerKey });
  const patch = (id: string, config: Record<string, unknown>) => api(`${srv.url}/v1/models/${id}/config`, { method: 'PATCH', key: srv.ownerKey, json: config });
  async function fetchImage(url: string, key: string | null = srv.ownerKey): Promise<{ res: Response; bytes: Buffer }> {
    const res = await fetch(url, { headers: key ? { authorization: `Bearer ${key}` } : {} });
    return { res, bytes: Buffer.from(await res.arrayBuffer()) };
  }

  beforeAll(async () => {
    fx = await makeGlbFixtures();
    srv = await startTestServer({ VITRINE_RENDER_TIMEOUT_MS: '30000', VITRINE_RENDER_QUEUE: '8' });
    renderer = srv.container.core.deps.renderer as ChromiumRenderer;
    const up1 = await uploadGlb(srv.url, srv.ownerKey, fx.files.box.path, { name: 'Box' });
    const up2 = await uploadGlb(srv.url, srv.ownerKey, fx.files.grid100k.path, { name: 'Grid' });
    expect(up1.status, up1.text).toBe(201);
    expect(up2.status, up2.text).toBe(201);
    box = up1.json.id;
    grid = up2.json.id;
  });

  afterAll(async () => {
    await srv?.stop();
  });

  it("renders a generated model: not blank, the model is in the centre, every size is stored", async () => {
    const res = await thumbnail(box);
    expect(res.status, res.text).toBe(200);
    expect(res.json.thumbnail.status).toBe('ready');
    expect(Object.keys(res.json.thumbnail.urls).sort()).toEqual(['1024', '256', '512', 'aspect', 'master']);
    expect(res.json.thumbnail.urls['1024']).toBe(`${srv.url}/v1/models/${box}/thumbnails/1024.webp`);

    const { res: r, bytes } = await fetchImage(res.json.thumbnail.urls.master);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('image/png');
    save('box-master.png', bytes);
    const img = await decode(bytes);
    expect([img.width, img.height]).toEqual([1024, 1024]);
    // Default background is a light gradient: the corner is "background", the centre must differ.
    const bg = px(img, 4, 4);
    expect(bg[3]).toBe(255);
    expect(regionDiffFrom(img, bg, centre(img)), 'centre looks like the background: no model rendered').toBeGreaterThan(25);

    for (const [size, w, h] of [['1024', 1024, 1024], ['512', 512, 512], ['256', 256, 256], ['aspect', 1024, 576]] as const) {
      const { res: wr, bytes: wb } = await fetchImage(res.json.thumbnail.urls[size]);
      expect(wr.status).toBe(200);
      expect(wr.headers.get('content-type')).toBe('image/webp');
      save(`box-${size}.webp`, wb);
      const meta = await sharp(wb).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(['webp', w, h]);
    }
    // Model details carry the same state.
    const details = await api(`${srv.url}/v1/models/${box}`, { key: srv.ownerKey });
    expect(details.json.thumbnail.status).toBe('ready');
    expect(details.json.thumbnail.rendered_at).toBeTruthy();
  });

  it('private thumbnails need the owner; published ones are public with cache headers and are the embed poster', async () => {
    const urls = (await api(`${srv.url}/v1/models/${box}`, { key: srv.ownerKey })).json.thumbnail.urls;
    expect((await fetchImage(urls['512'], null)).res.status).toBe(401);
    expect((await fetchImage(urls['512'], srv.otherKey)).res.status).toBe(404);
    expect((await fetchImage(`${srv.url}/p/${box}/thumbnails/512.webp`, null)).res.status).toBe(404);

    const pub = await api(`${srv.url}/v1/showcases/${box}`, { method: 'PATCH', key: srv.ownerKey, json: { published: true } });
    expect(pub.status, pub.text).toBe(200);
    const details = await api(`${srv.url}/v1/models/${box}`, { key: srv.ownerKey });
    expect(details.json.thumbnail.urls['512']).toBe(`${srv.url}/p/${box}/thumbnails/512.webp`);
    const { res, bytes } = await fetchImage(details.json.thumbnail.urls['512'], null);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toMatch(/public/);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const etag = res.headers.get('etag')!;
    expect(etag).toBeTruthy();
    expect((await sharp(bytes).metadata()).width).toBe(512);
    const again = await fetch(details.json.thumbnail.urls['512'], { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);

    const manifest = await api(`${srv.url}/p/${box}/manifest.json`);
    expect(manifest.status).toBe(200);
    expect(manifest.json.poster_url).toBe(`/p/${box}/poster.webp`);
    const poster = await fetchImage(`${srv.url}${manifest.json.poster_url}`, null);
    expect(poster.res.status).toBe(200);
    expect((await sharp(poster.bytes).metadata()).width).toBe(1024);
    expect((await fetchImage(`${srv.url}/p/${box}/thumbnails/evil.webp`, null)).res.status).toBe(404);
  });

  it('a transparent background keeps alpha (PNG master and WebP sizes)', async () => {
    expect((await patch(grid, { bg_mode: 'transparent' })).status).toBe(200);
    const res = await thumbnail(grid);
    expect(res.status, res.text).toBe(200);
    const master = await fetchImage(res.json.thumbnail.urls.master);
    save('grid-transparent-master.png', master.bytes);
    const img = await decode(master.bytes);
    expect(img.hasAlpha).toBe(true);
    expect(px(img, 4, 4)[3], 'corner must be fully transparent').toBe(0);
    expect(px(img, img.width - 5, img.height - 5)[3]).toBe(0);
    // The model itself is opaque.
    expect(px(img, img.width / 2, img.height / 2)[3]).toBeGreaterThan(200);
    const webp = await decode((await fetchImage(res.json.thumbnail.urls['256'])).bytes);
    expect(webp.hasAlpha).toBe(true);
    expect(px(webp, 2, 2)[3]).toBe(0);
  });

  it('a config change marks the thumbnail stale and changes the image', async () => {
    const before = await decode((await fetchImage((await thumbnail(box)).json.thumbnail.urls.master)).bytes);
    expect((await patch(box, { bg_mode: 'color', bg_color: '#ff0000', camera_yaw: -60 })).status).toBe(200);
    expect((await api(`${srv.url}/v1/models/${box}`, { key: srv.ownerKey })).json.thumbnail.status).toBe('stale');
    const res = await thumbnail(box);
    expect(res.status, res.text).toBe(200);
    expect(res.json.thumbnail.status).toBe('ready');
    const after = await decode((await fetchImage(res.json.thumbnail.urls.master)).bytes);
    save('box-red.png', (await fetchImage(res.json.thumbnail.urls.master)).bytes);
    const corner = px(after, 4, 4);
    expect(corner[0]).toBeGreaterThan(200);
    expect(corner[1]).toBeLessThan(60);
    expect(corner[2]).toBeLessThan(60);
    expect(meanDiff(before, after)).toBeGreaterThan(20);
  });

  it('previews a patch without saving it (REST twin of vitrine_render_preview)', async () => {
    const stored = (await api(`${srv.url}/v1/models/${box}`, { key: srv.ownerKey })).json;
    const res = await api(`${srv.url}/v1/models/${box}/preview`, { method: 'POST', key: srv.ownerKey, json: { bg_color: '#00ff00' } });
    expect(res.status, res.text).toBe(200);
    expect(res.json.saved).toBe(false);
    expect(res.json.config.bg_color).toBe('#00ff00');
    expect(res.json.image.mime_type).toBe('image/png');
    const png = Buffer.from(res.json.image.data, 'base64');
    save('box-preview-green.png', png);
    const img = await decode(png);
    expect([img.width, img.height]).toEqual([512, 512]);
    expect(px(img, 3, 3).slice(0, 3)).toEqual([0, 255, 0]);
    // Nothing changed: config and stored thumbnail are as before.
    const after = (await api(`${srv.url}/v1/models/${box}`, { key: srv.ownerKey })).json;
    expect(after.config).toEqual(stored.config);
    expect(after.thumbnail).toEqual(stored.thumbnail);
    // Bad patches are refused before rendering.
    const bad = await api(`${srv.url}/v1/models/${box}/preview`, { method: 'POST', key: srv.ownerKey, json: { bg_mode: 'plaid' } });
    expect([bad.status, bad.json.error]).toEqual([400, 'invalid_config']);
    const other = await api(`${srv.url}/v1/models/${box}/preview`, { method: 'POST', key: srv.otherKey, json: {} });
    expect(other.status).toBe(404);
  });

  it('5 concurrent renders are queued and all succeed, each with its own config', async () => {
    const colors = ['#ff0000', '#00ff00', '#0000ff', '#ffff00', '#00ffff'];
    const results = await Promise.all(
      colors.map((c) => api(`${srv.url}/v1/models/${grid}/preview`, { method: 'POST', key: srv.ownerKey, json: { bg_mode: 'color', bg_color: c } })),
    );
    for (const [i, r] of results.entries()) {
      expect(r.status, r.text).toBe(200);
      const img = await decode(Buffer.from(r.json.image.data, 'base64'));
      const want = colors[i]!.match(/[0-9a-f]{2}/g)!.map((h) => parseInt(h, 16));
      expect(px(img, 3, 3).slice(0, 3)).toEqual(want);
    }
  });

  it('a full queue answers 503 renderer_busy with Retry-After instead of piling up', async () => {
    const n = renderer.queue.concurrency + renderer.queue.capacity + 3;
    const results = await Promise.all(
      Array.from({ length: n }, () => api(`${srv.url}/v1/models/${box}/preview`, { method: 'POST', key: srv.ownerKey, json: {} })),
    );
    const busy = results.filter((r) => r.status === 503);
    expect(busy.length).toBeGreaterThanOrEqual(3);
    for (const r of busy) {
      expect(r.json.error).toBe('renderer_busy');
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
    expect(results.filter((r) => r.status === 200).length).toBe(n - busy.length);
  });

  it('killing the browser mid-render gives a clear error, and the next render succeeds', async () => {
    expect(renderer.pool!.pid).toBeTruthy();
    const pending = thumbnail(grid);
    // Wait until the job is really inside the browser, then kill Chromium hard.
    const t0 = Date.now();
    while (renderer.queue.running === 0 && Date.now() - t0 < 5_000) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 150));
    process.kill(renderer.pool!.pid!, 'SIGKILL');
    const res = await pending;
    expect(res.status, res.text).toBe(502);
    expect(res.json.error).toBe('render_failed');
    expect(res.json.message).toMatch(/browser exited/i);
    const failed = (await api(`${srv.url}/v1/models/${grid}`, { key: srv.ownerKey })).json.thumbnail;
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/browser exited/i);

    const next = await thumbnail(grid);
    expect(next.status, next.text).toBe(200);
    expect(next.json.thumbnail.status).toBe('ready');
    expect(next.json.thumbnail.error).toBeNull();
    expect(renderer.pool!.launches).toBeGreaterThanOrEqual(2);
  });

  it('a model that never finishes loading times out cleanly, and the renderer keeps working', async () => {
    const hang = http.createServer(() => {
      /* never answers */
    });
    await new Promise<void>((r) => hang.listen(0, '127.0.0.1', r));
    const short = new ChromiumRenderer({ chromePath: chromePath!, baseUrl: () => srv.url, pages: 1, queueSize: 2, timeoutMs: 4_000 });
    try {
      // Warm first: the hard timeout covers a cold start too, and this test is about the hang.
      await short.warm();
      const started = Date.now();
      const err = await short
        .render({ glbUrl: `http://127.0.0.1:${(hang.address() as AddressInfo).port}/never.glb`, hdriUrl: null, config: DEFAULT_SCENE_CONFIG, width: 256, height: 256 })
        .then(() => null, (e: unknown) => e as { code: string; message: string; details?: Record<string, unknown> });
      const took = Date.now() - started;
      expect(err?.code).toBe('render_failed');
      expect(err?.message).toMatch(/did not finish within 4 s/);
      expect(err?.details?.reason).toBe('timeout');
      expect(took).toBeLessThan(4_000 + 1_500);
      // The same renderer renders the next (real) model fine (re-warming a recycled page is
      // the next job's business; done here so a loaded machine can't push it past 4 s).
      await short.warm();
      const model = (await api(`${srv.url}/v1/models/${box}`, { key: srv.ownerKey })).json;
      expect(model.published).toBe(true);
      const png = await short.render({ glbUrl: `/p/${box}/model.glb`, hdriUrl: null, config: DEFAULT_SCENE_CONFIG, width: 256, height: 256 });
      expect((await decode(png)).width).toBe(256);
    } finally {
      await short.close();
      hang.closeAllConnections();
      hang.close();
    }
  });

  it('renders in the background after upload, and coalesces a burst of config changes into one render', async () => {
    const thumbs = srv.container.core.thumbnails;
    thumbs.startBackground({ onUpload: true, debounceMs: 400 });
    let renders = 0;
    const original = renderer.renderFrames.bind(renderer);
    renderer.renderFrames = (job, frames) => {
      renders++;
      return original(job, frames);
    };
    try {
      const up = await uploadGlb(srv.url, srv.ownerKey, fx.files.box.path, { name: 'Background box' });
      expect(up.status, up.text).toBe(201);
      expect(['pending', 'ready']).toContain((await api(`${srv.url}/v1/models/${up.json.id}`, { key: srv.ownerKey })).json.thumbnail.status);
      await thumbs.idle();
      expect((await api(`${srv.url}/v1/models/${up.json.id}`, { key: srv.ownerKey })).json.thumbnail.status).toBe('ready');
      expect(renders).toBe(1);

      for (const yaw of [10, 20, 30, 40, 50]) expect((await patch(up.json.id, { camera_yaw: yaw })).status).toBe(200);
      expect((await api(`${srv.url}/v1/models/${up.json.id}`, { key: srv.ownerKey })).json.thumbnail.status).toBe('stale');
      await thumbs.idle();
      const done = (await api(`${srv.url}/v1/models/${up.json.id}`, { key: srv.ownerKey })).json.thumbnail;
      expect(done.status).toBe('ready');
      expect(renders).toBe(2);
      // Only the newest generation of files is kept.
      const keys = (await srv.container.core.deps.repos.models.findById(up.json.id))!.thumbnail.keys;
      const dirs = new Set(Object.values(keys).map((k) => k.split('/').slice(0, -1).join('/')));
      expect(dirs.size).toBe(1);
    } finally {
      renderer.renderFrames = original;
      thumbs.startBackground({ onUpload: false });
    }
  });

  it('the private GLB link only works with a valid signed token', async () => {
    expect((await api(`${srv.url}/_render/glb/nope`)).status).toBe(404);
    expect((await api(`${srv.url}/_render/glb/eyJrIjoibW9kZWxzL3gvbW9kZWwuZ2xiIiwiZSI6OTk5OTk5OTk5OTk5OX0.forged`)).status).toBe(404);
    // Unpublished GLBs stay private on the public route.
    expect((await api(`${srv.url}/p/${grid}/model.glb`)).status).toBe(404);
  });
});
