/**
 * ImageEncoder on sharp: the PNG master → WebP sizes (alpha kept), and small PNGs for agents.
 *
 * Measured on a 1024² master (2 cores): WebP effort 3 with smartSubsample ≈ 270 ms for the three
 * squares, effort 2 without it ≈ 60 ms and slightly smaller files. A master is decoded once and
 * reused for all its sizes.
 */
import sharp from 'sharp';
import type { ImageEncoder } from '../core/ports/thumbnail-renderer.js';

// Thumbnails are encoded a few at a time; keep libvips from fanning out over both cores.
sharp.concurrency(1);

interface Decoded {
  data: Buffer;
  width: number;
  height: number;
  channels: 1 | 2 | 3 | 4;
}

export class SharpEncoder implements ImageEncoder {
  private readonly decoded = new WeakMap<Buffer, Promise<Decoded>>();

  constructor(private readonly opts: { webpQuality?: number } = {}) {}

  async resizeWebp(png: Buffer, width: number, height: number): Promise<Buffer> {
    return (await this.source(png))
      .resize(width, height, { fit: 'cover', position: 'centre', kernel: 'lanczos3' })
      .webp({ quality: this.opts.webpQuality ?? 85, alphaQuality: 100, effort: 2 })
      .toBuffer();
  }

  async resizePng(png: Buffer, width: number, height: number): Promise<Buffer> {
    return (await this.source(png)).resize(width, height, { fit: 'cover', position: 'centre' }).png({ compressionLevel: 6 }).toBuffer();
  }

  private async source(png: Buffer): Promise<ReturnType<typeof sharp>> {
    let pending = this.decoded.get(png);
    if (!pending) {
      pending = sharp(png)
        .raw()
        .toBuffer({ resolveWithObject: true })
        .then(({ data, info }) => ({ data, width: info.width, height: info.height, channels: info.channels }));
      this.decoded.set(png, pending);
    }
    const d = await pending;
    return sharp(d.data, { raw: { width: d.width, height: d.height, channels: d.channels } });
  }
}
