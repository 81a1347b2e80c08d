/**
 * Viewer bench: bundle size and time to first rendered frame in headless Chromium (SwiftShader).
 *
 *   node --import tsx test/bench/viewer-bench.ts [runs]
 *
 * Prints plain lines:
 *   - vitrine.js raw / gzip (goal ≤ 300 KB gzip; decoders are separate and loaded on demand)
 *   - time to first frame (TTFF) of <vitrine-viewer model-id> on a fresh page, navigation start →
 *     `load` event (manifest + GLB + HDRI + PMREM + shaders + one full frame), median of N, for a
 *     small and a ~100k-triangle model
 *   - baseline in the same run: a bare WebGL2 page (context + one clear + a frame): the floor any
 *     WebGL viewer pays on this machine; the viewer's TTFF is printed as a ratio to it
 *   - render mode: cold first render and warm re-render medians (what thumbnails pay)
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { findChromium, launchChromium } from '../browser/chromium.js';
import { PUBLIC_DIR, startFakeViewerServer } from '../browser/fake-viewer-server.js';
import { writeViewerFixtures } from '../fixtures/make-glb.js';

const RUNS = Number(process.argv[2]) || 5;
const root = path.resolve(import.meta.dirname, '../..');

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

async function dirSize(dir: string): Promise<number> {
  let total = 0;
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    total += e.isDirectory() ? await dirSize(p) : (await stat(p)).size;
  }
  return total;
}

execFileSync(process.execPath, ['scripts/build-viewer.mjs'], { cwd: root, stdio: 'inherit' });
execFileSync(process.execPath, ['scripts/build-hdris.mjs'], { cwd: root, stdio: 'inherit' });

const bundle = await readFile(path.join(PUBLIC_DIR, 'vitrine.js'));
const gz = gzipSync(bundle, { level: 9 }).length;
console.log(`bundle vitrine.js: ${kb(bundle.length)} raw, ${kb(gz)} gzip (goal ≤ 300 KB gzip: ${gz <= 300 * 1024 ? 'met' : 'MISSED'})`);
console.log(`decoders (on demand, not in the bundle): ${kb(await dirSize(path.join(PUBLIC_DIR, 'assets', 'decoders')))} raw`);
console.log(`studio.exr (default HDRI): ${kb((await stat(path.join(PUBLIC_DIR, 'assets', 'hdri', 'studio.exr'))).size)}`);

const chromium = findChromium();
if (!chromium) {
  console.log('no Chromium found (CHROME_PATH or /usr/bin/chromium): TTFF not measured');
  process.exit(0);
}

const fx = await writeViewerFixtures();
const pagesDir = await mkdtemp(path.join(os.tmpdir(), 'vitrine-bench-pages-'));
const server = await startFakeViewerServer({ publicDir: PUBLIC_DIR, pagesDir });
server.models.set('small', { id: 'small', name: 'Small', glbPath: fx.product, published: true });
server.models.set('heavy', { id: 'heavy', name: 'Heavy', glbPath: fx.heavy, published: true });

await writeFile(
  path.join(pagesDir, 'viewer.html'),
  `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"><style>body{margin:0}</style>
<script src="/vitrine.js"></script></head><body>
<vitrine-viewer id="v" style="width:800px"></vitrine-viewer>
<script>
const v = document.getElementById('v');
v.addEventListener('load', () => { window.__ttff = performance.now(); });
v.addEventListener('error', (e) => { window.__ttff = -1; });
v.setAttribute('model-id', new URLSearchParams(location.search).get('id'));
</script></body></html>`,
);
await writeFile(
  path.join(pagesDir, 'bare.html'),
  `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"></head><body style="margin:0">
<canvas id="c" width="800" height="450"></canvas>
<script>
const gl = document.getElementById('c').getContext('webgl2');
gl.clearColor(0.9, 0.9, 0.92, 1); gl.clear(gl.COLOR_BUFFER_BIT);
requestAnimationFrame(() => { window.__ttff = performance.now(); });
</script></body></html>`,
);

const browser = await launchChromium(chromium);
async function ttff(url: string): Promise<number> {
  const page = await browser.browser.newPage();
  await page.setViewport({ width: 800, height: 450, deviceScaleFactor: 1 });
  await page.goto(url);
  await page.waitForFunction('window.__ttff !== undefined', { timeout: 60_000 });
  const t = (await page.evaluate('window.__ttff')) as number;
  await page.close();
  if (t < 0) throw new Error(`viewer failed on ${url}`);
  return t;
}

const results: Record<string, number[]> = { bare: [], small: [], heavy: [] };
// One warm-up of each (Chromium's own caches: shader cache, HTTP cache are per fresh page anyway).
await ttff(`${server.url}/test/bare.html`);
await ttff(`${server.url}/test/viewer.html?id=small`);
for (let i = 0; i < RUNS; i++) {
  results.bare.push(await ttff(`${server.url}/test/bare.html`));
  results.small.push(await ttff(`${server.url}/test/viewer.html?id=small`));
  results.heavy.push(await ttff(`${server.url}/test/viewer.html?id=heavy`));
}
const bare = median(results.bare);
for (const [name, label] of [
  ['small', 'small model (~4.8k triangles)'],
  ['heavy', 'heavy model (~103k triangles)'],
] as const) {
  const m = median(results[name]);
  console.log(`TTFF ${label}: median ${m.toFixed(0)} ms of ${RUNS} (min ${Math.min(...results[name]).toFixed(0)}, max ${Math.max(...results[name]).toFixed(0)}); ${(m / bare).toFixed(1)}× the bare-WebGL baseline`);
}
console.log(`baseline bare WebGL2 page (context + clear + 1 frame): median ${bare.toFixed(0)} ms`);

// Render mode (what the thumbnail renderer drives): one page, cold then warm.
const page = await browser.browser.newPage();
await page.goto(`${server.url}/render.html`);
const render = async (id: string, yaw: number) =>
  (await page.evaluate(
    (r) => window.vitrine!.render(r).then((x) => x.ms),
    { glb_url: `${server.url}/p/${id}/model.glb`, config: { camera_yaw: yaw }, width: 1024, height: 1024 },
  )) as number;
const coldStart = performance.now();
const cold = await render('small', 0);
console.log(`render mode cold first render 1024²: ${cold} ms in page (${(performance.now() - coldStart).toFixed(0)} ms round trip)`);
for (const id of ['small', 'heavy']) {
  await render(id, 5);
  const warm: number[] = [];
  for (let i = 0; i < RUNS; i++) warm.push(await render(id, 10 + i));
  console.log(`render mode warm re-render 1024², ${id}: median ${median(warm)} ms of ${RUNS}; model swap in: see first`);
}
const swaps: number[] = [];
for (let i = 0; i < RUNS; i++) swaps.push(await render(i % 2 ? 'small' : 'heavy', i));
console.log(`render mode with a model swap every call (small ↔ heavy): median ${median(swaps)} ms of ${RUNS}`);

await browser.dispose();
await server.stop();
