/**
 * Starts a real vitrine server (real Express, real SQLite file, real files on disk) on a free
 * port with a temp data dir, for integration tests. Env overrides go through loadConfig, the
 * same way an operator configures it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config.js';
import { createContainer, type Container } from '../../src/container.js';
import { ensureOwner } from '../../src/bootstrap.js';
import { startServer } from '../../src/http/server.js';
import type { Clock } from '../../src/core/ports/clock.js';
import type { Logger } from 'pino';

export interface TestServer {
  url: string;
  dataDir: string;
  ownerKey: string;
  container: Container;
  /** A second, unrelated account's key (for "another owner's id → 404" tests). */
  otherKey: string;
  stop(): Promise<void>;
}

export class ManualClock implements Clock {
  constructor(private t = Date.now()) {}
  now() {
    return new Date(this.t);
  }
  advance(ms: number) {
    this.t += ms;
  }
}

export async function startTestServer(env: Record<string, string> = {}, opts: { clock?: Clock; withMcp?: boolean; log?: Logger } = {}): Promise<TestServer> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'vitrine-test-'));
  const config = loadConfig({ VITRINE_DATA_DIR: dataDir, VITRINE_PORT: '0', VITRINE_LOG_LEVEL: 'silent', VITRINE_THUMBNAILS_ON_UPLOAD: 'false', ...env });
  const container = await createContainer(config, { clock: opts.clock, log: opts.log });
  const { newKey } = await ensureOwner(container.core);
  const other = await container.core.accounts.createAccount({ email: 'other@example.com', plan: 'free' });
  const { secret: otherKey } = await container.core.accounts.issueApiKey(other.id, 'other');
  let mount;
  if (opts.withMcp) ({ mountMcpHttp: mount } = await import('../../src/mcp/http-transport.js'));
  const app = container.app(mount ? (a) => mount(a, container) : undefined);
  const running = await startServer(container, app, 0, '127.0.0.1');
  return {
    url: running.url,
    dataDir,
    ownerKey: newKey!,
    otherKey,
    container,
    async stop() {
      await running.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** fetch with a bearer and JSON, returning status, headers and parsed body. */
export async function api(url: string, opts: { method?: string; key?: string | null; json?: unknown; body?: BodyInit; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  if (opts.key) headers.authorization = `Bearer ${opts.key}`;
  let body = opts.body;
  if (opts.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(opts.json);
  }
  const res = await fetch(url, { method: opts.method ?? 'GET', headers, body });
  const text = await res.text();
  let json: any = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  return { status: res.status, headers: res.headers, json, text };
}
