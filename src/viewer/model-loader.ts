/**
 * GLB loading with every decoder served by vitrine itself (never a CDN):
 *   Draco  → <base>/assets/decoders/draco/      (wasm, in a worker)
 *   KTX2   → <base>/assets/decoders/basis/      (Basis transcoder, in a worker)
 *   meshopt→ <base>/assets/decoders/meshopt_decoder.module.js (imported only when a file needs it)
 *
 * The file is fetched here rather than by GLTFLoader so download progress can drive the loading
 * bar and the JSON chunk can be checked for EXT_meshopt_compression before parsing: most models
 * don't need the meshopt decoder, so most visitors never download it.
 */
import type { WebGLRenderer } from 'three';
import { DRACOLoader } from 'three/examples/jsm/loaders/DRACOLoader.js';
import { GLTFLoader, type GLTF } from 'three/examples/jsm/loaders/GLTFLoader.js';
import { KTX2Loader } from 'three/examples/jsm/loaders/KTX2Loader.js';

export type ProgressFn = (fraction: number | null) => void;

/** Decoder loaders are shared per page (and per base): their workers are expensive to start. */
const dracoLoaders = new Map<string, DRACOLoader>();
const ktx2Loaders = new Map<string, KTX2Loader>();
const meshopt = new Map<string, Promise<unknown>>();

function dracoFor(base: string): DRACOLoader {
  let loader = dracoLoaders.get(base);
  if (!loader) {
    loader = new DRACOLoader().setDecoderPath(`${base}/assets/decoders/draco/`).setWorkerLimit(2);
    dracoLoaders.set(base, loader);
  }
  return loader;
}

function ktx2For(base: string, renderer: WebGLRenderer): KTX2Loader {
  let loader = ktx2Loaders.get(base);
  if (!loader) {
    loader = new KTX2Loader().setTranscoderPath(`${base}/assets/decoders/basis/`).setWorkerLimit(1);
    loader.detectSupport(renderer);
    ktx2Loaders.set(base, loader);
  }
  return loader;
}

function meshoptFor(base: string): Promise<unknown> {
  let pending = meshopt.get(base);
  if (!pending) {
    const url = `${base}/assets/decoders/meshopt_decoder.module.js`;
    // A runtime URL keeps esbuild from bundling it; the module compiles its wasm on first use.
    pending = (import(/* @vite-ignore */ url) as Promise<{ MeshoptDecoder: { ready: Promise<void> } }>).then(
      async (m) => {
        await m.MeshoptDecoder.ready;
        return m.MeshoptDecoder;
      },
    );
    pending.catch(() => meshopt.delete(base));
    meshopt.set(base, pending);
  }
  return pending;
}

/** Streams the body so progress is known even when the server sends no Content-Length. */
async function fetchWithProgress(url: string, onProgress: ProgressFn, signal?: AbortSignal): Promise<ArrayBuffer> {
  const res = await fetch(url, { mode: 'cors', credentials: 'omit', signal });
  if (!res.ok) throw new Error(`glb_load_failed: HTTP ${res.status} for ${url}`);
  const total = Number(res.headers.get('content-length')) || 0;
  if (!res.body) return res.arrayBuffer();
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    received += value.byteLength;
    onProgress(total > 0 ? Math.min(1, received / total) : null);
  }
  const out = new Uint8Array(received);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out.buffer;
}

/** Reads extensionsUsed from a GLB's JSON chunk (or a .gltf JSON file) without parsing the rest. */
export function extensionsUsed(buffer: ArrayBuffer): string[] {
  try {
    const view = new DataView(buffer);
    let json: string;
    if (buffer.byteLength >= 20 && view.getUint32(0, true) === 0x46546c67) {
      const length = view.getUint32(12, true);
      json = new TextDecoder().decode(new Uint8Array(buffer, 20, Math.min(length, buffer.byteLength - 20)));
    } else {
      json = new TextDecoder().decode(new Uint8Array(buffer));
    }
    const parsed = JSON.parse(json) as { extensionsUsed?: unknown };
    return Array.isArray(parsed.extensionsUsed) ? parsed.extensionsUsed.filter((e): e is string => typeof e === 'string') : [];
  } catch {
    return [];
  }
}

export async function loadGltf(
  url: string,
  base: string,
  renderer: WebGLRenderer,
  onProgress: ProgressFn,
  signal?: AbortSignal,
): Promise<GLTF> {
  const buffer = await fetchWithProgress(url, onProgress, signal);
  const loader = new GLTFLoader();
  const used = extensionsUsed(buffer);
  if (used.includes('KHR_draco_mesh_compression')) loader.setDRACOLoader(dracoFor(base));
  if (used.includes('KHR_texture_basisu')) loader.setKTX2Loader(ktx2For(base, renderer));
  if (used.includes('EXT_meshopt_compression')) {
    loader.setMeshoptDecoder((await meshoptFor(base)) as Parameters<GLTFLoader['setMeshoptDecoder']>[0]);
  }
  let resourcePath = '';
  try {
    resourcePath = new URL('.', url).href;
  } catch {
    // blob: and data: URLs have no directory; a GLB needs none (external URIs are refused on upload).
  }
  const fail = (err: unknown) => new Error(`glb_parse_failed: ${err instanceof Error ? err.message : String(err)}`);
  return new Promise<GLTF>((resolve, reject) => {
    try {
      // GLTFLoader throws synchronously on some bad input (e.g. HTML) and calls onError on other.
      loader.parse(buffer, resourcePath, resolve, (err) => reject(fail(err)));
    } catch (err) {
      reject(fail(err));
    }
  });
}
