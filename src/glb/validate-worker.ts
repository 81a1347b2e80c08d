/**
 * Worker-thread entry: runs gltf-validator (Dart compiled to JS, slow and memory-hungry on big
 * files) and measures world-space bounds, away from the event loop and under the heap limit the
 * parent set. It reads the file itself so the bytes never cross into the main thread's heap.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';
import { getBounds, Logger, NodeIO } from '@gltf-transform/core';
import { KHRONOS_EXTENSIONS } from '@gltf-transform/extensions';
import type { Bounds, ValidateRequest, ValidateResult, ValidatorIssue } from './validate-protocol.js';

interface ValidatorReport {
  issues: { numErrors: number; numWarnings: number; messages: ValidatorIssue[] };
}
interface ValidatorModule {
  validateBytes(data: Uint8Array, options: Record<string, unknown>): Promise<ValidatorReport>;
}

// gltf-validator ships no types; require it through a typed seam instead of a global d.ts.
const validator = createRequire(import.meta.url)('gltf-validator') as ValidatorModule;

async function run(req: ValidateRequest): Promise<ValidateResult> {
  const bytes = new Uint8Array(await readFile(req.path));
  let report: ValidatorReport;
  try {
    // No externalResourceFunction: external URIs were refused earlier and must never be fetched.
    report = await validator.validateBytes(bytes, { format: 'glb', maxIssues: req.maxIssues, writeTimestamp: false });
  } catch (err) {
    // The promise rejects (rather than reporting) when the input is not glTF at all.
    return { kind: 'rejected', message: errorText(err) };
  }
  const errors = report.issues.messages.filter((m) => m.severity === 0);
  if (report.issues.numErrors > 0) return { kind: 'invalid', numErrors: report.issues.numErrors, errors };
  return { kind: 'valid', numWarnings: report.issues.numWarnings, bounds: await bounds(bytes) };
}

/** World-space AABB of the default scene; null when there is no geometry or it can't be decoded. */
async function bounds(bytes: Uint8Array): Promise<Bounds> {
  try {
    const io = new NodeIO().setLogger(new Logger(Logger.Verbosity.SILENT)).registerExtensions(KHRONOS_EXTENSIONS);
    const doc = await io.readBinary(bytes);
    const root = doc.getRoot();
    const scene = root.getDefaultScene() ?? root.listScenes()[0];
    if (!scene) return null;
    const { min, max } = getBounds(scene);
    if (![...min, ...max].every(Number.isFinite)) return null;
    return { min: [min[0], min[1], min[2]], max: [max[0], max[1], max[2]] };
  } catch {
    // e.g. Draco/meshopt without a decoder: the model is valid, we just can't measure it.
    return null;
  }
}

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

const req = workerData as ValidateRequest;
run(req).then(
  (result) => parentPort!.postMessage(result),
  (err) => parentPort!.postMessage({ kind: 'crashed', message: errorText(err) } satisfies ValidateResult),
);
