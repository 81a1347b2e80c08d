import type { SceneConfig } from '../scene/config-schema.js';

export interface RenderJob {
  /** URL the browser can fetch the GLB from (a short-lived signed URL for private models). */
  glbUrl: string;
  hdriUrl: string | null;
  config: SceneConfig;
  width: number;
  height: number;
  signal?: AbortSignal;
  onProgress?: (progress: number, total: number, message: string) => void;
}

/** Renders the real viewer to a PNG. Throws renderer_unavailable / renderer_busy / render_failed. */
export interface ThumbnailRenderer {
  render(job: RenderJob): Promise<Buffer>;
  available(): Promise<boolean>;
  close(): Promise<void>;
}

/** Encodes a PNG master into the stored sizes. */
export interface ImageEncoder {
  resizeWebp(png: Buffer, width: number, height: number): Promise<Buffer>;
}
