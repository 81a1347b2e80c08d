#!/usr/bin/env node
/**
 * Writes the CC0 HDRIs shipped (base64) in `@pmndrs/assets/hdri/*.exr.js` out as binary files:
 *   dist/public/assets/hdri/<slug>.exr          the environment, loaded by the viewer's EXRLoader
 *   dist/public/assets/hdri/<slug>.preview.webp  a 256×128 tonemapped preview
 *   dist/public/assets/hdri/catalog.json         slug, title, category, recommended exposure, files
 *
 * Nothing is downloaded: the data is already in node_modules. The step is idempotent and skips all
 * work when every output is newer than its inputs (this script and the package files).
 * `studio_small_08_4k` (the example in the public API page) is a documented alias of `studio`,
 * so the catalogue lists it with `alias_of: "studio"` and the same file.
 */
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const require = createRequire(import.meta.url);
const assetsDir = path.join(path.dirname(require.resolve('@pmndrs/assets/package.json')), 'hdri');
const outDir = path.join(root, 'dist', 'public', 'assets', 'hdri');
const catalogPath = path.join(outDir, 'catalog.json');
const force = process.argv.includes('--force');

/**
 * Hand-written metadata: titles and categories a person would pick. The recommended exposure is
 * measured from the pixels below (so a dim night scene gets a boost), then clamped.
 */
const META = {
  apartment: { title: 'Apartment', category: 'indoor' },
  bridge: { title: 'Bridge', category: 'outdoor' },
  city: { title: 'City', category: 'urban' },
  dawn: { title: 'Dawn', category: 'sky' },
  esplanade: { title: 'Esplanade', category: 'urban' },
  forest: { title: 'Forest', category: 'nature' },
  hall: { title: 'Hall', category: 'indoor' },
  lab: { title: 'Lab', category: 'indoor' },
  lobby: { title: 'Lobby', category: 'indoor' },
  night: { title: 'Night', category: 'sky' },
  park: { title: 'Park', category: 'nature' },
  sky: { title: 'Sky', category: 'sky' },
  studio: { title: 'Studio', category: 'studio' },
  sunrise: { title: 'Sunrise', category: 'sky' },
  sunset: { title: 'Sunset', category: 'sky' },
  venice: { title: 'Venice', category: 'urban' },
  warehouse: { title: 'Warehouse', category: 'indoor' },
  workshop: { title: 'Workshop', category: 'indoor' },
};

const ALIASES = [
  {
    slug: 'studio_small_08_4k',
    alias_of: 'studio',
    title: 'Studio Small 08 (alias of Studio)',
    note: 'Alias of the bundled studio environment; replaced by the real file when the operator adds studio_small_08_4k.hdr to the HDRI folder.',
  },
];

const PREVIEW_W = 256;
const PREVIEW_H = 128;

async function mtime(file) {
  try {
    return (await stat(file)).mtimeMs;
  } catch {
    return 0;
  }
}

async function upToDate(slugs) {
  if (force) return false;
  const inputs = [fileURLToPath(import.meta.url), ...slugs.map((s) => path.join(assetsDir, `${s}.exr.js`))];
  const outputs = [catalogPath, ...slugs.flatMap((s) => [path.join(outDir, `${s}.exr`), path.join(outDir, `${s}.preview.webp`)])];
  const newestIn = Math.max(...(await Promise.all(inputs.map(mtime))));
  const outTimes = await Promise.all(outputs.map(mtime));
  return outTimes.every((t) => t > 0 && t >= newestIn);
}

/** The module's default export is a `data:` URI; decoding it is just base64 → bytes. */
async function decodeModule(file) {
  const src = await readFile(file, 'utf8');
  const match = /base64,([A-Za-z0-9+/=]+)/.exec(src);
  if (!match) throw new Error(`no base64 payload in ${file}`);
  return Buffer.from(match[1], 'base64');
}

/** Relative luminance of linear RGB. */
const lum = (r, g, b) => 0.2126 * r + 0.7152 * g + 0.0722 * b;

/**
 * Mean luminance over the sphere: each row of an equirect map covers a band whose area is
 * proportional to sin(θ), so rows near the poles count less.
 */
function sphereMeanLuminance(data, width, height, channels) {
  let sum = 0;
  let weight = 0;
  for (let y = 0; y < height; y++) {
    const w = Math.sin(((y + 0.5) / height) * Math.PI);
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * channels;
      const [r, g, b] = repairPixel(data[i], data[i + 1], data[i + 2]);
      sum += w * lum(r, g, b);
      weight += w;
    }
  }
  return sum / weight;
}

/**
 * The shipped EXRs are DWAB-compressed (lossy): some pixels come out slightly negative, and in a
 * few files (park, sunrise) the sun survives in the blue channel only. The viewer repairs pixels the
 * same way (src/viewer/hdri-repair.ts) so previews match what the viewer lights with.
 */
function repairPixel(r, g, b) {
  r = Math.max(0, r);
  g = Math.max(0, g);
  b = Math.max(0, b);
  const max = Math.max(r, g, b);
  if (max > 16 && Math.min(r, g, b) < max * 0.05) return [max, max * 0.95, max * 0.85];
  return [r, g, b];
}

/** Median luminance: what the eye reads as the brightness of the place (a softbox doesn't move it). */
function medianLuminance(data, width, height, channels) {
  const values = new Float32Array(width * height);
  for (let p = 0; p < values.length; p++) values[p] = lum(data[p * channels], data[p * channels + 1], data[p * channels + 2]);
  values.sort();
  return Math.max(1e-4, values[values.length >> 1]);
}

/**
 * Box-downsamples the float image, tone maps it (exposure + ACES-ish curve) and encodes sRGB8.
 * EXR rows are stored bottom-up for three's texture convention, so the preview flips them.
 */
function previewPixels(data, width, height, channels, exposure) {
  const out = Buffer.alloc(PREVIEW_W * PREVIEW_H * 3);
  const sx = width / PREVIEW_W;
  const sy = height / PREVIEW_H;
  const curve = (x) => {
    const v = x * exposure;
    const t = (v * (2.51 * v + 0.03)) / (v * (2.43 * v + 0.59) + 0.14);
    return Math.min(1, Math.max(0, t));
  };
  const srgb = (v) => (v <= 0.0031308 ? 12.92 * v : 1.055 * Math.pow(v, 1 / 2.4) - 0.055);
  for (let py = 0; py < PREVIEW_H; py++) {
    for (let px = 0; px < PREVIEW_W; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let n = 0;
      for (let y = Math.floor(py * sy); y < Math.floor((py + 1) * sy); y++) {
        for (let x = Math.floor(px * sx); x < Math.floor((px + 1) * sx); x++) {
          const i = ((height - 1 - y) * width + x) * channels;
          const [pr, pg, pb] = repairPixel(data[i], data[i + 1], data[i + 2]);
          r += pr;
          g += pg;
          b += pb;
          n++;
        }
      }
      const o = (py * PREVIEW_W + px) * 3;
      out[o] = Math.round(srgb(curve(r / n)) * 255);
      out[o + 1] = Math.round(srgb(curve(g / n)) * 255);
      out[o + 2] = Math.round(srgb(curve(b / n)) * 255);
    }
  }
  return out;
}

const round2 = (x) => Math.round(x * 20) / 20;

async function main() {
  const started = performance.now();
  const slugs = (await readdir(assetsDir))
    .filter((f) => f.endsWith('.exr.js'))
    .map((f) => f.slice(0, -'.exr.js'.length))
    .sort();
  if (slugs.length === 0) throw new Error(`no HDRIs found in ${assetsDir}`);
  if (await upToDate(slugs)) {
    console.log(`build-hdris: up to date (${slugs.length} HDRIs in ${path.relative(root, outDir)})`);
    return;
  }

  // Loaded lazily: the up-to-date path must not pay for three + sharp.
  const [{ EXRLoader }, { FloatType }, { default: sharp }] = await Promise.all([
    import('three/examples/jsm/loaders/EXRLoader.js'),
    import('three'),
    import('sharp'),
  ]);
  await mkdir(outDir, { recursive: true });

  const decoded = [];
  for (const slug of slugs) {
    const bytes = await decodeModule(path.join(assetsDir, `${slug}.exr.js`));
    await writeFile(path.join(outDir, `${slug}.exr`), bytes);
    const loader = new EXRLoader().setDataType(FloatType);
    const tex = loader.parse(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    const channels = tex.data.length / (tex.width * tex.height);
    decoded.push({
      slug,
      tex,
      channels,
      mean: sphereMeanLuminance(tex.data, tex.width, tex.height, channels),
      median: medianLuminance(tex.data, tex.width, tex.height, channels),
    });
  }

  // Studio is the reference look (exposure 1); others are scaled to a similar average brightness,
  // with a square root so dim scenes are lifted but keep their mood.
  const reference = decoded.find((d) => d.slug === 'studio')?.mean ?? decoded[0].mean;
  const entries = [];
  for (const { slug, tex, channels, mean, median } of decoded) {
    const recommended = Math.min(2, Math.max(0.5, round2(Math.sqrt(reference / mean))));
    // Previews show the place itself, so they are exposed for its median, not for lighting.
    const previewExposure = Math.min(4, Math.max(0.5, 0.3 / median));
    const rgb = previewPixels(tex.data, tex.width, tex.height, channels, previewExposure);
    await sharp(rgb, { raw: { width: PREVIEW_W, height: PREVIEW_H, channels: 3 } })
      .webp({ quality: 80 })
      .toFile(path.join(outDir, `${slug}.preview.webp`));
    const meta = META[slug] ?? { title: slug.replace(/[_-]+/g, ' ').replace(/\b\w/g, (c) => c.toUpperCase()), category: 'other' };
    entries.push({
      slug,
      title: meta.title,
      category: meta.category,
      recommended_exposure: recommended,
      format: 'exr',
      file: `${slug}.exr`,
      preview: `${slug}.preview.webp`,
      width: tex.width,
      height: tex.height,
      alias_of: null,
      license: 'CC0-1.0',
      source: '@pmndrs/assets (Poly Haven)',
    });
  }
  for (const alias of ALIASES) {
    const target = entries.find((e) => e.slug === alias.alias_of);
    if (!target) continue;
    entries.push({ ...target, slug: alias.slug, title: alias.title, alias_of: alias.alias_of, note: alias.note });
  }

  await writeFile(catalogPath, `${JSON.stringify({ version: 1, hdris: entries }, null, 2)}\n`);
  const ms = Math.round(performance.now() - started);
  console.log(`build-hdris: wrote ${slugs.length} HDRIs + previews + catalog.json (${entries.length} presets) in ${ms} ms`);
}

main().catch((err) => {
  console.error('build-hdris failed:', err);
  process.exit(1);
});
