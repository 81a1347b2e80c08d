/** Small image helpers for the browser suite: decode PNGs, sample pixels, compare renders. */
import sharp from 'sharp';

export interface Image {
  width: number;
  height: number;
  /** RGBA, 8 bits, straight alpha. */
  data: Buffer;
}

export async function decodePng(png: Buffer | Uint8Array | string): Promise<Image> {
  const input = typeof png === 'string' ? Buffer.from(png.replace(/^data:image\/png;base64,/, ''), 'base64') : Buffer.from(png);
  const { data, info } = await sharp(input).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data };
}

export function pixel(img: Image, x: number, y: number): [number, number, number, number] {
  const i = (Math.floor(y) * img.width + Math.floor(x)) * 4;
  return [img.data[i], img.data[i + 1], img.data[i + 2], img.data[i + 3]];
}

/** The four corners, 3 px in (outside any anti-aliased edge). */
export function corners(img: Image): [number, number, number, number][] {
  const w = img.width - 4;
  const h = img.height - 4;
  return [pixel(img, 3, 3), pixel(img, w, 3), pixel(img, 3, h), pixel(img, w, h)];
}

/** Mean absolute difference per channel (0..255) over the region, RGB only. */
export function meanDiff(a: Image, b: Image, region?: { x: number; y: number; w: number; h: number }): number {
  const r = region ?? { x: 0, y: 0, w: a.width, h: a.height };
  let sum = 0;
  let n = 0;
  for (let y = r.y; y < r.y + r.h; y++) {
    for (let x = r.x; x < r.x + r.w; x++) {
      const i = (y * a.width + x) * 4;
      sum += Math.abs(a.data[i] - b.data[i]) + Math.abs(a.data[i + 1] - b.data[i + 1]) + Math.abs(a.data[i + 2] - b.data[i + 2]);
      n += 3;
    }
  }
  return sum / n;
}

/** Mean luminance (0..255) over a region. */
export function meanLuma(img: Image, region?: { x: number; y: number; w: number; h: number }): number {
  const r = region ?? { x: 0, y: 0, w: img.width, h: img.height };
  let sum = 0;
  let n = 0;
  for (let y = r.y; y < r.y + r.h; y++) {
    for (let x = r.x; x < r.x + r.w; x++) {
      const i = (y * img.width + x) * 4;
      sum += 0.2126 * img.data[i] + 0.7152 * img.data[i + 1] + 0.0722 * img.data[i + 2];
      n++;
    }
  }
  return sum / n;
}

export function hexToRgb(hex: string): [number, number, number] {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}
