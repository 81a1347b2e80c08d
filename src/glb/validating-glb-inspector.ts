/**
 * The GlbInspector used in production: cheap header checks first (they catch most bad uploads in
 * microseconds and with clear messages), then gltf-validator in a worker, then stats.
 */
import type { GlbInspector } from '../core/ports/glb-inspector.js';
import type { GlbStats } from '../core/types.js';
import { rejectExternalUris } from './external-uris.js';
import { invalidGlb, readGlbLayout } from './glb-header.js';
import { countsFromJson } from './json-stats.js';
import { ValidatorRunner } from './validator-runner.js';

export interface ValidatingGlbInspectorOptions {
  /** Largest JSON chunk accepted; real models rarely exceed a few MiB. Default 16 MiB. */
  maxJsonBytes?: number;
  /** Hard limit for one validation; the worker is terminated past it. Default 60 s. */
  timeoutMs?: number;
  /**
   * V8 heap cap of the validation worker. Default 512 MiB (a 100k-triangle model needs < 16).
   * It does not cover ArrayBuffers (the file bytes themselves): the plan's file-size cap bounds those.
   */
  maxWorkerHeapMb?: number;
  /** Validations running at once; the rest queue. Default 2. */
  maxConcurrent?: number;
}

/** How many validator errors we pass back to the uploader. */
const MAX_REPORTED_ERRORS = 10;

export class ValidatingGlbInspector implements GlbInspector {
  private readonly maxJsonBytes: number;
  private readonly runner: ValidatorRunner;

  constructor(opts: ValidatingGlbInspectorOptions = {}) {
    this.maxJsonBytes = opts.maxJsonBytes ?? 16 * 1024 * 1024;
    this.runner = new ValidatorRunner({
      timeoutMs: opts.timeoutMs ?? 60_000,
      maxOldGenerationSizeMb: opts.maxWorkerHeapMb ?? 512,
      maxConcurrent: opts.maxConcurrent ?? 2,
    });
  }

  async inspect(path: string, size: number): Promise<GlbStats> {
    const layout = await readGlbLayout(path, size, this.maxJsonBytes);
    rejectExternalUris(layout.json);
    // maxIssues bounds the report size; errors are still counted past it.
    const result = await this.runner.run({ path, maxIssues: 100 });
    switch (result.kind) {
      case 'rejected':
        throw invalidGlb(`The file is not a readable glTF asset: ${result.message}`, [{ code: 'VALIDATOR_REJECTED', message: result.message }]);
      case 'invalid': {
        const errors = result.errors.slice(0, MAX_REPORTED_ERRORS).map((e) => ({ code: e.code, pointer: e.pointer, message: e.message }));
        const first = errors[0];
        throw invalidGlb(
          `The GLB fails glTF validation with ${result.numErrors} error${result.numErrors === 1 ? '' : 's'}${first ? `; first: ${first.message}${first.pointer ? ` (at ${first.pointer})` : ''}` : ''}.`,
          errors.length > 0 ? errors : [{ code: 'VALIDATION_ERRORS', message: `${result.numErrors} validation errors` }],
        );
      }
      case 'crashed':
        throw new Error(`glb validation failed unexpectedly: ${result.message}`);
      case 'valid':
        return { ...countsFromJson(layout.json), bounds: result.bounds };
    }
  }
}
