/** ImageEncoder on sharp: the PNG master → WebP sizes (alpha kept), and small PNGs for agents. */
import sharp from 'sharp';
import type { ImageEncoder } from '../core/ports/thumbnail-renderer.js';

// Thumbnails are encoded a few at a time; keep libvips from fanning out over both cores.
sharp.concurrency(1);

export class SharpEncoder implements ImageEncoder {
  constructor(private readonly opts: { webpQuality?: number } = {}) {}

  async resizeWebp(png: Buffer, width: number, height: number): Promise<Buffer> {
    return sharp(png)
      .resize(width, height, { fit: 'cover', position: 'centre', kernel: 'lanczos3' })
      .webp({ quality: this.opts.webpQuality ?? 85, alphaQuality: 100, effort: 3, smartSubsample: true })
      .toBuffer();
  }

  async resizePng(png: Buffer, width: number, height: number): Promise<Buffer> {
    return sharp(png).resize(width, height, { fit: 'cover', position: 'centre' }).png({ compressionLevel: 6 }).toBuffer();
  }
}
