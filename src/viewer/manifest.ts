/**
 * The public manifest of a published model (`<base>/p/<id>/manifest.json`) and HDRI preset lookup.
 * URLs in a manifest may be relative to the base; they are made absolute here so the rest of the
 * viewer never has to think about where it is embedded.
 */
import { resolveUrl } from './script-base.js';
import { sanitizeLayer, type SceneConfig } from './config.js';

export interface HdriRef {
  slug: string;
  file_url: string;
  format?: string;
}

export interface Manifest {
  id: string;
  name: string;
  config: Partial<SceneConfig>;
  glb_url: string;
  hdri: HdriRef | null;
  poster_url: string | null;
  embed_url: string | null;
}

export class ManifestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function fetchManifest(base: string, id: string, signal?: AbortSignal): Promise<Manifest> {
  const url = `${base}/p/${encodeURIComponent(id)}/manifest.json`;
  const res = await fetch(url, { mode: 'cors', credentials: 'omit', signal });
  if (!res.ok) {
    let code = 'manifest_unavailable';
    let message = `HTTP ${res.status}`;
    try {
      const body = (await res.json()) as { error?: string; message?: string };
      code = body.error ?? code;
      message = body.message ?? message;
    } catch {
      // Not JSON (a proxy error page): keep the status.
    }
    throw new ManifestError(res.status, code, message);
  }
  const raw = (await res.json()) as Record<string, unknown>;
  if (typeof raw.glb_url !== 'string') throw new ManifestError(500, 'invalid_manifest', 'manifest has no glb_url');
  const hdri = raw.hdri as HdriRef | null | undefined;
  return {
    id: String(raw.id ?? id),
    name: typeof raw.name === 'string' ? raw.name : '',
    config: sanitizeLayer(raw.config ?? {}, 'manifest config'),
    glb_url: resolveUrl(base, raw.glb_url),
    hdri: hdri && typeof hdri.file_url === 'string' ? { ...hdri, file_url: resolveUrl(base, hdri.file_url) } : null,
    poster_url: typeof raw.poster_url === 'string' ? resolveUrl(base, raw.poster_url) : null,
    embed_url: typeof raw.embed_url === 'string' ? resolveUrl(base, raw.embed_url) : null,
  };
}

interface CatalogEntry {
  slug: string;
  file_url?: string;
  file?: string;
  format?: string;
}

const catalogs = new Map<string, Promise<CatalogEntry[]>>();

/**
 * The preset list served at `<base>/assets/hdri/catalog.json` (bundled + operator files). Needed
 * when an embed override picks a different `hdri_preset` than the one the manifest resolved.
 */
function catalog(base: string): Promise<CatalogEntry[]> {
  let pending = catalogs.get(base);
  if (!pending) {
    pending = fetch(`${base}/assets/hdri/catalog.json`, { mode: 'cors', credentials: 'omit' })
      .then((r) => (r.ok ? r.json() : { hdris: [] }))
      .then((body: { hdris?: CatalogEntry[] } | CatalogEntry[]) => (Array.isArray(body) ? body : (body.hdris ?? [])));
    pending.catch(() => catalogs.delete(base));
    catalogs.set(base, pending);
  }
  return pending;
}

/** Slug → absolute file URL, or null if the server doesn't know the preset. */
export async function resolveHdriPreset(base: string, slug: string): Promise<HdriRef | null> {
  try {
    const entries = await catalog(base);
    const entry = entries.find((e) => e.slug === slug);
    if (!entry) return null;
    const file = entry.file_url ?? (entry.file ? `/assets/hdri/${entry.file}` : null);
    return file ? { slug, file_url: resolveUrl(base, file), format: entry.format } : null;
  } catch {
    return null;
  }
}
