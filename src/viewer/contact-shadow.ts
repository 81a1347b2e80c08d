/**
 * Shadow catcher: a soft contact shadow on an invisible floor under the model.
 *
 * A product shot's shadow is mostly ambient occlusion from a big soft light above, not a sharp
 * cast shadow, so instead of a shadow map this renders the model once from below the floor with an
 * orthographic camera (darker where the model is closer to the floor), blurs that, and shows it on
 * a plane. It is light-independent and static, so it is recomputed only when the model or the
 * shadow settings change, never per frame — cheap even under software GL.
 */
import {
  DoubleSide,
  HalfFloatType,
  Matrix4,
  Mesh,
  OrthographicCamera,
  PlaneGeometry,
  ShaderMaterial,
  Vector2,
  Vector3,
  WebGLRenderTarget,
  type Box3,
  type Object3D,
  type WebGLRenderer,
} from 'three';
import { FullScreenQuad } from 'three/examples/jsm/postprocessing/Pass.js';

const depthMaterial = () =>
  new ShaderMaterial({
    uniforms: { groundY: { value: 0 }, height: { value: 1 } },
    vertexShader: /* glsl */ `
      uniform float groundY;
      varying float vHeight;
      #include <common>
      #include <skinning_pars_vertex>
      void main() {
        #include <skinbase_vertex>
        #include <begin_vertex>
        #include <skinning_vertex>
        vec4 world = modelMatrix * vec4(transformed, 1.0);
        vHeight = world.y - groundY;
        gl_Position = projectionMatrix * viewMatrix * world;
      }`,
    fragmentShader: /* glsl */ `
      uniform float height;
      varying float vHeight;
      void main() {
        float d = 1.0 - clamp(vHeight / height, 0.0, 1.0);
        gl_FragColor = vec4(d * d, 0.0, 0.0, 1.0);
      }`,
    side: DoubleSide,
  });

const blurMaterial = () =>
  new ShaderMaterial({
    uniforms: { tDiffuse: { value: null }, direction: { value: new Vector2() } },
    vertexShader: /* glsl */ `
      varying vec2 vUv;
      void main() { vUv = uv; gl_Position = projectionMatrix * modelViewMatrix * vec4(position, 1.0); }`,
    fragmentShader: /* glsl */ `
      uniform sampler2D tDiffuse;
      uniform vec2 direction;
      varying vec2 vUv;
      void main() {
        // 9-tap Gaussian (σ ≈ 2 taps); larger blurs come from more iterations at wider steps.
        float w[5];
        w[0] = 0.2270270; w[1] = 0.1945946; w[2] = 0.1216216; w[3] = 0.0540540; w[4] = 0.0162162;
        float sum = texture2D(tDiffuse, vUv).r * w[0];
        for (int i = 1; i < 5; i++) {
          vec2 o = direction * float(i);
          sum += texture2D(tDiffuse, vUv + o).r * w[i];
          sum += texture2D(tDiffuse, vUv - o).r * w[i];
        }
        gl_FragColor = vec4(sum, 0.0, 0.0, 1.0);
      }`,
    depthTest: false,
    depthWrite: false,
  });

const planeMaterial = () =>
  new ShaderMaterial({
    uniforms: { tShadow: { value: null }, shadowMatrix: { value: new Matrix4() }, opacity: { value: 0.5 } },
    vertexShader: /* glsl */ `
      uniform mat4 shadowMatrix;
      varying vec4 vShadow;
      void main() {
        vec4 world = modelMatrix * vec4(position, 1.0);
        vShadow = shadowMatrix * world;
        gl_Position = projectionMatrix * viewMatrix * world;
      }`,
    fragmentShader: /* glsl */ `
      uniform sampler2D tShadow;
      uniform float opacity;
      varying vec4 vShadow;
      void main() {
        vec2 uv = vShadow.xy / vShadow.w * 0.5 + 0.5;
        // Fade toward the plane's edge so the blur never ends in a visible square.
        vec2 edge = smoothstep(0.0, 0.12, uv) * smoothstep(0.0, 0.12, 1.0 - uv);
        float a = texture2D(tShadow, uv).r * opacity * edge.x * edge.y;
        // Blending alpha 0 changes nothing: skip the blend (software GL pays for it per sample).
        if (a <= 0.0) discard;
        // Premultiplied black: darkens whatever is composited under it, tone mapping leaves it be.
        gl_FragColor = vec4(0.0, 0.0, 0.0, a);
      }`,
    transparent: true,
    depthWrite: false,
  });

export class ContactShadow {
  readonly mesh: Mesh<PlaneGeometry, ShaderMaterial>;
  private readonly camera = new OrthographicCamera(-1, 1, 1, -1, 0, 1);
  private readonly targets: [WebGLRenderTarget, WebGLRenderTarget];
  private readonly depth = depthMaterial();
  private readonly blur = blurMaterial();
  private readonly quad = new FullScreenQuad(this.blur);

  constructor(private readonly resolution: number) {
    this.mesh = new Mesh(new PlaneGeometry(1, 1), planeMaterial());
    this.mesh.name = 'vitrine-contact-shadow';
    this.mesh.rotation.x = -Math.PI / 2;
    // Drawn after the model's opaque pass, before transparent glass.
    this.mesh.renderOrder = -1;
    const opts = { type: HalfFloatType, depthBuffer: true };
    this.targets = [new WebGLRenderTarget(resolution, resolution, opts), new WebGLRenderTarget(resolution, resolution, opts)];
    this.mesh.material.uniforms.tShadow.value = this.targets[0].texture;
  }

  /**
   * Re-renders the shadow for `model` standing on `bounds.min.y`. Softness 0..1 maps to a blur
   * σ of 0.3 % to 4.8 % of the plane width.
   */
  update(renderer: WebGLRenderer, model: Object3D, bounds: Box3, intensity: number, softness: number): void {
    const size = bounds.getSize(new Vector3());
    const center = bounds.getCenter(new Vector3());
    const extent = Math.max(size.x, size.z, size.y * 0.5) * (1.6 + softness);
    const height = Math.max(size.y, 1e-4) * 0.6;
    const groundY = bounds.min.y;

    this.mesh.scale.set(extent, extent, 1);
    this.mesh.position.set(center.x, groundY + size.y * 1e-3, center.z);
    this.mesh.material.uniforms.opacity.value = intensity;

    // From just below the floor, looking up: the nearest surface is the lowest one.
    const cam = this.camera;
    cam.left = -extent / 2;
    cam.right = extent / 2;
    cam.top = extent / 2;
    cam.bottom = -extent / 2;
    cam.near = 0;
    cam.far = height + size.y * 1e-3;
    cam.position.set(center.x, groundY - size.y * 1e-3, center.z);
    cam.up.set(0, 0, 1);
    cam.lookAt(center.x, groundY + 1, center.z);
    cam.updateProjectionMatrix();
    cam.updateMatrixWorld(true);
    (this.mesh.material.uniforms.shadowMatrix.value as Matrix4).multiplyMatrices(cam.projectionMatrix, cam.matrixWorldInverse);

    this.depth.uniforms.groundY.value = groundY;
    this.depth.uniforms.height.value = height;

    const prevTarget = renderer.getRenderTarget();
    const prevAlpha = renderer.getClearAlpha();
    const prevAutoClear = renderer.autoClear;
    renderer.autoClear = true;
    renderer.setClearColor(0x000000, 0);

    const wasVisible = this.mesh.visible;
    this.mesh.visible = false;
    const overridden = new Map<Object3D, unknown>();
    model.traverse((o) => {
      const mesh = o as Mesh;
      if (mesh.isMesh) {
        overridden.set(mesh, mesh.material);
        mesh.material = this.depth;
      }
    });
    renderer.setRenderTarget(this.targets[0]);
    renderer.render(model, cam);
    for (const [o, material] of overridden) (o as Mesh).material = material as Mesh['material'];
    this.mesh.visible = wasVisible;

    // Ping-pong Gaussian blur sized in plane units (not texels), so a 256² software-GL shadow
    // and a 512² GPU shadow look the same. Variances add: pass i at spread s·(i+1) with a σ of
    // ≈ 2 taps contributes (2·s·(i+1))².
    const sigma = 0.003 + 0.045 * softness;
    const iterations = 1 + Math.round(softness * 4);
    let sumSq = 0;
    for (let i = 1; i <= iterations; i++) sumSq += i * i;
    const step = sigma / (2 * Math.sqrt(sumSq));
    // Each blur pass overwrites every texel (opaque full-screen quad, no depth test): no clear.
    renderer.autoClear = false;
    for (let i = 0; i < iterations; i++) {
      const spread = step * (i + 1);
      this.blurOnce(renderer, this.targets[0], this.targets[1], spread, 0);
      this.blurOnce(renderer, this.targets[1], this.targets[0], 0, spread);
    }

    renderer.setRenderTarget(prevTarget);
    renderer.setClearAlpha(prevAlpha);
    renderer.autoClear = prevAutoClear;
  }

  private blurOnce(renderer: WebGLRenderer, from: WebGLRenderTarget, to: WebGLRenderTarget, dx: number, dy: number): void {
    this.blur.uniforms.tDiffuse.value = from.texture;
    (this.blur.uniforms.direction.value as Vector2).set(dx, dy);
    renderer.setRenderTarget(to);
    this.quad.render(renderer);
  }

  dispose(): void {
    this.targets.forEach((t) => t.dispose());
    this.depth.dispose();
    this.blur.dispose();
    this.mesh.geometry.dispose();
    this.mesh.material.dispose();
    this.quad.dispose();
  }
}
