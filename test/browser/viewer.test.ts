/**
 * The viewer in real headless Chromium (SwiftShader WebGL2) against a running server with
 * generated GLBs. One browser for the whole file, two long-lived pages (render mode + element).
 *
 * Skips loudly when no Chromium is installed, except under CI=true where that is a failure.
 * Set VITRINE_TEST_SHOTS=<dir> to keep every screenshot for a human to look at.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeViewerFixtures, type ViewerFixtures } from '../fixtures/make-glb.js';
import { chromiumForSuite, launchChromium, type LaunchedBrowser } from './chromium.js';
import { corners, decodePng, hexToRgb, meanDiff, meanLuma, pixel, type Image } from './images.js';
import { startViewerBackend, type ViewerBackend } from './viewer-backend.js';

const chromium = chromiumForSuite('viewer browser tests');

const W = 640;
const H = 360;
const EVIL_NAME = '</title><script>alert(1)</script>';
const shotsDir = process.env.VITRINE_TEST_SHOTS;
const root = path.resolve(import.meta.dirname, '../..');

describe.skipIf(!chromium)('<vitrine-viewer> in headless Chromium', () => {
  let browser: LaunchedBrowser;
  let backend: ViewerBackend;
  let fx: ViewerFixtures;
  let renderPage: Page;
  let elementPage: Page;
  const ids = { product: '', styled: '', unpublished: '', evil: '', emissive: '' };
  const consoleErrors: string[] = [];

  const save = (name: string, png: Buffer | string) => {
    if (!shotsDir) return;
    mkdirSync(shotsDir, { recursive: true });
    writeFileSync(path.join(shotsDir, `${name}.png`), typeof png === 'string' ? Buffer.from(png.split(',')[1], 'base64') : png);
  };

  /** Render mode: one frame with `config` of the product (or another model), decoded. */
  async function render(name: string, config: Record<string, unknown>, model: keyof typeof ids = 'product'): Promise<Image> {
    const req = { glb_url: `${backend.url}/p/${ids[model]}/model.glb`, config, width: W, height: H };
    const result = await renderPage.evaluate((r) => window.vitrine!.render(r), req);
    expect(result.ok).toBe(true);
    const dataUrl = await renderPage.evaluate(() => window.vitrine!.capture({ type: 'image/png' }));
    save(name, dataUrl);
    return decodePng(dataUrl);
  }

  const modelRegion = { x: Math.round(W * 0.3), y: Math.round(H * 0.2), w: Math.round(W * 0.4), h: Math.round(H * 0.6) };

  function trackErrors(page: Page, label: string) {
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(`${label}: ${m.text()}`);
    });
    page.on('pageerror', (e) => consoleErrors.push(`${label}: pageerror ${e.message}`));
    page.on('dialog', (d) => {
      consoleErrors.push(`${label}: DIALOG ${d.message()}`);
      void d.dismiss();
    });
  }

  async function waitLoaded(page: Page, selector = 'vitrine-viewer') {
    await page.waitForFunction((s) => (document.querySelector(s) as HTMLElement & { loaded?: boolean })?.loaded === true, { timeout: 30_000 }, selector);
    // The frame is drawn; give the compositor one more frame before a screenshot.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  }

  beforeAll(async () => {
    execFileSync(process.execPath, ['scripts/build-viewer.mjs'], { cwd: root, stdio: 'inherit' });
    execFileSync(process.execPath, ['scripts/build-hdris.mjs'], { cwd: root, stdio: 'inherit' });
    fx = await writeViewerFixtures();
    backend = await startViewerBackend();
    ids.product = await backend.addModel({ name: 'Product', glbPath: fx.product, published: true });
    ids.styled = await backend.addModel({
      name: 'Styled',
      glbPath: fx.product,
      published: true,
      config: { bg_mode: 'color', bg_color: '#336699', ui_interaction_prompt: false },
    });
    ids.unpublished = await backend.addModel({ name: 'Secret', glbPath: fx.product, published: false });
    ids.evil = await backend.addModel({ name: EVIL_NAME, glbPath: fx.product, published: true });
    ids.emissive = await backend.addModel({ name: 'Glow', glbPath: fx.emissive, published: true });
    browser = await launchChromium(chromium!);
    renderPage = await browser.browser.newPage();
    trackErrors(renderPage, 'render');
    await renderPage.setViewport({ width: W, height: H, deviceScaleFactor: 1 });
    await renderPage.goto(`${backend.url}/render.html`);
    elementPage = await browser.browser.newPage();
    trackErrors(elementPage, 'element');
    await elementPage.setViewport({ width: 800, height: 450, deviceScaleFactor: 1 });
  }, 120_000);

  afterAll(async () => {
    await browser?.dispose();
    await backend?.stop();
  });

  it('the /embed page renders a published model under its CSP, with WebGL and no console errors', async () => {
    consoleErrors.length = 0;
    const res = await elementPage.goto(`${backend.url}/embed/${ids.product}`);
    expect(res?.status()).toBe(200);
    expect(res?.headers()['content-security-policy']).toContain("frame-ancestors *");
    expect(res?.headers()['x-frame-options']).toBeUndefined();
    await waitLoaded(elementPage);
    const gl = await elementPage.evaluate(() => !!document.createElement('canvas').getContext('webgl2'));
    expect(gl).toBe(true);
    const png = await elementPage.screenshot();
    save('embed-default', png);
    const img = await decodePng(png);
    const bg = pixel(img, 5, 5);
    // The model is in the middle: its pixels differ clearly from the background.
    const region = { x: 300, y: 120, w: 200, h: 220 };
    let differing = 0;
    for (let y = region.y; y < region.y + region.h; y += 4) {
      for (let x = region.x; x < region.x + region.w; x += 4) {
        const p = pixel(img, x, y);
        if (Math.abs(p[0] - bg[0]) + Math.abs(p[1] - bg[1]) + Math.abs(p[2] - bg[2]) > 60) differing++;
      }
    }
    expect(differing).toBeGreaterThan(300);
    expect(consoleErrors).toEqual([]);
  });

  it('bg_mode transparent leaves alpha 0 in the corners (and the model opaque)', async () => {
    const img = await render('transparent', { bg_mode: 'transparent', bloom_enabled: true });
    for (const c of corners(img)) expect(c[3]).toBe(0);
    let opaque = 0;
    for (let y = modelRegion.y; y < modelRegion.y + modelRegion.h; y += 2) {
      for (let x = modelRegion.x; x < modelRegion.x + modelRegion.w; x += 2) if (pixel(img, x, y)[3] === 255) opaque++;
    }
    expect(opaque).toBeGreaterThan(2000);
    const info = await renderPage.evaluate(() => window.vitrine!.render({ glb_url: location.origin + '/render.html', width: 16, height: 16 }).catch((e: Error) => e.message));
    expect(String(info)).toMatch(/^glb_parse_failed|^glb_load_failed/);
  });

  it('bg_color is exactly that color in the corners', async () => {
    for (const color of ['#ff0000', '#f4f4f6', '#1a2b3c']) {
      const img = await render(`color-${color.slice(1)}`, { bg_mode: 'color', bg_color: color });
      const want = hexToRgb(color);
      for (const c of corners(img)) {
        for (let i = 0; i < 3; i++) expect(Math.abs(c[i] - want[i])).toBeLessThanOrEqual(2);
        expect(c[3]).toBe(255);
      }
    }
  });

  it('HDRI preset, HDRI exposure, HDRI rotation and tone mapping each change the image', async () => {
    const base = await render('base', {});
    const other = await render('hdri-sunset', { hdri_preset: 'sunset' });
    expect(meanDiff(base, other, modelRegion)).toBeGreaterThan(3);
    const brighter = await render('hdri-exposure-2', { hdri_exposure: 2 });
    expect(meanLuma(brighter, modelRegion)).toBeGreaterThan(meanLuma(base, modelRegion) + 3);
    const rotated = await render('hdri-rotation-120', { hdri_rotation: 120, key_light_enabled: false, fill_light_enabled: false });
    const unrotated = await render('hdri-rotation-0', { key_light_enabled: false, fill_light_enabled: false });
    expect(meanDiff(rotated, unrotated, modelRegion)).toBeGreaterThan(1.5);
    const agx = await render('tonemap-agx', { tonemapping_mode: 'agx' });
    expect(meanDiff(base, agx, modelRegion)).toBeGreaterThan(2);
    const darker = await render('exposure-0.4', { exposure: 0.4 });
    expect(meanLuma(darker, modelRegion)).toBeLessThan(meanLuma(base, modelRegion) - 10);
    // hdri backgrounds: the environment itself is visible behind the model.
    const hdriBg = await render('bg-hdri', { bg_mode: 'hdri', hdri_preset: 'park' });
    const blurred = await render('bg-hdri-blurred', { bg_mode: 'hdri_blurred', hdri_preset: 'park', hdri_blur: 1 });
    expect(meanDiff(hdriBg, blurred)).toBeGreaterThan(2);
    expect(meanDiff(hdriBg, base)).toBeGreaterThan(10);
  });

  it('key, fill and rim lights each change the image', async () => {
    const base = await render('lights-base', {});
    const noKey = await render('lights-no-key', { key_light_enabled: false });
    expect(meanDiff(base, noKey, modelRegion)).toBeGreaterThan(2);
    const warmKey = await render('lights-key-orange', { key_light_color: '#ff6600', key_light_intensity: 4 });
    expect(meanDiff(base, warmKey, modelRegion)).toBeGreaterThan(3);
    const movedKey = await render('lights-key-azimuth', { key_light_azimuth: -120 });
    expect(meanDiff(base, movedKey, modelRegion)).toBeGreaterThan(1);
    const rim = await render('lights-rim', { rim_light_enabled: true, rim_light_intensity: 5 });
    expect(meanDiff(base, rim, modelRegion)).toBeGreaterThan(0.5);
    const fill = await render('lights-fill', { fill_light_intensity: 4, fill_light_elevation: 60 });
    expect(meanDiff(base, fill, modelRegion)).toBeGreaterThan(1);
  });

  it('bloom makes bright parts glow on opaque backgrounds', async () => {
    const off = await render('bloom-off', { bloom_enabled: false }, 'emissive');
    const on = await render('bloom-on', { bloom_enabled: true, bloom_intensity: 1.5, bloom_threshold: 0.5 }, 'emissive');
    expect(meanDiff(off, on)).toBeGreaterThan(1);
    // The glow brightens: more light, never less.
    expect(meanLuma(on, modelRegion)).toBeGreaterThan(meanLuma(off, modelRegion));
  });

  it('ambient occlusion darkens the model', async () => {
    const off = await render('ao-off', { ao_enabled: false });
    const on = await render('ao-on', { ao_enabled: true, ao_intensity: 2 });
    expect(meanLuma(on, modelRegion)).toBeLessThan(meanLuma(off, modelRegion) - 0.5);
  });

  it('shadow catcher intensity and softness change the floor under the model', async () => {
    const floor = { x: Math.round(W * 0.2), y: Math.round(H * 0.75), w: Math.round(W * 0.6), h: Math.round(H * 0.22) };
    const none = await render('shadow-off', { shadow_catcher_enabled: false });
    const strong = await render('shadow-strong', { shadow_intensity: 1, shadow_softness: 1 });
    expect(meanLuma(strong, floor)).toBeLessThan(meanLuma(none, floor) - 1);
    const sharp = await render('shadow-sharp', { shadow_intensity: 1, shadow_softness: 0 });
    expect(meanDiff(strong, sharp, floor)).toBeGreaterThan(0.3);
  });

  it('camera fov, yaw, pitch and zoom each change the image', async () => {
    const base = await render('camera-base', {});
    for (const [name, patch] of Object.entries({
      yaw: { camera_yaw: -90 },
      pitch: { camera_pitch: 60 },
      zoom: { camera_zoom: 2 },
      fov: { camera_fov: 80 },
    })) {
      const img = await render(`camera-${name}`, patch);
      expect(meanDiff(base, img), name).toBeGreaterThan(2);
    }
  });

  it('data-config on the element overrides the stored config; invalid JSON is a warning, not a crash', async () => {
    await elementPage.goto(`${backend.url}/render.html`);
    await elementPage.evaluate((id) => {
      document.body.style.margin = '0';
      document.body.innerHTML = `<vitrine-viewer id="a" model-id="${id}" style="width:400px"></vitrine-viewer>` +
        `<vitrine-viewer id="b" model-id="${id}" style="width:400px" data-config='{"bg_color":"#ff0000","nonsense":1}'></vitrine-viewer>` +
        `<vitrine-viewer id="c" model-id="${id}" style="width:400px" data-config='{not json'></vitrine-viewer>`;
    }, ids.styled);
    await waitLoaded(elementPage, '#a');
    await waitLoaded(elementPage, '#b');
    await waitLoaded(elementPage, '#c');
    // 16:9 from the layout: only the width was set.
    const box = await elementPage.evaluate(() => {
      const r = document.querySelector('#a')!.getBoundingClientRect();
      return { w: r.width, h: r.height };
    });
    expect(box.w).toBe(400);
    expect(Math.abs(box.h - 225)).toBeLessThanOrEqual(1);
    const png = await elementPage.screenshot({ clip: { x: 0, y: 0, width: 400, height: 675 } });
    save('data-config', png);
    const img = await decodePng(png);
    const stored = pixel(img, 4, 4);
    const overridden = pixel(img, 4, 229);
    const invalid = pixel(img, 4, 454);
    expect(Math.abs(stored[0] - 0x33) + Math.abs(stored[1] - 0x66) + Math.abs(stored[2] - 0x99)).toBeLessThanOrEqual(6);
    expect(Math.abs(overridden[0] - 255) + overridden[1] + overridden[2]).toBeLessThanOrEqual(6);
    expect(Math.abs(invalid[0] - 0x33) + Math.abs(invalid[1] - 0x66) + Math.abs(invalid[2] - 0x99)).toBeLessThanOrEqual(6);
  });

  it('auto-rotate turns the model after its delay; UI toggles show and hide the controls', async () => {
    await elementPage.goto(`${backend.url}/render.html`);
    await elementPage.evaluate((id) => {
      document.body.style.margin = '0';
      document.body.innerHTML =
        `<vitrine-viewer id="spin" model-id="${id}" style="width:320px" data-config='{"auto_rotate":true,"auto_rotate_delay":0,"auto_rotate_speed":10}'></vitrine-viewer>` +
        `<vitrine-viewer id="still" model-id="${id}" style="width:320px" data-config='{"auto_rotate":false,"ui_fullscreen_button":false,"ui_interaction_prompt":false,"controls_enabled":false}'></vitrine-viewer>`;
    }, ids.product);
    await waitLoaded(elementPage, '#spin');
    await waitLoaded(elementPage, '#still');
    const shot = async () => decodePng(await elementPage.screenshot({ clip: { x: 0, y: 0, width: 320, height: 360 } }));
    const a = await shot();
    await new Promise((r) => setTimeout(r, 1500));
    const b = await shot();
    const top = { x: 0, y: 0, w: 320, h: 180 };
    const bottom = { x: 0, y: 180, w: 320, h: 180 };
    expect(meanDiff(a, b, top)).toBeGreaterThan(1);
    expect(meanDiff(a, b, bottom)).toBeLessThan(0.5);
    const ui = await elementPage.evaluate(() =>
      ['#spin', '#still'].map((sel) => {
        const root = document.querySelector(sel)!.shadowRoot!;
        return {
          fullscreen: !(root.querySelector('.fullscreen') as HTMLElement).hidden,
          prompt: !(root.querySelector('.prompt') as HTMLElement).hidden,
        };
      }),
    );
    expect(ui).toEqual([
      { fullscreen: true, prompt: true },
      { fullscreen: false, prompt: false },
    ]);
  });

  it('the iframe page takes ?config= as the override layer', async () => {
    const override = encodeURIComponent(JSON.stringify({ bg_mode: 'color', bg_color: '#00ff00' }));
    await elementPage.goto(`${backend.url}/embed/${ids.product}?config=${override}`);
    await waitLoaded(elementPage);
    const img = await decodePng(await elementPage.screenshot());
    const c = pixel(img, 4, 4);
    expect(Math.abs(c[0]) + Math.abs(c[1] - 255) + Math.abs(c[2])).toBeLessThanOrEqual(6);
  });

  it('an unpublished model does not render anywhere', async () => {
    const manifest = await fetch(`${backend.url}/p/${ids.unpublished}/manifest.json`);
    expect(manifest.status).toBe(404);
    expect(await manifest.json()).toMatchObject({ error: 'model_not_found' });
    expect((await fetch(`${backend.url}/p/${ids.unpublished}/model.glb`)).status).toBe(404);
    const res = await elementPage.goto(`${backend.url}/embed/${ids.unpublished}`);
    expect(res?.status()).toBe(404);
    expect(await elementPage.$('vitrine-viewer')).toBeNull();
    // The element itself, pointed at it: an error event and a message, no model drawn.
    await elementPage.goto(`${backend.url}/render.html`);
    const outcome = await elementPage.evaluate(
      (id) =>
        new Promise<string>((resolve) => {
          const el = document.createElement('vitrine-viewer');
          el.setAttribute('model-id', id);
          el.addEventListener('error', (e) => resolve(`error:${(e as CustomEvent).detail.code}`));
          el.addEventListener('load', () => resolve('loaded'));
          document.body.append(el);
        }),
      ids.unpublished,
    );
    expect(outcome).toBe('error:model_not_found');
  });

  it('a model named </title><script>alert(1)</script> renders, escaped, with no dialog', async () => {
    consoleErrors.length = 0;
    const res = await elementPage.goto(`${backend.url}/embed/${ids.evil}`);
    expect(res?.status()).toBe(200);
    await waitLoaded(elementPage);
    expect(await elementPage.title()).toBe(EVIL_NAME);
    expect(await elementPage.$$eval('script', (s) => s.length)).toBe(1);
    expect(consoleErrors).toEqual([]);
    const oembed = await fetch(`${backend.url}/oembed?url=${encodeURIComponent(`${backend.url}/embed/${ids.evil}`)}&format=json`);
    expect(oembed.status).toBe(200);
    const body = (await oembed.json()) as { type: string; html: string; width: number; height: number; title: string };
    expect(body.type).toBe('rich');
    expect(body.title).toBe(EVIL_NAME);
    expect(body.html).not.toContain('<script');
    expect(body.html).toContain('&lt;/title&gt;');
    expect(Math.round((body.width * 9) / 16)).toBe(body.height);
  });

  it('render mode reuses one renderer: a warm re-render is fast and reports what it drew', async () => {
    await render('warm-1', { camera_yaw: 10 });
    const started = Date.now();
    const result = await renderPage.evaluate(
      (r) => window.vitrine!.render(r),
      { glb_url: `${backend.url}/p/${ids.product}/model.glb`, config: { camera_yaw: 20 }, width: W, height: H },
    );
    const ms = Date.now() - started;
    expect(result).toMatchObject({ ok: true, width: W, height: H });
    expect(result.pmrem_size).toBeLessThanOrEqual(result.software_gl ? 64 : 128);
    expect(result.triangles).toBeGreaterThan(1000);
    console.log(`render mode warm re-render: ${result.ms} ms in page, ${ms} ms round trip`);
  });
});
