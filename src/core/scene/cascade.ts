/**
 * The config cascade: defaults ← look ← layout ← model overrides ← embed data-config.
 * Layers are sparse; later layers win field by field.
 */
import { DEFAULT_SCENE_CONFIG, type ConfigOverrides, type SceneConfig } from './config-schema.js';

type PatchLike = Record<string, unknown>;

/** Resolves the `hdri_name` alias into `hdri_preset` (the canonical name wins if both are sent). */
export function canonicalizePatch<T extends PatchLike>(patch: T): Omit<T, 'hdri_name'> {
  const { hdri_name, ...rest } = patch as PatchLike & { hdri_name?: unknown };
  if (hdri_name !== undefined && !('hdri_preset' in rest)) rest.hdri_preset = hdri_name;
  return rest as Omit<T, 'hdri_name'>;
}

/** Applies a sparse patch to stored overrides: values set, `null` removes, absent keeps. */
export function applyPatch(overrides: ConfigOverrides, patch: PatchLike): ConfigOverrides {
  const next: PatchLike = { ...overrides };
  for (const [key, value] of Object.entries(canonicalizePatch(patch))) {
    if (value === undefined) continue;
    if (value === null) delete next[key];
    else next[key] = value;
  }
  return next as ConfigOverrides;
}

/** Merges sparse layers over the defaults; the result is a complete config. */
export function mergeConfig(...layers: (ConfigOverrides | null | undefined)[]): SceneConfig {
  const merged: PatchLike = { ...DEFAULT_SCENE_CONFIG };
  for (const layer of layers) {
    if (!layer) continue;
    for (const [key, value] of Object.entries(layer)) {
      if (value !== undefined && value !== null && key in merged) merged[key] = value;
    }
  }
  return merged as SceneConfig;
}
