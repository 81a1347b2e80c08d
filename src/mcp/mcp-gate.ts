/**
 * What every MCP request goes through before it touches the core, the same as a REST request:
 * resolve the caller, then spend one request from the caller's rate-limit bucket (the bucket REST
 * uses for the same principal).
 */
import type { Logger } from 'pino';
import type { Core } from '../core/core.js';
import type { Principal } from '../core/types.js';
import { assertAllowed, type RequestLimiter } from '../ratelimit/request-limiter.js';
import type { Operation, OperationContext } from '../../tools/operation.js';
import type { McpTransport, ToolSurface } from './tool-surface.js';

/** The parts of the container an MCP server needs (a subset, so tests and benches can build one). */
export interface McpContainer {
  core: Core;
  limiter: RequestLimiter;
  log: Logger;
}

/** Resolves the caller of one request; throws `unauthorized` for credentials that stopped working. */
export type PrincipalProvider = () => Promise<Principal | null>;

export interface CreateMcpServerOptions {
  container: McpContainer;
  principalProvider: PrincipalProvider;
  transport: McpTransport;
  /** Rate-limit key for anonymous callers (client IP over HTTP; a constant over stdio). */
  clientIp: string;
  surface?: ToolSurface;
  /** The stdio session (logout). */
  session?: OperationContext['session'];
  /** Defaults to the full catalogue; tests pass their own. */
  operations?: readonly Operation[];
}

/** Authenticate and spend one request from the caller's bucket — the same gate as REST. */
export async function admit(opts: CreateMcpServerOptions): Promise<Principal | null> {
  const principal = await opts.principalProvider();
  const decision = await opts.container.limiter.consume(principal, opts.clientIp, opts.container.core.deps.clock.now());
  assertAllowed(decision);
  return principal;
}

