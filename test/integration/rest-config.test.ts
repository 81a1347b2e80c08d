/**
 * The scene config over HTTP: sparse patches, null removing an override, the cascade
 * (defaults ← look ← layout ← overrides), the hdri_name alias, precise invalid_config errors,
 * and ~300 generated junk patches that must answer 200 or 400 — never 5xx — and never store junk.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SCENE_CONFIG, SceneConfig } from '../../src/core/scene/config-schema.js';
import { makeGlbFixtures } from '../fixtures/glb-fixtures.js';
import { expectError, uploadGlb } from '../helpers/rest.js';
import { api, startTestServer, type TestServer } from '../helpers/test-server.js';

let server: TestServer;
let modelId: string;
const u = (p: string) => `${server.url}${p}`;
const key = () => server.ownerKey;

beforeAll(async () => {
  const [s, fx] = await Promise.all([startTestServer({ VITRINE_RATE_PRO_PER_MIN: '100000' }), makeGlbFixtures()]);
  server = s;
  const up = await uploadGlb(server.url, key(), fx.files.box.path, { name: 'cfg' });
  expect(up.status, up.text).toBe(201);
  modelId = up.json.id;
});
afterAll(async () => {
  await server?.stop();
});

const patch = (json: unknown) => api(u(`/v1/models/${modelId}/config`), { method: 'PATCH', key: key(), json });
const patchRaw = (body: string) => api(u(`/v1/models/${modelId}/config`), { method: 'PATCH', key: key(), body, headers: { 'content-type': 'application/json' } });
const getConfig = () => api(u(`/v1/models/${modelId}/config`), { key: key() });
async function resetOverrides() {
  const { json } = await getConfig();
  const clear = Object.fromEntries(Object.keys(json.overrides).map((k) => [k, null]));
  if (Object.keys(clear).length) expect((await patch(clear)).status).toBe(200);
  await api(u(`/v1/showcases/${modelId}`), { method: 'PATCH', key: key(), json: { look_id: null, layout_id: null } });
}

describe('sparse patches', () => {
  it('only sent fields change; null removes an override and the field falls back to the look', async () => {
    await resetOverrides();
    let res = await patch({ bg_mode: 'color' });
    expect(res.json.overrides).toEqual({ bg_mode: 'color' });
    res = await patch({ exposure: 1.5 });
    expect(res.json.overrides).toEqual({ bg_mode: 'color', exposure: 1.5 });
    expect(res.json.config).toMatchObject({ bg_mode: 'color', exposure: 1.5, bloom_enabled: DEFAULT_SCENE_CONFIG.bloom_enabled });
    res = await patch({});
    expect(res.status).toBe(200);
    expect(res.json.overrides).toEqual({ bg_mode: 'color', exposure: 1.5 });

    const look = await api(u('/v1/looks'), { method: 'POST', key: key(), json: { name: 'hdri look', config: { bg_mode: 'hdri' } } });
    await api(u(`/v1/showcases/${modelId}`), { method: 'PATCH', key: key(), json: { look_id: look.json.id } });
    expect((await getConfig()).json.config.bg_mode).toBe('color'); // override wins over the look
    res = await patch({ bg_mode: null });
    expect(res.json.overrides).toEqual({ exposure: 1.5 });
    expect(res.json.config.bg_mode).toBe('hdri'); // falls back to the look
    res = await patch({ exposure: null });
    expect(res.json.config.exposure).toBe(DEFAULT_SCENE_CONFIG.exposure); // falls back to the default
    // Removing what is not there is fine.
    expect((await patch({ exposure: null })).status).toBe(200);
  });

  it('cascade: defaults ← look ← layout ← model overrides, field by field', async () => {
    await resetOverrides();
    const look = await api(u('/v1/looks'), { method: 'POST', key: key(), json: { name: 'L', config: { bg_mode: 'transparent', exposure: 2, camera_fov: 50 } } });
    const layout = await api(u('/v1/layouts'), { method: 'POST', key: key(), json: { name: 'P', config: { aspect_ratio: '3:4', pan_enabled: true } } });
    await api(u(`/v1/showcases/${modelId}`), { method: 'PATCH', key: key(), json: { look_id: look.json.id, layout_id: layout.json.id } });
    await patch({ exposure: 3, aspect_ratio: '1:1' });
    const { json } = await getConfig();
    expect(json.config).toMatchObject({
      bg_mode: 'transparent', // look
      camera_fov: 50, // look
      exposure: 3, // override beats look
      pan_enabled: true, // layout
      aspect_ratio: '1:1', // override beats layout
      bloom_enabled: DEFAULT_SCENE_CONFIG.bloom_enabled, // default
      tonemapping_mode: DEFAULT_SCENE_CONFIG.tonemapping_mode,
    });
    expect(SceneConfig.safeParse(json.config).success).toBe(true);
    // The model details carry the same merged config.
    const detail = await api(u(`/v1/models/${modelId}`), { key: key() });
    expect(detail.json.config).toEqual(json.config);
    // A look change shows through where the model does not override.
    await api(u(`/v1/looks/${look.json.id}`), { method: 'PATCH', key: key(), json: { config: { camera_fov: 60, exposure: 0.5 } } });
    expect((await getConfig()).json.config).toMatchObject({ camera_fov: 60, exposure: 3 });
    await resetOverrides();
  });

  it('hdri_name is an alias of hdri_preset; hdri_preset wins when both are sent', async () => {
    await resetOverrides();
    let res = await patch({ hdri_name: 'studio_small_08_4k' });
    expect(res.status, res.text).toBe(200);
    expect(res.json.overrides).toEqual({ hdri_preset: 'studio_small_08_4k' });
    expect(res.json.config.hdri_preset).toBe('studio_small_08_4k');
    expect(res.json.config).not.toHaveProperty('hdri_name');
    res = await patch({ hdri_name: 'city', hdri_preset: 'forest' });
    expect(res.json.config.hdri_preset).toBe('forest');
    res = await patch({ hdri_name: null });
    expect(res.json.overrides).toEqual({});
    expectError(await patch({ hdri_name: 'no_such_place' }), 400, 'invalid_config');
  });
});

describe('invalid patches → 400 invalid_config naming the field, nothing stored', () => {
  const cases: [string, unknown, string][] = [
    ['unknown field', { bg_mode: 'color', sparkles: true }, 'sparkles'],
    ['wrong type (boolean as string)', { bloom_enabled: 'yes' }, 'bloom_enabled'],
    ['wrong type (number as string)', { bloom_intensity: '0.2' }, 'bloom_intensity'],
    ['out of range (above)', { bloom_intensity: 5 }, 'bloom_intensity'],
    ['out of range (below)', { camera_fov: 1 }, 'camera_fov'],
    ['bad enum', { bg_mode: 'plaid' }, 'bg_mode'],
    ['bad color', { bg_color: 'red' }, 'bg_color'],
    ['nested object', { key_light: { intensity: 2 } }, 'key_light'],
    ['array value', { exposure: [1] }, 'exposure'],
    ['unknown HDRI', { hdri_preset: 'moon_base_9k' }, 'moon_base_9k'],
    ['empty HDRI slug', { hdri_preset: '' }, 'hdri_preset'],
  ];
  for (const [what, body, field] of cases) {
    it(what, async () => {
      await resetOverrides();
      await patch({ exposure: 2 });
      const res = await patch(body);
      expectError(res, 400, 'invalid_config');
      expect(res.json.message).toContain(field);
      expect((await getConfig()).json.overrides).toEqual({ exposure: 2 });
    });
  }

  it('details.issues carry the field path', async () => {
    const res = await patch({ bloom_enabled: 1 });
    expect(res.json.details.issues[0].path).toBe('bloom_enabled');
  });
});

// ---------------------------------------------------------------------------------------------
// Generated junk.

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIELDS = [...Object.keys(SceneConfig.shape), 'hdri_name'];
const JUNK_KEYS = ['', ' ', '__proto__', 'constructor', 'prototype', 'toString', 'BG_MODE', 'bg-mode', 'héllo', '🦄', 'a'.repeat(300), 'config', 'null'];
const STRINGS = ['', 'color', 'transparent', 'studio', 'studio_small_08_4k', '#ffffff', '#FFF', '#12345g', 'ñ🦄\u0000\u202e', 'x'.repeat(5000), '1e309', 'NaN', 'true', '<script>', "'; DROP TABLE models;--"];
const NUMBERS = [0, -0, 1, -1, 0.15, 3, 4, 10, 89, 90, 180, 181, 1e308, -1e308, 5e-324, 2 ** 53 + 1, 123456789, -60000, 60001];

function junkValue(r: () => number, depth = 0): unknown {
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)]!;
  switch (Math.floor(r() * (depth > 2 ? 5 : 7))) {
    case 0:
      return pick(NUMBERS) * (r() < 0.2 ? r() : 1);
    case 1:
      return pick(STRINGS);
    case 2:
      return r() < 0.5;
    case 3:
      return null;
    case 4:
      return Math.floor(r() * 1e6) / (r() < 0.5 ? 1 : 1000);
    case 5:
      return Array.from({ length: Math.floor(r() * 4) }, () => junkValue(r, depth + 1));
    default:
      return junkObject(r, depth + 1);
  }
}

function junkObject(r: () => number, depth = 0): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  const n = Math.floor(r() * 6);
  for (let i = 0; i < n; i++) {
    const k = r() < 0.8 ? FIELDS[Math.floor(r() * FIELDS.length)]! : JUNK_KEYS[Math.floor(r() * JUNK_KEYS.length)]!;
    Object.defineProperty(o, k, { value: junkValue(r, depth), enumerable: true, writable: true, configurable: true });
  }
  return o;
}

/** Raw bodies JSON.stringify cannot produce: overflowing numbers, duplicate keys, __proto__. */
const RAW_BODIES = [
  '{"bloom_intensity": 1e400}',
  '{"bloom_intensity": -1e400}',
  '{"exposure": 1e-400}',
  '{"__proto__": {"bg_mode": "color"}}',
  '{"__proto__": null}',
  '{"constructor": {"prototype": {"polluted": true}}}',
  '{"bg_mode": "color", "bg_mode": "hdri"}',
  '{"bg_mode": "\\ud800"}',
  '{"hdri_preset": "studio\\u0000"}',
  '{"auto_rotate_delay": 60000.0000000001}',
  '{"camera_fov": 1e1}',
  'null',
  'true',
  '12',
  '"string"',
  '[]',
  '[{"bg_mode":"color"}]',
  '{',
  '',
  '{"a":' + '['.repeat(5000) + ']'.repeat(5000) + '}',
];

describe('generated config patches → only 200 or 400, never 5xx, never junk stored', () => {
  it('~300 random patches plus raw edge-case bodies', async () => {
    await resetOverrides();
    const r = rng(20260301);
    const bodies: { raw?: string; json?: unknown }[] = RAW_BODIES.map((raw) => ({ raw }));
    for (let i = 0; i < 300; i++) {
      const roll = r();
      bodies.push({ json: roll < 0.85 ? junkObject(r) : junkValue(r) });
    }
    const statuses = new Map<number, number>();
    const failures: string[] = [];
    const queue = [...bodies];
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let b = queue.shift(); b; b = queue.shift()) {
          const res = b.raw !== undefined ? await patchRaw(b.raw) : await patch(b.json);
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          const shown = (b.raw ?? JSON.stringify(b.json) ?? String(b.json)).slice(0, 200);
          if (res.status !== 200 && res.status !== 400) failures.push(`${res.status} for ${shown}: ${res.text.slice(0, 200)}`);
          else if (res.status === 400 && !(res.json && typeof res.json.error === 'string' && typeof res.json.message === 'string')) failures.push(`bad error body for ${shown}`);
          else if (res.status === 200 && !SceneConfig.safeParse(res.json.config).success) failures.push(`200 with invalid merged config for ${shown}`);
        }
      }),
    );
    expect(failures).toEqual([]);
    expect(statuses.get(200)).toBeGreaterThan(10);
    expect(statuses.get(400)).toBeGreaterThan(100);
    // Whatever got stored is valid config, and nothing was polluted.
    const final = await getConfig();
    expect(final.status).toBe(200);
    expect(SceneConfig.safeParse(final.json.config).success).toBe(true);
    for (const k of Object.keys(final.json.overrides)) expect(Object.keys(SceneConfig.shape)).toContain(k);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).bg_mode).toBeUndefined();
  });
});
