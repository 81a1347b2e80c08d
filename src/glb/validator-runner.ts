/**
 * Runs the validation worker: one fresh worker per file (a crash or a runaway allocation takes
 * down only that worker), a heap cap, a hard timeout that terminates it, and a small concurrency
 * limit so N parallel uploads cannot start N validators at once.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { AppError } from '../core/errors.js';
import type { ValidateRequest, ValidateResult } from './validate-protocol.js';

export interface ValidatorRunnerOptions {
  timeoutMs: number;
  maxOldGenerationSizeMb: number;
  maxConcurrent: number;
}

/** What `new Worker()` gets: a compiled file, or a bootstrap script (eval) for TS source. */
export type WorkerEntry = { kind: 'file'; url: URL } | { kind: 'eval'; code: string };

/**
 * Compiled (`dist/src/glb/validate-worker.js` next to this file) → run it as is. Source (vitest,
 * tsx) → the `.js` does not exist, so the worker first registers tsx's ESM loader in its own
 * thread and then imports the `.ts`. (`execArgv: ['--import', 'tsx']` does NOT work on Node 20:
 * the worker's entry is loaded before the hooks apply and fails with "Unknown file extension".)
 */
export function resolveWorkerEntry(): WorkerEntry {
  const js = new URL('./validate-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(js))) return { kind: 'file', url: js };
  const ts = new URL('./validate-worker.ts', import.meta.url);
  const api = tsxEsmApiUrl();
  return {
    kind: 'eval',
    code: `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(ts.href)}); })`,
  };
}

/**
 * URL of tsx's ESM API (`tsx/esm/api`, import condition), read from tsx's own exports map and
 * resolved from this file, so it works whatever directory the process started in.
 */
function tsxEsmApiUrl(): string {
  const require = createRequire(import.meta.url);
  const pkgPath = require.resolve('tsx/package.json');
  const exportsMap = JSON.parse(readFileSync(pkgPath, 'utf8')).exports as Record<string, { import?: { default?: string } }>;
  const target = exportsMap['./esm/api']?.import?.default;
  if (!target) throw new Error('tsx does not export ./esm/api; cannot run the validation worker from TypeScript source');
  return pathToFileURL(path.join(path.dirname(pkgPath), target)).href;
}

export class ValidatorRunner {
  private readonly entry = resolveWorkerEntry();
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly opts: ValidatorRunnerOptions) {}

  async run(req: ValidateRequest): Promise<ValidateResult> {
    await this.acquire();
    try {
      return await this.runWorker(req);
    } finally {
      this.release();
    }
  }

  private runWorker(req: ValidateRequest): Promise<ValidateResult> {
    return new Promise<ValidateResult>((resolve, reject) => {
      const source = this.entry.kind === 'file' ? this.entry.url : this.entry.code;
      const worker = new Worker(source, {
        eval: this.entry.kind === 'eval',
        workerData: req,
        // Don't inherit the parent's flags (--inspect ports, test-runner loaders).
        execArgv: [],
        resourceLimits: { maxOldGenerationSizeMb: this.opts.maxOldGenerationSizeMb },
        stdout: true, // the Dart runtime may print; keep it out of our logs
      });
      let done = false;
      const finish = (fn: () => void) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        fn();
        void worker.terminate();
      };
      const timer = setTimeout(
        () => finish(() => reject(new AppError('invalid_glb', `Validation timed out after ${this.opts.timeoutMs / 1000} s; the model is too large or too complex to check.`, { errors: [{ code: 'VALIDATION_TIMEOUT', message: 'validation timed out' }] }))),
        this.opts.timeoutMs,
      );
      worker.once('message', (result: ValidateResult) => finish(() => resolve(result)));
      worker.once('error', (err: Error & { code?: string }) =>
        finish(() =>
          reject(
            err.code === 'ERR_WORKER_OUT_OF_MEMORY'
              ? new AppError('invalid_glb', 'The model needs more memory to validate than this server allows; simplify or compress it.', { errors: [{ code: 'VALIDATION_OUT_OF_MEMORY', message: err.message }] })
              : new Error(`glb validation worker failed: ${err.message}`),
          ),
        ),
      );
      worker.once('exit', (code) => finish(() => reject(new Error(`glb validation worker exited with code ${code} before answering`))));
    });
  }

  private async acquire(): Promise<void> {
    if (this.running < this.opts.maxConcurrent) {
      this.running++;
      return;
    }
    // The releasing run hands its slot straight to us, so `running` stays accurate.
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running--;
  }
}
