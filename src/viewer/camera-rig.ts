/**
 * Camera framing, orbit controls and auto-rotate.
 *
 * Framing fits the model's bounding box corners into the frustum for the configured view angle
 * (tighter than a bounding sphere, so a flat sneaker fills a 16:9 frame instead of floating in it).
 * `camera_zoom` 1 is that fit; orbit limits are expressed in the same units, so they mean the same
 * thing for a ring and for a car.
 */
import { Box3, MathUtils, PerspectiveCamera, Vector3 } from 'three';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';
import type { SceneConfig } from './config.js';

const MARGIN = 1.08;

export class CameraRig {
  readonly camera = new PerspectiveCamera(35, 16 / 9, 0.01, 100);
  readonly controls: OrbitControls;
  private readonly center = new Vector3();
  private readonly bounds = new Box3(new Vector3(-0.5, 0, -0.5), new Vector3(0.5, 1, 0.5));
  private radius = 1;
  private fitDistance = 3;
  private config: SceneConfig | null = null;
  private interacting = false;
  private lastInteraction = performance.now();
  private userMoved = false;
  /** Set when the visitor first touches the model (hides the interaction prompt). */
  onFirstInteraction: (() => void) | null = null;

  constructor(domElement: HTMLElement) {
    this.controls = new OrbitControls(this.camera, domElement);
    this.controls.enableDamping = true;
    this.controls.dampingFactor = 0.08;
    this.controls.screenSpacePanning = true;
    this.controls.addEventListener('start', () => {
      this.interacting = true;
      if (!this.userMoved) this.onFirstInteraction?.();
      this.userMoved = true;
    });
    this.controls.addEventListener('end', () => {
      this.interacting = false;
      this.lastInteraction = performance.now();
    });
  }

  /** New model: remember its bounds; the next `apply` poses the camera for it. */
  frame(bounds: Box3): void {
    this.bounds.copy(bounds);
    bounds.getCenter(this.center);
    this.radius = Math.max(bounds.getSize(new Vector3()).length() / 2, 1e-4);
    this.userMoved = false;
    this.lastInteraction = performance.now();
  }

  setAspect(aspect: number): void {
    this.camera.aspect = aspect;
    this.camera.updateProjectionMatrix();
    // Before the visitor moves the camera, a resize re-frames (the fit depends on the aspect).
    if (this.config && !this.userMoved) this.pose(this.config);
  }

  apply(config: SceneConfig, repose: boolean): void {
    this.config = config;
    const c = this.controls;
    c.enabled = config.controls_enabled;
    c.enableRotate = config.controls_enabled;
    c.enableZoom = config.controls_enabled && config.zoom_enabled;
    c.enablePan = config.controls_enabled && config.pan_enabled;
    const pitchLo = Math.min(config.camera_pitch_min, config.camera_pitch_max);
    const pitchHi = Math.max(config.camera_pitch_min, config.camera_pitch_max);
    c.minPolarAngle = MathUtils.degToRad(90 - pitchHi);
    c.maxPolarAngle = MathUtils.degToRad(90 - pitchLo);
    c.autoRotateSpeed = 2 * config.auto_rotate_speed;
    if (repose || !this.userMoved) this.pose(config);
    else this.applyDistanceLimits(config);
  }

  /** Places the camera at yaw/pitch/zoom from the config, looking at the model's center. */
  private pose(config: SceneConfig): void {
    const cam = this.camera;
    cam.fov = config.camera_fov;
    const pitchLo = Math.min(config.camera_pitch_min, config.camera_pitch_max);
    const pitchHi = Math.max(config.camera_pitch_min, config.camera_pitch_max);
    const yaw = MathUtils.degToRad(config.camera_yaw);
    const pitch = MathUtils.degToRad(MathUtils.clamp(config.camera_pitch, pitchLo, pitchHi));
    const dir = new Vector3(Math.sin(yaw) * Math.cos(pitch), Math.sin(pitch), Math.cos(yaw) * Math.cos(pitch));
    this.fitDistance = this.fit(dir, cam.fov, cam.aspect);
    this.applyDistanceLimits(config);
    const zoomLo = Math.min(config.camera_zoom_min, config.camera_zoom_max);
    const zoomHi = Math.max(config.camera_zoom_min, config.camera_zoom_max);
    const distance = this.fitDistance / MathUtils.clamp(config.camera_zoom, zoomLo, zoomHi);
    cam.position.copy(this.center).addScaledVector(dir, distance);
    this.controls.target.copy(this.center);
    cam.updateProjectionMatrix();
    this.controls.update();
  }

  private applyDistanceLimits(config: SceneConfig): void {
    const zoomLo = Math.min(config.camera_zoom_min, config.camera_zoom_max);
    const zoomHi = Math.max(config.camera_zoom_min, config.camera_zoom_max);
    this.controls.minDistance = this.fitDistance / zoomHi;
    this.controls.maxDistance = this.fitDistance / zoomLo;
    const cam = this.camera;
    cam.near = Math.max(this.radius * 0.01, this.controls.minDistance - this.radius * 1.5);
    cam.far = this.controls.maxDistance + this.radius * 6;
    cam.updateProjectionMatrix();
  }

  /** Distance at which all 8 box corners fit the view from direction `dir`. */
  private fit(dir: Vector3, fovDeg: number, aspect: number): number {
    const tanV = Math.tan(MathUtils.degToRad(fovDeg) / 2);
    const tanH = tanV * aspect;
    const forward = dir.clone().negate();
    const right = new Vector3().crossVectors(forward, new Vector3(0, 1, 0));
    if (right.lengthSq() < 1e-8) right.set(1, 0, 0);
    right.normalize();
    const up = new Vector3().crossVectors(right, forward).normalize();
    let needed = 0;
    const { min, max } = this.bounds;
    const corner = new Vector3();
    for (let i = 0; i < 8; i++) {
      corner.set(i & 1 ? max.x : min.x, i & 2 ? max.y : min.y, i & 4 ? max.z : min.z).sub(this.center);
      const towardCamera = corner.dot(dir);
      needed = Math.max(
        needed,
        Math.abs(corner.dot(up)) / tanV + towardCamera,
        Math.abs(corner.dot(right)) / tanH + towardCamera,
      );
    }
    return Math.max(needed * MARGIN, this.radius * 0.5);
  }

  /** Advances damping and auto-rotate. Returns true when the view changed. */
  update(deltaSeconds: number): boolean {
    const cfg = this.config;
    const idleFor = performance.now() - this.lastInteraction;
    this.controls.autoRotate = !!cfg && cfg.auto_rotate && !this.interacting && idleFor >= cfg.auto_rotate_delay;
    return this.controls.update(deltaSeconds);
  }

  /** Camera azimuth in radians (0 = in front of the model, +Z). */
  azimuth(): number {
    return this.controls.getAzimuthalAngle();
  }

  /** Resets the idle timer (e.g. when the viewer scrolls into view). */
  touch(): void {
    this.lastInteraction = performance.now();
  }

  get modelRadius(): number {
    return this.radius;
  }

  dispose(): void {
    this.controls.dispose();
  }
}
