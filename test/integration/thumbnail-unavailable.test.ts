/**
 * No Chromium on the server: thumbnail and preview requests answer 503 renderer_unavailable with
 * install advice, and everything else keeps working (upload, config, publish, manifest).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeGlbFixtures, type GlbFixtures } from '../fixtures/glb-fixtures.js';
import { uploadGlb } from '../helpers/rest.js';
import { api, startTestServer, type TestServer } from '../helpers/test-server.js';

describe('thumbnails without Chromium', () => {
  let srv: TestServer;
  let fx: GlbFixtures;
  let id = '';

  beforeAll(async () => {
    fx = await makeGlbFixtures();
    srv = await startTestServer({ CHROME_PATH: '/nonexistent/chromium', VITRINE_THUMBNAILS_ON_UPLOAD: 'true' });
    const up = await uploadGlb(srv.url, srv.ownerKey, fx.files.box.path);
    expect(up.status, up.text).toBe(201);
    id = up.json.id;
  });
  afterAll(async () => {
    await srv?.stop();
  });

  it('POST /v1/models/:id/thumbnail → 503 renderer_unavailable with install advice', async () => {
    const res = await api(`${srv.url}/v1/models/${id}/thumbnail`, { method: 'POST', key: srv.ownerKey });
    expect(res.status).toBe(503);
    expect(res.json.error).toBe('renderer_unavailable');
    expect(res.json.message).toMatch(/apt-get install -y chromium/);
    expect(res.json.message).toMatch(/CHROME_PATH/);
  });

  it('POST /v1/models/:id/preview → 503 renderer_unavailable', async () => {
    const res = await api(`${srv.url}/v1/models/${id}/preview`, { method: 'POST', key: srv.ownerKey, json: { bg_mode: 'color' } });
    expect([res.status, res.json.error]).toEqual([503, 'renderer_unavailable']);
  });

  it('unknown models are still 404, not 503', async () => {
    const res = await api(`${srv.url}/v1/models/mdl_nope/thumbnail`, { method: 'POST', key: srv.ownerKey });
    expect(res.status).toBe(404);
  });

  it('everything else works: details, config, publish, manifest (no poster yet), no thumbnail files', async () => {
    await srv.container.core.thumbnails.idle();
    const details = await api(`${srv.url}/v1/models/${id}`, { key: srv.ownerKey });
    expect(details.status).toBe(200);
    // The upload did not leave a thumbnail stuck in "pending" without a renderer.
    expect(details.json.thumbnail).toMatchObject({ status: 'none', urls: {} });
    expect((await api(`${srv.url}/v1/models/${id}/config`, { method: 'PATCH', key: srv.ownerKey, json: { bg_color: '#123456' } })).status).toBe(200);
    expect((await api(`${srv.url}/v1/showcases/${id}`, { method: 'PATCH', key: srv.ownerKey, json: { published: true } })).status).toBe(200);
    const manifest = await api(`${srv.url}/p/${id}/manifest.json`);
    expect(manifest.status).toBe(200);
    expect(manifest.json.poster_url).toBeNull();
    expect((await api(`${srv.url}/p/${id}/thumbnails/512.webp`)).status).toBe(404);
    expect((await api(`${srv.url}/v1/models/${id}/thumbnails/512.webp`, { key: srv.ownerKey })).status).toBe(404);
  });
});
