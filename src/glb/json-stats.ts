/**
 * Counts taken from the glTF JSON alone (accessor counts, array lengths). They need no decoding,
 * so they also work for Draco / meshopt-compressed files whose geometry we cannot decode here.
 * Triangles and vertices count what the default scene draws: a mesh used by three nodes counts
 * three times, because that is what the viewer renders. Call only after validation passed.
 */
import type { GlbStats } from '../core/types.js';

type Json = Record<string, unknown>;

const MODE_TRIANGLES = 4;
const MODE_TRIANGLE_STRIP = 5;
const MODE_TRIANGLE_FAN = 6;

export function countsFromJson(json: Json): Omit<GlbStats, 'bounds'> {
  const accessors = list(json.accessors);
  const meshes = list(json.meshes);
  const perMesh = meshes.map((mesh) => meshCounts(mesh, accessors));
  let triangles = 0;
  let vertices = 0;
  for (const meshIndex of drawnMeshes(json)) {
    const c = perMesh[meshIndex];
    if (!c) continue;
    triangles += c.triangles;
    vertices += c.vertices;
  }
  return {
    triangles,
    vertices,
    meshes: meshes.length,
    materials: list(json.materials).length,
    textures: list(json.textures).length,
    animations: list(json.animations).length,
  };
}

function meshCounts(mesh: Json, accessors: Json[]): { triangles: number; vertices: number } {
  let triangles = 0;
  let vertices = 0;
  for (const prim of list(mesh.primitives)) {
    const attributes = (prim.attributes ?? {}) as Json;
    const positionCount = countOf(accessors, attributes.POSITION);
    const indexCount = typeof prim.indices === 'number' ? countOf(accessors, prim.indices) : positionCount;
    vertices += positionCount;
    const mode = typeof prim.mode === 'number' ? prim.mode : MODE_TRIANGLES;
    if (mode === MODE_TRIANGLES) triangles += Math.floor(indexCount / 3);
    else if (mode === MODE_TRIANGLE_STRIP || mode === MODE_TRIANGLE_FAN) triangles += Math.max(0, indexCount - 2);
  }
  return { triangles, vertices };
}

/** Mesh indices drawn by the default scene, once per node that uses them. */
function drawnMeshes(json: Json): number[] {
  const nodes = list(json.nodes);
  const scenes = list(json.scenes);
  const scene = scenes[typeof json.scene === 'number' ? json.scene : 0];
  // No scene at all: nothing says what is drawn, so count each mesh once.
  if (!scene) return list(json.meshes).map((_, i) => i);
  const out: number[] = [];
  const seen = new Set<number>();
  const stack = [...numbers(scene.nodes)];
  while (stack.length > 0) {
    const i = stack.pop()!;
    // The validator rejects cycles, but never loop forever on a file that slipped through.
    if (seen.has(i)) continue;
    seen.add(i);
    const node = nodes[i];
    if (!node) continue;
    if (typeof node.mesh === 'number') out.push(node.mesh);
    stack.push(...numbers(node.children));
  }
  return out;
}

// Non-objects become {} (not dropped) so indices keep pointing at the right entries.
const list = (v: unknown): Json[] => (Array.isArray(v) ? v.map((x) => (typeof x === 'object' && x !== null ? (x as Json) : {})) : []);
const numbers = (v: unknown): number[] => (Array.isArray(v) ? v.filter((x): x is number => typeof x === 'number') : []);
const countOf = (accessors: Json[], index: unknown): number => {
  const count = typeof index === 'number' ? accessors[index]?.count : undefined;
  return typeof count === 'number' && count > 0 ? count : 0;
};
