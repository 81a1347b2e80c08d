/**
 * The rendering engine behind one <vitrine-viewer>: renderer, scene, model, environment, lights,
 * shadow, camera and post-processing, driven by a SceneConfig. The element (element.ts) owns the
 * DOM and the data flow; render mode (render-mode.ts) drives the same engine for thumbnails, so a
 * thumbnail is the embed, pixel for pixel.
 */
import { Box3, Group, NeutralToneMapping, Scene, Vector3, WebGLRenderer, type Material, type Object3D } from 'three';
import { ACESFilmicToneMapping, AgXToneMapping, CineonToneMapping, LinearToneMapping, NoToneMapping, ReinhardToneMapping } from 'three';
import type { ToneMapping } from 'three';
import { applyEnvironment } from './background.js';
import { CameraRig } from './camera-rig.js';
import { changedFields, type SceneConfig } from './config.js';
import { ContactShadow } from './contact-shadow.js';
import { EnvironmentLibrary, type Environment } from './environment.js';
import { LightRig } from './lights.js';
import { loadGltf, type ProgressFn } from './model-loader.js';
import { PostPipeline } from './post-processing.js';
import { ProgramKeeper } from './program-keeper.js';
import { detectQuality, type Quality } from './quality.js';

const TONE_MAPPINGS: Record<SceneConfig['tonemapping_mode'], ToneMapping> = {
  neutral: NeutralToneMapping,
  aces: ACESFilmicToneMapping,
  agx: AgXToneMapping,
  reinhard: ReinhardToneMapping,
  cineon: CineonToneMapping,
  linear: LinearToneMapping,
  none: NoToneMapping,
};

export interface ViewerOptions {
  canvas: HTMLCanvasElement;
  /** Thumbnails: keep the drawing buffer for screenshots, small PMREM, no animation loop. */
  renderMode: boolean;
  base: string;
  /** Overrides the PMREM size picked from the GPU (64 under software GL). */
  pmremSize?: number;
}

export interface ModelStats {
  triangles: number;
  meshes: number;
}

export class Viewer {
  readonly renderer: WebGLRenderer;
  readonly scene = new Scene();
  readonly quality: Quality;
  readonly rig: CameraRig;
  private readonly lights = new LightRig();
  private readonly shadow: ContactShadow;
  private readonly post: PostPipeline;
  private readonly envs: EnvironmentLibrary;
  private readonly programs: ProgramKeeper;
  private readonly modelRoot = new Group();
  private model: Object3D | null = null;
  private readonly bounds = new Box3(new Vector3(-0.5, 0, -0.5), new Vector3(0.5, 1, 0.5));
  private env: Environment | null = null;
  private envKey: string | null = null;
  private config: SceneConfig | null = null;
  private opaque = true;
  private dirty = true;
  private shadowDirty = true;
  private lastTick = 0;
  private raf = 0;
  private running = false;
  private modelUrl: string | null = null;
  private stats: ModelStats = { triangles: 0, meshes: 0 };
  /** Called after each drawn frame (the element turns the first one into a `load` event). */
  onFrame: (() => void) | null = null;

  constructor(private readonly options: ViewerOptions) {
    this.renderer = new WebGLRenderer({
      canvas: options.canvas,
      // MSAA happens in the half-float scene buffer; the canvas only receives the final blit.
      antialias: false,
      alpha: true,
      premultipliedAlpha: true,
      preserveDrawingBuffer: options.renderMode,
      powerPreference: 'high-performance',
    });
    this.renderer.setClearColor(0x000000, 0);
    this.quality = detectQuality(this.renderer, options.renderMode);
    this.programs = new ProgramKeeper(this.renderer);
    this.envs = new EnvironmentLibrary(this.renderer, options.pmremSize ?? this.quality.pmremSize);
    this.rig = new CameraRig(options.canvas);
    this.shadow = new ContactShadow(this.quality.shadowResolution);
    this.post = new PostPipeline(this.renderer, this.scene, this.rig.camera, this.quality.msaaSamples);
    this.modelRoot.name = 'vitrine-model';
    this.scene.add(this.modelRoot, this.lights.group, this.shadow.mesh);
    this.rig.controls.addEventListener('change', () => (this.dirty = true));
  }

  get modelStats(): ModelStats {
    return this.stats;
  }

  get pmremSize(): number {
    return this.envs.pmremSize;
  }

  setSize(width: number, height: number, pixelRatio: number): void {
    if (width <= 0 || height <= 0) return;
    this.renderer.setPixelRatio(pixelRatio);
    this.renderer.setSize(width, height, false);
    this.post.setSize(width, height, pixelRatio);
    this.rig.setAspect(width / height);
    this.dirty = true;
  }

  /** Loads (or keeps, if unchanged) the model. Resolves once it is in the scene. */
  async loadModel(url: string, onProgress: ProgressFn, signal?: AbortSignal): Promise<void> {
    if (url === this.modelUrl && this.model) return;
    const gltf = await loadGltf(url, this.options.base, this.renderer, onProgress, signal);
    if (signal?.aborted) return;
    const root = gltf.scene;
    // The old model's materials go to the program keeper once the new model is compiled, so a
    // model with the same material variants reuses their shader programs (see program-keeper.ts).
    const retired = this.disposeModel(true);
    this.model = root;
    this.modelUrl = url;
    this.modelRoot.add(root);
    this.stats = countTriangles(root);
    root.updateMatrixWorld(true);
    this.bounds.setFromObject(root);
    if (this.bounds.isEmpty()) this.bounds.set(new Vector3(-0.5, 0, -0.5), new Vector3(0.5, 1, 0.5));
    this.rig.frame(this.bounds);
    this.lights.setModelBounds(this.bounds.getCenter(new Vector3()), this.rig.modelRadius);
    this.shadowDirty = true;
    if (this.config) this.applyConfig(this.config, true);
    // Upload textures and compile shaders now, not in the first visible frame. Compiled for the
    // scene buffer (linear, no tone mapping): compiling for the canvas would build a variant no
    // frame uses and leave the real one to a synchronous compile in the first frame.
    const previousTarget = this.renderer.getRenderTarget();
    this.renderer.setRenderTarget(this.post.sceneTarget);
    const compiled = this.renderer.compileAsync(this.scene, this.rig.camera);
    this.renderer.setRenderTarget(previousTarget);
    await compiled.catch(() => {});
    this.programs.retire(retired);
    this.dirty = true;
  }

  /** Sets the HDRI (null → procedural studio). Cached per URL and PMREM size. */
  async setEnvironment(url: string | null, format?: string | null): Promise<void> {
    const key = `${url}|${this.envs.pmremSize}`;
    if (key === this.envKey && this.env) return;
    const env = await this.envs.get(url, format);
    this.env = env;
    this.envKey = key;
    if (this.config) this.applyConfig(this.config, false);
    this.dirty = true;
  }

  setPmremSize(size: number): void {
    if (size === this.envs.pmremSize) return;
    this.envs.pmremSize = size;
    this.envKey = null;
  }

  applyConfig(config: SceneConfig, forceRepose = false): void {
    const changed = changedFields(this.config, config);
    this.config = config;
    const bg = applyEnvironment(this.scene, config, this.env);
    this.opaque = bg.opaque;
    this.lights.apply(config);
    this.post.apply({
      toneMapping: TONE_MAPPINGS[config.tonemapping_mode] ?? NeutralToneMapping,
      exposure: config.exposure,
      bgMode: bg.composite,
      bgColor: config.bg_color,
      bgColor2: config.bg_color_2,
      aoEnabled: config.ao_enabled,
      aoIntensity: config.ao_intensity,
      aoRadius: this.rig.modelRadius * 0.4,
      // Bloom over alpha 0 would paint a milky halo into the page: only over an opaque background.
      bloomEnabled: config.bloom_enabled && bg.opaque,
      bloomIntensity: config.bloom_intensity,
      bloomThreshold: config.bloom_threshold,
      bloomRadius: config.bloom_radius,
    });
    this.shadow.mesh.visible = config.shadow_catcher_enabled && config.shadow_intensity > 0 && !!this.model;
    if (changed.has('shadow_softness') || changed.has('shadow_intensity')) this.shadowDirty = true;
    const repose =
      forceRepose ||
      changed.has('camera_fov') ||
      changed.has('camera_yaw') ||
      changed.has('camera_pitch') ||
      changed.has('camera_zoom');
    this.rig.apply(config, repose);
    this.dirty = true;
  }

  /** Whether bloom is actually applied (false on transparent backgrounds even when enabled). */
  get bloomActive(): boolean {
    return !!this.config?.bloom_enabled && this.opaque;
  }

  /** Draws one complete frame now (all passes). */
  renderNow(deltaSeconds = 0): void {
    if (this.shadowDirty && this.model && this.config) {
      this.shadow.update(this.renderer, this.modelRoot, this.bounds, this.config.shadow_intensity, this.config.shadow_softness);
      this.shadowDirty = false;
    }
    this.lights.followCamera(this.rig.azimuth());
    this.post.render(deltaSeconds);
    this.dirty = false;
    this.onFrame?.();
  }

  /** Starts the on-demand loop: frames are drawn only when something moved or changed. */
  start(): void {
    if (this.running || this.options.renderMode) return;
    this.running = true;
    this.lastTick = performance.now();
    const tick = (now: number) => {
      if (!this.running) return;
      this.raf = requestAnimationFrame(tick);
      // Clamped: after a hidden tab, auto-rotate must not jump by the whole pause.
      const dt = Math.min(Math.max(now - this.lastTick, 0) / 1000, 0.1);
      this.lastTick = now;
      const moved = this.rig.update(dt);
      if (moved || this.dirty) this.renderNow(dt);
    };
    this.raf = requestAnimationFrame(tick);
  }

  stop(): void {
    this.running = false;
    cancelAnimationFrame(this.raf);
  }

  invalidate(): void {
    this.dirty = true;
  }

  /**
   * Removes the model and frees its geometry and textures. With `keepMaterials` its materials are
   * returned undisposed (for the program keeper, once the next model is compiled); otherwise they
   * are disposed too.
   */
  private disposeModel(keepMaterials = false): Material[] {
    const kept = new Set<Material>();
    if (!this.model) return [];
    this.modelRoot.remove(this.model);
    this.model.traverse((o) => {
      const mesh = o as Partial<import('three').Mesh>;
      mesh.geometry?.dispose();
      const materials = Array.isArray(mesh.material) ? mesh.material : mesh.material ? [mesh.material] : [];
      for (const m of materials) {
        for (const value of Object.values(m)) if (value && (value as { isTexture?: boolean }).isTexture) (value as { dispose(): void }).dispose();
        if (keepMaterials) kept.add(m);
        else m.dispose();
      }
    });
    this.model = null;
    this.modelUrl = null;
    return [...kept];
  }

  dispose(): void {
    this.stop();
    this.disposeModel();
    this.programs.dispose();
    this.envs.dispose();
    this.shadow.dispose();
    this.post.dispose();
    this.lights.dispose();
    this.rig.dispose();
    this.renderer.dispose();
    // Browsers cap live WebGL contexts (~16); give this one back now, not at GC time.
    this.renderer.forceContextLoss();
  }
}

function countTriangles(root: Object3D): ModelStats {
  let triangles = 0;
  let meshes = 0;
  root.traverse((o) => {
    const mesh = o as import('three').Mesh;
    if (!mesh.isMesh) return;
    meshes++;
    const g = mesh.geometry;
    const count = g.index ? g.index.count : (g.attributes.position?.count ?? 0);
    triangles += Math.floor(count / 3);
  });
  return { triangles, meshes };
}
