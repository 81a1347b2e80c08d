/**
 * MCP over Streamable HTTP at /mcp on the main Express app: stateless (one server instance per
 * HTTP request, both protocol eras), the same bearer auth as REST, the same rate-limit bucket, and
 * Host/Origin validation on /mcp only — the REST API and the embeds stay usable cross-origin.
 * Mounted before any body parser: the MCP handler reads the raw body itself.
 */
import { createMcpHandler, type AuthInfo } from '@modelcontextprotocol/server';
import { hostHeaderValidation, originValidation } from '@modelcontextprotocol/express';
import { toNodeHandler } from '@modelcontextprotocol/node';
import type { Express, NextFunction, Request, RequestHandler, Response } from 'express';
import { bearerToken } from '../auth/bearer.js';
import type { Container } from '../container.js';
import { isAppError } from '../core/errors.js';
import type { Principal } from '../core/types.js';
import { clientIp } from '../http/request-context.js';
import { createMcpServer } from './server-factory.js';
import { parseFlag, parseToolsets, type ToolSurface } from './tool-surface.js';

export const MCP_PATH = '/mcp';
export const PROTECTED_RESOURCE_PATHS = ['/.well-known/oauth-protected-resource', '/.well-known/oauth-protected-resource/mcp'];

/** What the auth middleware hands to the per-request server factory (via AuthInfo.extra). */
interface McpCaller {
  principal: Principal;
  clientIp: string;
  surface: ToolSurface;
}

type McpContainer = Pick<Container, 'config' | 'core' | 'auth' | 'limiter' | 'log'>;

export function mountMcpHttp(app: Express, container: McpContainer): void {
  const { config } = container;
  const base = () => container.core.deps.settings.publicBaseUrl;
  const metadataUrl = () => `${base()}${PROTECTED_RESOURCE_PATHS[1]}`;

  // RFC 9728: tells an MCP client where to get a token. Supabase is the authorization server when
  // configured; without it, clients send an API key as the bearer.
  app.get(PROTECTED_RESOURCE_PATHS, (_req, res) => {
    res.json({
      resource: `${base()}${MCP_PATH}`,
      authorization_servers: config.supabase.url ? [`${config.supabase.url.replace(/\/+$/, '')}/auth/v1`] : [],
      bearer_methods_supported: ['header'],
      resource_name: 'vitrine',
      resource_documentation: `${base()}/v1/openapi.json`,
    });
  });

  // Only the inline upload (content_base64) needs a big body; leave headroom for base64 + JSON.
  const maxBody = Math.ceil((config.maxInlineUploadBytes * 4) / 3) + 256 * 1024;
  const handler = createMcpHandler(
    ({ authInfo }) => {
      const caller = authInfo?.extra?.caller as McpCaller | undefined;
      return createMcpServer({
        container,
        principalProvider: async () => caller?.principal ?? null,
        transport: 'mcp-http',
        clientIp: caller?.clientIp ?? 'unknown',
        surface: caller?.surface,
      });
    },
    { legacy: 'stateless', maxRequestBodySize: maxBody, onerror: (err) => container.log.debug({ err: err.message }, 'MCP HTTP request rejected') },
  );
  const serve = toNodeHandler(handler, { maxRequestBodySize: maxBody, onerror: (err) => container.log.error({ err }, 'MCP HTTP adapter failed') });

  const allowed = allowedHostnames(config.mcp.allowedHosts, base());
  app.use(MCP_PATH, hostHeaderValidation(allowed), originValidation(allowed));
  app.all(MCP_PATH, onlyPost, authenticate(container, metadataUrl), (req: Request, res: Response) => {
    void serve(req, res);
  });
}

/** Stateless server: no SSE stream to GET and no session to DELETE (a 405 tells v1 clients so). */
const onlyPost: RequestHandler = (req, res, next) => {
  if (req.method === 'POST') return next();
  res.setHeader('Allow', 'POST');
  res.status(405).json({ jsonrpc: '2.0', error: { code: -32000, message: 'Method not allowed: this stateless MCP endpoint takes POST only.' }, id: null });
};

function authenticate(container: McpContainer, metadataUrl: () => string): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    const challenge = (error?: string) =>
      res.setHeader('WWW-Authenticate', `Bearer realm="vitrine", resource_metadata="${metadataUrl()}"${error ? `, error="${error}"` : ''}`);
    let token: string | null;
    try {
      token = bearerToken(req.get('authorization'));
    } catch (err) {
      challenge('invalid_request');
      res.status(401).json({ error: 'unauthorized', message: (err as Error).message });
      return;
    }
    if (!token) {
      challenge();
      res.status(401).json({ error: 'unauthorized', message: 'Authentication required: send Authorization: Bearer <API key> (vt_live_…, from `vitrine keys create` or POST /v1/account/api-keys).' });
      return;
    }
    let principal: Principal | null;
    try {
      principal = await container.auth.authenticate(token);
    } catch (err) {
      if (!isAppError(err) || err.code !== 'unauthorized') return next(err);
      // Failed logins spend from the client IP's bucket, as on REST, so keys can't be guessed freely.
      const decision = await container.limiter.consume(null, clientIp(req), container.core.deps.clock.now());
      if (!decision.allowed) {
        res.setHeader('Retry-After', String(decision.retryAfter));
        res.status(429).json({ error: 'rate_limited', message: `Too many failed authentications; retry in ${decision.retryAfter} s.` });
        return;
      }
      challenge('invalid_token');
      res.status(401).json({ error: 'unauthorized', message: err.message });
      return;
    }
    let surface: ToolSurface;
    try {
      surface = surfaceOf(req);
    } catch (err) {
      if (!isAppError(err)) return next(err);
      res.status(400).json({ error: err.code, message: err.message });
      return;
    }
    const caller: McpCaller = { principal: principal!, clientIp: clientIp(req), surface };
    const auth: AuthInfo = { token, clientId: principal!.accountId, scopes: [], extra: { caller } };
    (req as Request & { auth?: AuthInfo }).auth = auth;
    next();
  };
}

/** `?toolsets=models,scene&read_only=1`, or headers `X-MCP-Toolsets` / `X-MCP-Readonly`; either turns a filter on. */
function surfaceOf(req: Request): ToolSurface {
  const q = (name: string) => {
    const v = req.query[name];
    return typeof v === 'string' ? v : Array.isArray(v) ? v.map(String).join(',') : undefined;
  };
  const toolsetsRaw = [q('toolsets'), req.get('x-mcp-toolsets')].filter((v): v is string => v !== undefined);
  return {
    toolsets: toolsetsRaw.length ? parseToolsets(toolsetsRaw) : null,
    readOnly: parseFlag(q('read_only') ?? q('readonly'), 'read_only') || parseFlag(req.get('x-mcp-readonly'), 'X-MCP-Readonly'),
  };
}

/** Hostnames (no port) that may address /mcp: configured, or loopback plus the public URL's host. */
export function allowedHostnames(configured: readonly string[] | null, publicBaseUrl: string): string[] {
  if (configured && configured.length) return [...configured];
  const hosts = new Set(['localhost', '127.0.0.1', '[::1]']);
  try {
    hosts.add(new URL(publicBaseUrl).hostname);
  } catch {
    // an unparsable public URL only means no extra host
  }
  return [...hosts];
}
