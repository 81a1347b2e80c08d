import { execFile } from 'node:child_process';
import { mkdtemp, rm, stat, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/core/errors.js';
import { ValidatingGlbInspector } from '../../src/glb/validating-glb-inspector.js';
import { resolveWorkerEntry } from '../../src/glb/validator-runner.js';
import { BOX_EXPECTED, GRID_QUADS, makeGlbFixtures, type GlbFixtureName, type GlbFixtures } from '../fixtures/glb-fixtures.js';

const run = promisify(execFile);
const repo = path.resolve(import.meta.dirname, '../..');

let fx: GlbFixtures;
beforeAll(async () => {
  fx = await makeGlbFixtures();
});
afterAll(async () => {
  await rm(fx.dir, { recursive: true, force: true });
});

const inspector = new ValidatingGlbInspector();
const inspect = async (name: GlbFixtureName, i = inspector) => i.inspect(fx.files[name].path, (await stat(fx.files[name].path)).size);
const failure = async (name: GlbFixtureName, i = inspector) => {
  const err = await inspect(name, i).then(() => null, (e: unknown) => e);
  expect(err, `${name} should be refused`).toBeInstanceOf(AppError);
  return err as AppError & { details: { errors: { code: string; message: string; pointer?: string }[] } };
};

describe('ValidatingGlbInspector', () => {
  it('measures the box: counts and world-space bounds through the node transform', async () => {
    const stats = await inspect('box');
    expect({ ...stats, bounds: null }).toEqual({ ...BOX_EXPECTED, bounds: null });
    for (const k of ['min', 'max'] as const) {
      stats.bounds![k].forEach((v, i) => expect(v).toBeCloseTo(BOX_EXPECTED.bounds[k][i]!, 5));
    }
  });

  it('accepts and measures a ~100k-triangle model', async () => {
    const stats = await inspect('grid100k');
    expect(stats.triangles).toBe(GRID_QUADS * GRID_QUADS * 2);
    expect(stats.vertices).toBe((GRID_QUADS + 1) ** 2);
    expect(stats.bounds!.min[0]).toBeCloseTo(-0.5, 5);
    expect(stats.bounds!.max[2]).toBeCloseTo(0.5, 5);
  });

  it.each<[GlbFixtureName, string, RegExp]>([
    ['html', 'GLB_BAD_MAGIC', /HTML/],
    ['truncated', 'GLB_LENGTH_MISMATCH', /truncated/],
    ['wrongMagic', 'GLB_BAD_MAGIC', /glTF' magic/],
    ['wrongVersion', 'GLB_BAD_VERSION', /version 1/],
    ['lengthMismatch', 'GLB_LENGTH_MISMATCH', /extra data/],
    ['empty', 'GLB_EMPTY', /empty/],
    ['externalBuffer', 'EXTERNAL_RESOURCE', /External resources are not allowed/],
    ['externalImage', 'EXTERNAL_RESOURCE', /pack textures/],
    ['invalidGltf', 'ACCESSOR_TOO_LONG', /fails glTF validation with 1 error/],
  ])('refuses %s with invalid_glb (%s)', async (name, code, message) => {
    const err = await failure(name);
    expect(err.code).toBe('invalid_glb');
    expect(err.message).toMatch(message);
    expect(err.details.errors[0]!.code).toBe(code);
  });

  it('points at the offending fields', async () => {
    expect((await failure('externalBuffer')).details.errors[0]!.pointer).toBe('/buffers/0/uri');
    expect((await failure('externalImage')).details.errors[0]!.pointer).toBe('/images/0/uri');
    expect((await failure('invalidGltf')).details.errors[0]!.pointer).toBe('/accessors/0');
  });

  it('caps the JSON chunk', async () => {
    const err = await failure('box', new ValidatingGlbInspector({ maxJsonBytes: 64 }));
    expect(err.details.errors[0]!.code).toBe('GLB_JSON_TOO_LARGE');
  });

  it('terminates a validation that runs past the timeout', async () => {
    const err = await failure('grid100k', new ValidatingGlbInspector({ timeoutMs: 20 }));
    expect(err.code).toBe('invalid_glb');
    expect(err.message).toMatch(/timed out/);
    expect(err.details.errors[0]!.code).toBe('VALIDATION_TIMEOUT');
  });

  it('refuses a model whose validation exceeds the worker heap cap, without killing the process', async () => {
    const err = await failure('grid100k', new ValidatingGlbInspector({ maxWorkerHeapMb: 2 }));
    expect(err.code).toBe('invalid_glb');
    expect(err.details.errors[0]!.code).toBe('VALIDATION_OUT_OF_MEMORY');
    expect(await inspect('box')).toMatchObject({ triangles: 12 }); // and the next one still works
  });

  it('runs concurrent inspections through the bounded queue', async () => {
    const i = new ValidatingGlbInspector({ maxConcurrent: 1 });
    const results = await Promise.all(['box', 'grid100k', 'box', 'invalidGltf'].map((n) => inspect(n as GlbFixtureName, i).then(() => 'ok', (e: AppError) => e.code)));
    expect(results).toEqual(['ok', 'ok', 'ok', 'invalid_glb']);
  });

  it('runs the worker from TypeScript source through tsx', () => {
    expect(resolveWorkerEntry().kind).toBe('eval');
  });

  it('runs the worker from compiled JS (the dist/ layout), under plain node', async () => {
    // Compile just the inspector and its worker, mirroring `tsc -p .` (dist/src/glb/…).
    const out = await mkdtemp(path.join(os.tmpdir(), 'vitrine-dist-'));
    try {
      await writeFile(path.join(out, 'package.json'), '{"type":"module"}');
      await symlink(path.join(repo, 'node_modules'), path.join(out, 'node_modules'), 'dir');
      const tsc = path.join(repo, 'node_modules/typescript/bin/tsc');
      await run(process.execPath, [
        tsc, '--outDir', path.join(out, 'dist'), '--rootDir', repo, '--module', 'nodenext', '--moduleResolution', 'nodenext',
        '--target', 'es2022', '--strict', '--skipLibCheck', '--types', 'node',
        path.join(repo, 'src/glb/validating-glb-inspector.ts'), path.join(repo, 'src/glb/validate-worker.ts'),
      ], { cwd: repo });
      const script = `
        import { ValidatingGlbInspector } from ${JSON.stringify(path.join(out, 'dist/src/glb/validating-glb-inspector.js'))};
        import { resolveWorkerEntry } from ${JSON.stringify(path.join(out, 'dist/src/glb/validator-runner.js'))};
        import { statSync } from 'node:fs';
        const i = new ValidatingGlbInspector();
        const box = ${JSON.stringify(fx.files.box.path)}, bad = ${JSON.stringify(fx.files.invalidGltf.path)};
        const stats = await i.inspect(box, statSync(box).size);
        const err = await i.inspect(bad, statSync(bad).size).catch((e) => e.code);
        console.log(JSON.stringify({ entry: resolveWorkerEntry().kind, triangles: stats.triangles, err }));`;
      // cwd elsewhere: nothing may depend on the process starting in the repo.
      const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: os.tmpdir() });
      expect(JSON.parse(stdout)).toEqual({ entry: 'file', triangles: 12, err: 'invalid_glb' });
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  }, 60_000);
});
