/**
 * The quick start of the public API page (../shared/seed-api.txt), run as the page writes it:
 * real curl processes through bash, only the base URL, the key and MODEL_ID substituted.
 */
import { execFile } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeGlbFixtures } from '../fixtures/glb-fixtures.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const run = promisify(execFile);

// Verbatim from the seed's "Quick Start" section.
const SEED_LIST = `curl https://api.vitrine3d.com/v1/models \\
  -H "Authorization: Bearer vt_abc123..."`;

const SEED_UPLOAD = `curl -X POST https://api.vitrine3d.com/v1/models \\
  -H "Authorization: Bearer vt_abc123..." \\
  -F file=@shoe.glb \\
  -F name="Running Shoe"`;

const SEED_CONFIG = `curl -X PATCH https://api.vitrine3d.com/v1/models/MODEL_ID/config \\
  -H "Authorization: Bearer vt_abc123..." \\
  -H "Content-Type: application/json" \\
  -d '{
    "bg_mode": "transparent",
    "hdri_preset": "studio_small_08_4k",
    "bloom_enabled": true,
    "bloom_intensity": 0.15
  }'`;

const SEED_PUBLISH = `curl -X PATCH https://api.vitrine3d.com/v1/showcases/MODEL_ID \\
  -H "Authorization: Bearer vt_abc123..." \\
  -H "Content-Type: application/json" \\
  -d '{"published": true}'`;

const SEED_EMBED = `curl https://api.vitrine3d.com/v1/showcases/MODEL_ID/embed \\
  -H "Authorization: Bearer vt_abc123..."`;

let server: TestServer;
let workDir: string;

beforeAll(async () => {
  server = await startTestServer();
  const fx = await makeGlbFixtures();
  workDir = fx.dir;
  copyFileSync(fx.files.box.path, path.join(workDir, 'shoe.glb'));
});
afterAll(async () => {
  await server?.stop();
});

/** Runs one seed command in bash (cwd holds shoe.glb); returns HTTP status and parsed body. */
async function seed(command: string, modelId = '') {
  const cmd = command
    .replaceAll('https://api.vitrine3d.com', server.url)
    .replaceAll('vt_abc123...', server.ownerKey)
    .replaceAll('MODEL_ID', modelId);
  // Only additions: quiet progress, and the status code on a last line.
  const { stdout } = await run('bash', ['-c', `${cmd} -sS -w '\\n%{http_code}'`], { cwd: workDir });
  const nl = stdout.lastIndexOf('\n');
  const status = Number(stdout.slice(nl + 1));
  return { status, body: JSON.parse(stdout.slice(0, nl)) };
}

describe('seed quick start, verbatim curl', () => {
  it('lists, uploads, configures, publishes and embeds', async () => {
    const list = await seed(SEED_LIST);
    expect(list.status).toBe(200);
    expect(list.body).toEqual({ models: [], next_cursor: null });

    const up = await seed(SEED_UPLOAD);
    expect(up.status, JSON.stringify(up.body)).toBe(201);
    expect(up.body.name).toBe('Running Shoe');
    expect(up.body.stats.triangles).toBe(12);
    const id: string = up.body.id;
    expect(id).toBeTruthy();

    const cfg = await seed(SEED_CONFIG, id);
    expect(cfg.status, JSON.stringify(cfg.body)).toBe(200);
    expect(cfg.body.config).toMatchObject({ bg_mode: 'transparent', hdri_preset: 'studio_small_08_4k', bloom_enabled: true, bloom_intensity: 0.15 });
    expect(cfg.body.overrides).toEqual({ bg_mode: 'transparent', hdri_preset: 'studio_small_08_4k', bloom_enabled: true, bloom_intensity: 0.15 });

    const pub = await seed(SEED_PUBLISH, id);
    expect(pub.status, JSON.stringify(pub.body)).toBe(200);
    expect(pub.body.published).toBe(true);

    const embed = await seed(SEED_EMBED, id);
    expect(embed.status, JSON.stringify(embed.body)).toBe(200);
    expect(embed.body.html).toContain('<vitrine-viewer');
    expect(embed.body.html).toContain(id);
    expect(embed.body.iframe_html).toContain(id);
    expect(embed.body.viewer_url).toContain(id);
    expect(embed.body.script_url).toMatch(/^http/);

    const listed = await seed(SEED_LIST);
    expect(listed.body.models.map((m: { id: string }) => m.id)).toEqual([id]);
  });
});
