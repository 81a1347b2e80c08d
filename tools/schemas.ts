/** Shared zod schemas for operation inputs and outputs: the public JSON shapes. */
import * as z from 'zod';

export const Id = (what: string) => z.string().min(1).max(64).describe(`${what} id`);
export const ModelId = Id('Model (= showcase)');
export const Timestamp = z.string().describe('ISO 8601 timestamp');

export const GlbStatsOut = z.object({
  triangles: z.number().int(),
  vertices: z.number().int(),
  meshes: z.number().int(),
  materials: z.number().int(),
  textures: z.number().int(),
  animations: z.number().int(),
  bounds: z.object({ min: z.array(z.number()).length(3), max: z.array(z.number()).length(3) }).nullable(),
});

export const ThumbnailOut = z.object({
  status: z.enum(['none', 'pending', 'ready', 'stale', 'failed']),
  urls: z.record(z.string(), z.string()).describe('Image URLs by size: 1024, 512, 256 (square WebP), aspect (layout ratio), master (PNG)'),
  rendered_at: Timestamp.nullable(),
  error: z.string().nullable(),
});

export const ModelOut = z.object({
  id: z.string(),
  name: z.string(),
  status: z.literal('ready'),
  published: z.boolean(),
  look_id: z.string().nullable(),
  layout_id: z.string().nullable(),
  size_bytes: z.number().int(),
  sha256: z.string(),
  stats: GlbStatsOut,
  thumbnail: ThumbnailOut,
  viewer_url: z.string().nullable().describe('Public viewer page; null until published'),
  created_at: Timestamp,
  updated_at: Timestamp,
});

/**
 * A complete merged config in outputs. Deliberately an open record rather than the full typed
 * schema: the typed schema (every field with range and description) costs ~8 KiB of an agent's
 * context per tool, and inputs already carry it where it matters (patches). Field docs:
 * vitrine_config_schema.
 */
export const MergedConfigOut = z
  .record(z.string(), z.unknown())
  .describe('Complete merged scene config, every field present; field meanings in vitrine_config_schema');

export const ModelDetailsOut = ModelOut.extend({
  config: MergedConfigOut,
  overrides: z.record(z.string(), z.unknown()).describe('The fields this model overrides'),
  expires_at: Timestamp.nullable().describe('When an anonymous model is deleted; null for permanent accounts'),
});

export const AnonymousSessionOut = z
  .object({ token: z.string(), expires_at: Timestamp })
  .describe('Present when this request created an anonymous account: send the token back as a Bearer');

export const ConfigOut = z.object({
  model_id: z.string(),
  config: MergedConfigOut,
  overrides: z.record(z.string(), z.unknown()),
});

export const LookOut = z.object({
  id: z.string(),
  name: z.string(),
  config: z.record(z.string(), z.unknown()).describe('Look fields this look sets'),
  created_at: Timestamp,
  updated_at: Timestamp,
});

export const LayoutOut = z.object({
  id: z.string(),
  name: z.string(),
  builtin: z.boolean(),
  config: z.record(z.string(), z.unknown()).describe('Layout fields this layout sets'),
  created_at: Timestamp,
  updated_at: Timestamp,
});

export const ApiKeyOut = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string().describe('First characters of the key, for recognising it'),
  created_at: Timestamp,
  last_used_at: Timestamp.nullable(),
  revoked_at: Timestamp.nullable(),
});

export const Deleted = z.object({ id: z.string(), deleted: z.literal(true) });
