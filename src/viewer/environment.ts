/**
 * HDRI environments: fetch + decode (EXRLoader / HDRLoader), repair, then prefilter with PMREM.
 *
 * Decoded pixels are cached per page by URL (several viewers on one page share one download);
 * GPU textures are cached per renderer by URL + PMREM size, because a texture belongs to one GL
 * context. PMREM cost grows with the square of its size: 64 costs ≈ 0.8 s under SwiftShader
 * against ≈ 6 s for three's default 256, so the size is a knob (render mode / software GL use 64).
 */
import {
  DataTexture,
  DataUtils,
  EquirectangularReflectionMapping,
  FloatType,
  HalfFloatType,
  LinearFilter,
  LinearSRGBColorSpace,
  PMREMGenerator,
  RGBAFormat,
  type Texture,
  type WebGLRenderer,
} from 'three';
import { EXRLoader } from 'three/examples/jsm/loaders/EXRLoader.js';
import { HDRLoader } from 'three/examples/jsm/loaders/HDRLoader.js';
import { RoomEnvironment } from 'three/examples/jsm/environments/RoomEnvironment.js';
import { repairHdrPixels } from './hdri-repair.js';

interface HdrImage {
  width: number;
  height: number;
  /** RGBA, linear, repaired. */
  data: Float32Array;
}

export interface Environment {
  /** Full-resolution equirect for a sharp `hdri` background; null for the procedural fallback. */
  equirect: Texture | null;
  /** Prefiltered radiance for lighting and for `hdri_blurred` backgrounds. */
  pmrem: Texture;
}

const decoded = new Map<string, Promise<HdrImage>>();

function formatOf(url: string, format?: string | null): 'exr' | 'hdr' {
  if (format === 'exr' || format === 'hdr') return format;
  return /\.hdr(\?|#|$)/i.test(url) ? 'hdr' : 'exr';
}

async function fetchAndDecode(url: string, format: 'exr' | 'hdr'): Promise<HdrImage> {
  const res = await fetch(url, { mode: 'cors', credentials: 'omit' });
  if (!res.ok) throw new Error(`hdri_load_failed: ${res.status} for ${url}`);
  const buffer = await res.arrayBuffer();
  const loader = format === 'hdr' ? new HDRLoader() : new EXRLoader();
  loader.setDataType(FloatType);
  const parsed = loader.parse(buffer) as unknown as { width: number; height: number; data: Float32Array };
  if (!parsed?.data) throw new Error(`hdri_decode_failed: ${url}`);
  const { width, height } = parsed;
  const channels = parsed.data.length / (width * height);
  let rgba = parsed.data;
  if (channels !== 4) {
    // Single-channel or RGB files: widen to RGBA so one code path handles every file.
    rgba = new Float32Array(width * height * 4);
    for (let p = 0; p < width * height; p++) {
      for (let c = 0; c < 3; c++) rgba[p * 4 + c] = parsed.data[p * channels + Math.min(c, channels - 1)];
      rgba[p * 4 + 3] = 1;
    }
  }
  repairHdrPixels(rgba, 4);
  return { width, height, data: rgba };
}

export function loadHdrImage(url: string, format?: string | null): Promise<HdrImage> {
  let pending = decoded.get(url);
  if (!pending) {
    pending = fetchAndDecode(url, formatOf(url, format));
    pending.catch(() => decoded.delete(url));
    decoded.set(url, pending);
  }
  return pending;
}

/** Box-filters an equirect down by an integer factor: PMREM input only needs 4 × its cube size. */
function downscale(img: HdrImage, factor: number): HdrImage {
  if (factor <= 1) return img;
  const width = Math.floor(img.width / factor);
  const height = Math.floor(img.height / factor);
  const data = new Float32Array(width * height * 4);
  const norm = 1 / (factor * factor);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 4;
      for (let dy = 0; dy < factor; dy++) {
        for (let dx = 0; dx < factor; dx++) {
          const i = ((y * factor + dy) * img.width + x * factor + dx) * 4;
          data[o] += img.data[i] * norm;
          data[o + 1] += img.data[i + 1] * norm;
          data[o + 2] += img.data[i + 2] * norm;
        }
      }
      data[o + 3] = 1;
    }
  }
  return { width, height, data };
}

/** Half floats filter linearly everywhere (float32 needs an extension many phones lack). */
function toTexture(img: HdrImage): DataTexture {
  const half = new Uint16Array(img.data.length);
  for (let i = 0; i < half.length; i++) half[i] = DataUtils.toHalfFloat(img.data[i]);
  const tex = new DataTexture(half, img.width, img.height, RGBAFormat, HalfFloatType);
  tex.mapping = EquirectangularReflectionMapping;
  tex.colorSpace = LinearSRGBColorSpace;
  tex.magFilter = LinearFilter;
  tex.minFilter = LinearFilter;
  tex.generateMipmaps = false;
  tex.needsUpdate = true;
  return tex;
}

/** One renderer's environments. Bounded, because a page in render mode may cycle through many. */
export class EnvironmentLibrary {
  private readonly pmrem: PMREMGenerator;
  private readonly cache = new Map<string, Promise<Environment>>();
  private readonly limit = 6;

  constructor(
    private readonly renderer: WebGLRenderer,
    public pmremSize: number,
  ) {
    this.pmrem = new PMREMGenerator(renderer);
  }

  /** `url` null → a procedural studio (three's RoomEnvironment): lit, never blank. */
  get(url: string | null, format?: string | null): Promise<Environment> {
    const key = `${url ?? 'room'}|${this.pmremSize}`;
    let env = this.cache.get(key);
    if (env) {
      // Refresh its place in the LRU order.
      this.cache.delete(key);
      this.cache.set(key, env);
      return env;
    }
    env = url ? this.build(url, format) : Promise.resolve(this.buildRoom());
    env.catch(() => this.cache.delete(key));
    this.cache.set(key, env);
    this.evict();
    return env;
  }

  private async build(url: string, format?: string | null): Promise<Environment> {
    const img = await loadHdrImage(url, format);
    const size = this.pmremSize;
    const small = downscale(img, Math.max(1, Math.floor(img.width / (size * 4))));
    const source = toTexture(small);
    const target = this.pmrem.fromEquirectangular(source);
    source.dispose();
    const equirect = small === img ? toTexture(img) : toTexture(downscale(img, Math.max(1, Math.floor(img.width / 2048))));
    return { equirect, pmrem: target.texture };
  }

  private buildRoom(): Environment {
    const room = new RoomEnvironment();
    const target = this.pmrem.fromScene(room, 0.04, 0.1, 100, { size: this.pmremSize });
    room.dispose();
    return { equirect: null, pmrem: target.texture };
  }

  private evict(): void {
    while (this.cache.size > this.limit) {
      const [oldest, pending] = this.cache.entries().next().value as [string, Promise<Environment>];
      this.cache.delete(oldest);
      // A viewer may still show it for one frame; dispose after the next environment is set.
      pending.then((e) => setTimeout(() => disposeEnvironment(e), 1000)).catch(() => {});
    }
  }

  dispose(): void {
    for (const pending of this.cache.values()) pending.then(disposeEnvironment).catch(() => {});
    this.cache.clear();
    this.pmrem.dispose();
  }
}

function disposeEnvironment(env: Environment): void {
  env.equirect?.dispose();
  env.pmrem.dispose();
}
