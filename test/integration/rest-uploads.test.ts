/**
 * Uploads over real HTTP: every kind of bad file gets the right 4xx and leaves no row, no blob and
 * no temp file; size caps (Content-Length first, then while streaming); plan limits; the
 * direct-upload flow (POST /v1/uploads → PUT bytes → POST /v1/models {upload_id}).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeGlbFixtures, packGlb, type GlbFixtureName, type GlbFixtures } from '../fixtures/glb-fixtures.js';
import { expectError, filesUnder, uploadGlb } from '../helpers/rest.js';
import { api, ManualClock, startTestServer, type TestServer } from '../helpers/test-server.js';

const MAX_FILE_MB = 0.5;
const MAX_FILE = Math.round(MAX_FILE_MB * 1024 * 1024);
let server: TestServer;
let fx: GlbFixtures;
const clock = new ManualClock(Date.parse('2026-03-01T00:00:00Z'));
const u = (p: string) => `${server.url}${p}`;

beforeAll(async () => {
  [server, fx] = await Promise.all([
    startTestServer(
      {
        VITRINE_RATE_PRO_PER_MIN: '100000',
        VITRINE_RATE_FREE_PER_MIN: '100000',
        VITRINE_RATE_ANON_PER_MIN: '100000',
        VITRINE_MAX_FILE_MB_PRO: String(MAX_FILE_MB),
        VITRINE_MAX_MODELS_PRO: '3',
        VITRINE_MAX_STORAGE_MB_FREE: '0.002', // 2 KB: one box (1.6 KB) fits, two do not
      },
      { clock },
    ),
    makeGlbFixtures(),
  ]);
});
afterAll(async () => {
  await server?.stop();
});

/** Nothing of a failed upload may remain: no model row, no blob, no temp file. */
async function expectNothingLeft(key = server.ownerKey) {
  const list = await api(u('/v1/models'), { key });
  expect(list.json.models).toEqual([]);
  expect(filesUnder(path.join(server.dataDir, 'blobs'))).toEqual([]);
  expect(filesUnder(path.join(server.dataDir, 'tmp'))).toEqual([]);
}

/** A GLB-shaped byte string of about `size` bytes (the content is irrelevant to size checks). */
const bigGlb = (size: number) => packGlb({ asset: { version: '2.0' }, buffers: [{ byteLength: size }] }, new Uint8Array(size));

/** Multipart with a streamed body and no Content-Length (chunked), as some clients send. */
async function uploadChunked(bytes: Uint8Array, key: string) {
  const boundary = '----vitrine' + Math.random().toString(16).slice(2);
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.glb"\r\nContent-Type: model/gltf-binary\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const parts = [head, ...chunks(Buffer.from(bytes), 64 * 1024), tail];
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = parts.shift();
      if (next) controller.enqueue(next);
      else controller.close();
    },
  });
  const res = await fetch(u('/v1/models'), {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': `multipart/form-data; boundary=${boundary}` },
    body,
    duplex: 'half',
  } as RequestInit);
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: text ? JSON.parse(text) : null };
}
const chunks = (b: Buffer, n: number) => Array.from({ length: Math.ceil(b.length / n) }, (_, i) => b.subarray(i * n, (i + 1) * n));

describe('bad uploads → the right 4xx, nothing left behind', () => {
  const invalidGlb: GlbFixtureName[] = ['html', 'truncated', 'wrongMagic', 'wrongVersion', 'lengthMismatch', 'empty', 'externalBuffer', 'externalImage', 'invalidGltf'];
  for (const name of invalidGlb) {
    it(`${name} → 400 invalid_glb`, async () => {
      const res = await uploadGlb(server.url, server.ownerKey, fx.files[name].path, { name: 'bad' });
      expectError(res, 400, 'invalid_glb');
      expect(res.json.message.length).toBeGreaterThan(10);
      await expectNothingLeft();
    });
  }

  it('external http:// buffer URI is named in the error', async () => {
    const res = await uploadGlb(server.url, server.ownerKey, fx.files.externalBuffer.path);
    expect(res.json.message + JSON.stringify(res.json.details ?? {})).toMatch(/http:\/\/example\.com|external|uri/i);
  });

  it('invalid glTF carries the validator\'s first errors in details', async () => {
    const res = await uploadGlb(server.url, server.ownerKey, fx.files.invalidGltf.path);
    expectError(res, 400, 'invalid_glb');
    expect(res.json.details).toBeTruthy();
  });

  it('missing file field → 400 invalid_request', async () => {
    const res = await uploadGlb(server.url, server.ownerKey, null, { name: 'no file' });
    expectError(res, 400, 'invalid_request');
    expect(res.json.message).toMatch(/file/);
    await expectNothingLeft();
  });

  it('file under another field name → 400 invalid_request', async () => {
    expectError(await uploadGlb(server.url, server.ownerKey, fx.files.box.path, { fieldName: 'model' }), 400, 'invalid_request');
    await expectNothingLeft();
  });

  it('two files → 400 invalid_request', async () => {
    expectError(await uploadGlb(server.url, server.ownerKey, fx.files.box.path, { extraFiles: 1 }), 400, 'invalid_request');
    expectError(await uploadGlb(server.url, server.ownerKey, fx.files.box.path, { extraFiles: 3 }), 400, 'invalid_request');
    await expectNothingLeft();
  });

  it('no body / wrong content type / broken multipart → 400', async () => {
    expectError(await api(u('/v1/models'), { method: 'POST', key: server.ownerKey }), 400, 'invalid_request');
    expectError(await api(u('/v1/models'), { method: 'POST', key: server.ownerKey, json: {} }), 400, 'invalid_request');
    expectError(await api(u('/v1/models'), { method: 'POST', key: server.ownerKey, body: 'glTF....', headers: { 'content-type': 'model/gltf-binary' } }), 400, 'invalid_request');
    expectError(await api(u('/v1/models'), { method: 'POST', key: server.ownerKey, body: 'garbage', headers: { 'content-type': 'multipart/form-data' } }), 400, 'invalid_request');
    expectError(await api(u('/v1/models'), { method: 'POST', key: server.ownerKey, body: '--xx\r\nContent-Disposition: form-data; name="file"; filename="a.glb"\r\n\r\nglTF', headers: { 'content-type': 'multipart/form-data; boundary=xx' } }), 400);
    await expectNothingLeft();
  });

  it('oversized, declared by Content-Length → 413 file_too_large before reading the body', async () => {
    const res = await uploadGlb(server.url, server.ownerKey, bigGlb(3 * 1024 * 1024));
    expectError(res, 413, 'file_too_large');
    expect(res.json.details.max_bytes).toBe(MAX_FILE);
    await expectNothingLeft();
  });

  it('oversized, found while streaming (Content-Length within slack) → 413', async () => {
    const res = await uploadGlb(server.url, server.ownerKey, bigGlb(MAX_FILE + 200 * 1024));
    expectError(res, 413, 'file_too_large');
    await expectNothingLeft();
  });

  it('oversized, chunked with no Content-Length → 413', async () => {
    const res = await uploadChunked(bigGlb(2 * MAX_FILE), server.ownerKey);
    expect(res.status, res.text).toBe(413);
    expect(res.json.error).toBe('file_too_large');
    await expectNothingLeft();
  });

  it('a chunked valid upload works', async () => {
    const res = await uploadChunked(readFileSync(fx.files.box.path), server.ownerKey);
    expect(res.status, res.text).toBe(201);
    expect(res.json.name).toBe('big'); // from the file name
    expect((await api(u(`/v1/models/${res.json.id}`), { method: 'DELETE', key: server.ownerKey })).status).toBe(200);
    await expectNothingLeft();
  });
});

describe('good uploads', () => {
  it('stats and bounds are stored; the name defaults from the file name', async () => {
    const ok = await uploadGlb(server.url, server.ownerKey, fx.files.box.path, { filename: 'running_shoe-v2.glb' });
    expect(ok.status, ok.text).toBe(201);
    expect(ok.json.name).toBe('running shoe v2');
    expect(ok.json.size_bytes).toBe(1588);
    expect(ok.json.stats).toMatchObject({ triangles: 12, vertices: 24, meshes: 1, materials: 1, textures: 0, animations: 0 });
    expect(ok.json.stats.bounds).toEqual({ min: [0, -1, -1], max: [2, 1, 1] });
    expect((await api(u(`/v1/models/${ok.json.id}`), { method: 'DELETE', key: server.ownerKey })).status).toBe(200);
    await expectNothingLeft();
  });
});

describe('plan limits → 403 plan_limit_reached naming the limit', () => {
  it('model count (pro capped at 3 here)', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await uploadGlb(server.url, server.ownerKey, fx.files.box.path, { name: `m${i}` });
      expect(res.status, res.text).toBe(201);
      ids.push(res.json.id);
    }
    const blobsBefore = filesUnder(path.join(server.dataDir, 'blobs'));
    const res = await uploadGlb(server.url, server.ownerKey, fx.files.box.path);
    expectError(res, 403, 'plan_limit_reached');
    expect(res.json.details.limit).toBe('models');
    expect(res.json.message).toMatch(/3 models/);
    expect((await api(u('/v1/models'), { key: server.ownerKey })).json.models).toHaveLength(3);
    expect(filesUnder(path.join(server.dataDir, 'blobs'))).toEqual(blobsBefore);
    expect(filesUnder(path.join(server.dataDir, 'tmp'))).toEqual([]);
    const account = await api(u('/v1/account'), { key: server.ownerKey });
    expect(account.json.usage.models).toBe(3);
    expect(account.json.limits.max_models).toBe(3);
    for (const id of ids) await api(u(`/v1/models/${id}`), { method: 'DELETE', key: server.ownerKey });
  });

  it('concurrent uploads cannot overshoot the model limit', async () => {
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => uploadGlb(server.url, server.ownerKey, fx.files.box.path, { name: `race${i}` })));
    const ok = results.filter((r) => r.status === 201);
    expect(ok.length).toBe(3);
    for (const r of results.filter((r) => r.status !== 201)) expectError(r, 403, 'plan_limit_reached');
    expect((await api(u('/v1/models'), { key: server.ownerKey })).json.models).toHaveLength(3);
    expect(filesUnder(path.join(server.dataDir, 'blobs')).filter((f) => f.startsWith('models/'))).toHaveLength(3);
    expect(filesUnder(path.join(server.dataDir, 'tmp'))).toEqual([]);
    for (const r of ok) await api(u(`/v1/models/${r.json.id}`), { method: 'DELETE', key: server.ownerKey });
  });

  it('storage bytes (free capped at 2 KB here)', async () => {
    const first = await uploadGlb(server.url, server.otherKey, fx.files.box.path);
    expect(first.status, first.text).toBe(201);
    const res = await uploadGlb(server.url, server.otherKey, fx.files.box.path);
    expectError(res, 403, 'plan_limit_reached');
    expect(res.json.details.limit).toBe('storage');
    expect((await api(u('/v1/models'), { key: server.otherKey })).json.models).toHaveLength(1);
    expect(filesUnder(path.join(server.dataDir, 'tmp'))).toEqual([]);

    // Through the upload flow the limit is checked before the upload is consumed: after freeing
    // space, the same upload_id still works.
    const up = await api(u('/v1/uploads'), { method: 'POST', key: server.otherKey, json: {} });
    const bytes = readFileSync(fx.files.box.path);
    expect((await api(up.json.upload_url, { method: 'PUT', key: server.otherKey, body: bytes, headers: { 'content-type': 'application/octet-stream' } })).status).toBe(200);
    expectError(await api(u('/v1/models'), { method: 'POST', key: server.otherKey, json: { upload_id: up.json.upload_id } }), 403, 'plan_limit_reached');
    await api(u(`/v1/models/${first.json.id}`), { method: 'DELETE', key: server.otherKey });
    const retried = await api(u('/v1/models'), { method: 'POST', key: server.otherKey, json: { upload_id: up.json.upload_id } });
    expect(retried.status, retried.text).toBe(201);
    await api(u(`/v1/models/${retried.json.id}`), { method: 'DELETE', key: server.otherKey });
  });
});

describe('direct-upload flow', () => {
  async function start(key: string | null = server.ownerKey) {
    const res = await api(u('/v1/uploads'), { method: 'POST', key, json: {} });
    expect(res.status, res.text).toBe(201);
    return res;
  }
  const put = (url: string, key: string | null, body: BodyInit, headers: Record<string, string> = {}) =>
    api(url, { method: 'PUT', key, body, headers: { 'content-type': 'application/octet-stream', ...headers } });

  it('POST /v1/uploads → PUT bytes → POST /v1/models {upload_id, name} → 201; the upload is single-use', async () => {
    const up = await start();
    expect(up.json).toMatchObject({ upload_id: expect.any(String), method: 'PUT', max_bytes: MAX_FILE });
    expect(up.json.upload_url).toBe(`${server.url}/v1/uploads/${up.json.upload_id}`);
    // Before the bytes arrive: 409.
    expectError(await api(u('/v1/models'), { method: 'POST', key: server.ownerKey, json: { upload_id: up.json.upload_id } }), 409, 'conflict');
    const sent = await put(up.json.upload_url, server.ownerKey, readFileSync(fx.files.box.path));
    expect(sent.status, sent.text).toBe(200);
    expect(sent.json).toMatchObject({ upload_id: up.json.upload_id, status: 'received', size_bytes: 1588 });
    // Another owner can neither finish nor overwrite it.
    expectError(await api(u('/v1/models'), { method: 'POST', key: server.otherKey, json: { upload_id: up.json.upload_id } }), 404, 'upload_not_found');
    expectError(await put(up.json.upload_url, server.otherKey, 'junk'), 404, 'upload_not_found');
    const model = await api(u('/v1/models'), { method: 'POST', key: server.ownerKey, json: { upload_id: up.json.upload_id, name: 'Via upload' } });
    expect(model.status, model.text).toBe(201);
    expect(model.json).toMatchObject({ name: 'Via upload', size_bytes: 1588, stats: { triangles: 12 } });
    expectError(await api(u('/v1/models'), { method: 'POST', key: server.ownerKey, json: { upload_id: up.json.upload_id } }), 404, 'upload_not_found');
    expect(filesUnder(path.join(server.dataDir, 'blobs', 'uploads'))).toEqual([]);
    await api(u(`/v1/models/${model.json.id}`), { method: 'DELETE', key: server.ownerKey });
    await expectNothingLeft();
  });

  it('invalid bytes → 400 invalid_glb at create, nothing left; oversized PUT → 413; unknown id → 404; no auth → 401', async () => {
    const up = await start();
    expect((await put(up.json.upload_url, server.ownerKey, readFileSync(fx.files.html.path))).status).toBe(200);
    expectError(await api(u('/v1/models'), { method: 'POST', key: server.ownerKey, json: { upload_id: up.json.upload_id } }), 400, 'invalid_glb');
    await expectNothingLeft();

    const big = await start();
    expectError(await put(big.json.upload_url, server.ownerKey, bigGlb(2 * MAX_FILE)), 413, 'file_too_large');
    await expectNothingLeft();

    expectError(await put(u('/v1/uploads/upl_nope'), server.ownerKey, 'x'), 404, 'upload_not_found');
    expectError(await put(big.json.upload_url, null, 'x'), 401, 'unauthorized');
    expectError(await api(u('/v1/models'), { method: 'POST', key: server.ownerKey, json: { upload_id: 'upl_nope' } }), 404, 'upload_not_found');
    expectError(await api(u('/v1/models'), { method: 'POST', key: server.ownerKey, json: { upload_id: 'upl_nope', content_base64: 'AAAA' } }), 400, 'invalid_request');
    expectError(await api(u('/v1/models'), { method: 'POST', key: server.ownerKey, json: { file_path: '/etc/passwd' } }), 400, 'invalid_request');
  });

  it('an upload expires after an hour', async () => {
    const up = await start();
    clock.advance(61 * 60_000);
    expectError(await put(up.json.upload_url, server.ownerKey, readFileSync(fx.files.box.path)), 404, 'upload_not_found');
    await server.container.core.uploads.sweepExpired();
    await expectNothingLeft();
  });

  it('without credentials, POST /v1/uploads mints an anonymous session that finishes the flow', async () => {
    const up = await start(null);
    const token: string = up.json.anonymous_session.token;
    expect(up.headers.get('x-vitrine-anonymous-token')).toBe(token);
    expect((await put(up.json.upload_url, token, readFileSync(fx.files.box.path))).status).toBe(200);
    const model = await api(u('/v1/models'), { method: 'POST', key: token, json: { upload_id: up.json.upload_id } });
    expect(model.status, model.text).toBe(201);
    expect((await api(u(`/v1/models/${model.json.id}`), { method: 'DELETE', key: token })).status).toBe(200);
  });
});

describe('URL and base64 sources over REST', () => {
  it('content_base64 works for small files; a loopback url is refused with a 4xx', async () => {
    const b64 = readFileSync(fx.files.box.path).toString('base64');
    const res = await api(u('/v1/models'), { method: 'POST', key: server.ownerKey, json: { content_base64: b64, name: 'b64' } });
    expect(res.status, res.text).toBe(201);
    await api(u(`/v1/models/${res.json.id}`), { method: 'DELETE', key: server.ownerKey });
    const bad = await api(u('/v1/models'), { method: 'POST', key: server.ownerKey, json: { content_base64: 'not base64 !!' } });
    expectError(bad, 400, 'invalid_request');
    const loop = await api(u('/v1/models'), { method: 'POST', key: server.ownerKey, json: { url: `${server.url}/v1/hdris` } });
    expect(loop.status).toBeGreaterThanOrEqual(400);
    expect(loop.status).toBeLessThan(500);
    await expectNothingLeft();
  });
});
