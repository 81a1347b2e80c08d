/**
 * Where this script was served from. Manifests, HDRIs and decoders live next to `vitrine.js`, so a
 * page on another origin that embeds `<script src="https://models.example.com/vitrine.js">` still
 * loads everything from models.example.com. `document.currentScript` is only set while a classic
 * script runs its top level, so it is captured once, at import time.
 */
function detectScriptBase(): string {
  const current = typeof document !== 'undefined' ? (document.currentScript as HTMLScriptElement | null) : null;
  let src = current?.src ?? '';
  if (!src && typeof document !== 'undefined') {
    // Loaded some other way (e.g. injected by a bundler): look for our tag by name.
    const tag = Array.from(document.querySelectorAll<HTMLScriptElement>('script[src]')).find((s) =>
      /\/vitrine(\.min)?\.js(\?|#|$)/.test(s.src),
    );
    src = tag?.src ?? '';
  }
  if (!src) return typeof location !== 'undefined' ? location.origin : '';
  const url = new URL('.', src);
  return url.href.replace(/\/$/, '');
}

export const SCRIPT_BASE = detectScriptBase();

/** Normalises a `base-url` attribute value (or the script base) to an absolute URL without a trailing slash. */
export function normaliseBase(value: string | null | undefined): string {
  if (!value) return SCRIPT_BASE;
  try {
    return new URL(value, typeof location !== 'undefined' ? location.href : undefined).href.replace(/\/$/, '');
  } catch {
    console.warn(`vitrine: ignoring invalid base-url ${JSON.stringify(value)}`);
    return SCRIPT_BASE;
  }
}

/** Resolves a manifest URL (absolute, or relative to the base) to an absolute URL. */
export function resolveUrl(base: string, url: string): string {
  return new URL(url, `${base}/`).href;
}
