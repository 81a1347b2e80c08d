/**
 * Keeps recently used shader programs alive across model swaps.
 *
 * three deletes a shader program when the last material using it is disposed, so a page that
 * renders model after model (thumbnails: a box, then a scan, then the box again) recompiled the
 * same shaders again and again — the compile lands in the first frame that draws with them,
 * ≈ 80–100 ms under SwiftShader for a MeshStandardMaterial. A retired material whose program no
 * kept material holds yet is parked here instead (its texture slots emptied, so it pins no image
 * data); the oldest is disposed beyond `capacity` distinct programs. Nothing here is ever drawn.
 */
import type { Material, WebGLRenderer } from 'three';

export class ProgramKeeper {
  private readonly kept = new Map<string, Material>();

  constructor(
    private readonly renderer: WebGLRenderer,
    private readonly capacity = 16,
  ) {}

  /** Takes ownership of materials that are no longer in the scene. */
  retire(materials: Iterable<Material>): void {
    for (const material of materials) {
      const key = (this.renderer.properties.get(material) as { currentProgram?: { cacheKey?: unknown } }).currentProgram?.cacheKey;
      const holder = typeof key === 'string' ? this.kept.get(key) : undefined;
      if (typeof key !== 'string' || holder) {
        if (holder && typeof key === 'string') {
          // Most recently used goes last.
          this.kept.delete(key);
          this.kept.set(key, holder);
        }
        material.dispose();
        continue;
      }
      const slots = material as unknown as Record<string, unknown>;
      for (const [name, value] of Object.entries(slots)) if (value && (value as { isTexture?: boolean }).isTexture) slots[name] = null;
      this.kept.set(key, material);
      for (const [oldest, old] of this.kept) {
        if (this.kept.size <= this.capacity) break;
        this.kept.delete(oldest);
        old.dispose();
      }
    }
  }

  dispose(): void {
    for (const material of this.kept.values()) material.dispose();
    this.kept.clear();
  }
}
