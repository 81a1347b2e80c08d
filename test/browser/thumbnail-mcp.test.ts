/**
 * Thumbnails over MCP (Streamable HTTP, v2 and v1 clients, real Chromium): vitrine_render_thumbnail
 * returns the picture as image content next to the URLs, with progress notifications;
 * vitrine_render_preview shows a patch without saving it.
 */
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeGlbFixtures } from '../fixtures/glb-fixtures.js';
import { uploadGlb } from '../helpers/rest.js';
import { api, startTestServer, type TestServer } from '../helpers/test-server.js';
import { connect, structured, type ClientKind, type McpTestClient } from '../integration/mcp-clients.js';
import { chromiumForSuite } from './chromium.js';

const chromePath = chromiumForSuite('MCP thumbnail tests');

describe.skipIf(!chromePath)('thumbnail tools over MCP', () => {
  let srv: TestServer;
  let id = '';
  const clients: McpTestClient[] = [];

  beforeAll(async () => {
    const fx = await makeGlbFixtures();
    srv = await startTestServer({}, { withMcp: true });
    const up = await uploadGlb(srv.url, srv.ownerKey, fx.files.box.path, { name: 'Box' });
    expect(up.status, up.text).toBe(201);
    id = up.json.id;
  });
  afterAll(async () => {
    for (const c of clients) await c.close().catch(() => {});
    await srv?.stop();
  });

  const client = async (kind: ClientKind) => {
    const c = await connect(kind, { kind: 'http', url: `${srv.url}/mcp`, headers: { authorization: `Bearer ${srv.ownerKey}` } });
    clients.push(c);
    return c;
  };

  for (const kind of ['v2', 'v1'] as const) {
    it(`${kind}: vitrine_render_thumbnail → image content + URLs + progress`, async () => {
      const c = await client(kind);
      const progress: Array<{ progress: number; total?: number; message?: string }> = [];
      const r = await c.call('vitrine_render_thumbnail', { model_id: id }, { onprogress: (p) => progress.push(p) });
      expect(r.isError, JSON.stringify(r.content).slice(0, 300)).toBeFalsy();
      const out = structured<{ model_id: string; thumbnail: { status: string; urls: Record<string, string> } }>(r);
      expect(out.thumbnail.status).toBe('ready');
      expect(Object.keys(out.thumbnail.urls).sort()).toEqual(['1024', '256', '512', 'aspect', 'master']);
      const image = r.content.find((b) => b.type === 'image')!;
      expect(image.mimeType).toBe('image/png');
      const meta = await sharp(Buffer.from(image.data!, 'base64')).metadata();
      expect([meta.width, meta.height]).toEqual([512, 512]);
      // No base64 in the JSON.
      expect(JSON.stringify(r.structuredContent)).not.toMatch(/iVBOR/);
      expect(progress.length).toBeGreaterThanOrEqual(3);
      for (let i = 1; i < progress.length; i++) expect(progress[i]!.progress).toBeGreaterThanOrEqual(progress[i - 1]!.progress);
      expect(progress.at(-1)!.progress).toBe(progress.at(-1)!.total);
    });
  }

  it('vitrine_render_preview → the image of the patched look, nothing saved', async () => {
    const c = await client('v2');
    const before = (await api(`${srv.url}/v1/models/${id}`, { key: srv.ownerKey })).json;
    const r = await c.call('vitrine_render_preview', { model_id: id, config: { bg_mode: 'color', bg_color: '#0000ff' }, size: 256 });
    expect(r.isError, JSON.stringify(r.content).slice(0, 300)).toBeFalsy();
    const out = structured<{ saved: boolean; config: { bg_color: string }; image?: unknown }>(r);
    expect(out.saved).toBe(false);
    expect(out.config.bg_color).toBe('#0000ff');
    expect(out.image).toBeUndefined();
    const image = r.content.find((b) => b.type === 'image')!;
    const { data, info } = await sharp(Buffer.from(image.data!, 'base64')).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([256, 256]);
    expect([data[0], data[1], data[2]]).toEqual([0, 0, 255]);
    const after = (await api(`${srv.url}/v1/models/${id}`, { key: srv.ownerKey })).json;
    expect(after.config).toEqual(before.config);
    expect(after.thumbnail).toEqual(before.thumbnail);
  });
});
