import type { GlbStats } from '../types.js';

/**
 * Checks that a staged file is a self-contained, valid GLB and measures it.
 * Throws AppError('invalid_glb', …, { errors }) with the first problems found.
 */
export interface GlbInspector {
  inspect(path: string, size: number): Promise<GlbStats>;
}
