import type { SceneConfig } from '../scene/config-schema.js';

/** One output image of a render job, in device pixels. */
export interface RenderFrame {
  width: number;
  height: number;
}

export interface RenderJob {
  /**
   * A URL the browser can fetch the GLB from (absolute, or relative to the renderer's page).
   * Exactly one of `glbUrl` / `glbKey` is set.
   */
  glbUrl?: string;
  /**
   * The GLB's blob key. The renderer gives its own browser a short-lived signed URL for it, so
   * private models can be rendered without ever being public.
   */
  glbKey?: string;
  /** The environment file (public path such as `/assets/hdri/studio.exr`); null → the viewer resolves `config.hdri_preset`. */
  hdriUrl: string | null;
  config: SceneConfig;
  width: number;
  height: number;
  signal?: AbortSignal;
  onProgress?: (progress: number, total: number, message: string) => void;
}

/**
 * Renders the real viewer to PNGs (alpha kept). Throws AppError `renderer_unavailable` (no
 * browser), `renderer_busy` (queue full, with retryAfterSeconds) or `render_failed` (the model
 * did not load, the render timed out, the browser died; `details.cancelled` when the signal
 * aborted).
 */
export interface ThumbnailRenderer {
  render(job: RenderJob): Promise<Buffer>;
  /**
   * Several frames of one model and config in one queue slot (e.g. the square master and the
   * layout-aspect frame): the model loads once. One PNG per frame, in order.
   */
  renderFrames(job: Omit<RenderJob, 'width' | 'height'>, frames: readonly RenderFrame[]): Promise<Buffer[]>;
  available(): Promise<boolean>;
  close(): Promise<void>;
}

/** Encodes a PNG master into the stored sizes. */
export interface ImageEncoder {
  /** Resizes (cover, centred) and encodes as WebP. */
  resizeWebp(png: Buffer, width: number, height: number): Promise<Buffer>;
  /** Resizes (cover, centred) and encodes as PNG with alpha (e.g. a small image for an agent to look at). */
  resizePng(png: Buffer, width: number, height: number): Promise<Buffer>;
}
