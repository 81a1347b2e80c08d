/**
 * Small helpers for the REST integration tests: multipart uploads with the platform fetch,
 * listing what is left on disk, and the error-body shape every 4xx/5xx must have.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { api } from './test-server.js';

export type ApiResult = Awaited<ReturnType<typeof api>>;

/** POST /v1/models as multipart: `file` from a path (or raw bytes), optional `name`. */
export async function uploadGlb(
  baseUrl: string,
  key: string | null,
  file: string | Uint8Array | null,
  opts: { name?: string; filename?: string; fieldName?: string; extraFiles?: number; headers?: Record<string, string> } = {},
): Promise<ApiResult> {
  const form = new FormData();
  if (file !== null) {
    const bytes = typeof file === 'string' ? readFileSync(file) : file;
    const filename = opts.filename ?? (typeof file === 'string' ? path.basename(file) : 'model.glb');
    form.append(opts.fieldName ?? 'file', new Blob([bytes]), filename);
    for (let i = 0; i < (opts.extraFiles ?? 0); i++) form.append('file', new Blob([bytes]), `extra-${i}.glb`);
  }
  if (opts.name !== undefined) form.append('name', opts.name);
  return api(`${baseUrl}/v1/models`, { method: 'POST', key, body: form, headers: opts.headers });
}

/** Every regular file under `dir` (recursively), as paths relative to it. Missing dir → []. */
export function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d)) {
      const p = path.join(d, entry);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(path.relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}

/** Asserts the DESIGN §2 error shape: `{ error, message, details? }` with a specific code. */
export function expectError(res: ApiResult, status: number, code?: string): void {
  expect({ status: res.status, body: res.json }, `expected ${status} ${code ?? ''}, got ${res.status} ${res.text.slice(0, 300)}`).toMatchObject({ status });
  expect(res.json).toBeTypeOf('object');
  expect(typeof res.json.error).toBe('string');
  expect(typeof res.json.message).toBe('string');
  expect(res.json.message.length).toBeGreaterThan(0);
  if (code) expect(res.json.error).toBe(code);
  if (res.json.details !== undefined) expect(res.json.details).toBeTypeOf('object');
  // A 4xx never carries a stack; a 5xx carries a request id instead.
  expect(res.text).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/);
  expect(res.headers.get('content-type') ?? '').toMatch(/application\/json/);
}
