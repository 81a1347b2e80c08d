/**
 * FsHdriCatalog: the bundled catalogue (as scripts/build-hdris.mjs writes it) merged with operator
 * files. Runs against real temp folders; the real built catalogue is checked when it exists.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { FsHdriCatalog, slugFromFileName } from '../../resources/hdri/fs-hdri-catalog.js';

const entry = (slug: string, extra: Record<string, unknown> = {}) => ({
  slug,
  title: slug[0].toUpperCase() + slug.slice(1),
  category: 'studio',
  recommended_exposure: 1,
  format: 'exr',
  file: `${slug}.exr`,
  preview: `${slug}.preview.webp`,
  alias_of: null,
  ...extra,
});

let dir: string;
let builtDir: string;
let operatorDir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'vitrine-hdri-'));
  builtDir = path.join(dir, 'built');
  operatorDir = path.join(dir, 'operator');
  await mkdir(builtDir);
  await mkdir(operatorDir);
  await writeFile(
    path.join(builtDir, 'catalog.json'),
    JSON.stringify({
      version: 1,
      hdris: [entry('studio'), entry('park', { category: 'nature', recommended_exposure: 1.85 }), entry('studio_small_08_4k', { file: 'studio.exr', alias_of: 'studio' })],
    }),
  );
});

describe('FsHdriCatalog', () => {
  it('lists the bundled presets with public URLs, sorted by slug', async () => {
    const catalog = new FsHdriCatalog({ builtDir, operatorDir: null, publicPrefix: '/assets/hdri' });
    const list = await catalog.list();
    expect(list.map((p) => p.slug)).toEqual(['park', 'studio', 'studio_small_08_4k']);
    expect(list[0]).toEqual({
      slug: 'park',
      title: 'Park',
      category: 'nature',
      recommended_exposure: 1.85,
      file_url: '/assets/hdri/park.exr',
      format: 'exr',
      preview_url: '/assets/hdri/park.preview.webp',
      alias_of: null,
      source: 'bundled',
    });
  });

  it('ships studio_small_08_4k as an alias of studio (same file)', async () => {
    const catalog = new FsHdriCatalog({ builtDir, operatorDir });
    const alias = await catalog.find('studio_small_08_4k');
    expect(alias).toMatchObject({ alias_of: 'studio', file_url: '/assets/hdri/studio.exr', source: 'bundled' });
  });

  it('adds operator .hdr/.exr files and lets studio_small_08_4k.hdr replace the alias', async () => {
    await writeFile(path.join(operatorDir, 'studio_small_08_4k.hdr'), '#?RADIANCE\n');
    await writeFile(path.join(operatorDir, 'Loft Morning.exr'), 'x'); // unsafe name: skipped
    await writeFile(path.join(operatorDir, 'loft_morning_2k.EXR'), 'x');
    await writeFile(path.join(operatorDir, 'notes.txt'), 'x');
    await mkdir(path.join(operatorDir, 'folder.hdr'));
    const catalog = new FsHdriCatalog({ builtDir, operatorDir, publicPrefix: '/assets/hdri/' });
    const list = await catalog.list();
    expect(list.map((p) => p.slug)).toEqual(['loft_morning_2k', 'park', 'studio', 'studio_small_08_4k']);
    expect(await catalog.find('studio_small_08_4k')).toEqual({
      slug: 'studio_small_08_4k',
      title: 'Studio Small 08 4K',
      category: 'custom',
      recommended_exposure: 1,
      file_url: '/assets/hdri/studio_small_08_4k.hdr',
      format: 'hdr',
      preview_url: null,
      alias_of: null,
      source: 'operator',
    });
    expect(await catalog.find('loft_morning_2k')).toMatchObject({ format: 'exr', file_url: '/assets/hdri/loft_morning_2k.EXR' });
  });

  it('sees files dropped in later without a restart, and a missing folder or build is not an error', async () => {
    const catalog = new FsHdriCatalog({ builtDir, operatorDir });
    expect(await catalog.find('night_city')).toBeNull();
    await writeFile(path.join(operatorDir, 'night_city.exr'), 'x');
    expect(await catalog.find('night_city')).toMatchObject({ source: 'operator' });
    const empty = new FsHdriCatalog({ builtDir: path.join(dir, 'nope'), operatorDir: path.join(dir, 'nope2') });
    expect(await empty.list()).toEqual([]);
  });

  it('slugs operator file names predictably', () => {
    expect(slugFromFileName('Studio_Small_08_4k.HDR')).toBe('studio_small_08_4k');
    expect(slugFromFileName('my-env.v2.exr')).toBe('my-env_v2');
  });

  const realBuilt = path.resolve(import.meta.dirname, '../../dist/public/assets/hdri');
  it.skipIf(!existsSync(path.join(realBuilt, 'catalog.json')))('the real build lists the 18 bundled HDRIs plus the alias, each file present', async () => {
    const catalog = new FsHdriCatalog({ builtDir: realBuilt, operatorDir: null });
    const list = await catalog.list();
    expect(list.filter((p) => !p.alias_of)).toHaveLength(18);
    expect(list.find((p) => p.slug === 'studio_small_08_4k')?.alias_of).toBe('studio');
    for (const preset of list) {
      expect(existsSync(path.join(realBuilt, path.basename(preset.file_url))), preset.slug).toBe(true);
      expect(preset.recommended_exposure).toBeGreaterThan(0);
    }
  });
});
