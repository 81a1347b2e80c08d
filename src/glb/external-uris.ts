/**
 * A showcase must be one self-contained file: we serve the GLB as is and never fetch on the
 * owner's behalf, so any buffer or image that points outside the GLB (http:, file:, a relative
 * path) is refused up front. `data:` URIs are embedded bytes and stay allowed.
 */
import { invalidGlb, type GlbIssue } from './glb-header.js';

export function rejectExternalUris(json: Record<string, unknown>): void {
  const issues: GlbIssue[] = [];
  for (const collection of ['buffers', 'images'] as const) {
    const items = json[collection];
    if (!Array.isArray(items)) continue;
    items.forEach((item: unknown, i) => {
      const uri = (item as { uri?: unknown } | null)?.uri;
      if (typeof uri === 'string' && !/^data:/i.test(uri)) {
        const shown = uri.length > 120 ? `${uri.slice(0, 120)}…` : uri;
        issues.push({ code: 'EXTERNAL_RESOURCE', pointer: `/${collection}/${i}/uri`, message: `${collection.slice(0, -1)} ${i} points to an external file "${shown}".` });
      }
    });
  }
  if (issues.length > 0) {
    throw invalidGlb('External resources are not allowed; pack textures and buffers into the GLB.', issues.slice(0, 10));
  }
}
