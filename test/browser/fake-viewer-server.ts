/**
 * A minimal server for the viewer alone: the real viewer router (src/http/viewer-routes.ts) over
 * an in-memory showcase table. Used by the bench (which measures the viewer, not the API) and as
 * a fallback for the browser suite; the suite itself runs against the real app when it starts.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import express from 'express';
import { AppError } from '../../src/core/errors.js';
import { DEFAULT_SCENE_CONFIG, type SceneConfig } from '../../src/core/scene/config-schema.js';
import { createViewerRouter } from '../../src/http/viewer-routes.js';

export interface FakeModel {
  id: string;
  name: string;
  glbPath: string;
  published: boolean;
  config?: Partial<SceneConfig>;
}

export interface FakeViewerServer {
  url: string;
  models: Map<string, FakeModel>;
  /** Extra static files (test pages) served from this folder at /test/. */
  stop(): Promise<void>;
}

export async function startFakeViewerServer(opts: { publicDir: string; pagesDir?: string; operatorHdriDir?: string | null }): Promise<FakeViewerServer> {
  const models = new Map<string, FakeModel>();
  let url = '';
  const published = (id: string) => {
    const m = models.get(id);
    if (!m || !m.published) throw new AppError('model_not_found', `No published model found with ID '${id}'.`);
    return m;
  };
  const app = express();
  app.use(
    createViewerRouter({
      publicBaseUrl: () => url,
      publicDir: opts.publicDir,
      operatorHdriDir: opts.operatorHdriDir ?? null,
      showcases: {
        async publicManifest(id) {
          const m = published(id);
          const config = { ...DEFAULT_SCENE_CONFIG, ...m.config };
          const slug = config.hdri_preset;
          return {
            id: m.id,
            name: m.name,
            config,
            glb_url: `/p/${m.id}/model.glb`,
            hdri: {
              slug,
              title: slug,
              category: 'studio',
              recommended_exposure: 1,
              file_url: `/assets/hdri/${slug === 'studio_small_08_4k' ? 'studio' : slug}.exr`,
              format: 'exr',
              preview_url: null,
              alias_of: null,
              source: 'bundled',
            },
            poster_url: null,
            embed_url: `/embed/${m.id}`,
          };
        },
        async openPublicGlb(id) {
          const m = published(id);
          const size = (await stat(m.glbPath)).size;
          return { stream: createReadStream(m.glbPath), size, etag: `"${m.id}-${size}"` };
        },
      },
    }),
  );
  if (opts.pagesDir) app.use('/test', express.static(opts.pagesDir));
  app.use((err: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    res.status(500).json({ error: 'internal_error', message: String(err) });
  });
  const server = await new Promise<import('node:http').Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    models,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export const PUBLIC_DIR = path.resolve(import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname), '../../dist/public');
