/**
 * Injected by scripts/build-viewer.mjs from src/core/scene/config-schema.ts (the single source), so
 * the bundle knows every field, its type, range and default without shipping zod.
 */
declare const __VITRINE_SCENE_SCHEMA__: {
  defaults: Record<string, unknown>;
  fields: Record<
    string,
    { type: 'number' | 'boolean' | 'string' | 'enum' | 'color'; min?: number; max?: number; values?: string[] }
  >;
};
declare const __VITRINE_VERSION__: string;
