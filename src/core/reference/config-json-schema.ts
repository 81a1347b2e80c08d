/** The public JSON Schema (2020-12) of the scene config, generated from the zod schema. */
import * as z from 'zod';
import { ConfigPatch, LAYOUT_FIELDS, LOOK_FIELDS, SceneConfig } from '../scene/config-schema.js';

let cached: Record<string, unknown> | null = null;

export function sceneConfigJsonSchema(): Record<string, unknown> {
  if (cached) return cached;
  const full = z.toJSONSchema(SceneConfig, { target: 'draft-2020-12', io: 'input' }) as Record<string, unknown>;
  const patch = z.toJSONSchema(ConfigPatch, { target: 'draft-2020-12', io: 'input' }) as Record<string, unknown>;
  cached = Object.freeze({
    ...full,
    $id: 'vitrine://config-schema',
    title: 'vitrine scene config',
    description:
      'Flat scene config. Merge order: defaults ← look ← layout ← model overrides ← embed data-config. ' +
      'PATCH /v1/models/:id/config takes any subset; null removes an override. hdri_name is an alias of hdri_preset.',
    'x-look-fields': LOOK_FIELDS,
    'x-layout-fields': LAYOUT_FIELDS,
    'x-patch-schema': patch,
  });
  return cached;
}
