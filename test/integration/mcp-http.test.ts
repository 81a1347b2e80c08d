/**
 * MCP over Streamable HTTP against the running app (real Express, real port, real SQLite), with the
 * v2 client (modern era) and the v1 client (2025 era): the whole workflow, errors, auth failures,
 * tool-surface control, Host/Origin validation on /mcp only, and one rate-limit bucket shared
 * with REST.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeGlbFixtures, type GlbFixtures } from '../fixtures/glb-fixtures.js';
import { api, ManualClock, startTestServer, type TestServer } from '../helpers/test-server.js';
import { connect, errorOf, structured, type ClientKind, type McpTestClient } from './mcp-clients.js';

let server: TestServer;
let fx: GlbFixtures;

beforeAll(async () => {
  [server, fx] = await Promise.all([startTestServer({}, { withMcp: true }), makeGlbFixtures()]);
});
afterAll(async () => {
  await server?.stop();
});

const mcpUrl = (query = '') => `${server.url}/mcp${query}`;
const auth = (key: string) => ({ authorization: `Bearer ${key}` });
const b64 = (p: string) => readFileSync(p).toString('base64');

describe.each<ClientKind>(['v2', 'v1'])('%s client over HTTP', (kind) => {
  let client: McpTestClient;
  beforeAll(async () => {
    client = await connect(kind, { kind: 'http', url: mcpUrl(), headers: auth(server.ownerKey) });
  });
  afterAll(async () => {
    await client?.close();
  });

  it('negotiates its era and gets the workflow instructions', () => {
    if (kind === 'v2') expect(client.protocolVersion).toBe('2026-07-28');
    expect(client.instructions).toContain('vitrine_upload_model');
    expect(client.instructions).toContain('vitrine_get_embed');
  });

  it('lists every tool with title, output schema and all four annotations; no stdio-only tools', async () => {
    const tools = await client.listTools();
    const names = tools.map((t) => t.name);
    expect(names).toContain('vitrine_set_config');
    expect(names).not.toContain('vitrine_logout');
    for (const t of tools) {
      expect(t.title, t.name).toBeTruthy();
      expect(t.outputSchema, t.name).toBeTruthy();
      for (const a of ['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint']) expect(typeof t.annotations?.[a], `${t.name}.${a}`).toBe('boolean');
    }
  });

  it('runs the workflow: upload (content_base64) → set config → publish → embed, visible over REST too', async () => {
    const model = structured(await client.call('vitrine_upload_model', { content_base64: b64(fx.files.box.path), name: `Box ${kind}` }));
    expect(model.id).toBeTruthy();
    expect(model.stats.triangles).toBe(12);
    expect(model.published).toBe(false);

    const cfg = structured(await client.call('vitrine_set_config', { model_id: model.id, config: { bg_mode: 'color', bg_color: '#112233', hdri_preset: 'studio_small_08_4k', bloom_enabled: true, bloom_intensity: 0.4 } }));
    expect(cfg.config.bg_color).toBe('#112233');
    expect(cfg.overrides).toMatchObject({ bg_mode: 'color', bloom_enabled: true });

    // Unpublished: the embed says what to do next.
    expect(errorOf(await client.call('vitrine_get_embed', { model_id: model.id }))).toMatch(/^not_published: [\s\S]*vitrine_publish/);

    const pub = structured(await client.call('vitrine_publish', { model_id: model.id }));
    expect(pub.published).toBe(true);
    const embed = structured(await client.call('vitrine_get_embed', { model_id: model.id }));
    expect(embed.html).toContain(model.id);
    expect(embed.viewer_url).toContain(`/embed/${model.id}`);

    const rest = await api(`${server.url}/v1/models/${model.id}`, { key: server.ownerKey });
    expect(rest.status).toBe(200);
    expect(rest.json.published).toBe(true);
    expect(rest.json.config.bg_color).toBe('#112233');

    const info = structured(await client.call('vitrine_model_info', { model_id: model.id }));
    expect(info).toEqual(rest.json);
  });

  it('bad input → invalid_request / invalid_config naming the field; nothing changes', async () => {
    const listed = structured(await client.call('vitrine_list_models', {}));
    const id = listed.models[0].id;
    expect(errorOf(await client.call('vitrine_set_config', { model_id: id, config: { bg_mode: 'plaid' } }))).toMatch(/^invalid_config: Invalid config field 'bg_mode'/);
    expect(errorOf(await client.call('vitrine_set_config', { model_id: id, config: { no_such_field: 1 } }))).toMatch(/^invalid_config: .*no_such_field/);
    expect(errorOf(await client.call('vitrine_list_models', { limit: 1000 }))).toMatch(/^invalid_request: Invalid field 'limit'/);
    expect(errorOf(await client.call('vitrine_upload_model', {}))).toMatch(/^invalid_request: Give exactly one of/);
    expect(errorOf(await client.call('vitrine_upload_model', { content_base64: b64(fx.files.html.path) }))).toMatch(/^invalid_glb: /);
    expect(errorOf(await client.call('vitrine_upload_model', { file_path: fx.files.box.path }))).toMatch(/^invalid_request: file_path works only over stdio/);
    const after = structured(await client.call('vitrine_model_info', { model_id: id }));
    expect(after.config.bg_mode).not.toBe('plaid');
  });

  it('unknown id and another owner\u2019s id → model_not_found with the next step', async () => {
    expect(errorOf(await client.call('vitrine_model_info', { model_id: 'mdl_doesnotexist' }))).toMatch(/^model_not_found: [\s\S]*vitrine_list_models/);
    const other = await api(`${server.url}/v1/models`, { method: 'POST', key: server.otherKey, body: (() => {
      const f = new FormData();
      f.append('file', new Blob([readFileSync(fx.files.box.path)]), 'other.glb');
      return f;
    })() });
    expect(other.status).toBe(201);
    for (const tool of ['vitrine_model_info', 'vitrine_get_config', 'vitrine_delete_model', 'vitrine_publish', 'vitrine_get_embed']) {
      expect(errorOf(await client.call(tool, { model_id: other.json.id })), tool).toMatch(/^model_not_found: /);
    }
    expect(errorOf(await client.call('vitrine_set_config', { model_id: other.json.id, config: { bg_color: '#000000' } }))).toMatch(/^model_not_found: /);
    // Still there, untouched, for its owner.
    expect((await api(`${server.url}/v1/models/${other.json.id}`, { key: server.otherKey })).json.overrides).toEqual({});
  });

  it('resources: config schema, HDRI presets, embed template, and the model template with completion', async () => {
    const schema = JSON.parse((await client.readResource('vitrine://config-schema')).contents[0]!.text!);
    expect(schema.properties.bg_mode.enum).toContain('transparent');
    const hdris = JSON.parse((await client.readResource('vitrine://hdri-presets')).contents[0]!.text!);
    expect(hdris.hdris.map((h: { slug: string }) => h.slug)).toContain('studio_small_08_4k');
    expect((await client.readResource('vitrine://embed-template')).contents[0]!.text).toContain('<vitrine-viewer');

    const templates = await client.listResourceTemplates();
    expect(templates.resourceTemplates.map((t) => t.uriTemplate)).toContain('vitrine://models/{id}');
    const mine = structured(await client.call('vitrine_list_models', {})).models as Array<{ id: string }>;
    const listed = (await client.listResources()).resources.map((r) => r.uri);
    for (const m of mine) expect(listed).toContain(`vitrine://models/${m.id}`);
    const completed = await client.complete('vitrine://models/{id}', 'id', mine[0]!.id.slice(0, 5));
    expect(completed).toContain(mine[0]!.id);
    const model = JSON.parse((await client.readResource(`vitrine://models/${mine[0]!.id}`)).contents[0]!.text!);
    expect(model.id).toBe(mine[0]!.id);
    await expect(client.readResource('vitrine://models/mdl_nope')).rejects.toThrow(/not found|model_not_found/i);
  });

  it('prompt showcase_a_model walks upload → style → publish → embed', async () => {
    expect((await client.listPrompts()).prompts.map((p) => p.name)).toContain('showcase_a_model');
    const text = (await client.getPrompt('showcase_a_model', { source: 'https://example.com/shoe.glb', style: 'studio' })).messages[0]!.content.text!;
    for (const step of ['vitrine_upload_model', 'vitrine_set_config', 'vitrine_publish', 'vitrine_get_embed']) expect(text).toContain(step);
  });

  it('vitrine_render_thumbnail: the image as image content plus URLs, with progress — or renderer_unavailable without Chromium', async () => {
    const id = structured(await client.call('vitrine_list_models', {})).models[0].id;
    const progress: number[] = [];
    const r = await client.call('vitrine_render_thumbnail', { model_id: id }, { onprogress: (p) => progress.push(p.progress) });
    const renderer = server.container.core.deps.renderer;
    if (!renderer || !(await renderer.available())) {
      expect(errorOf(r)).toMatch(/^renderer_unavailable: [\s\S]*Next: /);
      return;
    }
    const out = structured(r);
    expect(out.thumbnail.status).toBe('ready');
    expect(Object.keys(out.thumbnail.urls)).toEqual(expect.arrayContaining(['master', '512']));
    const image = r.content.find((c) => c.type === 'image')!;
    expect(image.mimeType).toMatch(/^image\/(png|webp)$/);
    const bytes = Buffer.from(image.data!, 'base64');
    expect(bytes.length).toBeGreaterThan(100);
    if (image.mimeType === 'image/png') expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(progress.length).toBeGreaterThan(0);
  });
});

describe('auth on /mcp', () => {
  const initialize = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'curl', version: '1' } } };
  const post = (headers: Record<string, string>, body: unknown = initialize) =>
    fetch(mcpUrl(), { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers }, body: JSON.stringify(body) });

  it('no token → 401 JSON with a WWW-Authenticate challenge pointing at the resource metadata', async () => {
    const res = await post({});
    expect(res.status).toBe(401);
    expect((await res.json()).error).toBe('unauthorized');
    const challenge = res.headers.get('www-authenticate')!;
    expect(challenge).toMatch(/^Bearer /);
    const metaUrl = /resource_metadata="([^"]+)"/.exec(challenge)![1]!;
    const meta = await (await fetch(metaUrl)).json();
    expect(meta.resource).toBe(`${server.url}/mcp`);
    expect(meta.bearer_methods_supported).toEqual(['header']);
  });

  it('invalid, malformed and revoked tokens → 401 invalid_token', async () => {
    const created = await api(`${server.url}/v1/account/api-keys`, { method: 'POST', key: server.ownerKey, json: { name: 'to revoke' } });
    const revoked = created.json.secret ?? created.json.key;
    expect((await api(`${server.url}/v1/account/api-keys/${created.json.id}`, { method: 'DELETE', key: server.ownerKey })).status).toBe(200);
    for (const token of ['vt_live_notarealkey', 'garbage', revoked]) {
      const res = await post(auth(token));
      expect(res.status, token).toBe(401);
      expect(res.headers.get('www-authenticate')).toContain('error="invalid_token"');
    }
  });

  it('the real clients fail to connect without a token', async () => {
    await expect(connect('v2', { kind: 'http', url: mcpUrl() })).rejects.toThrow();
    await expect(connect('v1', { kind: 'http', url: mcpUrl() })).rejects.toThrow();
  });

  it('GET and DELETE /mcp → 405 (stateless server)', async () => {
    for (const method of ['GET', 'DELETE']) {
      const res = await fetch(mcpUrl(), { method, headers: auth(server.ownerKey) });
      expect(res.status, method).toBe(405);
      expect(res.headers.get('allow')).toBe('POST');
    }
  });

  it('Host and Origin are validated on /mcp only; REST stays cross-origin', async () => {
    expect((await post({ ...auth(server.ownerKey), origin: 'https://evil.example' })).status).toBe(403);
    expect((await post({ ...auth(server.ownerKey), origin: 'http://localhost:5173' })).status).toBe(200);
    const rest = await api(`${server.url}/v1/models`, { key: server.ownerKey, headers: { origin: 'https://evil.example' } });
    expect(rest.status).toBe(200);
    expect(rest.headers.get('access-control-allow-origin')).toBe('*');
    // A rebinding attack arrives with a foreign Host header.
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const u = new URL(mcpUrl());
      const req = request({ host: u.hostname, port: u.port, path: '/mcp', method: 'POST', headers: { host: 'evil.example', 'content-type': 'application/json', ...auth(server.ownerKey) } }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      });
      req.on('error', reject);
      req.end(JSON.stringify(initialize));
    });
    expect(status).toBe(403);
  });
});

describe('tool-surface control per request', () => {
  const names = async (query: string, headers: Record<string, string> = {}) => {
    const c = await connect('v2', { kind: 'http', url: mcpUrl(query), headers: { ...auth(server.ownerKey), ...headers } });
    try {
      return (await c.listTools()).map((t) => t.name);
    } finally {
      await c.close();
    }
  };

  it('read_only=1 keeps only read tools', async () => {
    const all = await names('');
    const ro = await names('?read_only=1');
    expect(ro.length).toBeLessThan(all.length);
    expect(ro).toContain('vitrine_list_models');
    expect(ro).toContain('vitrine_get_embed');
    for (const w of ['vitrine_upload_model', 'vitrine_set_config', 'vitrine_delete_model', 'vitrine_publish']) expect(ro).not.toContain(w);
  });

  it('toolsets by query or header (and both combine with read-only)', async () => {
    const scene = await names('?toolsets=scene');
    expect(scene.sort()).toEqual(['vitrine_get_config', 'vitrine_set_config']);
    const hdr = await names('', { 'x-mcp-toolsets': 'models, publish', 'x-mcp-readonly': 'true' });
    expect(hdr).toContain('vitrine_list_models');
    expect(hdr).toContain('vitrine_get_embed');
    expect(hdr).not.toContain('vitrine_upload_model');
    expect(hdr).not.toContain('vitrine_get_config');
  });

  it('an unknown toolset is a 400 naming the valid ones', async () => {
    const res = await fetch(mcpUrl('?toolsets=modles'), { method: 'POST', headers: { 'content-type': 'application/json', ...auth(server.ownerKey) }, body: '{}' });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error).toBe('invalid_request');
    expect(body.message).toContain('models');
  });

  it('a tool outside the selected surface cannot be called', async () => {
    const c = await connect('v1', { kind: 'http', url: mcpUrl('?read_only=1'), headers: auth(server.ownerKey) });
    try {
      const r = await c.call('vitrine_delete_model', { model_id: 'mdl_x' }).catch((e: Error) => ({ isError: true, content: [{ type: 'text', text: e.message }] }));
      expect(r.isError).toBe(true);
      expect(JSON.stringify(r.content)).toMatch(/not found/i);
    } finally {
      await c.close();
    }
  });
});

describe('rate limits shared with REST', () => {
  let limited: TestServer;
  const clock = new ManualClock(Date.parse('2026-03-01T00:00:00Z'));
  beforeAll(async () => {
    limited = await startTestServer({ VITRINE_RATE_FREE_PER_MIN: '4' }, { withMcp: true, clock });
  });
  afterAll(async () => {
    await limited?.stop();
  });

  it('REST and MCP calls of one principal spend one bucket; the overflow is rate_limited with a retry time', async () => {
    const key = limited.otherKey; // free plan: 4/min
    expect((await api(`${limited.url}/v1/models`, { key })).status).toBe(200);
    expect((await api(`${limited.url}/v1/hdris`, { key })).status).toBe(200);
    for (const kind of ['v2', 'v1'] as const) {
      const c = await connect(kind, { kind: 'http', url: `${limited.url}/mcp`, headers: auth(key) });
      try {
        if (kind === 'v2') {
          structured(await c.call('vitrine_list_models', {}));
          structured(await c.call('vitrine_account_info', {}));
        }
        const over = errorOf(await c.call('vitrine_list_models', {}));
        expect(over).toMatch(/^rate_limited: Rate limit of 4 requests per minute reached; retry in \d+ s/);
      } finally {
        await c.close();
      }
    }
    const rest = await api(`${limited.url}/v1/models`, { key });
    expect(rest.status).toBe(429);
    // Another principal has its own bucket.
    const c = await connect('v2', { kind: 'http', url: `${limited.url}/mcp`, headers: auth(limited.ownerKey) });
    structured(await c.call('vitrine_list_models', {}));
    await c.close();
    clock.advance(60_000);
    expect((await api(`${limited.url}/v1/models`, { key })).status).toBe(200);
  });
});
