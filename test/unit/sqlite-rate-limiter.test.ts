/**
 * The rate limiter contract on SQLite (memory and file) and on the in-process limiter, plus the
 * property only a shared store has: exact limits across processes on one SQLite file.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryRateLimiter } from '../../src/ratelimit/memory-rate-limiter.js';
import { SqliteRateLimiter } from '../../src/ratelimit/sqlite-rate-limiter.js';
import { describeRateLimiterContract } from '../contract/rate-limiter.contract.js';

const dir = mkdtempSync(join(tmpdir(), 'vitrine-ratelimit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeRateLimiterContract('memory', async () => new MemoryRateLimiter());
describeRateLimiterContract('sqlite :memory:', async () => SqliteRateLimiter.open(':memory:'));
describeRateLimiterContract('sqlite file', async () => SqliteRateLimiter.open(join(dir, 'contract.sqlite')));

const LIMITER_MODULE = resolve(import.meta.dirname, '../../src/ratelimit/sqlite-rate-limiter.ts');

/**
 * A child process that opens its own connection, says "ready", waits for "go" on stdin (so all
 * children start together), then fires `count` consumes, yielding to the event loop between
 * them so the processes interleave, and prints how many were allowed.
 */
const CHILD = `
const { SqliteRateLimiter } = await import(process.env.LIMITER_MODULE);
const [file, key, count, limit, nowMs] = process.argv.slice(1);
const limiter = SqliteRateLimiter.open(file);
process.stdout.write('ready\\n');
await new Promise((r) => process.stdin.once('data', r));
const rule = { limit: Number(limit), periodMs: 60_000 };
const now = new Date(Number(nowMs));
const decisions = await Promise.all(Array.from({ length: Number(count) }, async () => {
  await new Promise((r) => setImmediate(r));
  return limiter.consume(key, rule, now);
}));
await limiter.close();
process.stdout.write(JSON.stringify({ allowed: decisions.filter((d) => d.allowed).length }) + '\\n');
process.stdin.pause();
`;

interface Child {
  ready: Promise<void>;
  result: Promise<{ allowed: number }>;
  go: () => void;
}

function startChild(args: string[]): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', CHILD, ...args], {
    env: { ...process.env, LIMITER_MODULE: new URL(`file://${LIMITER_MODULE}`).href },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  let markReady!: () => void;
  const ready = new Promise<void>((r) => (markReady = r));
  proc.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    if (out.includes('ready\n')) markReady();
  });
  proc.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const result = new Promise<{ allowed: number }>((resolveResult, reject) => {
    proc.on('exit', (code) => {
      const last = out.trim().split('\n').pop() ?? '';
      if (code === 0 && last.startsWith('{')) resolveResult(JSON.parse(last));
      else reject(new Error(`child exited ${code}: ${err || out}`));
    });
  });
  // A child that dies before "ready" must fail the test, not hang it.
  result.catch(() => markReady());
  return { ready, result, go: () => proc.stdin.end('go\n') };
}

describe('sqlite rate limiter across processes', () => {
  it('allows exactly the limit when 4 processes consume 50 each from one file', async () => {
    const file = join(dir, 'multi-process.sqlite');
    // Create the file and table up front so the children don't race to switch it to WAL.
    const setup = SqliteRateLimiter.open(file);
    await setup.close();
    const args = [file, 'shared-key', '50', '60', String(Date.parse('2026-03-01T12:00:00Z'))];
    const children = Array.from({ length: 4 }, () => startChild(args));
    await Promise.all(children.map((c) => c.ready));
    for (const c of children) c.go();
    const results = await Promise.all(children.map((c) => c.result));
    const perChild = results.map((r) => r.allowed);
    expect(perChild.reduce((a, b) => a + b, 0)).toBe(60);
    // 200 consumes for 60 slots: the other 140 were refused somewhere.
    expect(Math.max(...perChild)).toBeLessThanOrEqual(50);
  }, 60_000);
});
