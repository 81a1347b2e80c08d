/**
 * MCP benchmark: `tools/call` latency of vitrine_get_config over stdio and over Streamable HTTP,
 * each against a minimal server on the same SDK with a trivial echo tool, measured in the same run
 * (interleaved rounds, so machine noise hits both) and printed as ratios; plus the byte size of
 * tools/list (what the tool surface costs an agent's context): full, read-only, one toolset.
 *
 *   npm run build && node --import tsx test/bench/mcp-bench.ts [calls per round, default 200]
 *
 * Uses the v2 client in the modern era (2026-07-28) and the v1 client (2025 era) for the HTTP leg.
 */
import { readFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createMcpHandler } from '@modelcontextprotocol/server';
import { toNodeHandler } from '@modelcontextprotocol/node';
import { makeGlbFixtures } from '../fixtures/glb-fixtures.js';
import { startTestServer } from '../helpers/test-server.js';
import { CLI_PATH, connect, structured, type ClientKind, type McpTestClient } from '../integration/mcp-clients.js';
// @ts-expect-error plain ESM helper without types
import { createEchoServer } from './mcp-echo-server.mjs';
import { Client as V2Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';

const CALLS = Number(process.argv[2] ?? 200);
const ROUNDS = 3;
const WARMUP = 30;
const HIGH_LIMITS = { VITRINE_RATE_PRO_PER_MIN: '10000000', VITRINE_RATE_FREE_PER_MIN: '10000000' };

interface Stats {
  p50: number;
  p95: number;
  mean: number;
}
const stats = (xs: number[]): Stats => {
  const s = [...xs].sort((a, b) => a - b);
  return { p50: s[Math.floor(s.length * 0.5)]!, p95: s[Math.floor(s.length * 0.95)]!, mean: s.reduce((a, b) => a + b, 0) / s.length };
};

async function time(n: number, call: () => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = process.hrtime.bigint();
    await call();
    out.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return out;
}

/** Interleaved rounds: A, B, A, B… so drift and noise fall on both. */
async function compare(label: string, a: () => Promise<unknown>, b: () => Promise<unknown>) {
  await time(WARMUP, a);
  await time(WARMUP, b);
  const xa: number[] = [];
  const xb: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    xa.push(...(await time(CALLS, a)));
    xb.push(...(await time(CALLS, b)));
  }
  const sa = stats(xa);
  const sb = stats(xb);
  const f = (x: number) => x.toFixed(3).padStart(7);
  console.log(`${label.padEnd(34)} vitrine_get_config p50 ${f(sa.p50)} ms  p95 ${f(sa.p95)} ms | echo p50 ${f(sb.p50)} ms  p95 ${f(sb.p95)} ms | ratio p50 ${(sa.p50 / sb.p50).toFixed(2)}×  mean ${(sa.mean / sb.mean).toFixed(2)}×`);
}

const bytes = (tools: unknown) => Buffer.byteLength(JSON.stringify({ tools }));
const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`;

async function main() {
  const fx = await makeGlbFixtures();
  const box = readFileSync(fx.files.box.path).toString('base64');
  console.log(`MCP bench — ${CALLS} calls × ${ROUNDS} interleaved rounds per side, node ${process.version}`);

  // ---- stdio: the built CLI vs the echo server, both child processes, v2 client (modern era)
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'vitrine-mcp-bench-'));
  const vitrine = await connect('v2', { kind: 'stdio', env: { VITRINE_DATA_DIR: dataDir, ...HIGH_LIMITS } });
  const modelId = structured(await vitrine.call('vitrine_upload_model', { content_base64: box, name: 'bench' })).id as string;
  const echoStdio = new V2Client({ name: 'bench', version: '1' }, { versionNegotiation: { mode: 'auto' } });
  await echoStdio.connect(new StdioClientTransport({ command: process.execPath, args: [path.join(import.meta.dirname, 'mcp-echo-server.mjs'), 'stdio'] }));
  await compare('stdio (modern era)', () => vitrine.call('vitrine_get_config', { model_id: modelId }), () => echoStdio.callTool({ name: 'echo', arguments: { text: 'hello' } }));
  await echoStdio.close();
  const stdioTools = await vitrine.listTools();
  await vitrine.close();
  rmSync(dataDir, { recursive: true, force: true });

  // ---- HTTP: the running app (real port, auth, rate-limit consume) vs an echo app on the same SDK
  const server = await startTestServer(HIGH_LIMITS, { withMcp: true });
  const echoApp = express();
  const echoHandler = createMcpHandler(() => createEchoServer(), { legacy: 'stateless' });
  echoApp.all('/mcp', toNodeHandler(echoHandler));
  const echoListener = await new Promise<import('node:http').Server>((resolve) => {
    const s = echoApp.listen(0, '127.0.0.1', () => resolve(s));
  });
  const echoUrl = `http://127.0.0.1:${(echoListener.address() as AddressInfo).port}/mcp`;
  const headers = { authorization: `Bearer ${server.ownerKey}` };
  const sizes: Record<string, number> = {};
  for (const kind of ['v2', 'v1'] as ClientKind[]) {
    const c = await connect(kind, { kind: 'http', url: `${server.url}/mcp`, headers });
    const e = await connect(kind, { kind: 'http', url: echoUrl });
    const id = structured(await c.call('vitrine_upload_model', { content_base64: box, name: 'bench' })).id as string;
    await compare(`HTTP (${kind === 'v2' ? 'modern' : 'legacy'} era, ${kind} client)`, () => c.call('vitrine_get_config', { model_id: id }), () => e.call('echo', { text: 'hello' }));
    if (kind === 'v2') sizes.full = bytes(await c.listTools());
    await c.close();
    await e.close();
  }
  const list = async (query: string) => {
    const c: McpTestClient = await connect('v2', { kind: 'http', url: `${server.url}/mcp${query}`, headers });
    const tools = await c.listTools();
    await c.close();
    return tools;
  };
  const ro = await list('?read_only=1');
  const scene = await list('?toolsets=scene');
  const models = await list('?toolsets=models&read_only=1');
  const echoTools = await (async () => {
    const e = await connect('v2', { kind: 'http', url: echoUrl });
    const t = await e.listTools();
    await e.close();
    return t;
  })();

  console.log('\ntools/list size (JSON of the tools array, as sent):');
  const row = (label: string, tools: unknown[]) => console.log(`  ${label.padEnd(38)} ${String(tools.length).padStart(3)} tools  ${kb(bytes(tools)).padStart(10)}  (${(bytes(tools) / sizes.full!).toFixed(2)} of full HTTP)`);
  row('full, stdio', stdioTools);
  row('full, HTTP', await list(''));
  row('read-only (?read_only=1)', ro);
  row('one toolset (?toolsets=scene)', scene);
  row('models, read-only', models);
  row('echo baseline', echoTools);
  const biggest = stdioTools
    .map((t) => ({ name: t.name, n: Buffer.byteLength(JSON.stringify(t)) }))
    .sort((a, b) => b.n - a.n)
    .slice(0, 5);
  console.log(`  largest tools: ${biggest.map((b) => `${b.name} ${kb(b.n)}`).join(', ')}`);

  await new Promise<void>((r) => echoListener.close(() => r()));
  await echoHandler.close();
  await server.stop();
  rmSync(fx.dir, { recursive: true, force: true });
}

if (!CLI_PATH || !readFileSync(CLI_PATH)) throw new Error('run npm run build first');
main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
