/**
 * Every /v1 endpoint of DESIGN §2 (and our additions) over real HTTP: the happy path, each error
 * status it can return, the error body shape, and — for every owner-scoped endpoint — another
 * owner's id answering 404 with nothing changed (read back afterwards).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeGlbFixtures, type GlbFixtures } from '../fixtures/glb-fixtures.js';
import { expectError, filesUnder, uploadGlb } from '../helpers/rest.js';
import { api, ManualClock, startTestServer, type TestServer } from '../helpers/test-server.js';

let server: TestServer;
let fx: GlbFixtures;
const clock = new ManualClock(Date.parse('2026-03-01T12:00:00Z'));
let webhook: Server;
const webhookHits: unknown[] = [];

const BIG_LIMITS = { VITRINE_RATE_PRO_PER_MIN: '100000', VITRINE_RATE_FREE_PER_MIN: '100000', VITRINE_RATE_ANON_PER_MIN: '100000' };

beforeAll(async () => {
  webhook = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      webhookHits.push(JSON.parse(body));
      res.end('ok');
    });
  });
  await new Promise<void>((r) => webhook.listen(0, '127.0.0.1', r));
  const hook = `http://127.0.0.1:${(webhook.address() as AddressInfo).port}/hook`;
  [server, fx] = await Promise.all([startTestServer({ ...BIG_LIMITS, VITRINE_FEEDBACK_WEBHOOK_URL: hook }, { clock }), makeGlbFixtures()]);
});
afterAll(async () => {
  await server?.stop();
  await new Promise((r) => webhook?.close(r));
});

const u = (p: string) => `${server.url}${p}`;
const owner = () => server.ownerKey;
const other = () => server.otherKey;

async function newModel(name = 'Box', key = owner()) {
  clock.advance(1000); // distinct created_at, so "newest first" is well defined
  const res = await uploadGlb(server.url, key, fx.files.box.path, { name });
  expect(res.status, res.text).toBe(201);
  return res.json as { id: string; name: string };
}

describe('models', () => {
  it('GET /v1/models needs credentials: none → 401, junk / bad checksum / unknown key → 401', async () => {
    expectError(await api(u('/v1/models')), 401, 'unauthorized');
    expectError(await api(u('/v1/models'), { key: 'garbage' }), 401, 'unauthorized');
    expectError(await api(u('/v1/models'), { key: 'vt_live_' + 'A'.repeat(38) }), 401, 'unauthorized');
    const real = owner();
    expectError(await api(u('/v1/models'), { key: real.slice(0, -1) + (real.endsWith('x') ? 'y' : 'x') }), 401, 'unauthorized');
    const res = await api(u('/v1/models'));
    expect(res.headers.get('www-authenticate')).toMatch(/Bearer/);
  });

  it('uploads (201 with stats, sha256, merged config) and pages newest first with a cursor', async () => {
    const a = await newModel('first');
    const b = await newModel('second');
    const c = await newModel('third');
    const detail = await api(u(`/v1/models/${a.id}`), { key: owner() });
    expect(detail.status).toBe(200);
    expect(detail.json).toMatchObject({ id: a.id, name: 'first', status: 'ready', published: false, look_id: null, layout_id: null, overrides: {}, expires_at: null, viewer_url: null });
    expect(detail.json.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(detail.json.stats).toMatchObject({ triangles: 12, vertices: 24, meshes: 1, materials: 1 });
    expect(detail.json.config.bg_mode).toBe('gradient');

    const p1 = await api(u('/v1/models?limit=2'), { key: owner() });
    expect(p1.status).toBe(200);
    expect(p1.json.models.map((m: { id: string }) => m.id)).toEqual([c.id, b.id]);
    expect(p1.json.next_cursor).toEqual(expect.any(String));
    const p2 = await api(u(`/v1/models?limit=2&cursor=${encodeURIComponent(p1.json.next_cursor)}`), { key: owner() });
    expect(p2.json.models.map((m: { id: string }) => m.id)).toContain(a.id);
    // The other account sees none of them.
    const theirs = await api(u('/v1/models'), { key: other() });
    expect(theirs.json.models).toEqual([]);
  });

  it('a 100k-triangle grid uploads with its stats', async () => {
    const res = await uploadGlb(server.url, owner(), fx.files.grid100k.path);
    expect(res.status, res.text).toBe(201);
    expect(res.json.stats).toMatchObject({ triangles: 224 * 224 * 2, vertices: 225 * 225, meshes: 1 });
    expect(res.json.name).toBe('grid 100k');
    expect((await api(u(`/v1/models/${res.json.id}`), { method: 'DELETE', key: owner() })).status).toBe(200);
  });

  it('list input errors → 400 invalid_request naming the field', async () => {
    for (const q of ['limit=0', 'limit=101', 'limit=abc', 'limit=1.5']) {
      const res = await api(u(`/v1/models?${q}`), { key: owner() });
      expectError(res, 400, 'invalid_request');
      expect(res.json.message).toContain('limit');
    }
    expectError(await api(u('/v1/models?cursor=not-a-cursor!!'), { key: owner() }), 400, 'invalid_request');
    expectError(await api(u(`/v1/models?cursor=${Buffer.from('[1,2]').toString('base64url')}`), { key: owner() }), 400, 'invalid_request');
  });

  it('GET /v1/models/:id: unknown → 404 model_not_found; another owner → 404', async () => {
    const m = await newModel();
    expectError(await api(u('/v1/models/mdl_doesnotexist'), { key: owner() }), 404, 'model_not_found');
    expectError(await api(u(`/v1/models/${m.id}`), { key: other() }), 404, 'model_not_found');
    expectError(await api(u(`/v1/models/${m.id}`)), 401, 'unauthorized');
  });

  it('DELETE /v1/models/:id: another owner → 404 and the model stays; owner → gone with its files', async () => {
    const m = await newModel('doomed');
    const blobDir = path.join(server.dataDir, 'blobs', 'models', m.id);
    expect(filesUnder(blobDir).length).toBeGreaterThan(0);
    expectError(await api(u(`/v1/models/${m.id}`), { method: 'DELETE', key: other() }), 404, 'model_not_found');
    expect((await api(u(`/v1/models/${m.id}`), { key: owner() })).status).toBe(200);
    expect(filesUnder(blobDir).length).toBeGreaterThan(0);

    expectError(await api(u(`/v1/models/${m.id}`), { method: 'DELETE' }), 401, 'unauthorized');
    const del = await api(u(`/v1/models/${m.id}`), { method: 'DELETE', key: owner() });
    expect(del.status).toBe(200);
    expect(del.json).toEqual({ id: m.id, deleted: true });
    expectError(await api(u(`/v1/models/${m.id}`), { key: owner() }), 404, 'model_not_found');
    expect(filesUnder(blobDir)).toEqual([]);
    expectError(await api(u(`/v1/models/${m.id}`), { method: 'DELETE', key: owner() }), 404, 'model_not_found');
  });
});

describe('config', () => {
  it('GET/PATCH config of another owner → 404 and the overrides are untouched', async () => {
    const m = await newModel();
    await api(u(`/v1/models/${m.id}/config`), { method: 'PATCH', key: owner(), json: { bg_mode: 'color' } });
    expectError(await api(u(`/v1/models/${m.id}/config`), { key: other() }), 404, 'model_not_found');
    expectError(await api(u(`/v1/models/${m.id}/config`), { method: 'PATCH', key: other(), json: { bg_mode: 'hdri' } }), 404, 'model_not_found');
    expectError(await api(u(`/v1/models/${m.id}/config`), { method: 'PATCH', json: { bg_mode: 'hdri' } }), 401, 'unauthorized');
    const after = await api(u(`/v1/models/${m.id}/config`), { key: owner() });
    expect(after.json.overrides).toEqual({ bg_mode: 'color' });
    expect(after.json.model_id).toBe(m.id);
    expectError(await api(u('/v1/models/mdl_nope/config'), { key: owner() }), 404, 'model_not_found');
  });

  it('a body that is not JSON or not an object → 400 invalid_request; > 1 MB → 413', async () => {
    const m = await newModel();
    const bad = await api(u(`/v1/models/${m.id}/config`), { method: 'PATCH', key: owner(), body: '{"bg_mode":', headers: { 'content-type': 'application/json' } });
    expectError(bad, 400, 'invalid_request');
    expectError(await api(u(`/v1/models/${m.id}/config`), { method: 'PATCH', key: owner(), json: [1, 2] }), 400);
    expectError(await api(u(`/v1/models/${m.id}/config`), { method: 'PATCH', key: owner(), json: 'transparent' }), 400);
    const huge = await api(u(`/v1/models/${m.id}/config`), { method: 'PATCH', key: owner(), json: { bg_mode: 'x'.repeat(1_100_000) } });
    expectError(huge, 413);
  });
});

describe('showcases and embed', () => {
  it('PATCH /v1/showcases/:id updates name, published, look_id, layout_id; null detaches', async () => {
    const m = await newModel('Shoe');
    const look = await api(u('/v1/looks'), { method: 'POST', key: owner(), json: { name: 'Dark', config: { bg_mode: 'color', bg_color: '#000000' } } });
    expect(look.status).toBe(201);
    const res = await api(u(`/v1/showcases/${m.id}`), { method: 'PATCH', key: owner(), json: { name: 'Shoe 2', published: true, look_id: look.json.id, layout_id: 'square' } });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ id: m.id, name: 'Shoe 2', published: true, look_id: look.json.id, layout_id: 'square' });
    expect(res.json.viewer_url).toContain(m.id);
    const cfg = await api(u(`/v1/models/${m.id}/config`), { key: owner() });
    expect(cfg.json.config).toMatchObject({ bg_mode: 'color', bg_color: '#000000', aspect_ratio: '1:1' });
    const detach = await api(u(`/v1/showcases/${m.id}`), { method: 'PATCH', key: owner(), json: { look_id: null, layout_id: null } });
    expect(detach.json).toMatchObject({ look_id: null, layout_id: null, name: 'Shoe 2', published: true });
  });

  it('showcase errors: bad fields → 400, unknown / foreign look or layout → 404, another owner → 404 unchanged', async () => {
    const m = await newModel('Mine');
    const theirLook = await api(u('/v1/looks'), { method: 'POST', key: other(), json: { name: 'Theirs' } });
    const theirLayout = await api(u('/v1/layouts'), { method: 'POST', key: other(), json: { name: 'Theirs', config: { aspect_ratio: '4:3' } } });
    expect(theirLook.status).toBe(201);
    expect(theirLayout.status).toBe(201);
    expectError(await api(u(`/v1/showcases/${m.id}`), { method: 'PATCH', key: owner(), json: { published: 'yes' } }), 400, 'invalid_request');
    expectError(await api(u(`/v1/showcases/${m.id}`), { method: 'PATCH', key: owner(), json: { name: '' } }), 400, 'invalid_request');
    expectError(await api(u(`/v1/showcases/${m.id}`), { method: 'PATCH', key: owner(), json: { name: 'x'.repeat(201) } }), 400, 'invalid_request');
    expectError(await api(u(`/v1/showcases/${m.id}`), { method: 'PATCH', key: owner(), json: { look_id: 'look_missing' } }), 404, 'look_not_found');
    expectError(await api(u(`/v1/showcases/${m.id}`), { method: 'PATCH', key: owner(), json: { look_id: theirLook.json.id } }), 404, 'look_not_found');
    expectError(await api(u(`/v1/showcases/${m.id}`), { method: 'PATCH', key: owner(), json: { layout_id: 'lay_missing' } }), 404, 'layout_not_found');
    expectError(await api(u(`/v1/showcases/${m.id}`), { method: 'PATCH', key: owner(), json: { layout_id: theirLayout.json.id } }), 404, 'layout_not_found');
    expectError(await api(u(`/v1/showcases/${m.id}`), { method: 'PATCH', key: other(), json: { name: 'pwned', published: true } }), 404, 'model_not_found');
    expectError(await api(u(`/v1/showcases/${m.id}`), { method: 'PATCH', json: { published: true } }), 401, 'unauthorized');
    const after = await api(u(`/v1/models/${m.id}`), { key: owner() });
    expect(after.json).toMatchObject({ name: 'Mine', published: false, look_id: null, layout_id: null });
  });

  it('embed: 409 not_published before publishing; 404 for another owner; html sized by layout, name escaped', async () => {
    const m = await newModel('<script>alert(1)</script> & "quotes"');
    const early = await api(u(`/v1/showcases/${m.id}/embed`), { key: owner() });
    expectError(early, 409, 'not_published');
    await api(u(`/v1/showcases/${m.id}`), { method: 'PATCH', key: owner(), json: { published: true, layout_id: 'portrait' } });
    expectError(await api(u(`/v1/showcases/${m.id}/embed`), { key: other() }), 404, 'model_not_found');
    expectError(await api(u(`/v1/showcases/${m.id}/embed`)), 401, 'unauthorized');
    expectError(await api(u('/v1/showcases/mdl_nope/embed'), { key: owner() }), 404, 'model_not_found');
    const res = await api(u(`/v1/showcases/${m.id}/embed`), { key: owner() });
    expect(res.status).toBe(200);
    expect(res.json.model_id).toBe(m.id);
    expect(res.json.html).toContain('<vitrine-viewer');
    expect(res.json.html).toContain(m.id);
    expect(res.json.html).toContain(res.json.script_url);
    expect(res.json.html).toMatch(/3 ?\/ ?4|3:4|aspect/);
    expect(res.json.iframe_html).toContain('<iframe');
    expect(res.json.viewer_url).toContain(`/embed/${m.id}`);
    for (const snippet of [res.json.html, res.json.iframe_html]) {
      expect(snippet).not.toContain('<script>alert(1)</script>');
    }
  });
});

describe('looks', () => {
  it('CRUD: create 201, list, patch (null removes), delete, then 404', async () => {
    const created = await api(u('/v1/looks'), { method: 'POST', key: owner(), json: { name: 'Studio', config: { bg_mode: 'color', exposure: 1.2, hdri_name: 'studio' } } });
    expect(created.status, created.text).toBe(201);
    expect(created.json).toMatchObject({ name: 'Studio', config: { bg_mode: 'color', exposure: 1.2, hdri_preset: 'studio' } });
    expect(created.json.config).not.toHaveProperty('hdri_name');
    const id = created.json.id;
    const list = await api(u('/v1/looks'), { key: owner() });
    expect(list.json.looks.map((l: { id: string }) => l.id)).toContain(id);
    const patched = await api(u(`/v1/looks/${id}`), { method: 'PATCH', key: owner(), json: { name: 'Studio 2', config: { exposure: null, bloom_enabled: true } } });
    expect(patched.status).toBe(200);
    expect(patched.json).toMatchObject({ name: 'Studio 2', config: { bg_mode: 'color', bloom_enabled: true, hdri_preset: 'studio' } });
    expect(patched.json.config).not.toHaveProperty('exposure');
    const del = await api(u(`/v1/looks/${id}`), { method: 'DELETE', key: owner() });
    expect(del.json).toEqual({ id, deleted: true });
    expectError(await api(u(`/v1/looks/${id}`), { method: 'DELETE', key: owner() }), 404, 'look_not_found');
    expectError(await api(u(`/v1/looks/${id}`), { method: 'PATCH', key: owner(), json: { name: 'x' } }), 404, 'look_not_found');
  });

  it('errors: missing name / layout field / bad value / unknown HDRI → 400; another owner → 404 unchanged', async () => {
    expectError(await api(u('/v1/looks'), { method: 'POST', key: owner(), json: { config: {} } }), 400, 'invalid_request');
    const layoutField = await api(u('/v1/looks'), { method: 'POST', key: owner(), json: { name: 'x', config: { aspect_ratio: '1:1' } } });
    expectError(layoutField, 400, 'invalid_config');
    expect(layoutField.json.message).toContain('aspect_ratio');
    expectError(await api(u('/v1/looks'), { method: 'POST', key: owner(), json: { name: 'x', config: { exposure: 99 } } }), 400, 'invalid_config');
    expectError(await api(u('/v1/looks'), { method: 'POST', key: owner(), json: { name: 'x', config: { hdri_preset: 'no_such_hdri' } } }), 400, 'invalid_config');
    const mine = await api(u('/v1/looks'), { method: 'POST', key: owner(), json: { name: 'Mine', config: { exposure: 2 } } });
    const id = mine.json.id;
    expectError(await api(u(`/v1/looks/${id}`), { method: 'PATCH', key: other(), json: { name: 'pwned', config: { exposure: 0 } } }), 404, 'look_not_found');
    expectError(await api(u(`/v1/looks/${id}`), { method: 'DELETE', key: other() }), 404, 'look_not_found');
    expectError(await api(u(`/v1/looks/${id}`), { method: 'PATCH', key: owner(), json: { config: { exposure: 'bright' } } }), 400, 'invalid_config');
    expect((await api(u('/v1/looks'), { key: other() })).json.looks.map((l: { id: string }) => l.id)).not.toContain(id);
    const after = (await api(u('/v1/looks'), { key: owner() })).json.looks.find((l: { id: string }) => l.id === id);
    expect(after).toMatchObject({ name: 'Mine', config: { exposure: 2 } });
    expectError(await api(u('/v1/looks'), {}), 401, 'unauthorized');
  });

  it('deleting a look a showcase uses falls back to the defaults (overrides stay)', async () => {
    const m = await newModel();
    const look = await api(u('/v1/looks'), { method: 'POST', key: owner(), json: { name: 'L', config: { bg_mode: 'hdri', exposure: 2 } } });
    await api(u(`/v1/showcases/${m.id}`), { method: 'PATCH', key: owner(), json: { look_id: look.json.id } });
    await api(u(`/v1/models/${m.id}/config`), { method: 'PATCH', key: owner(), json: { exposure: 3 } });
    await api(u(`/v1/looks/${look.json.id}`), { method: 'DELETE', key: owner() });
    const cfg = await api(u(`/v1/models/${m.id}/config`), { key: owner() });
    expect(cfg.status).toBe(200);
    expect(cfg.json.config).toMatchObject({ bg_mode: 'gradient', exposure: 3 });
    const detail = await api(u(`/v1/models/${m.id}`), { key: owner() });
    expect(detail.status).toBe(200);
    expect(detail.json.look_id).toBeNull();
  });
});

describe('layouts', () => {
  it('lists the five built-ins plus your own; CRUD; built-ins are read-only (403)', async () => {
    const list = await api(u('/v1/layouts'), { key: owner() });
    expect(list.status).toBe(200);
    const builtins = list.json.layouts.filter((l: { builtin: boolean }) => l.builtin);
    expect(Object.fromEntries(builtins.map((l: { id: string; config: { aspect_ratio: string } }) => [l.id, l.config.aspect_ratio]))).toEqual({
      widescreen: '16:9',
      classic: '4:3',
      square: '1:1',
      portrait: '3:4',
      story: '9:16',
    });
    const created = await api(u('/v1/layouts'), { method: 'POST', key: owner(), json: { name: 'Kiosk', config: { aspect_ratio: '9:16', controls_enabled: false } } });
    expect(created.status, created.text).toBe(201);
    expect(created.json).toMatchObject({ name: 'Kiosk', builtin: false, config: { aspect_ratio: '9:16', controls_enabled: false } });
    const id = created.json.id;
    const patched = await api(u(`/v1/layouts/${id}`), { method: 'PATCH', key: owner(), json: { config: { controls_enabled: null, pan_enabled: true } } });
    expect(patched.json.config).toEqual({ aspect_ratio: '9:16', pan_enabled: true });
    expectError(await api(u('/v1/layouts/square'), { method: 'PATCH', key: owner(), json: { name: 'mine now' } }), 403, 'forbidden');
    expectError(await api(u('/v1/layouts/square'), { method: 'DELETE', key: owner() }), 403, 'forbidden');
    expectError(await api(u('/v1/layouts'), { method: 'POST', key: owner(), json: { name: 'x', config: { bg_mode: 'color' } } }), 400, 'invalid_config');
    expectError(await api(u('/v1/layouts'), { method: 'POST', key: owner(), json: { name: 'x', config: { aspect_ratio: '2:1' } } }), 400, 'invalid_config');
    expectError(await api(u(`/v1/layouts/${id}`), { method: 'PATCH', key: other(), json: { name: 'pwned' } }), 404, 'layout_not_found');
    expectError(await api(u(`/v1/layouts/${id}`), { method: 'DELETE', key: other() }), 404, 'layout_not_found');
    expect((await api(u('/v1/layouts'), { key: other() })).json.layouts.map((l: { id: string }) => l.id)).not.toContain(id);
    const stillMine = (await api(u('/v1/layouts'), { key: owner() })).json.layouts.find((l: { id: string }) => l.id === id);
    expect(stillMine.name).toBe('Kiosk');
    expect((await api(u(`/v1/layouts/${id}`), { method: 'DELETE', key: owner() })).json).toEqual({ id, deleted: true });
    expectError(await api(u(`/v1/layouts/${id}`), { method: 'DELETE', key: owner() }), 404, 'layout_not_found');
    expectError(await api(u('/v1/layouts')), 401, 'unauthorized');
  });
});

describe('thumbnails', () => {
  it('POST /v1/models/:id/thumbnail → 200 with URLs (Chromium present) or 503 renderer_unavailable; 404 for another owner; 401 without auth', async () => {
    const m = await newModel();
    expectError(await api(u(`/v1/models/${m.id}/thumbnail`), { method: 'POST', key: other() }), 404, 'model_not_found');
    expectError(await api(u(`/v1/models/${m.id}/thumbnail`), { method: 'POST' }), 401, 'unauthorized');
    const res = await api(u(`/v1/models/${m.id}/thumbnail`), { method: 'POST', key: owner() });
    if (res.status === 200) {
      expect(res.json.model_id).toBe(m.id);
      expect(res.json.thumbnail.status).toBe('ready');
      expect(Object.keys(res.json.thumbnail.urls).length).toBeGreaterThan(0);
    } else {
      expectError(res, 503, 'renderer_unavailable');
      expect(res.json.request_id).toBeTruthy();
    }
  });
});

describe('feedback', () => {
  it('stores feedback with or without credentials and forwards it to the webhook', async () => {
    const res = await api(u('/v1/feedback'), { method: 'POST', key: owner(), json: { type: 'bug', message: 'Bloom looks odd', page: '/v1/models', meta: { v: 1 } } });
    expect(res.status, res.text).toBe(201);
    expect(res.json).toMatchObject({ received: true, id: expect.any(String) });
    const anon = await api(u('/v1/feedback'), { method: 'POST', json: { type: 'feature', message: 'USDZ please' } });
    expect(anon.status).toBe(201);
    expect(anon.headers.get('x-vitrine-anonymous-token')).toBeNull();
    for (let i = 0; i < 50 && webhookHits.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
    expect(webhookHits).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ feedback: expect.objectContaining({ type: 'bug', message: 'Bloom looks odd' }) }),
        expect.objectContaining({ feedback: expect.objectContaining({ type: 'feature', message: 'USDZ please' }) }),
      ]),
    );
  });

  it('bad feedback → 400 invalid_request', async () => {
    expectError(await api(u('/v1/feedback'), { method: 'POST', json: { type: 'rant', message: 'x' } }), 400, 'invalid_request');
    expectError(await api(u('/v1/feedback'), { method: 'POST', json: { type: 'bug', message: '' } }), 400, 'invalid_request');
    expectError(await api(u('/v1/feedback'), { method: 'POST', json: { type: 'bug' } }), 400, 'invalid_request');
    expectError(await api(u('/v1/feedback'), { method: 'POST', json: { type: 'bug', message: 'x'.repeat(5001) } }), 400, 'invalid_request');
  });
});

describe('account', () => {
  it('GET /v1/account shows plan, usage and limits; 401 without credentials', async () => {
    const res = await api(u('/v1/account'), { key: owner() });
    expect(res.status).toBe(200);
    expect(res.json.plan).toBe('pro');
    expect(res.json.user).toMatchObject({ plan: 'pro', anonymous: false, expires_at: null });
    expect(res.json.usage.models).toBeGreaterThan(0);
    expect(res.json.usage.storage_bytes).toBeGreaterThan(0);
    expect(res.json.limits).toMatchObject({ requests_per_minute: 100000, max_models: 1000 });
    const theirs = await api(u('/v1/account'), { key: other() });
    expect(theirs.json).toMatchObject({ plan: 'free', usage: { models: 0, storage_bytes: 0 } });
    expectError(await api(u('/v1/account')), 401, 'unauthorized');
  });
});

describe('reference (no auth)', () => {
  it('GET /v1/hdris lists presets including studio_small_08_4k', async () => {
    const res = await api(u('/v1/hdris'));
    expect(res.status).toBe(200);
    const slugs = res.json.hdris.map((h: { slug: string }) => h.slug);
    expect(slugs).toContain('studio');
    expect(slugs).toContain('studio_small_08_4k');
    for (const h of res.json.hdris) {
      expect(h).toMatchObject({ slug: expect.any(String), title: expect.any(String), category: expect.any(String), recommended_exposure: expect.any(Number) });
      expect(h.file_url).toMatch(/^https?:\/\//);
    }
  });

  it('GET /v1/config-schema is JSON Schema 2020-12 with types, enums, ranges, defaults, descriptions', async () => {
    const res = await api(u('/v1/config-schema'));
    expect(res.status).toBe(200);
    expect(res.json.$schema).toContain('2020-12');
    const p = res.json.properties;
    expect(p.bg_mode).toMatchObject({ enum: ['color', 'gradient', 'transparent', 'hdri', 'hdri_blurred'], default: 'gradient' });
    expect(p.bloom_intensity).toMatchObject({ type: 'number', minimum: 0, maximum: 3 });
    expect(p.aspect_ratio.enum).toContain('9:16');
    for (const [name, field] of Object.entries<{ description?: string; default?: unknown }>(p)) {
      expect(field.description, name).toBeTruthy();
      if (name !== 'hdri_name') expect(field.default, name).not.toBeUndefined();
    }
  });

  it('GET /v1/openapi.json is OpenAPI 3.1 with every path of the contract', async () => {
    const res = await api(u('/v1/openapi.json'));
    expect(res.status).toBe(200);
    expect(res.json.openapi).toMatch(/^3\.1/);
    const want: [string, string][] = [
      ['get', '/v1/models'], ['post', '/v1/models'], ['get', '/v1/models/{model_id}'], ['delete', '/v1/models/{model_id}'],
      ['get', '/v1/models/{model_id}/config'], ['patch', '/v1/models/{model_id}/config'],
      ['patch', '/v1/showcases/{model_id}'], ['get', '/v1/showcases/{model_id}/embed'],
      ['get', '/v1/looks'], ['post', '/v1/looks'], ['patch', '/v1/looks/{look_id}'], ['delete', '/v1/looks/{look_id}'],
      ['get', '/v1/layouts'], ['post', '/v1/layouts'], ['patch', '/v1/layouts/{layout_id}'], ['delete', '/v1/layouts/{layout_id}'],
      ['post', '/v1/models/{model_id}/thumbnail'], ['post', '/v1/feedback'], ['get', '/v1/account'],
      ['get', '/v1/account/api-keys'], ['post', '/v1/account/api-keys'], ['delete', '/v1/account/api-keys/{key_id}'],
      ['post', '/v1/uploads'], ['put', '/v1/uploads/{upload_id}'], ['get', '/v1/hdris'], ['get', '/v1/config-schema'],
    ];
    for (const [method, p] of want) expect(res.json.paths[p]?.[method], `${method} ${p}`).toBeTruthy();
    const patchConfig = res.json.paths['/v1/models/{model_id}/config'].patch;
    expect(patchConfig.requestBody.content['application/json'].schema.properties.bg_mode).toBeTruthy();
    expect(res.json.paths['/v1/models'].post.requestBody.content['multipart/form-data']).toBeTruthy();
  });
});

describe('routing', () => {
  it('unknown routes and methods → 404 JSON', async () => {
    expectError(await api(u('/v1/nope'), { key: owner() }), 404);
    expectError(await api(u('/v1/models'), { method: 'PUT', key: owner() }), 404);
  });

  it('a JSON body sent without Content-Type: application/json → 400 saying so, not a silent no-op', async () => {
    const m = await newModel();
    const asText = await api(u(`/v1/models/${m.id}/config`), { method: 'PATCH', key: owner(), body: '{"bg_mode":"transparent"}' });
    expectError(asText, 400, 'invalid_request');
    expect(asText.json.message).toMatch(/application\/json/);
    // What `curl -d '{…}'` sends when -H "Content-Type: application/json" is forgotten.
    const asForm = await api(u(`/v1/models/${m.id}/config`), { method: 'PATCH', key: owner(), body: '{"bg_mode":"transparent"}', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expectError(asForm, 400, 'invalid_request');
    expectError(await api(u('/v1/looks'), { method: 'POST', key: owner(), body: 'name=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 400, 'invalid_request');
    expect((await api(u(`/v1/models/${m.id}/config`), { key: owner() })).json.overrides).toEqual({});
    // JSON with a charset, and +json types, are fine; so is a bodyless POST.
    const charset = await api(u(`/v1/models/${m.id}/config`), { method: 'PATCH', key: owner(), body: '{"bg_mode":"transparent"}', headers: { 'content-type': 'application/json; charset=utf-8' } });
    expect(charset.status).toBe(200);
    expect((await api(u(`/v1/models/${m.id}/thumbnail`), { method: 'POST', key: owner() })).status).not.toBe(400);
  });

  it('/healthz and /readyz answer', async () => {
    expect((await api(u('/healthz'))).json).toEqual({ status: 'ok' });
    expect((await api(u('/readyz'))).json.status).toBe('ready');
  });
});
