/**
 * Background modes. `color`, `gradient` and `transparent` are composited by the output pass in
 * display space (exact colors, see output-pass.ts); `hdri` and `hdri_blurred` are part of the 3D
 * scene (they rotate with the environment and are tone-mapped like everything lit by it).
 */
import { MathUtils, type Scene } from 'three';
import type { SceneConfig } from './config.js';
import type { Environment } from './environment.js';
import { BG_COLOR, BG_GRADIENT, BG_NONE } from './output-pass.js';

export interface BackgroundState {
  /** Composite mode for the output pass. */
  composite: number;
  /** Whether the final image is opaque (bloom needs something to glow over). */
  opaque: boolean;
}

export function applyEnvironment(scene: Scene, config: SceneConfig, env: Environment | null): BackgroundState {
  const rotation = MathUtils.degToRad(config.hdri_rotation);
  scene.environment = env?.pmrem ?? null;
  scene.environmentIntensity = config.hdri_exposure;
  scene.environmentRotation.set(0, rotation, 0);
  scene.backgroundRotation.set(0, rotation, 0);
  scene.backgroundIntensity = config.hdri_exposure;

  switch (config.bg_mode) {
    case 'hdri':
      // The full-resolution equirect: a 64-px PMREM face would look pixelated behind the model.
      scene.background = env?.equirect ?? env?.pmrem ?? null;
      scene.backgroundBlurriness = 0;
      return { composite: BG_NONE, opaque: true };
    case 'hdri_blurred':
      // Blurriness samples the PMREM's rougher mips; keep a floor so "blurred" is never sharp.
      scene.background = env?.pmrem ?? null;
      scene.backgroundBlurriness = 0.05 + 0.95 * config.hdri_blur;
      return { composite: BG_NONE, opaque: true };
    case 'transparent':
      scene.background = null;
      return { composite: BG_NONE, opaque: false };
    case 'color':
      scene.background = null;
      return { composite: BG_COLOR, opaque: true };
    case 'gradient':
    default:
      scene.background = null;
      return { composite: BG_GRADIENT, opaque: true };
  }
}
