/**
 * The /embed/:id page: markup, its Content-Security-Policy and the iframe override parameter.
 * Kept apart from the routes so the security-relevant text is in one short file.
 */
import { createHash } from 'node:crypto';
import type { PublicManifest } from '../core/showcases/showcase-service.js';
import { escapeHtml } from '../viewer/embed-snippet.js';

const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
const EMBED_CONFIG_MAX = 4096;

export const sha = (text: string) => createHash('sha256').update(text).digest('base64');

/** The embed page's only style, allowed by hash (no 'unsafe-inline'). */
const EMBED_STYLE =
  'html,body{margin:0;height:100%;overflow:hidden;background:transparent}' +
  'vitrine-viewer{position:fixed;inset:0;width:100%;height:100%}' +
  '.gone{font:15px/1.4 system-ui,sans-serif;color:#555;display:flex;height:100%;align-items:center;justify-content:center;text-align:center;padding:16px;box-sizing:border-box}';
const EMBED_STYLE_HASH = `'sha256-${sha(EMBED_STYLE)}'`;

/**
 * The page loads everything from its own origin (the script by a relative URL, so a proxy path
 * prefix or a port chosen at listen time cannot break it).
 */
export function embedCsp(): string {
  const self = "'self'";
  return [
    "default-src 'none'",
    // wasm-unsafe-eval: the Draco / Basis / meshopt decoders are WebAssembly.
    `script-src ${self} 'wasm-unsafe-eval'`,
    // Decoder workers are started from blob: URLs (three's DRACOLoader / KTX2Loader).
    'worker-src blob:',
    `connect-src ${self} blob: data:`,
    `img-src ${self} blob: data:`,
    `style-src ${EMBED_STYLE_HASH}`,
    "base-uri 'none'",
    "form-action 'none'",
    'frame-ancestors *',
  ].join('; ');
}

/** `?config=` on the iframe page: forwarded as data-config only if it is a small JSON object. */
export function embedOverride(raw: unknown): string | null {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > EMBED_CONFIG_MAX) return null;
  try {
    const parsed = JSON.parse(raw) as unknown;
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? JSON.stringify(parsed) : null;
  } catch {
    return null;
  }
}

export function embedPage(base: string, m: PublicManifest, override: string | null): string {
  const title = escapeHtml(m.name || '3D model');
  const oembed = `${base}/oembed?url=${encodeURIComponent(`${base}/embed/${m.id}`)}&format=json`;
  const dataConfig = override ? ` data-config="${escapeHtml(override)}"` : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="icon" href="data:,">
<link rel="alternate" type="application/json+oembed" href="${escapeHtml(oembed)}" title="${title}">
<style>${EMBED_STYLE}</style>
<script src="../vitrine.js" defer></script>
</head>
<body>
<vitrine-viewer model-id="${escapeHtml(m.id)}"${dataConfig} title="${title}"></vitrine-viewer>
<noscript><div class="gone">${title}: JavaScript is needed to show this 3D model.</div></noscript>
</body>
</html>
`;
}

export const GONE_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Model not available</title><style>${EMBED_STYLE}</style></head>
<body><div class="gone">This model is not available.</div></body></html>
`;

/** Parses an embed URL of this server → model id, or null. */
export function idFromEmbedUrl(publicBaseUrl: string, url: string): string | null {
  let parsed: URL;
  let baseUrl: URL;
  try {
    parsed = new URL(url);
    baseUrl = new URL(`${publicBaseUrl}/`);
  } catch {
    return null;
  }
  if (parsed.origin !== baseUrl.origin) return null;
  const prefix = baseUrl.pathname.replace(/\/$/, '');
  const m = new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/embed/([^/]+)/?$`).exec(parsed.pathname);
  if (!m) return null;
  let id: string;
  try {
    id = decodeURIComponent(m[1]);
  } catch {
    return null; // malformed percent-encoding: not one of our embed URLs
  }
  return ID_PATTERN.test(id) ? id : null;
}

