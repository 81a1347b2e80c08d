/** Everything the core needs from the outside world, as ports. Built in src/container.ts. */
import type { BlobStore } from './ports/blob-store.js';
import type { Clock } from './ports/clock.js';
import type { FeedbackForwarder } from './ports/feedback-forwarder.js';
import type { GlbInspector } from './ports/glb-inspector.js';
import type { HdriCatalog } from './ports/hdri-catalog.js';
import type { IdGenerator } from './ports/ids.js';
import type { Repositories } from './ports/repositories.js';
import type { Staging } from './ports/staging.js';
import type { ThumbnailRenderer, ImageEncoder } from './ports/thumbnail-renderer.js';
import type { PlanTable } from './plans.js';

export interface CoreSettings {
  plans: PlanTable;
  anonymousTtlMs: number;
  uploadTtlMs: number;
  /** Largest `content_base64` an agent may send inline, in decoded bytes. */
  maxInlineUploadBytes: number;
  /** Whether an anonymous session may turn itself into a permanent free account. */
  allowSignup: boolean;
  /** Public origin of this server, e.g. https://vitrine.example.com (no trailing slash). */
  publicBaseUrl: string;
}

export interface CoreDeps {
  repos: Repositories;
  blobs: BlobStore;
  staging: Staging;
  inspector: GlbInspector;
  hdris: HdriCatalog;
  renderer: ThumbnailRenderer | null;
  encoder: ImageEncoder | null;
  feedbackForwarder: FeedbackForwarder | null;
  clock: Clock;
  ids: IdGenerator;
  settings: CoreSettings;
  log: CoreLog;
}

/** Minimal logger surface so the core does not depend on a logging library. */
export interface CoreLog {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}
