/**
 * Public viewer routes: everything a product page needs to show a published model, with no auth.
 *
 *   GET /vitrine.js(.map), /render.html        the bundled viewer (CORS *, short cache)
 *   GET /assets/decoders/*                     Draco / Basis / meshopt decoders (long cache)
 *   GET /assets/hdri/catalog.json              presets that exist (bundled + operator files)
 *   GET /assets/hdri/<file>                    operator folder first, then the bundled files
 *   GET /p/:id/manifest.json, /p/:id/model.glb published models only; 404 otherwise
 *   GET /embed/:id                             the iframe page (strict CSP, framable anywhere)
 *   GET /oembed?url=…&format=json              oEmbed "rich" response for CMSs
 *
 * Unknown and unpublished ids answer the same 404 `model_not_found`: the outside world cannot
 * tell whether a private model exists.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { FsHdriCatalog, OPERATOR_FILE_PATTERN } from '../../resources/hdri/fs-hdri-catalog.js';
import { isAppError } from '../core/errors.js';
import type { PublicManifest } from '../core/showcases/showcase-service.js';
import { embedSnippet, parseAspectRatio } from '../viewer/embed-snippet.js';
import { embedCsp, embedOverride, embedPage, GONE_PAGE, idFromEmbedUrl, sha } from './embed-page.js';

export interface ViewerRouteDeps {
  /**
   * e.g. http://127.0.0.1:8787, no trailing slash. A function is read per request, for servers
   * whose URL is only known once they listen (port 0 in tests).
   */
  publicBaseUrl: string | (() => string);
  /** dist/public (vitrine.js, assets/). */
  publicDir: string;
  operatorHdriDir: string | null;
  showcases: {
    publicManifest(id: string): Promise<PublicManifest>;
    openPublicGlb(id: string): Promise<{ stream: NodeJS.ReadableStream; size: number; etag: string }>;
  };
}

const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

const CACHE = {
  script: 'public, max-age=300, stale-while-revalidate=86400',
  immutable: 'public, max-age=604800',
  hdri: 'public, max-age=86400',
  data: 'public, max-age=60',
  glb: 'public, max-age=300, stale-while-revalidate=3600',
} as const;

/** CORS + CORP: a page on any origin may load these with <script>, fetch or <img>. */
function publicHeaders(res: Response, cache: string): void {
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
  res.setHeader('Timing-Allow-Origin', '*');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Cache-Control', cache);
}

function notFound(res: Response, id: string): void {
  res.status(404).json({ error: 'model_not_found', message: `No published model found with ID '${id}'.` });
}

/** Maps "not published / unknown" to the public 404; everything else goes to the app's handler. */
function handleModelError(err: unknown, res: Response, next: NextFunction, id: string): void {
  if (isAppError(err) && (err.code === 'model_not_found' || err.code === 'not_published' || err.code === 'not_found')) {
    notFound(res, id);
    return;
  }
  next(err);
}

async function sendFile(res: Response, file: string, type: string, cache: string, req: Request): Promise<boolean> {
  let info;
  try {
    info = await stat(file);
  } catch {
    return false;
  }
  if (!info.isFile()) return false;
  const etag = `W/"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;
  publicHeaders(res, cache);
  res.setHeader('ETag', etag);
  res.setHeader('Last-Modified', info.mtime.toUTCString());
  res.setHeader('Content-Type', type);
  if (req.headers['if-none-match'] === etag) {
    res.status(304).end();
    return true;
  }
  res.setHeader('Content-Length', String(info.size));
  if (req.method === 'HEAD') {
    res.end();
    return true;
  }
  await pipeline(createReadStream(file), res);
  return true;
}

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.exr': 'image/x-exr',
  '.hdr': 'image/vnd.radiance',
  '.webp': 'image/webp',
  '.json': 'application/json; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
};
const typeOf = (file: string) => TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';

export function createViewerRouter(deps: ViewerRouteDeps): Router {
  const router = express.Router();
  const baseUrl = () => (typeof deps.publicBaseUrl === 'function' ? deps.publicBaseUrl() : deps.publicBaseUrl).replace(/\/+$/, '');
  const hdriDir = path.join(deps.publicDir, 'assets', 'hdri');
  const catalog = new FsHdriCatalog({ builtDir: hdriDir, operatorDir: deps.operatorHdriDir, publicPrefix: '/assets/hdri' });

  const missingBuild = (res: Response) =>
    res.status(503).json({ error: 'internal_error', message: 'The viewer is not built. Run `npm run build`.' });

  for (const name of ['vitrine.js', 'vitrine.js.map', 'render.html']) {
    router.get(`/${name}`, async (req, res, next) => {
      try {
        if (!(await sendFile(res, path.join(deps.publicDir, name), typeOf(name), CACHE.script, req))) missingBuild(res);
      } catch (err) {
        next(err);
      }
    });
  }

  router.get('/assets/decoders/*rest', async (req, res, next) => {
    // Express 5 (path-to-regexp 8) gives a wildcard as an array of path segments.
    const rest = (req.params as Record<string, unknown>).rest;
    const parts = (Array.isArray(rest) ? rest.map(String) : String(rest ?? '').split('/')).filter(Boolean);
    // Fixed shape: [dir/]file with safe names only — no traversal is even expressible.
    if (parts.length === 0 || parts.length > 2 || !parts.every((p) => /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(p))) return next();
    try {
      if (!(await sendFile(res, path.join(deps.publicDir, 'assets', 'decoders', ...parts), typeOf(parts.at(-1)!), CACHE.immutable, req))) next();
    } catch (err) {
      next(err);
    }
  });

  router.get('/assets/hdri/catalog.json', async (_req, res, next) => {
    try {
      const hdris = await catalog.list();
      publicHeaders(res, CACHE.data);
      res.json({ hdris });
    } catch (err) {
      next(err);
    }
  });

  router.get('/assets/hdri/:file', async (req, res, next) => {
    const file = req.params.file;
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,160}$/.test(file)) return next();
    try {
      if (deps.operatorHdriDir && OPERATOR_FILE_PATTERN.test(file)) {
        if (await sendFile(res, path.join(deps.operatorHdriDir, file), typeOf(file), CACHE.data, req)) return;
      }
      if (!(await sendFile(res, path.join(hdriDir, file), typeOf(file), CACHE.hdri, req))) next();
    } catch (err) {
      next(err);
    }
  });

  router.get('/p/:id/manifest.json', async (req, res, next) => {
    const id = req.params.id;
    if (!ID_PATTERN.test(id)) return notFound(res, id);
    try {
      const manifest = await deps.showcases.publicManifest(id);
      const body = JSON.stringify(manifest);
      const etag = `W/"${sha(body).slice(0, 27)}"`;
      publicHeaders(res, CACHE.data);
      res.setHeader('ETag', etag);
      if (req.headers['if-none-match'] === etag) {
        res.status(304).end();
        return;
      }
      res.type('application/json').send(body);
    } catch (err) {
      handleModelError(err, res, next, id);
    }
  });

  router.get('/p/:id/model.glb', async (req, res, next) => {
    const id = req.params.id;
    if (!ID_PATTERN.test(id)) return notFound(res, id);
    let glb: Awaited<ReturnType<ViewerRouteDeps['showcases']['openPublicGlb']>>;
    try {
      glb = await deps.showcases.openPublicGlb(id);
    } catch (err) {
      return handleModelError(err, res, next, id);
    }
    const stream = glb.stream as NodeJS.ReadableStream & { destroy?: () => void };
    publicHeaders(res, CACHE.glb);
    res.setHeader('ETag', glb.etag);
    res.setHeader('Content-Type', 'model/gltf-binary');
    if (req.headers['if-none-match'] === glb.etag || req.method === 'HEAD') {
      stream.destroy?.();
      if (req.method === 'HEAD') res.setHeader('Content-Length', String(glb.size));
      res.status(req.method === 'HEAD' ? 200 : 304).end();
      return;
    }
    res.setHeader('Content-Length', String(glb.size));
    try {
      await pipeline(stream, res);
    } catch {
      // The visitor went away mid-download, or the store failed after headers were sent:
      // nothing useful can be said on this response any more.
      res.destroy();
    }
  });

  router.get('/embed/:id', async (req, res, next) => {
    const id = req.params.id;
    const gone = () => {
      res.setHeader('Content-Security-Policy', embedCsp());
      res.removeHeader('X-Frame-Options');
      res.status(404).type('html').send(GONE_PAGE);
    };
    if (!ID_PATTERN.test(id)) return gone();
    try {
      const manifest = await deps.showcases.publicManifest(id);
      res.removeHeader('X-Frame-Options');
      res.setHeader('Content-Security-Policy', embedCsp());
      res.setHeader('Cache-Control', CACHE.data);
      res.setHeader('Referrer-Policy', 'strict-origin-when-cross-origin');
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.type('html').send(embedPage(baseUrl(), manifest, embedOverride(req.query.config)));
    } catch (err) {
      if (isAppError(err) && ['model_not_found', 'not_published', 'not_found'].includes(err.code)) return gone();
      next(err);
    }
  });

  router.get('/oembed', async (req, res, next) => {
    publicHeaders(res, CACHE.data);
    const url = typeof req.query.url === 'string' ? req.query.url : '';
    const format = typeof req.query.format === 'string' ? req.query.format : 'json';
    if (!url) {
      res.status(400).json({ error: 'invalid_request', message: 'The url query parameter is required.' });
      return;
    }
    if (format !== 'json') {
      res.status(501).json({ error: 'invalid_request', message: 'Only format=json is supported.' });
      return;
    }
    const base = baseUrl();
    // Also accept the origin this request reached us by (a proxy or a test on port 0 may not
    // match the configured public URL); only published models answer either way.
    const id = idFromEmbedUrl(base, url) ?? idFromEmbedUrl(`${req.protocol}://${req.get('host')}`, url);
    if (!id) return notFound(res, url.slice(0, 200));
    try {
      const m = await deps.showcases.publicManifest(id);
      const { w, h } = parseAspectRatio(m.config.aspect_ratio);
      const maxW = Number(req.query.maxwidth) > 0 ? Math.floor(Number(req.query.maxwidth)) : Infinity;
      const maxH = Number(req.query.maxheight) > 0 ? Math.floor(Number(req.query.maxheight)) : Infinity;
      let width = Math.min(w >= h ? 800 : 480, maxW);
      let height = Math.round((width * h) / w);
      if (height > maxH) {
        height = maxH;
        width = Math.round((height * w) / h);
      }
      const snippet = embedSnippet({ publicBaseUrl: base, id: m.id, name: m.name, aspectRatio: m.config.aspect_ratio, width, height });
      res.json({
        version: '1.0',
        type: 'rich',
        provider_name: 'vitrine',
        provider_url: base,
        title: m.name,
        html: snippet.iframe_html,
        width,
        height,
      });
    } catch (err) {
      handleModelError(err, res, next, id);
    }
  });

  return router;
}
