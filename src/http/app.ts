/**
 * The Express app: security headers, CORS, request ids, the /v1 operations, the upload flow,
 * the public viewer routes, health checks and the error format. Built from the container's
 * parts; it holds no state of its own.
 */
import express, { type Express, type RequestHandler, type Router } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import type { Core } from '../core/core.js';
import type { Operation } from '../../tools/operation.js';
import { cors } from './cors.js';
import { errorHandler, notFoundHandler } from './error-handler.js';
import type { Gatekeeper } from './gatekeeper.js';
import { mountOperations } from './mount-operations.js';
import { buildOpenApi } from './openapi.js';
import { requestContext } from './request-context.js';
import { mountUploadRoutes } from './upload-routes.js';

export interface AppParts {
  core: Core;
  gate: Gatekeeper;
  operations: readonly Operation[];
  log: Logger;
  trustProxy: string | null;
  /** Public viewer routes (/vitrine.js, /embed/:id, /p/:id/…, /assets/…), framing rules their own. */
  viewerRouter?: Router;
  /** Extra routes owned elsewhere (thumbnail files…), mounted before the JSON parser. */
  extraRoutes?: ((app: Express) => void)[];
  /** The MCP Streamable HTTP endpoint, mounted at /mcp before any body parser. */
  mountMcp?: (app: Express) => void;
}

/** Pages meant to be framed by other sites; everything else denies framing. */
const isFramable = (path: string) => path.startsWith('/embed/') || path === '/oembed';

export function createApp(parts: AppParts): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', parts.trustProxy ?? false);
  app.set('etag', false);

  app.use(requestContext(parts.log));
  const secure = helmet({
    crossOriginResourcePolicy: { policy: 'cross-origin' },
    crossOriginEmbedderPolicy: false,
    frameguard: { action: 'deny' },
    contentSecurityPolicy: { directives: { 'frame-ancestors': ["'none'"], 'upgrade-insecure-requests': null } },
  });
  const framable = helmet({ frameguard: false, contentSecurityPolicy: false, crossOriginResourcePolicy: { policy: 'cross-origin' }, crossOriginEmbedderPolicy: false });
  app.use(((req, res, next) => (isFramable(req.path) ? framable : secure)(req, res, next)) as RequestHandler);
  app.use(cors);

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    try {
      await parts.core.deps.repos.ping();
      res.json({ status: 'ready', renderer: parts.core.deps.renderer ? 'configured' : 'unavailable' });
    } catch {
      res.status(503).json({ error: 'internal_error', message: 'Database not reachable.' });
    }
  });

  parts.mountMcp?.(app);
  mountUploadRoutes(app, parts.core, parts.gate);
  for (const mount of parts.extraRoutes ?? []) mount(app);
  if (parts.viewerRouter) app.use(parts.viewerRouter);

  // Built once per public URL (it only changes when a port-0 server learns its port).
  let openApi: { base: string; doc: Record<string, unknown> } | null = null;
  app.get('/v1/openapi.json', async (req, res) => {
    await parts.gate.admit(req, res, 'none');
    const base = parts.core.deps.settings.publicBaseUrl;
    if (openApi?.base !== base) openApi = { base, doc: buildOpenApi(parts.operations, base) };
    res.json(openApi.doc);
  });
  mountOperations(app, parts.operations, parts.core, parts.gate);
  // Misses under /v1 are API responses too: they spend and report the rate limit like the rest.
  app.use('/v1', async (req, res, next) => {
    await parts.gate.admit(req, res, 'none');
    next();
  });

  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}
