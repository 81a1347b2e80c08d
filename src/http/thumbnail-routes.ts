/**
 * Thumbnail files and the renderer's private GLB route.
 *
 *   GET /p/:id/thumbnails/:file        published models, public (CORS *, short cache + ETag)
 *   GET /p/:id/poster.webp             the embed's poster (= 1024.webp), public
 *   GET /v1/models/:id/thumbnails/:file the owner's own thumbnails (Bearer; private cache)
 *   GET /_render/glb/:token            a model's GLB for the headless browser, through a
 *                                      short-lived signed token (unpublished GLBs stay private)
 *
 * `:file` is one of 1024.webp, 512.webp, 256.webp, aspect.webp, master.png. Unknown and
 * unpublished ids answer the same 404 as the other public routes.
 */
import { pipeline } from 'node:stream/promises';
import type { Express, NextFunction, Request, Response } from 'express';
import type { Core } from '../core/core.js';
import { AppError, isAppError } from '../core/errors.js';
import type { BlobHandle } from '../core/ports/blob-store.js';
import { THUMBNAIL_FILES } from '../core/thumbnails/thumbnail-sizes.js';
import type { RenderUrlSigner } from '../render/render-url-signer.js';
import { RENDER_GLB_ROUTE } from '../render/render-url-signer.js';
import type { Gatekeeper } from './gatekeeper.js';

export interface ThumbnailRouteDeps {
  core: Core;
  gate: Gatekeeper;
  signer: RenderUrlSigner | null;
}

const PUBLIC_CACHE = 'public, max-age=300, stale-while-revalidate=86400';
const PRIVATE_CACHE = 'private, max-age=60';

function fileOf(name: string): { size: string; contentType: string } {
  const file = Object.hasOwn(THUMBNAIL_FILES, name) ? THUMBNAIL_FILES[name] : undefined;
  if (!file) throw new AppError('not_found', `Unknown thumbnail file '${name}'. Use one of: ${Object.keys(THUMBNAIL_FILES).join(', ')}.`);
  return file;
}

async function send(req: Request, res: Response, blob: BlobHandle & { etag: string }, contentType: string, cache: string): Promise<void> {
  res.setHeader('Content-Type', contentType);
  res.setHeader('Cache-Control', cache);
  res.setHeader('ETag', blob.etag);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  if (req.headers['if-none-match'] === blob.etag) {
    blob.stream.destroy();
    res.status(304).end();
    return;
  }
  res.setHeader('Content-Length', String(blob.size));
  if (req.method === 'HEAD') {
    blob.stream.destroy();
    res.end();
    return;
  }
  await pipeline(blob.stream, res);
}

/** Unknown, unpublished and missing files all look the same from outside. */
function publicNotFound(err: unknown, res: Response, next: NextFunction, id: string): void {
  if (isAppError(err) && (err.code === 'model_not_found' || err.code === 'not_found' || err.code === 'not_published')) {
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.status(404).json({ error: err.code === 'not_found' ? 'not_found' : 'model_not_found', message: err.code === 'not_found' ? err.message : `No published model found with ID '${id}'.` });
    return;
  }
  next(err);
}

export function mountThumbnailRoutes(app: Express, deps: ThumbnailRouteDeps): void {
  const { core, gate, signer } = deps;

  const publicThumb = (fixedFile?: string) => async (req: Request, res: Response, next: NextFunction) => {
    const id = String(req.params.id);
    try {
      const file = fileOf(fixedFile ?? String(req.params.file));
      const blob = await core.showcases.openPublicThumbnail(id, file.size);
      res.setHeader('Access-Control-Allow-Origin', '*');
      res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
      await send(req, res, blob, file.contentType, PUBLIC_CACHE);
    } catch (err) {
      publicNotFound(err, res, next, id);
    }
  };
  app.get('/p/:id/thumbnails/:file', publicThumb());
  app.get('/p/:id/poster.webp', publicThumb('1024.webp'));

  app.get('/v1/models/:id/thumbnails/:file', async (req, res) => {
    const principal = await gate.admit(req, res, 'required');
    const file = fileOf(String(req.params.file));
    const model = await core.models.require(principal!, String(req.params.id));
    const key = model.thumbnail.keys[file.size];
    const blob = key ? await core.deps.blobs.open(key) : null;
    if (!blob) throw new AppError('not_found', `No thumbnail '${req.params.file}' for model '${model.id}' yet. Render it: POST /v1/models/${model.id}/thumbnail.`);
    await send(req, res, { ...blob, etag: `"${model.sha256.slice(0, 16)}-${model.thumbnail.rendered_at}-${file.size}"` }, file.contentType, PRIVATE_CACHE);
  });

  app.get(`${RENDER_GLB_ROUTE}/:token`, async (req, res) => {
    const key = signer?.verify(String(req.params.token)) ?? null;
    // Only model files, whatever a token says.
    if (!key || !/^models\/[A-Za-z0-9_-]{1,64}\/model\.glb$/.test(key)) {
      res.status(404).json({ error: 'not_found', message: 'Unknown or expired render link.' });
      return;
    }
    const blob = await core.deps.blobs.open(key);
    if (!blob) {
      res.status(404).json({ error: 'not_found', message: 'The model file is gone.' });
      return;
    }
    res.setHeader('Content-Type', 'model/gltf-binary');
    res.setHeader('Content-Length', String(blob.size));
    res.setHeader('Cache-Control', 'no-store');
    await pipeline(blob.stream, res);
  });
}
