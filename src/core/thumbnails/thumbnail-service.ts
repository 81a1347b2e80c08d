/**
 * Thumbnails: the real viewer rendered server-side. The renderer is optional (no Chromium →
 * renderer_unavailable); everything else keeps working without it.
 */
import { AppError } from '../errors.js';
import type { CoreDeps } from '../deps.js';
import type { Model, Principal } from '../types.js';
import type { ModelService } from '../models/model-service.js';

export interface ThumbnailUrls {
  [size: string]: string;
}

export class ThumbnailService {
  constructor(
    private readonly d: CoreDeps,
    private readonly models: ModelService,
  ) {}

  async render(p: Principal, id: string, _opts: { signal?: AbortSignal; onProgress?: (progress: number, total: number, message: string) => void } = {}): Promise<{ model: Model; png: Buffer | null }> {
    await this.models.require(p, id);
    if (!this.d.renderer || !(await this.d.renderer.available())) {
      throw new AppError('renderer_unavailable', 'Thumbnail rendering needs Chromium on the server. Install it (Debian: apt-get install chromium) or set CHROME_PATH, then restart vitrine.');
    }
    throw new AppError('renderer_unavailable', 'The thumbnail renderer is not wired yet.');
  }
}
