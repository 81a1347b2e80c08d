/**
 * HDRI presets that really exist on this server: the bundled environments written by
 * scripts/build-hdris.mjs (dist/public/assets/hdri/catalog.json) plus any `.hdr` / `.exr` file an
 * operator drops into the HDRI folder. An operator file whose slug matches a bundled preset
 * replaces it — that is how `studio_small_08_4k.hdr` turns the documented alias into the real thing.
 *
 * Both sources are re-read only when they change (catalog.json's mtime, the operator folder's
 * mtime, which moves when a file is added, removed or renamed), so dropping a file in needs no
 * restart while the hot paths (every manifest, every config patch) cost two stat calls.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { HdriCatalog, HdriPreset } from '../../src/core/ports/hdri-catalog.js';

export interface FsHdriCatalogOptions {
  /** Folder holding catalog.json and the bundled files (dist/public/assets/hdri). */
  builtDir: string;
  /** Operator folder with extra `.hdr` / `.exr` files; null for none. */
  operatorDir: string | null;
  /** Public URL prefix the files are served under. */
  publicPrefix?: string;
}

interface BuiltEntry {
  slug: string;
  title: string;
  category: string;
  recommended_exposure: number;
  format: 'exr' | 'hdr';
  file: string;
  preview: string | null;
  alias_of: string | null;
}

/** File names served as-is in URLs: anything else is skipped (and never served). */
export const OPERATOR_FILE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,120}\.(hdr|exr)$/i;

export function slugFromFileName(file: string): string {
  return file
    .replace(/\.(hdr|exr)$/i, '')
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '_');
}

function titleFromSlug(slug: string): string {
  return slug
    .replace(/[_-]+/g, ' ')
    .replace(/\b(\d+)k\b/g, '$1K')
    .replace(/\b[a-z]/g, (c) => c.toUpperCase())
    .trim();
}

export class FsHdriCatalog implements HdriCatalog {
  private readonly prefix: string;
  private built: { mtimeMs: number; entries: BuiltEntry[] } | null = null;
  private operator: { mtimeMs: number; presets: HdriPreset[] } | null = null;

  constructor(private readonly options: FsHdriCatalogOptions) {
    this.prefix = (options.publicPrefix ?? '/assets/hdri').replace(/\/$/, '');
  }

  async list(): Promise<HdriPreset[]> {
    const bundled = (await this.readBuilt()).map((e) => this.fromBuilt(e));
    const operator = await this.readOperator();
    const bySlug = new Map<string, HdriPreset>();
    for (const preset of bundled) bySlug.set(preset.slug, preset);
    // Operator files win over bundled presets and aliases of the same slug.
    for (const preset of operator) bySlug.set(preset.slug, preset);
    return [...bySlug.values()].sort((a, b) => a.slug.localeCompare(b.slug));
  }

  async find(slug: string): Promise<HdriPreset | null> {
    return (await this.list()).find((p) => p.slug === slug) ?? null;
  }

  private fromBuilt(e: BuiltEntry): HdriPreset {
    return {
      slug: e.slug,
      title: e.title,
      category: e.category,
      recommended_exposure: e.recommended_exposure,
      file_url: `${this.prefix}/${e.file}`,
      format: e.format,
      preview_url: e.preview ? `${this.prefix}/${e.preview}` : null,
      alias_of: e.alias_of ?? null,
      source: 'bundled',
    };
  }

  private async readBuilt(): Promise<BuiltEntry[]> {
    const file = path.join(this.options.builtDir, 'catalog.json');
    let mtimeMs: number;
    try {
      mtimeMs = (await stat(file)).mtimeMs;
    } catch {
      // Not built yet (`npm run build` writes it): no bundled presets rather than a crash.
      return [];
    }
    if (this.built?.mtimeMs === mtimeMs) return this.built.entries;
    const parsed = JSON.parse(await readFile(file, 'utf8')) as { hdris?: BuiltEntry[] } | BuiltEntry[];
    const entries = (Array.isArray(parsed) ? parsed : (parsed.hdris ?? [])).filter((e) => e && typeof e.slug === 'string');
    this.built = { mtimeMs, entries };
    return entries;
  }

  private async readOperator(): Promise<HdriPreset[]> {
    const dir = this.options.operatorDir;
    if (!dir) return [];
    let mtimeMs: number;
    try {
      mtimeMs = (await stat(dir)).mtimeMs;
    } catch {
      return [];
    }
    if (this.operator?.mtimeMs === mtimeMs) return this.operator.presets;
    const presets = await this.listOperatorDir(dir);
    this.operator = { mtimeMs, presets };
    return presets;
  }

  private async listOperatorDir(dir: string): Promise<HdriPreset[]> {
    let names: string[];
    try {
      names = await readdir(dir);
    } catch {
      return [];
    }
    const out: HdriPreset[] = [];
    for (const name of names.sort()) {
      if (!OPERATOR_FILE_PATTERN.test(name)) continue;
      try {
        if (!(await stat(path.join(dir, name))).isFile()) continue;
      } catch {
        continue;
      }
      const slug = slugFromFileName(name);
      out.push({
        slug,
        title: titleFromSlug(slug),
        category: 'custom',
        recommended_exposure: 1,
        file_url: `${this.prefix}/${name}`,
        format: name.toLowerCase().endsWith('.hdr') ? 'hdr' : 'exr',
        preview_url: null,
        alias_of: null,
        source: 'operator',
      });
    }
    return out;
  }
}
