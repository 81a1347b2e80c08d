/**
 * Scene config on the browser side. The server always sends a complete, validated config in the
 * manifest; the embed override layer (`data-config`, the iframe's `?config=`) and direct mode come
 * from page authors, so they are checked here field by field: unknown keys and wrong types are
 * dropped with a console.warn, out-of-range numbers are clamped. Never a crash.
 */
import type { SceneConfig } from '../core/scene/config-schema.js';

export type { SceneConfig };

const SCHEMA = __VITRINE_SCENE_SCHEMA__;

/** The schema defaults, as generated at build time from the zod schema. */
export const DEFAULT_CONFIG = Object.freeze({ ...SCHEMA.defaults }) as unknown as Readonly<SceneConfig>;

export const CONFIG_FIELDS = Object.keys(SCHEMA.fields) as (keyof SceneConfig)[];

/**
 * Validates one sparse layer. Returns only the fields that are usable; every problem is reported
 * once with the source named so a page author can find it.
 */
export function sanitizeLayer(input: unknown, source: string): Partial<SceneConfig> {
  if (input === null || input === undefined) return {};
  if (typeof input !== 'object' || Array.isArray(input)) {
    console.warn(`vitrine: ${source} must be a JSON object; ignored`);
    return {};
  }
  const out: Record<string, unknown> = {};
  const record = { ...(input as Record<string, unknown>) };
  // Older clients say hdri_name; the canonical name wins when both are present.
  if ('hdri_name' in record) {
    if (!('hdri_preset' in record)) record.hdri_preset = record.hdri_name;
    delete record.hdri_name;
  }
  for (const [key, value] of Object.entries(record)) {
    const field = SCHEMA.fields[key];
    if (!field) {
      console.warn(`vitrine: ${source}: unknown config field "${key}" ignored`);
      continue;
    }
    if (value === null || value === undefined) continue;
    const checked = checkValue(key, value, field, source);
    if (checked !== undefined) out[key] = checked;
  }
  return out as Partial<SceneConfig>;
}

function checkValue(
  key: string,
  value: unknown,
  field: (typeof SCHEMA.fields)[string],
  source: string,
): unknown {
  const reject = (why: string) => {
    console.warn(`vitrine: ${source}: "${key}" ${why}; ignored`);
    return undefined;
  };
  switch (field.type) {
    case 'boolean':
      return typeof value === 'boolean' ? value : reject('must be true or false');
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return reject('must be a number');
      const min = field.min ?? -Infinity;
      const max = field.max ?? Infinity;
      if (value < min || value > max) {
        console.warn(`vitrine: ${source}: "${key}" clamped to ${min}..${max}`);
        return Math.min(max, Math.max(min, value));
      }
      return value;
    }
    case 'enum':
      return typeof value === 'string' && field.values?.includes(value)
        ? value
        : reject(`must be one of ${field.values?.join(', ')}`);
    case 'color':
      return typeof value === 'string' && /^#[0-9a-fA-F]{6}$/.test(value) ? value.toLowerCase() : reject('must be a color like #ffffff');
    case 'string':
      return typeof value === 'string' && value.length > 0 && value.length <= 80 ? value : reject('must be a short string');
    default:
      return reject('has an unsupported type');
  }
}

/** Parses a JSON attribute (data-config, config). Invalid JSON is a warning, not an error. */
export function parseConfigJson(text: string | null, source: string): Partial<SceneConfig> {
  if (!text || !text.trim()) return {};
  try {
    return sanitizeLayer(JSON.parse(text), source);
  } catch {
    console.warn(`vitrine: ${source} is not valid JSON; ignored`);
    return {};
  }
}

/** Defaults ← base ← overrides…; the base (the manifest's merged config) is also sanitized. */
export function mergeLayers(...layers: Partial<SceneConfig>[]): SceneConfig {
  const merged: Record<string, unknown> = { ...DEFAULT_CONFIG };
  for (const layer of layers) {
    for (const [key, value] of Object.entries(layer)) if (value !== undefined) merged[key] = value;
  }
  return merged as unknown as SceneConfig;
}

/** The fields whose change means the camera should be re-posed (not just re-limited). */
export const CAMERA_POSE_FIELDS: (keyof SceneConfig)[] = ['camera_fov', 'camera_yaw', 'camera_pitch', 'camera_zoom'];

export function changedFields(a: SceneConfig | null, b: SceneConfig): Set<keyof SceneConfig> {
  const out = new Set<keyof SceneConfig>();
  for (const key of CONFIG_FIELDS) if (!a || a[key] !== b[key]) out.add(key);
  return out;
}

/** Aspect ratio strings ("16:9") as numbers (width / height). */
export function aspectValue(ratio: string): number {
  const [w, h] = ratio.split(':').map(Number);
  return w > 0 && h > 0 ? w / h : 16 / 9;
}
