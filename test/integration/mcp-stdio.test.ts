/**
 * MCP over stdio against the built CLI (`node dist/src/cli.js mcp`) as a subprocess, with the v2
 * client (modern era) and the v1 client (2025 `initialize`): uploads from a local path and inline
 * base64, the workflow to an embed snippet, errors, identity (local owner vs VITRINE_API_KEY,
 * another owner's id, logout, a key revoked mid-session), config-driven tool surface and the
 * rate limit. Needs `npm run build` first (`npm test` does it).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeGlbFixtures, type GlbFixtures } from '../fixtures/glb-fixtures.js';
import { CLI_PATH, connect, errorOf, structured, type ClientKind, type McpTestClient } from './mcp-clients.js';

let fx: GlbFixtures;
const dirs: string[] = [];
const tempDataDir = () => {
  const d = mkdtempSync(path.join(os.tmpdir(), 'vitrine-mcp-stdio-'));
  dirs.push(d);
  return d;
};

/** `vitrine keys create` in the same data dir: a separate account's key. */
function createKey(dataDir: string, email?: string): string {
  const r = spawnSync(process.execPath, [CLI_PATH, 'keys', 'create', ...(email ? ['--email', email] : [])], {
    env: { ...process.env, VITRINE_DATA_DIR: dataDir, VITRINE_LOG_LEVEL: 'silent' },
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`keys create failed: ${r.stderr}`);
  return r.stdout.trim();
}

beforeAll(async () => {
  if (!existsSync(CLI_PATH)) throw new Error(`${CLI_PATH} is missing: run npm run build first`);
  fx = await makeGlbFixtures();
});
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe.each<ClientKind>(['v2', 'v1'])('%s client over stdio (local owner)', (kind) => {
  let client: McpTestClient;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = tempDataDir();
    client = await connect(kind, { kind: 'stdio', env: { VITRINE_DATA_DIR: dataDir } });
  });
  afterAll(async () => {
    await client?.close();
  });

  it('negotiates its era, has the instructions and the stdio-only logout tool', async () => {
    if (kind === 'v2') expect(client.protocolVersion).toBe('2026-07-28');
    expect(client.instructions).toContain('vitrine_publish');
    const names = (await client.listTools()).map((t) => t.name);
    expect(names).toContain('vitrine_logout');
    expect(names).toContain('vitrine_upload_model');
  });

  it('workflow: upload from file_path → set config → publish → embed', async () => {
    const model = structured(await client.call('vitrine_upload_model', { file_path: fx.files.box.path }));
    expect(model.name).toMatch(/box/i);
    expect(model.stats.triangles).toBe(12);
    const cfg = structured(await client.call('vitrine_set_config', { model_id: model.id, config: { bg_mode: 'transparent', auto_rotate: true, camera_fov: 40 } }));
    expect(cfg.config).toMatchObject({ bg_mode: 'transparent', auto_rotate: true, camera_fov: 40 });
    expect(structured(await client.call('vitrine_publish', { model_id: model.id })).published).toBe(true);
    const embed = structured(await client.call('vitrine_get_embed', { model_id: model.id }));
    expect(embed.html).toContain('<vitrine-viewer');
    expect(embed.iframe_html).toContain(`/embed/${model.id}`);
    const cfgBack = structured(await client.call('vitrine_get_config', { model_id: model.id }));
    expect(cfgBack.overrides).toEqual({ bg_mode: 'transparent', auto_rotate: true, camera_fov: 40 });
  });

  it('upload from content_base64, then list and delete', async () => {
    const model = structured(await client.call('vitrine_upload_model', { content_base64: readFileSync(fx.files.box.path).toString('base64'), name: 'Inline box' }));
    expect(model.name).toBe('Inline box');
    const ids = structured(await client.call('vitrine_list_models', {})).models.map((m: { id: string }) => m.id);
    expect(ids).toContain(model.id);
    expect(structured(await client.call('vitrine_delete_model', { model_id: model.id }))).toEqual({ id: model.id, deleted: true });
    expect(errorOf(await client.call('vitrine_model_info', { model_id: model.id }))).toMatch(/^model_not_found: /);
  });

  it('errors: bad input, invalid GLB, missing file, unknown id — each with a code and a next step', async () => {
    expect(errorOf(await client.call('vitrine_set_config', { model_id: 'mdl_x', config: { camera_fov: 'wide' } }))).toMatch(/^invalid_config: Invalid config field 'camera_fov'/);
    expect(errorOf(await client.call('vitrine_upload_model', { file_path: fx.files.truncated.path }))).toMatch(/^invalid_glb: /);
    expect(errorOf(await client.call('vitrine_upload_model', { file_path: path.join(dataDir, 'nope.glb') }))).toMatch(/^invalid_request: /);
    expect(errorOf(await client.call('vitrine_upload_model', { file_path: fx.files.box.path, url: 'https://example.com/a.glb' }))).toMatch(/^invalid_request: Give exactly one file source/);
    const notFound = errorOf(await client.call('vitrine_get_embed', { model_id: 'mdl_unknown' }));
    expect(notFound).toMatch(/^model_not_found: /);
    expect(notFound).toContain('Next: Call vitrine_list_models');
  });

  it('logout without a key says nothing changed', async () => {
    expect(structured(await client.call('vitrine_logout', {})).message).toMatch(/Nothing changed/);
  });
});

describe('identity over stdio', () => {
  let dataDir: string;
  let otherKey: string;
  let otherModelId: string;
  beforeAll(async () => {
    dataDir = tempDataDir();
    createKey(dataDir); // creates the local owner
    otherKey = createKey(dataDir, 'other@example.com');
  });

  it('VITRINE_API_KEY acts as that account; the local owner cannot see its models (model_not_found)', async () => {
    const asOther = await connect('v2', { kind: 'stdio', env: { VITRINE_DATA_DIR: dataDir, VITRINE_API_KEY: otherKey } });
    try {
      expect(structured(await asOther.call('vitrine_account_info', {})).user.email).toBe('other@example.com');
      otherModelId = structured(await asOther.call('vitrine_upload_model', { file_path: fx.files.box.path })).id;
    } finally {
      await asOther.close();
    }
    const asOwner = await connect('v1', { kind: 'stdio', env: { VITRINE_DATA_DIR: dataDir } });
    try {
      for (const tool of ['vitrine_model_info', 'vitrine_get_config', 'vitrine_publish', 'vitrine_delete_model']) {
        expect(errorOf(await asOwner.call(tool, { model_id: otherModelId })), tool).toMatch(/^model_not_found: /);
      }
      await expect(asOwner.readResource(`vitrine://models/${otherModelId}`)).rejects.toThrow();
      expect(await asOwner.complete('vitrine://models/{id}', 'id', '')).not.toContain(otherModelId);
    } finally {
      await asOwner.close();
    }
  });

  it('logout drops the key for the rest of the session: later calls act as the local owner', async () => {
    const c = await connect('v1', { kind: 'stdio', env: { VITRINE_DATA_DIR: dataDir, VITRINE_API_KEY: otherKey } });
    try {
      expect(structured(await c.call('vitrine_model_info', { model_id: otherModelId })).id).toBe(otherModelId);
      expect(structured(await c.call('vitrine_logout', {})).message).toMatch(/local owner/);
      expect(errorOf(await c.call('vitrine_model_info', { model_id: otherModelId }))).toMatch(/^model_not_found: /);
      expect(structured(await c.call('vitrine_account_info', {})).user.email).toBeNull();
    } finally {
      await c.close();
    }
  });

  it('a key revoked mid-session stops working at the next call', async () => {
    const key = createKey(dataDir, 'revoker@example.com');
    const c = await connect('v2', { kind: 'stdio', env: { VITRINE_DATA_DIR: dataDir, VITRINE_API_KEY: key } });
    try {
      const keys = structured(await c.call('vitrine_list_api_keys', {})).api_keys as Array<{ id: string; prefix: string }>;
      const mine = keys.find((k) => key.startsWith(k.prefix))!;
      expect(structured(await c.call('vitrine_revoke_api_key', { key_id: mine.id })).revoked).toBe(true);
      expect(errorOf(await c.call('vitrine_list_models', {}))).toMatch(/^unauthorized: Unknown or revoked API key[\s\S]*VITRINE_API_KEY/);
    } finally {
      await c.close();
    }
  });

  it('an invalid VITRINE_API_KEY → unauthorized results (the server still starts)', async () => {
    const c = await connect('v1', { kind: 'stdio', env: { VITRINE_DATA_DIR: dataDir, VITRINE_API_KEY: 'vt_live_typo' } });
    try {
      expect(errorOf(await c.call('vitrine_list_models', {}))).toMatch(/^unauthorized: /);
    } finally {
      await c.close();
    }
  });
});

describe('stdio configuration', () => {
  it('VITRINE_MCP_READ_ONLY and VITRINE_MCP_TOOLSETS narrow the tool list', async () => {
    const c = await connect('v2', { kind: 'stdio', env: { VITRINE_DATA_DIR: tempDataDir(), VITRINE_MCP_READ_ONLY: 'true', VITRINE_MCP_TOOLSETS: 'models,scene' } });
    try {
      expect((await c.listTools()).map((t) => t.name).sort()).toEqual(['vitrine_get_config', 'vitrine_list_models', 'vitrine_model_info']);
      const prompt = (await c.getPrompt('showcase_a_model', { source: 'mdl_1' })).messages[0]!.content.text!;
      expect(prompt).toContain('reduced tool set');
      expect(prompt).not.toContain('vitrine_publish');
    } finally {
      await c.close();
    }
  });

  it('an unknown toolset fails at start with a message naming the valid ones', () => {
    const r = spawnSync(process.execPath, [CLI_PATH, 'mcp'], { env: { ...process.env, VITRINE_DATA_DIR: tempDataDir(), VITRINE_MCP_TOOLSETS: 'modles' }, input: '', encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('Unknown toolset(s): modles');
    expect(r.stdout).toBe('');
  });

  it('rate limit: the local owner spends its plan bucket; the overflow is rate_limited', async () => {
    const c = await connect('v1', { kind: 'stdio', env: { VITRINE_DATA_DIR: tempDataDir(), VITRINE_RATE_PRO_PER_MIN: '3' } });
    try {
      for (let i = 0; i < 3; i++) structured(await c.call('vitrine_list_hdris', {}));
      expect(errorOf(await c.call('vitrine_list_hdris', {}))).toMatch(/^rate_limited: Rate limit of 3 requests per minute reached; retry in \d+ s[\s\S]*Next: Wait/);
    } finally {
      await c.close();
    }
  });
});
