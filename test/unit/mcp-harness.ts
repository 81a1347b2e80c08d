/**
 * An in-process MCP server on a real container (temp data dir, real SQLite), reached by the real
 * v2 client through the fetch face of createMcpHandler — no port. For unit-level checks of the
 * server factory; the transports themselves are tested end to end in test/integration/mcp-*.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { createMcpHandler } from '@modelcontextprotocol/server';
import { ensureOwner } from '../../src/bootstrap.js';
import { loadConfig } from '../../src/config.js';
import { createContainer, type Container } from '../../src/container.js';
import type { Principal } from '../../src/core/types.js';
import { createMcpServer, type CreateMcpServerOptions } from '../../src/mcp/server-factory.js';

export interface Harness {
  container: Container;
  owner: Principal;
  client(opts?: Partial<Omit<CreateMcpServerOptions, 'container'>>, era?: 'modern' | 'legacy'): Promise<Client>;
  close(): Promise<void>;
}

export async function startHarness(env: Record<string, string> = {}): Promise<Harness> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'vitrine-mcp-unit-'));
  const container = await createContainer(loadConfig({ VITRINE_DATA_DIR: dataDir, VITRINE_LOG_LEVEL: 'silent', VITRINE_THUMBNAILS_ON_UPLOAD: 'false', ...env }));
  const { owner: account } = await ensureOwner(container.core);
  const owner: Principal = { accountId: account.id, plan: account.plan, kind: 'local_owner', credentialId: null };
  const clients: Client[] = [];
  const handlers: Array<{ close(): Promise<void> }> = [];
  return {
    container,
    owner,
    async client(opts = {}, era = 'modern') {
      const handler = createMcpHandler(() =>
        createMcpServer({ container, principalProvider: async () => owner, transport: 'mcp-http', clientIp: '127.0.0.1', ...opts }),
      );
      handlers.push(handler);
      const client = new Client({ name: 'harness', version: '1' }, era === 'modern' ? { versionNegotiation: { mode: 'auto' } } : {});
      await client.connect(new StreamableHTTPClientTransport(new URL('http://in-process/mcp'), { fetch: (u, i) => handler.fetch(new Request(u, i)) }));
      clients.push(client);
      return client;
    },
    async close() {
      for (const c of clients) await c.close().catch(() => {});
      for (const h of handlers) await h.close().catch(() => {});
      await container.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
