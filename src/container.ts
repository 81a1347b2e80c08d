/**
 * Composition root: the only place that names concrete classes. Reads the Config, picks the
 * backends, builds the core and the faces that serve it.
 */
import path from 'node:path';
import type { Express } from 'express';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { createCore, type Core } from './core/core.js';
import type { CoreDeps } from './core/deps.js';
import type { Clock } from './core/ports/clock.js';
import { systemClock } from './core/ports/clock.js';
import type { IdGenerator } from './core/ports/ids.js';
import { randomIds } from './core/random-ids.js';
import { Authenticator } from './auth/authenticator.js';
import { createSupabaseJwtVerifier } from './auth/jwt-verifier.js';
import { createWebhookForwarder } from './feedback/webhook-forwarder.js';
import { ValidatingGlbInspector } from './glb/validating-glb-inspector.js';
import { createApp } from './http/app.js';
import { Gatekeeper } from './http/gatekeeper.js';
import { createViewerRouter } from './http/viewer-routes.js';
import { mountThumbnailRoutes } from './http/thumbnail-routes.js';
import { createRenderParts } from './render/render-wiring.js';
import { createLogger } from './logger.js';
import { RequestLimiter } from './ratelimit/request-limiter.js';
import { selectStorage } from './store/select-storage.js';
import { FsStaging } from './uploads/fs-staging.js';
import { FsHdriCatalog } from '../resources/hdri/fs-hdri-catalog.js';
import { OPERATIONS } from '../tools/catalogue.js';

export interface ContainerOptions {
  clock?: Clock;
  ids?: IdGenerator;
  log?: Logger;
}

export interface Container {
  config: Config;
  core: Core;
  log: Logger;
  auth: Authenticator;
  limiter: RequestLimiter;
  gate: Gatekeeper;
  /** Builds the Express app (REST, viewer, and /mcp when a mount is given). */
  app(mountMcp?: (app: Express) => void): Express;
  close(): Promise<void>;
}

export async function createContainer(config: Config, opts: ContainerOptions = {}): Promise<Container> {
  const log = opts.log ?? createLogger(config.logLevel);
  const clock = opts.clock ?? systemClock;
  const ids = opts.ids ?? randomIds;
  const stagingDir = path.join(config.dataDir, 'tmp');
  const storage = await selectStorage(config, { stagingDir, log });
  const hdris = new FsHdriCatalog({ builtDir: path.join(config.publicDir, 'assets', 'hdri'), operatorDir: config.hdriDir, publicPrefix: '/assets/hdri' });

  // Thumbnails: Chromium renderer (null without a browser binary → renderer_unavailable), sharp encoder.
  const render = createRenderParts(config, () => deps.settings.publicBaseUrl, log);
  const deps: CoreDeps = {
    repos: storage.repos,
    blobs: storage.blobs,
    staging: new FsStaging({ dir: stagingDir, allowPrivateUrls: config.allowPrivateUrls }),
    inspector: new ValidatingGlbInspector(),
    hdris,
    renderer: render.renderer,
    encoder: render.encoder,
    feedbackForwarder: config.feedbackWebhookUrl ? createWebhookForwarder(config.feedbackWebhookUrl) : null,
    clock,
    ids,
    settings: {
      plans: config.plans,
      anonymousTtlMs: config.anonymousTtlMs,
      uploadTtlMs: config.uploadTtlMs,
      maxInlineUploadBytes: config.maxInlineUploadBytes,
      allowSignup: config.allowSignup,
      publicBaseUrl: config.publicUrl,
    },
    log,
  };
  const core = createCore(deps);
  if (deps.renderer) core.thumbnails.startBackground({ onUpload: config.render.onUpload });
  const auth = new Authenticator(storage.repos, clock, ids, createSupabaseJwtVerifier({ supabaseUrl: config.supabase.url, hs256Secret: config.supabase.jwtSecret }));
  const limiter = new RequestLimiter(storage.rateLimiter, config.plans);
  const gate = new Gatekeeper(core, auth, limiter);

  return {
    config,
    core,
    log,
    auth,
    limiter,
    gate,
    app: (mountMcp) =>
      createApp({
        core,
        gate,
        operations: OPERATIONS,
        log,
        trustProxy: config.trustProxy,
        mountMcp,
        extraRoutes: [(a) => mountThumbnailRoutes(a, { core, gate, signer: render.signer })],
        viewerRouter: createViewerRouter({
          publicBaseUrl: () => core.deps.settings.publicBaseUrl,
          publicDir: config.publicDir,
          operatorHdriDir: config.hdriDir,
          showcases: core.showcases,
        }),
      }),
    async close() {
      core.thumbnails.stop();
      await core.deps.renderer?.close();
      await storage.close();
    },
  };
}
