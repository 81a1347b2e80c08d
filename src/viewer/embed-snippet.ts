/**
 * Embed snippets for a published model (server side, pure: no DOM, no three).
 * Used by the embed endpoint (`GET /v1/showcases/:id/embed`), the oEmbed route and the
 * /embed page. Every user-controlled string (model name, id) is escaped for the context it
 * lands in; nothing here trusts its input.
 */

export interface EmbedSnippetInput {
  /** Public origin (+ optional path prefix) of this server, no trailing slash. */
  publicBaseUrl: string;
  id: string;
  name: string;
  /** Layout aspect ratio, "16:9" etc. Anything else falls back to 16:9. */
  aspectRatio: string;
  /** Fixed iframe size (oEmbed); by default the iframe is fluid (100% wide, ratio-high). */
  width?: number;
  height?: number;
}

export interface EmbedSnippet {
  /** `<vitrine-viewer>` + `<script>`: the web component, sized by the layout's aspect ratio. */
  html: string;
  /** A sandbox-friendly iframe of the /embed page. */
  iframe_html: string;
  script_url: string;
  viewer_url: string;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text and attribute values (quoted with " or '). */
export function escapeHtml(value: string): string {
  return String(value).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

/** "16:9" → { w: 16, h: 9 } for the five layout ratios; anything else → 16:9. */
export function parseAspectRatio(ratio: string): { w: number; h: number } {
  const m = /^(\d{1,2}):(\d{1,2})$/.exec(String(ratio));
  if (!m) return { w: 16, h: 9 };
  const w = Number(m[1]);
  const h = Number(m[2]);
  return w > 0 && h > 0 ? { w, h } : { w: 16, h: 9 };
}

function base(url: string): string {
  return url.replace(/\/+$/, '');
}

export function embedSnippet(input: EmbedSnippetInput): EmbedSnippet {
  const root = base(input.publicBaseUrl);
  const { w, h } = parseAspectRatio(input.aspectRatio);
  const script_url = `${root}/vitrine.js`;
  const viewer_url = `${root}/embed/${encodeURIComponent(input.id)}`;
  const name = escapeHtml(input.name);
  const ratio = `${w} / ${h}`;

  const html =
    `<vitrine-viewer model-id="${escapeHtml(input.id)}" title="${name}" ` +
    `style="display:block;width:100%;aspect-ratio:${ratio}"></vitrine-viewer>\n` +
    `<script src="${escapeHtml(script_url)}" async></script>`;

  const size =
    input.width && input.height
      ? `width="${Math.round(input.width)}" height="${Math.round(input.height)}" style="border:0;max-width:100%"`
      : `width="100%" style="border:0;display:block;width:100%;aspect-ratio:${ratio}"`;
  const iframe_html =
    `<iframe src="${escapeHtml(viewer_url)}" title="${name}" ${size} ` +
    `loading="lazy" allow="fullscreen; xr-spatial-tracking" allowfullscreen></iframe>`;

  return { html, iframe_html, script_url, viewer_url };
}
