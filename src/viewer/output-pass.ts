/**
 * The last pass: tone mapping, sRGB encoding and the background, in one full-screen draw.
 *
 * Why the background is composited here and not drawn in the 3D scene: a flat `bg_color` must come
 * out as exactly that color (a product page matches it to the page around it), and tone mapping
 * would shift it (#f4f4f6 → #eeeeef under `neutral`, greyer under `agx`). So the scene is rendered
 * over alpha 0 in linear light (premultiplied), tone-mapped on its own, then laid over the
 * background in display space — the way a browser composites a transparent canvas over CSS.
 *
 * Bloom is purely additive, so the glow is recovered as `post − pre` (the buffer before and after
 * the bloom pass): over the model it is added before tone mapping (a highlight blooms), over the
 * background it is screened on in display space (a halo, never a milky wash). In transparent mode
 * the output stays premultiplied and bloom is not used at all (there is nothing to glow over).
 */
import {
  ACESFilmicToneMapping,
  AgXToneMapping,
  CineonToneMapping,
  Color,
  LinearSRGBColorSpace,
  LinearToneMapping,
  NeutralToneMapping,
  RawShaderMaterial,
  ReinhardToneMapping,
  type Texture,
  type ToneMapping,
  type WebGLRenderTarget,
  type WebGLRenderer,
} from 'three';
import { FullScreenQuad, Pass } from 'three/examples/jsm/postprocessing/Pass.js';

export const BG_NONE = 0;
export const BG_COLOR = 1;
export const BG_GRADIENT = 2;

const TONE_DEFINES: [ToneMapping, string][] = [
  [LinearToneMapping, 'LINEAR_TONE_MAPPING'],
  [ReinhardToneMapping, 'REINHARD_TONE_MAPPING'],
  [CineonToneMapping, 'CINEON_TONE_MAPPING'],
  [ACESFilmicToneMapping, 'ACES_FILMIC_TONE_MAPPING'],
  [AgXToneMapping, 'AGX_TONE_MAPPING'],
  [NeutralToneMapping, 'NEUTRAL_TONE_MAPPING'],
];

const vertexShader = /* glsl */ `
precision highp float;
uniform mat4 modelViewMatrix;
uniform mat4 projectionMatrix;
attribute vec3 position;
attribute vec2 uv;
varying vec2 vUv;
void main() {
  vUv = uv;
  gl_Position = projectionMatrix * modelViewMatrix * vec4(position, 1.0);
}`;

const fragmentShader = /* glsl */ `
precision highp float;
uniform sampler2D tDiffuse;
uniform sampler2D tPre;
uniform int bgMode;
uniform vec3 bgColor;
uniform vec3 bgColor2;
uniform float aspect;
#include <tonemapping_pars_fragment>
#include <colorspace_pars_fragment>
varying vec2 vUv;

vec3 toneMap(vec3 c) {
  #if defined(LINEAR_TONE_MAPPING)
    return LinearToneMapping(c);
  #elif defined(REINHARD_TONE_MAPPING)
    return ReinhardToneMapping(c);
  #elif defined(CINEON_TONE_MAPPING)
    return CineonToneMapping(c);
  #elif defined(ACES_FILMIC_TONE_MAPPING)
    return ACESFilmicToneMapping(c);
  #elif defined(AGX_TONE_MAPPING)
    return AgXToneMapping(c);
  #elif defined(NEUTRAL_TONE_MAPPING)
    return NeutralToneMapping(c);
  #else
    // "none": no curve, but exposure still scales (the field must do something in every mode).
    return clamp(c * toneMappingExposure, 0.0, 1.0);
  #endif
}

vec3 display(vec3 linearColor) {
  return sRGBTransferOETF(vec4(toneMap(linearColor), 1.0)).rgb;
}

// Studio-sweep gradient: bg_color at the top, bg_color_2 at the floor, with a soft glow behind
// the model so the product sits in light. Colors are display-space (what the user typed).
vec3 background(vec2 uv) {
  if (bgMode == ${BG_COLOR}) return bgColor;
  float t = smoothstep(0.0, 1.0, uv.y);
  vec3 base = mix(bgColor2, bgColor, t);
  vec2 d = (uv - vec2(0.5, 0.58)) * vec2(aspect, 1.0);
  float glow = 1.0 - smoothstep(0.0, 0.9, length(d));
  return mix(base, bgColor, glow * 0.55);
}

// Tiny ordered noise so 8-bit gradients don't band.
float dither(vec2 p) {
  return fract(sin(dot(p, vec2(12.9898, 78.233))) * 43758.5453) - 0.5;
}

void main() {
  vec4 post = texture2D(tDiffuse, vUv);
  // A compile-time switch, not a uniform: software GL runs both sides of a branch, and the glow's
  // extra fetch and tone-map cost every pixel even with bloom off.
  #ifdef HAS_GLOW
    vec4 pre = texture2D(tPre, vUv);
    vec3 glow = max(post.rgb - pre.rgb, 0.0);
  #else
    vec4 pre = post;
    vec3 glow = vec3(0.0);
  #endif
  float a = clamp(pre.a, 0.0, 1.0);
  vec3 straight = a > 0.0005 ? pre.rgb / a : vec3(0.0);
  vec3 fg = display(straight + glow) * a;
  if (bgMode == ${BG_NONE}) {
    gl_FragColor = vec4(fg, a);
    return;
  }
  vec3 bg = background(vUv);
  #ifdef HAS_GLOW
    vec3 glowDisplay = display(glow);
    bg = 1.0 - (1.0 - bg) * (1.0 - glowDisplay);
  #endif
  vec3 color = fg + bg * (1.0 - a);
  color += dither(gl_FragCoord.xy) / 255.0;
  gl_FragColor = vec4(color, 1.0);
}`;

export class OutputCompositePass extends Pass {
  /** Without glow (bloom off) and with it; one shader each, sharing their uniforms. */
  private readonly materials: { plain: RawShaderMaterial; glow: RawShaderMaterial };
  private readonly quad: FullScreenQuad;
  private toneMapping: ToneMapping = NeutralToneMapping;
  /** The buffer as it was before bloom; null when bloom is off. */
  preBloom: WebGLRenderTarget | null = null;

  constructor() {
    super();
    const uniforms = {
      tDiffuse: { value: null },
      tPre: { value: null },
      bgMode: { value: BG_GRADIENT },
      bgColor: { value: new Color() },
      bgColor2: { value: new Color() },
      aspect: { value: 1 },
      toneMappingExposure: { value: 1 },
    };
    const make = () => new RawShaderMaterial({ name: 'VitrineOutput', uniforms, vertexShader, fragmentShader, depthTest: false, depthWrite: false });
    this.materials = { plain: make(), glow: make() };
    this.setToneMapping(NeutralToneMapping);
    this.quad = new FullScreenQuad(this.materials.plain);
  }

  /** The shader of the current frame (with glow when bloom is on). */
  get material(): RawShaderMaterial {
    return this.preBloom ? this.materials.glow : this.materials.plain;
  }

  setToneMapping(mode: ToneMapping): void {
    // A define change recompiles the shader: only when the curve really changes.
    if (mode === this.toneMapping && this.materials.plain.defines?.SRGB_TRANSFER !== undefined) return;
    this.toneMapping = mode;
    const defines: Record<string, string> = { SRGB_TRANSFER: '' };
    const entry = TONE_DEFINES.find(([m]) => m === mode);
    if (entry) defines[entry[1]] = '';
    this.materials.plain.defines = { ...defines };
    this.materials.glow.defines = { ...defines, HAS_GLOW: '' };
    this.materials.plain.needsUpdate = true;
    this.materials.glow.needsUpdate = true;
  }

  get currentToneMapping(): ToneMapping {
    return this.toneMapping;
  }

  /** Display-space (sRGB) colors, exactly as typed by the user: no color management. */
  setBackground(mode: number, top: string, bottom: string): void {
    this.material.uniforms.bgMode.value = mode;
    // Declaring the hex as linear stores its digits untouched: the shader works in display space.
    (this.material.uniforms.bgColor.value as Color).setStyle(top, LinearSRGBColorSpace);
    (this.material.uniforms.bgColor2.value as Color).setStyle(bottom, LinearSRGBColorSpace);
  }

  setExposure(exposure: number): void {
    this.material.uniforms.toneMappingExposure.value = exposure;
  }

  override setSize(width: number, height: number): void {
    this.material.uniforms.aspect.value = height > 0 ? width / height : 1;
  }

  override render(renderer: WebGLRenderer, writeBuffer: WebGLRenderTarget, readBuffer: WebGLRenderTarget): void {
    const u = this.material.uniforms;
    u.tDiffuse.value = readBuffer.texture;
    u.tPre.value = (this.preBloom?.texture ?? readBuffer.texture) as Texture;
    this.quad.material = this.material;
    renderer.setRenderTarget(this.renderToScreen ? null : writeBuffer);
    this.quad.render(renderer);
  }

  override dispose(): void {
    this.materials.plain.dispose();
    this.materials.glow.dispose();
    this.quad.dispose();
  }
}
