/**
 * REST ↔ MCP parity: every REST route of the contract has exactly one operation (its canonical
 * tool), every operation is a tool on the transports it names and nothing else is, the 17 official
 * tool names work, annotations are honest, and the tool schemas are pinned by a snapshot so a
 * change to what agents see is a deliberate, reviewed diff (update with `vitest -u`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATIONS } from '../../tools/catalogue.js';
import { TOOLSETS } from '../../tools/operation.js';
import { offeredOn } from '../../src/mcp/tool-surface.js';
import { startHarness, type Harness } from './mcp-harness.js';

/** DESIGN §2: the public /v1 contract plus our additions that are operations. */
const CONTRACT = [
  'GET /v1/models',
  'POST /v1/models',
  'GET /v1/models/:id',
  'DELETE /v1/models/:id',
  'GET /v1/models/:id/config',
  'PATCH /v1/models/:id/config',
  'PATCH /v1/showcases/:id',
  'GET /v1/showcases/:id/embed',
  'GET /v1/looks',
  'POST /v1/looks',
  'PATCH /v1/looks/:id',
  'DELETE /v1/looks/:id',
  'POST /v1/models/:id/thumbnail',
  'POST /v1/feedback',
  'GET /v1/account',
  'POST /v1/account/api-keys',
  'DELETE /v1/account/api-keys/:id',
  'GET /v1/hdris',
  'GET /v1/config-schema',
  // additions
  'GET /v1/account/api-keys',
  'GET /v1/layouts',
  'POST /v1/layouts',
  'PATCH /v1/layouts/:id',
  'DELETE /v1/layouts/:id',
  'POST /v1/uploads',
  // the account flow: anonymous → permanent, and claiming an anonymous session
  'POST /v1/account/upgrade',
  'POST /v1/account/claim',
];

const OFFICIAL_TOOLS = [
  'vitrine_list_models', 'vitrine_upload_model', 'vitrine_model_info', 'vitrine_delete_model', 'vitrine_get_config', 'vitrine_set_config',
  'vitrine_list_hdris', 'vitrine_config_schema', 'vitrine_publish', 'vitrine_get_embed', 'vitrine_list_looks', 'vitrine_apply_look',
  'vitrine_create_look', 'vitrine_feedback', 'vitrine_account_info', 'vitrine_login', 'vitrine_logout',
];

const routeOf = (op: (typeof OPERATIONS)[number]) => (op.rest ? `${op.rest.method} ${op.rest.path.replace(/:[a-z_]+/g, ':id')}` : null);

let h: Harness;
let httpTools: Awaited<ReturnType<Awaited<ReturnType<Harness['client']>>['listTools']>>['tools'];
let stdioTools: typeof httpTools;

beforeAll(async () => {
  h = await startHarness();
  httpTools = (await (await h.client({ transport: 'mcp-http' })).listTools()).tools;
  stdioTools = (await (await h.client({ transport: 'mcp-stdio' })).listTools()).tools;
});
afterAll(async () => {
  await h?.close();
});

describe('REST ↔ operations', () => {
  it('every contract route has exactly one operation; no route is bound twice; additions stay under /v1', () => {
    const routes = OPERATIONS.map(routeOf).filter((r): r is string => r !== null);
    for (const route of CONTRACT) expect(routes.filter((r) => r === route), route).toHaveLength(1);
    expect(new Set(routes).size).toBe(routes.length);
    for (const r of routes) expect(r).toMatch(/^(GET|POST|PATCH|PUT|DELETE) \/v1\//);
  });

  it('operation tool names are unique, follow vitrine_<verb>_<noun>, and use known toolsets', () => {
    const names = OPERATIONS.map((o) => o.tool);
    expect(new Set(names).size).toBe(names.length);
    for (const op of OPERATIONS) {
      expect(op.tool).toMatch(/^vitrine_[a-z]+(_[a-z0-9]+)*$/);
      expect(TOOLSETS).toContain(op.toolset);
      expect(op.title.length, op.tool).toBeGreaterThan(3);
      expect(op.description.length, op.tool).toBeGreaterThan(40);
    }
  });

  it('operations without a REST binding are MCP aliases or MCP-only session tools', () => {
    expect(OPERATIONS.filter((o) => !o.rest).map((o) => o.tool).sort()).toEqual(['vitrine_apply_look', 'vitrine_login', 'vitrine_logout', 'vitrine_publish']);
  });
});

describe('operations ↔ tools', () => {
  it('every operation is a tool on each transport it is offered on, and there are no other tools', () => {
    expect(httpTools.map((t) => t.name).sort()).toEqual(OPERATIONS.filter((o) => offeredOn(o, 'mcp-http')).map((o) => o.tool).sort());
    expect(stdioTools.map((t) => t.name).sort()).toEqual(OPERATIONS.filter((o) => offeredOn(o, 'mcp-stdio')).map((o) => o.tool).sort());
    const everywhere = new Set([...httpTools, ...stdioTools].map((t) => t.name));
    expect([...everywhere].sort()).toEqual(OPERATIONS.map((o) => o.tool).sort());
  });

  it('all 17 official tool names are served (logout on stdio only)', () => {
    const stdio = stdioTools.map((t) => t.name);
    for (const name of OFFICIAL_TOOLS) expect(stdio, name).toContain(name);
    expect(httpTools.map((t) => t.name)).toEqual(expect.arrayContaining(OFFICIAL_TOOLS.filter((n) => n !== 'vitrine_logout')));
  });

  it('each tool has title, input and output schema, and all four annotations — set honestly', () => {
    for (const t of stdioTools) {
      const op = OPERATIONS.find((o) => o.tool === t.name)!;
      expect(t.title).toBe(op.title);
      expect(t.inputSchema.type).toBe('object');
      expect(t.outputSchema?.type, t.name).toBe('object');
      expect(t.annotations).toEqual({ title: op.title, ...op.annotations });
      const a = t.annotations!;
      if (a.readOnlyHint) expect(a.destructiveHint, t.name).toBe(false);
      if (/^vitrine_(delete|revoke)_/.test(t.name)) expect(a.destructiveHint, t.name).toBe(true);
      if (/^vitrine_(list|get)_|_info$|config_schema$/.test(t.name)) expect(a.readOnlyHint, t.name).toBe(true);
    }
    expect(stdioTools.find((t) => t.name === 'vitrine_feedback')!.annotations!.openWorldHint).toBe(true);
  });

  it('config tools take the typed patch: every field with its type, not an untyped record', () => {
    const setConfig = stdioTools.find((t) => t.name === 'vitrine_set_config')!;
    const config = (setConfig.inputSchema.properties as Record<string, any>).config;
    expect(config.additionalProperties).toBe(false);
    expect(Object.keys(config.properties)).toEqual(expect.arrayContaining(['bg_mode', 'hdri_preset', 'bloom_enabled', 'bloom_intensity', 'camera_fov', 'aspect_ratio']));
    const createLook = stdioTools.find((t) => t.name === 'vitrine_create_look')!;
    expect(Object.keys((createLook.inputSchema.properties as Record<string, any>).config.properties ?? {})).toContain('bg_mode');
  });
});

describe('schema snapshot', () => {
  it('tools/list (every tool, both transports) is pinned', async () => {
    const pinned = stdioTools
      .map((t) => ({ name: t.name, title: t.title, description: t.description, annotations: t.annotations, inputSchema: t.inputSchema, outputSchema: t.outputSchema, transports: OPERATIONS.find((o) => o.tool === t.name)!.transports ?? 'all' }))
      .sort((a, b) => a.name.localeCompare(b.name));
    await expect(JSON.stringify(pinned, null, 2) + '\n').toMatchFileSnapshot('../snapshots/mcp-tools.json');
  });
});
