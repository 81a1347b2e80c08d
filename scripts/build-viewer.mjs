#!/usr/bin/env node
/**
 * Builds the browser viewer:
 *   dist/public/vitrine.js (+ .map)   src/viewer/main.ts bundled with three.js, minified IIFE
 *                                     (works as a plain <script src>, on any origin)
 *   dist/public/render.html           blank page for the thumbnail renderer's render mode
 *   dist/public/assets/decoders/      Draco, Basis (KTX2) and meshopt decoders copied from three
 *
 * The scene schema (src/core/scene/config-schema.ts, zod) is evaluated here, at build time, and
 * injected as plain data: the viewer validates embed overrides against the real schema without
 * shipping zod to every product page.
 *
 * Idempotent: skips all work when every output is newer than every input (use --force to rebuild).
 */
import { copyFile, mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const require = createRequire(import.meta.url);
// three's exports map hides package.json; its main entry lives in <pkg>/build/.
const threeDir = path.resolve(path.dirname(require.resolve('three')), '..');
const libs = path.join(threeDir, 'examples', 'jsm', 'libs');
const publicDir = path.join(root, 'dist', 'public');
const decodersDir = path.join(publicDir, 'assets', 'decoders');
const bundlePath = path.join(publicDir, 'vitrine.js');
const schemaSource = path.join(root, 'src', 'core', 'scene', 'config-schema.ts');
const force = process.argv.includes('--force');

const DECODERS = [
  ['draco/draco_decoder.js', 'draco/draco_decoder.js'],
  ['draco/draco_decoder.wasm', 'draco/draco_decoder.wasm'],
  ['draco/draco_wasm_wrapper.js', 'draco/draco_wasm_wrapper.js'],
  ['basis/basis_transcoder.js', 'basis/basis_transcoder.js'],
  ['basis/basis_transcoder.wasm', 'basis/basis_transcoder.wasm'],
  ['meshopt_decoder.module.js', 'meshopt_decoder.module.js'],
];

const RENDER_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>vitrine render</title>
<link rel="icon" href="data:,">
<script src="vitrine.js"></script>
</head>
<body></body>
</html>
`;

async function mtime(file) {
  try {
    return (await stat(file)).mtimeMs;
  } catch {
    return 0;
  }
}

async function newestIn(dir) {
  let newest = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? await newestIn(full) : await mtime(full));
  }
  return newest;
}

async function upToDate() {
  if (force) return false;
  const inputs = Math.max(
    await newestIn(path.join(root, 'src', 'viewer')),
    await mtime(schemaSource),
    await mtime(fileURLToPath(import.meta.url)),
    await mtime(path.join(threeDir, 'package.json')),
  );
  const outputs = [bundlePath, `${bundlePath}.map`, path.join(publicDir, 'render.html'), ...DECODERS.map(([, to]) => path.join(decodersDir, to))];
  const times = await Promise.all(outputs.map(mtime));
  return times.every((t) => t > 0 && t >= inputs);
}

/** Turns the zod schema into `{ defaults, fields }` via its JSON Schema (one source of truth). */
async function sceneSchema(esbuild) {
  const cacheDir = path.join(root, 'dist', '.cache');
  await mkdir(cacheDir, { recursive: true });
  const out = path.join(cacheDir, 'config-schema.mjs');
  await esbuild.build({
    entryPoints: [schemaSource],
    outfile: out,
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    logLevel: 'silent',
  });
  const mod = await import(`${pathToFileURL(out).href}?t=${Date.now()}`);
  const { z } = await import('zod');
  const json = z.toJSONSchema(mod.SceneConfig, { io: 'input' });
  const fields = {};
  for (const [key, prop] of Object.entries(json.properties ?? {})) {
    if (prop.enum) fields[key] = { type: 'enum', values: prop.enum };
    else if (prop.type === 'boolean') fields[key] = { type: 'boolean' };
    else if (prop.type === 'number' || prop.type === 'integer') fields[key] = { type: 'number', min: prop.minimum, max: prop.maximum };
    else if (prop.type === 'string' && prop.pattern) fields[key] = { type: 'color' };
    else if (prop.type === 'string') fields[key] = { type: 'string' };
    else throw new Error(`build-viewer: config field ${key} has a type the viewer doesn't know: ${JSON.stringify(prop)}`);
  }
  return { defaults: { ...mod.DEFAULT_SCENE_CONFIG }, fields };
}

async function main() {
  const started = performance.now();
  if (await upToDate()) {
    console.log('build-viewer: up to date (dist/public/vitrine.js)');
    return;
  }
  const esbuild = await import('esbuild');
  const schema = await sceneSchema(esbuild);
  const version = JSON.parse(await (await import('node:fs/promises')).readFile(path.join(root, 'package.json'), 'utf8')).version;
  await mkdir(publicDir, { recursive: true });

  const result = await esbuild.build({
    entryPoints: [path.join(root, 'src', 'viewer', 'main.ts')],
    outfile: bundlePath,
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: ['es2020', 'chrome90', 'firefox90', 'safari15'],
    minify: true,
    sourcemap: 'linked',
    legalComments: 'eof',
    metafile: true,
    define: {
      __VITRINE_SCENE_SCHEMA__: JSON.stringify(schema),
      __VITRINE_VERSION__: JSON.stringify(version),
    },
    logLevel: 'warning',
  });
  await writeFile(path.join(publicDir, 'render.html'), RENDER_HTML);

  for (const [from, to] of DECODERS) {
    const dest = path.join(decodersDir, to);
    await mkdir(path.dirname(dest), { recursive: true });
    await copyFile(path.join(libs, from), dest);
  }

  const bytes = Object.values(result.metafile.outputs).find((o) => o.entryPoint)?.bytes ?? 0;
  const ms = Math.round(performance.now() - started);
  console.log(`build-viewer: vitrine.js ${(bytes / 1024).toFixed(1)} KB, ${DECODERS.length} decoder files, ${Object.keys(schema.fields).length} config fields, ${ms} ms`);
}

main().catch((err) => {
  console.error('build-viewer failed:', err);
  process.exit(1);
});
