/** The thumbnail set: which images a render stores, their sizes and file names. */
import type { RenderFrame } from '../ports/thumbnail-renderer.js';

export const MASTER_SIZE = 1024;
export const SQUARE_SIZES = [1024, 512, 256] as const;
export const PREVIEW_DEFAULT_SIZE = 512;
export const AGENT_IMAGE_SIZE = 512;

export const thumbnailPrefix = (id: string) => `models/${id}/thumbs/`;

/** Size names → file names in the thumbnail URLs (`1024.webp`, …, `master.png`). */
export const THUMBNAIL_FILES: Record<string, { size: string; contentType: string }> = {
  'master.png': { size: 'master', contentType: 'image/png' },
  '1024.webp': { size: '1024', contentType: 'image/webp' },
  '512.webp': { size: '512', contentType: 'image/webp' },
  '256.webp': { size: '256', contentType: 'image/webp' },
  'aspect.webp': { size: 'aspect', contentType: 'image/webp' },
};

/** The layout-aspect frame: long side MASTER_SIZE. Null when the layout is square. */
export function aspectFrame(ratio: string): RenderFrame | null {
  const [w, h] = ratio.split(':').map(Number);
  if (!(w! > 0 && h! > 0) || w === h) return null;
  return w! > h! ? { width: MASTER_SIZE, height: Math.round((MASTER_SIZE * h!) / w!) } : { width: Math.round((MASTER_SIZE * w!) / h!), height: MASTER_SIZE };
}
