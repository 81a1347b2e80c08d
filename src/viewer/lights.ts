/**
 * The three-point rig (key, fill, rim) on top of the HDRI.
 *
 * Azimuths are relative to the camera: key at +45° stays at the viewer's front-right however the
 * visitor orbits, like a photographer's lights that move with the camera. Elevation is measured
 * from the horizon. The environment stays fixed in the world (reflections slide as you orbit,
 * which is what makes a surface read as glossy).
 */
import { Color, DirectionalLight, Group, MathUtils, Object3D, Vector3 } from 'three';
import type { SceneConfig } from './config.js';

type LightName = 'key_light' | 'fill_light' | 'rim_light';
const NAMES: LightName[] = ['key_light', 'fill_light', 'rim_light'];

/**
 * three's directional light of intensity I gives a white Lambert surface a radiance of I/π. The
 * config's scale is "1 ≈ as bright as a uniform white sky", which is I = π.
 */
const INTENSITY_SCALE = Math.PI;

export class LightRig {
  readonly group = new Group();
  private readonly lights = new Map<LightName, DirectionalLight>();
  private readonly target = new Object3D();
  private distance = 10;

  constructor() {
    this.group.name = 'vitrine-lights';
    this.group.add(this.target);
    for (const name of NAMES) {
      const light = new DirectionalLight(0xffffff, 1);
      light.name = name;
      light.target = this.target;
      this.lights.set(name, light);
      this.group.add(light);
    }
  }

  /** Centers the rig on the model; `radius` keeps lights outside it whatever its size. */
  setModelBounds(center: Vector3, radius: number): void {
    this.group.position.copy(center);
    this.distance = Math.max(radius, 1e-3) * 4;
  }

  apply(config: SceneConfig): void {
    for (const name of NAMES) {
      const light = this.lights.get(name)!;
      const enabled = config[`${name}_enabled`];
      const intensity = config[`${name}_intensity`];
      light.visible = enabled && intensity > 0;
      light.intensity = intensity * INTENSITY_SCALE;
      light.color = new Color(config[`${name}_color`]);
      const az = MathUtils.degToRad(config[`${name}_azimuth`]);
      const el = MathUtils.degToRad(config[`${name}_elevation`]);
      light.position.set(Math.sin(az) * Math.cos(el), Math.sin(el), Math.cos(az) * Math.cos(el)).multiplyScalar(this.distance);
    }
  }

  /** Called every frame with the camera's azimuth (radians, OrbitControls convention). */
  followCamera(azimuth: number): void {
    this.group.rotation.y = azimuth;
  }

  dispose(): void {
    for (const light of this.lights.values()) light.dispose();
  }
}
