/**
 * `vitrine mcp`: MCP over stdio for local agents (Claude Desktop, Claude Code). stdout carries only
 * protocol frames; logs go to stderr.
 *
 * Who the caller is: VITRINE_API_KEY when set (checked on every call, so a revoked key stops
 * working at once), else the local owner account. `vitrine_logout` forgets the key for the rest of
 * the session; later calls act as the local owner if this data dir has one, and fail with
 * `unauthorized` if it has none (logout never creates an owner). The key is an identity choice,
 * not a sandbox: whoever runs `vitrine mcp` can read the data dir anyway.
 */
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { LOCAL_OWNER_EXTERNAL_ID, ensureOwner } from '../bootstrap.js';
import type { Config } from '../config.js';
import { createContainer, type Container } from '../container.js';
import type { Account, Principal } from '../core/types.js';
import { createMcpServer } from './server-factory.js';
import { parseToolsets } from './tool-surface.js';

export class StdioSession {
  private apiKey: string | null;
  private ownerId: string | null = null;

  constructor(
    private readonly container: Pick<Container, 'core' | 'auth'>,
    apiKey: string | null,
  ) {
    this.apiKey = apiKey;
  }

  /** Without a key, make sure the local owner exists (first start on an empty data dir). */
  async init(): Promise<{ newOwnerKey: string | null }> {
    if (this.apiKey) return { newOwnerKey: null };
    const { owner, newKey } = await ensureOwner(this.container.core);
    this.ownerId = owner.id;
    return { newOwnerKey: newKey };
  }

  get usingApiKey(): boolean {
    return this.apiKey !== null;
  }

  async principal(): Promise<Principal | null> {
    if (this.apiKey) return this.container.auth.authenticate(this.apiKey);
    if (!this.ownerId) return null;
    const owner: Account | null = await this.container.core.deps.repos.accounts.findById(this.ownerId);
    return owner ? { accountId: owner.id, plan: owner.plan, kind: 'local_owner', credentialId: null } : null;
  }

  async logout(): Promise<{ message: string }> {
    if (!this.apiKey) {
      return { message: 'No API key is set for this session; it acts as the local owner account. Nothing changed.' };
    }
    this.apiKey = null;
    const owner = await this.container.core.deps.repos.accounts.findByExternalId(LOCAL_OWNER_EXTERNAL_ID);
    this.ownerId = owner?.id ?? null;
    return {
      message: owner
        ? 'Logged out: the API key is forgotten for this session. Later calls act as the local owner account. Remove VITRINE_API_KEY from the MCP client config to make this permanent.'
        : 'Logged out: the API key is forgotten for this session. This data dir has no local owner account, so later calls fail until the server is restarted with a VITRINE_API_KEY.',
    };
  }
}

export interface StdioHandle {
  close(): Promise<void>;
}

export async function runStdio(config: Config): Promise<StdioHandle> {
  const surface = { toolsets: parseToolsets(config.mcp.toolsets), readOnly: config.mcp.readOnly };
  const container = await createContainer(config);
  const session = new StdioSession(container, config.mcp.apiKey);
  const { newOwnerKey } = await session.init();
  if (newOwnerKey) {
    process.stderr.write(`vitrine: first start, created the local owner account. Its API key for REST (shown once): ${newOwnerKey}\n`);
  }
  if (session.usingApiKey) {
    // Say so now rather than on the first call: a typo in the client config is the usual cause.
    await session.principal().catch((err: Error) => container.log.warn({ reason: err.message }, 'VITRINE_API_KEY is not accepted; tool calls will fail with unauthorized'));
  }

  const handle = serveStdio(
    () => createMcpServer({ container, principalProvider: () => session.principal(), transport: 'mcp-stdio', clientIp: 'stdio', surface, session }),
    { onerror: (err) => container.log.warn({ err: err.message }, 'MCP stdio error') },
  );
  container.log.info({ data_dir: config.dataDir, auth: session.usingApiKey ? 'api_key' : 'local_owner', toolsets: surface.toolsets ?? 'all', read_only: surface.readOnly }, 'vitrine MCP server on stdio');

  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= (async () => {
      await handle.close().catch(() => {});
      await container.close();
    })());
  const exit = () => void close().finally(() => process.exit(0));
  process.stdin.once('end', exit);
  process.once('SIGTERM', exit);
  process.once('SIGINT', exit);
  return { close };
}
