/**
 * Edges of the HTTP face: a client that drops the connection in the middle of a multipart
 * upload leaves no temp file and the server keeps serving; malformed input to /oembed is a 404,
 * not a 500; every /v1 response, misses included, reports the rate limit.
 */
import net from 'node:net';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeGlbFixtures } from '../fixtures/glb-fixtures.js';
import { uploadGlb } from '../helpers/rest.js';
import { api, startTestServer, type TestServer } from '../helpers/test-server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.stop();
});

const tmpFiles = () => {
  const dir = path.join(server.dataDir, 'tmp');
  return existsSync(dir) ? readdirSync(dir) : [];
};

async function waitFor(check: () => boolean, ms: number) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return check();
}

describe('interrupted requests', () => {
  it('a multipart upload aborted mid-file leaves no temp file, and the server keeps answering', async () => {
    const { port } = new URL(server.url);
    const boundary = 'vitrineboundary';
    const head =
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.glb"\r\nContent-Type: model/gltf-binary\r\n\r\n`;
    const socket = net.connect(Number(port), '127.0.0.1');
    await new Promise((r) => socket.once('connect', r));
    socket.write(
      `POST /v1/models HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${server.ownerKey}\r\n` +
        `Content-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: 1000000\r\n\r\n` + head,
    );
    socket.write(Buffer.alloc(50_000, 7));
    // The staging file exists while bytes stream in…
    expect(await waitFor(() => tmpFiles().length > 0, 5_000)).toBe(true);
    socket.destroy();
    // …and is gone once the client has left.
    expect(await waitFor(() => tmpFiles().length === 0, 5_000)).toBe(true);
    const list = await api(`${server.url}/v1/models`, { key: server.ownerKey });
    expect(list.status).toBe(200);
    expect(list.json.models).toEqual([]);
  });

  it('/oembed with malformed percent-encoding is a 404, not a 500', async () => {
    const res = await api(`${server.url}/oembed?url=${encodeURIComponent(`${server.url}/embed/%`)}`);
    expect(res.status).toBe(404);
  });

  it('every /v1 response carries the rate-limit headers, including openapi.json and misses', async () => {
    for (const path of ['/v1/openapi.json', '/v1/no-such-route', '/v1/hdris']) {
      const res = await api(`${server.url}${path}`);
      expect(res.headers.get('x-ratelimit-limit'), path).toMatch(/^\d+$/);
      expect(res.headers.get('x-ratelimit-remaining'), path).toMatch(/^\d+$/);
    }
    expect((await api(`${server.url}/v1/no-such-route`)).json.error).toBe('not_found');
  });

  it('concurrent config patches of different fields all survive', async () => {
    const fx = await makeGlbFixtures();
    const up = await uploadGlb(server.url, server.ownerKey, fx.files.box.path, { name: 'race' });
    const id = up.json.id as string;
    const fields = ['bloom_enabled', 'ao_enabled', 'pan_enabled', 'auto_rotate', 'rim_light_enabled', 'ui_loading_bar', 'ui_fullscreen_button', 'zoom_enabled', 'controls_enabled', 'shadow_catcher_enabled'];
    const results = await Promise.all(
      fields.map((f) => api(`${server.url}/v1/models/${id}/config`, { method: 'PATCH', key: server.ownerKey, json: { [f]: true, hdri_preset: 'studio' } })),
    );
    expect(results.map((r) => r.status)).toEqual(fields.map(() => 200));
    const { json } = await api(`${server.url}/v1/models/${id}/config`, { key: server.ownerKey });
    for (const f of fields) expect(json.overrides, f).toHaveProperty(f, true);
  });
});
