/**
 * The scene config: the single source for validation, defaults, the public JSON Schema
 * (`/v1/config-schema`), the MCP tool input schemas and the viewer.
 *
 * Fields are flat and snake_case. Look fields describe how a scene looks (background, light,
 * effects, camera); layout fields describe the embed frame (aspect ratio, controls, UI).
 * Every field has a default so the merged config is always complete.
 */
import * as z from 'zod';

const color = z
  .string()
  .regex(/^#[0-9a-fA-F]{6}$/, 'a hex color like #ffffff')
  .describe('Hex color, #rrggbb');

const unit = (def: number, description: string) =>
  z.number().min(0).max(1).default(def).describe(description);

const degrees = (min: number, max: number, def: number, description: string) =>
  z.number().min(min).max(max).default(def).describe(`${description} (degrees, ${min}..${max})`);

/** A three-point-rig light: `<prefix>_enabled`, `_intensity`, `_color`, `_azimuth`, `_elevation`. */
function lightFields<P extends string>(
  prefix: P,
  defaults: { enabled: boolean; intensity: number; color: string; azimuth: number; elevation: number },
  role: string,
) {
  return {
    [`${prefix}_enabled`]: z.boolean().default(defaults.enabled).describe(`Turn the ${role} on or off`),
    [`${prefix}_intensity`]: z
      .number()
      .min(0)
      .max(10)
      .default(defaults.intensity)
      .describe(`${role} intensity (0..10)`),
    [`${prefix}_color`]: color.default(defaults.color).describe(`${role} color, #rrggbb`),
    [`${prefix}_azimuth`]: degrees(-180, 180, defaults.azimuth, `${role} direction around the model, 0 = front`),
    [`${prefix}_elevation`]: degrees(-90, 90, defaults.elevation, `${role} height above the horizon`),
  } as {
    [K in `${P}_enabled`]: z.ZodDefault<z.ZodBoolean>;
  } & {
    [K in `${P}_intensity` | `${P}_azimuth` | `${P}_elevation`]: z.ZodDefault<z.ZodNumber>;
  } & {
    [K in `${P}_color`]: z.ZodDefault<z.ZodString>;
  };
}

export const BG_MODES = ['color', 'gradient', 'transparent', 'hdri', 'hdri_blurred'] as const;
export const TONEMAPPING_MODES = ['neutral', 'aces', 'agx', 'reinhard', 'cineon', 'linear', 'none'] as const;
export const ASPECT_RATIOS = ['16:9', '4:3', '1:1', '3:4', '9:16'] as const;

export const lookFieldShapes = {
  // background
  bg_mode: z.enum(BG_MODES).default('gradient').describe('Background: a flat color, a two-color gradient, transparent (alpha 0, for overlays), the HDRI itself, or the HDRI blurred'),
  bg_color: color.default('#f4f4f6').describe('Background color (color mode) or gradient top color'),
  bg_color_2: color.default('#d9dbe1').describe('Gradient bottom color (gradient mode)'),
  // environment
  hdri_preset: z.string().min(1).max(80).default('studio').describe('HDRI environment preset slug; list them with GET /v1/hdris'),
  hdri_exposure: z.number().min(0).max(4).default(1).describe('Brightness of the HDRI lighting (0..4)'),
  hdri_rotation: degrees(-180, 180, 0, 'Rotation of the HDRI around the vertical axis'),
  hdri_blur: unit(0.5, 'Blur of the HDRI when bg_mode is hdri_blurred (0..1)'),
  // tone
  tonemapping_mode: z.enum(TONEMAPPING_MODES).default('neutral').describe('Tone mapping curve'),
  exposure: z.number().min(0).max(4).default(1).describe('Overall exposure (0..4)'),
  // lights: a three-point rig on top of the HDRI
  ...lightFields('key_light', { enabled: true, intensity: 1.5, color: '#ffffff', azimuth: 45, elevation: 40 }, 'Key light'),
  ...lightFields('fill_light', { enabled: true, intensity: 0.5, color: '#ffffff', azimuth: -60, elevation: 15 }, 'Fill light'),
  ...lightFields('rim_light', { enabled: false, intensity: 1, color: '#ffffff', azimuth: 180, elevation: 35 }, 'Rim light'),
  // shadows
  shadow_catcher_enabled: z.boolean().default(true).describe('Soft contact shadow on an invisible ground plane'),
  shadow_intensity: unit(0.65, 'Shadow darkness (0..1)'),
  shadow_softness: unit(0.5, 'Shadow blur (0 = sharp, 1 = very soft)'),
  // effects
  bloom_enabled: z.boolean().default(false).describe('Glow around bright areas (opaque backgrounds only)'),
  bloom_intensity: z.number().min(0).max(3).default(0.15).describe('Bloom strength (0..3)'),
  bloom_threshold: unit(0.85, 'Luminance above which pixels bloom (0..1)'),
  bloom_radius: unit(0.4, 'Bloom spread (0..1)'),
  ao_enabled: z.boolean().default(false).describe('Screen-space ambient occlusion (darkens creases)'),
  ao_intensity: z.number().min(0).max(2).default(0.5).describe('Ambient occlusion strength (0..2)'),
  // camera
  camera_fov: z.number().min(10).max(100).default(35).describe('Vertical field of view (degrees, 10..100)'),
  camera_yaw: degrees(-180, 180, 30, 'Initial camera angle around the model, 0 = front'),
  camera_pitch: degrees(-89, 89, 15, 'Initial camera height angle'),
  camera_zoom: z.number().min(0.1).max(10).default(1).describe('Initial zoom, 1 = model fills the frame (0.1..10)'),
  camera_pitch_min: degrees(-89, 89, -89, 'Lowest orbit angle'),
  camera_pitch_max: degrees(-89, 89, 89, 'Highest orbit angle'),
  camera_zoom_min: z.number().min(0.1).max(10).default(0.5).describe('Furthest zoom out allowed'),
  camera_zoom_max: z.number().min(0.1).max(10).default(4).describe('Closest zoom in allowed'),
  auto_rotate: z.boolean().default(false).describe('Turn the model slowly when idle'),
  auto_rotate_speed: z.number().min(-10).max(10).default(1).describe('Auto-rotate speed, 1 ≈ one turn in 30 s; negative turns the other way'),
  auto_rotate_delay: z.number().min(0).max(60000).default(3000).describe('Milliseconds of idle time before auto-rotate starts'),
};

export const layoutFieldShapes = {
  aspect_ratio: z.enum(ASPECT_RATIOS).default('16:9').describe('Frame aspect ratio of the embed'),
  controls_enabled: z.boolean().default(true).describe('Let visitors orbit the model'),
  zoom_enabled: z.boolean().default(true).describe('Let visitors zoom'),
  pan_enabled: z.boolean().default(false).describe('Let visitors pan'),
  ui_fullscreen_button: z.boolean().default(true).describe('Show a fullscreen button'),
  ui_loading_bar: z.boolean().default(true).describe('Show a loading bar while the model loads'),
  ui_interaction_prompt: z.boolean().default(true).describe('Show a hint that the model can be dragged'),
};

export const LOOK_FIELDS = Object.keys(lookFieldShapes) as (keyof typeof lookFieldShapes)[];
export const LAYOUT_FIELDS = Object.keys(layoutFieldShapes) as (keyof typeof layoutFieldShapes)[];

/** The complete, merged scene config (every field present). */
export const SceneConfig = z.strictObject({ ...lookFieldShapes, ...layoutFieldShapes }).describe('vitrine scene config');
export type SceneConfig = z.output<typeof SceneConfig>;

export const DEFAULT_SCENE_CONFIG: SceneConfig = Object.freeze(SceneConfig.parse({}));

type Shapes = typeof lookFieldShapes & typeof layoutFieldShapes;
type Nullable<S> = { [K in keyof S]: z.ZodOptional<z.ZodNullable<S[K] extends z.ZodDefault<infer T> ? T : never>> };

function patchShape<S extends Record<string, z.ZodType>>(shapes: S): Nullable<S> {
  const out: Record<string, z.ZodType> = {};
  for (const [key, schema] of Object.entries(shapes)) {
    const inner = schema instanceof z.ZodDefault ? (schema.unwrap() as z.ZodType) : schema;
    out[key] = inner.nullable().optional().describe(schema.description ?? key);
  }
  return out as Nullable<S>;
}

/**
 * A sparse patch: every field optional; `null` removes a stored override so the field falls back
 * to the next layer of the cascade. `hdri_name` is accepted as an alias of `hdri_preset`.
 */
export const ConfigPatch = z
  .strictObject({
    ...patchShape({ ...lookFieldShapes, ...layoutFieldShapes } as Shapes),
    hdri_name: z.string().min(1).max(80).nullable().optional().describe('Alias of hdri_preset, accepted for older clients'),
  })
  .describe('Sparse scene config patch; null removes an override');
export type ConfigPatch = z.output<typeof ConfigPatch>;

/** Look config: look fields only. */
export const LookConfig = z
  .strictObject({
    ...patchShape(lookFieldShapes),
    hdri_name: z.string().min(1).max(80).nullable().optional().describe('Alias of hdri_preset'),
  })
  .describe('Look fields (background, environment, tone, lights, shadows, effects, camera)');
export type LookConfig = z.output<typeof LookConfig>;

/** Layout config: layout fields only. */
export const LayoutConfig = z.strictObject(patchShape(layoutFieldShapes)).describe('Layout fields (aspect ratio, controls, UI)');
export type LayoutConfig = z.output<typeof LayoutConfig>;

/** Stored sparse overrides: a patch with nulls already applied (no nulls, no aliases). */
export type ConfigOverrides = Partial<SceneConfig>;
