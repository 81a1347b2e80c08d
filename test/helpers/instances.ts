/**
 * Real vitrine server processes (`node dist/src/cli.js serve`, the built CLI) for the
 * multi-instance test and the backend bench. Each gets its own data dir (staging), port 0, and
 * JSON logs on stderr that the test can read back.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const CLI = path.join(ROOT, 'dist/src/cli.js');

export interface Instance {
  name: string;
  url: string;
  proc: ChildProcess;
  /** Parsed JSON log lines so far. */
  logs: Record<string, unknown>[];
  /** Non-JSON stderr (e.g. the first-start API key banner). */
  text: string[];
  dataDir: string;
  exited: Promise<number | null>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** Environment variables the parent may carry that must not leak into an instance's config. */
const SCRUB = /^(VITRINE_|DATABASE_URL$|SUPABASE_)/;

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as AddressInfo;
  await new Promise((r) => srv.close(r));
  return port;
}

/** Starts `vitrine serve`; resolves once /healthz answers (works at any log level). */
export async function startInstance(name: string, env: Record<string, string>, opts: { timeoutMs?: number } = {}): Promise<Instance> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (npm test does)`);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), `vitrine-${name}-`));
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !SCRUB.test(k))) as Record<string, string>;
  const port = await freePort();
  const proc = spawn(process.execPath, [CLI, 'serve'], {
    cwd: ROOT,
    env: { ...base, VITRINE_DATA_DIR: dataDir, VITRINE_PORT: String(port), VITRINE_HOST: '127.0.0.1', VITRINE_LOG_LEVEL: 'info', VITRINE_THUMBNAILS_ON_UPLOAD: 'false', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  const text: string[] = [];
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  createInterface({ input: proc.stderr! }).on('line', (line) => {
    let entry: Record<string, unknown> | null = null;
    try {
      entry = line.startsWith('{') ? (JSON.parse(line) as Record<string, unknown>) : null;
    } catch {
      entry = null;
    }
    if (entry) logs.push(entry);
    else text.push(line);
  });
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  for (;;) {
    if (proc.exitCode !== null || proc.signalCode !== null) throw new Error(`${name} exited (${proc.exitCode ?? proc.signalCode}) before listening:\n${text.join('\n')}`);
    const up = await fetch(`${url}/healthz`).then((r) => r.ok, () => false);
    if (up) break;
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`${name} did not start in time:\n${text.join('\n')}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    name,
    url,
    proc,
    logs,
    text,
    dataDir,
    exited,
    async kill(signal: NodeJS.Signals = 'SIGTERM') {
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.kill(signal);
        await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
        if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
        await exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The owner API key a first start prints once (on stderr, outside the JSON logs). */
export function ownerKeyFrom(instance: Instance): string | null {
  for (const line of instance.text) {
    const m = /\b(vt_live_[A-Za-z0-9_]+)\b/.exec(line);
    if (m) return m[1]!;
  }
  return null;
}
