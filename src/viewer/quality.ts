/**
 * Quality knobs picked from the GPU. Under software GL (SwiftShader in headless Chromium, llvmpipe)
 * every pixel costs CPU time: the PMREM at three's default 256 takes ≈ 6 s there, at 64 ≈ 0.8 s
 * with no visible loss at thumbnail sizes.
 */
import type { WebGLRenderer } from 'three';

export interface Quality {
  software: boolean;
  rendererName: string;
  pmremSize: number;
  msaaSamples: number;
  shadowResolution: number;
}

export function detectQuality(renderer: WebGLRenderer, renderMode: boolean): Quality {
  const gl = renderer.getContext();
  let name = '';
  try {
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    name = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? '');
  } catch {
    name = '';
  }
  const software = /swiftshader|llvmpipe|softpipe|software|basic render/i.test(name);
  const cheap = software || renderMode;
  const maxSamples = (gl as WebGL2RenderingContext).getParameter?.((gl as WebGL2RenderingContext).MAX_SAMPLES) ?? 4;
  return {
    software,
    rendererName: name,
    // Bundled HDRIs are 512 px wide, so 128 is already their full detail.
    pmremSize: cheap ? 64 : 128,
    msaaSamples: Math.min(cheap ? 2 : 4, Number(maxSamples) || 0),
    shadowResolution: cheap ? 256 : 512,
  };
}
