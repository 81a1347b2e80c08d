import { AppError } from '../errors.js';
import type { CoreDeps } from '../deps.js';

/** A config that names an HDRI must name one that exists on this server. */
export async function assertKnownHdri(d: CoreDeps, patch: { hdri_preset?: string | null; hdri_name?: string | null }) {
  const slug = patch.hdri_preset ?? patch.hdri_name;
  if (!slug) return;
  if (await d.hdris.find(slug)) return;
  const known = (await d.hdris.list()).map((h) => h.slug);
  throw new AppError('invalid_config', `Unknown HDRI preset '${slug}'. Use one of: ${known.join(', ')} (GET /v1/hdris).`, {
    issues: [{ path: patch.hdri_preset ? 'hdri_preset' : 'hdri_name', message: 'unknown preset' }],
  });
}
