/**
 * The frame pipeline: scene → (ambient occlusion) → (bloom) → tone map + background.
 *
 * The scene is always rendered into a half-float multisampled buffer over alpha 0 so the output
 * pass can composite the background exactly (see output-pass.ts). AO and bloom passes are created
 * on first use: a viewer that never enables them never allocates their buffers.
 */
import {
  HalfFloatType,
  Vector2,
  WebGLRenderTarget,
  type Camera,
  type Scene,
  type ToneMapping,
  type WebGLRenderer,
} from 'three';
import { EffectComposer } from 'three/examples/jsm/postprocessing/EffectComposer.js';
import { GTAOPass } from 'three/examples/jsm/postprocessing/GTAOPass.js';
import { FullScreenQuad, Pass } from 'three/examples/jsm/postprocessing/Pass.js';
import { RenderPass } from 'three/examples/jsm/postprocessing/RenderPass.js';
import { UnrealBloomPass } from 'three/examples/jsm/postprocessing/UnrealBloomPass.js';
import { CopyShader } from 'three/examples/jsm/shaders/CopyShader.js';
import { ShaderMaterial } from 'three';
import { OutputCompositePass } from './output-pass.js';

export interface PostSettings {
  toneMapping: ToneMapping;
  exposure: number;
  bgMode: number;
  bgColor: string;
  bgColor2: string;
  aoEnabled: boolean;
  aoIntensity: number;
  /** World-space AO radius; scaled to the model so a ring and a sofa both get creases. */
  aoRadius: number;
  bloomEnabled: boolean;
  bloomIntensity: number;
  bloomThreshold: number;
  bloomRadius: number;
}

/** Copies the current buffer aside (before bloom) so the output pass can isolate the glow. */
class SnapshotPass extends Pass {
  readonly target: WebGLRenderTarget;
  private readonly quad: FullScreenQuad;
  private readonly material: ShaderMaterial;

  constructor() {
    super();
    this.needsSwap = false;
    this.target = new WebGLRenderTarget(1, 1, { type: HalfFloatType, depthBuffer: false });
    this.material = new ShaderMaterial({
      uniforms: { tDiffuse: { value: null }, opacity: { value: 1 } },
      vertexShader: CopyShader.vertexShader,
      fragmentShader: CopyShader.fragmentShader,
      depthTest: false,
      depthWrite: false,
    });
    this.quad = new FullScreenQuad(this.material);
  }

  override setSize(width: number, height: number): void {
    this.target.setSize(width, height);
  }

  override render(renderer: WebGLRenderer, _write: WebGLRenderTarget, readBuffer: WebGLRenderTarget): void {
    this.material.uniforms.tDiffuse.value = readBuffer.texture;
    renderer.setRenderTarget(this.target);
    this.quad.render(renderer);
  }

  override dispose(): void {
    this.target.dispose();
    this.material.dispose();
    this.quad.dispose();
  }
}

export class PostPipeline {
  readonly composer: EffectComposer;
  readonly output = new OutputCompositePass();
  private readonly renderPass: RenderPass;
  private gtao: GTAOPass | null = null;
  private snapshot: SnapshotPass | null = null;
  private bloom: UnrealBloomPass | null = null;
  private size = { width: 1, height: 1, ratio: 1 };

  constructor(
    private readonly renderer: WebGLRenderer,
    private readonly scene: Scene,
    private readonly camera: Camera,
    samples: number,
  ) {
    const target = new WebGLRenderTarget(1, 1, { type: HalfFloatType, samples });
    this.composer = new EffectComposer(renderer, target);
    this.renderPass = new RenderPass(scene, camera);
    // Alpha 0 under the scene: the background is composited later, in display space.
    this.renderPass.clearColor = null;
    this.renderPass.clearAlpha = 0;
    this.composer.addPass(this.renderPass);
    this.composer.addPass(this.output);
  }

  /** The buffer the scene is drawn into (what its materials' shaders are compiled for). */
  get sceneTarget(): WebGLRenderTarget {
    return this.composer.readBuffer;
  }

  setSize(width: number, height: number, ratio: number): void {
    this.size = { width, height, ratio };
    this.composer.setPixelRatio(ratio);
    this.composer.setSize(width, height);
  }

  apply(s: PostSettings): void {
    this.output.setToneMapping(s.toneMapping);
    this.output.setExposure(s.exposure);
    this.output.setBackground(s.bgMode, s.bgColor, s.bgColor2);

    if (s.aoEnabled && s.aoIntensity > 0) {
      this.gtao ??= this.createGtao();
      this.gtao.enabled = true;
      // `scale` deepens the occlusion itself (a full blend of a faint AO still looks faint); tuned
      // by eye on the fixtures so 0.5 reads as "soft studio" and 2 as clearly dark creases.
      this.gtao.blendIntensity = 1;
      this.gtao.updateGtaoMaterial({
        radius: s.aoRadius,
        distanceExponent: 1,
        thickness: s.aoRadius * 3,
        scale: 0.5 + s.aoIntensity * 1.25,
        samples: 16,
      });
    } else if (this.gtao) {
      this.gtao.enabled = false;
    }

    if (s.bloomEnabled && s.bloomIntensity > 0) {
      this.snapshot ??= this.createSnapshot();
      this.bloom ??= this.createBloom();
      this.bloom.enabled = true;
      this.snapshot.enabled = true;
      // UnrealBloomPass sums five mip levels (weights 1 … 0.2), so its "strength" overshoots: at
      // the schema default 0.3 a glossy product drowned in haze. Half of it reads as a glow.
      this.bloom.strength = s.bloomIntensity * 0.5;
      this.bloom.threshold = s.bloomThreshold;
      this.bloom.radius = s.bloomRadius;
      this.output.preBloom = this.snapshot.target;
    } else {
      if (this.bloom) this.bloom.enabled = false;
      if (this.snapshot) this.snapshot.enabled = false;
      this.output.preBloom = null;
    }
    this.rebuild();
  }

  private createGtao(): GTAOPass {
    const { width, height, ratio } = this.size;
    const pass = new GTAOPass(this.scene, this.camera, width * ratio, height * ratio);
    pass.updatePdMaterial({ lumaPhi: 10, depthPhi: 2, normalPhi: 3, radius: 6, rings: 2, samples: 12 });
    return pass;
  }

  private createSnapshot(): SnapshotPass {
    const pass = new SnapshotPass();
    pass.setSize(this.size.width * this.size.ratio, this.size.height * this.size.ratio);
    return pass;
  }

  private createBloom(): UnrealBloomPass {
    const { width, height, ratio } = this.size;
    return new UnrealBloomPass(new Vector2(width * ratio, height * ratio), 0.3, 0.4, 0.85);
  }

  /** Keeps the pass order fixed whatever was enabled first. */
  private rebuild(): void {
    const passes: Pass[] = [this.renderPass];
    if (this.gtao) passes.push(this.gtao);
    if (this.snapshot) passes.push(this.snapshot);
    if (this.bloom) passes.push(this.bloom);
    passes.push(this.output);
    const added = passes.filter((p) => !this.composer.passes.includes(p));
    this.composer.passes = passes;
    for (const pass of added) pass.setSize(this.size.width * this.size.ratio, this.size.height * this.size.ratio);
  }

  render(deltaSeconds: number): void {
    this.composer.render(deltaSeconds);
  }

  dispose(): void {
    this.gtao?.dispose();
    this.bloom?.dispose();
    this.snapshot?.dispose();
    this.output.dispose();
    this.composer.dispose();
  }
}
