/**
 * multipart/form-data with one `file` field, streamed straight into staging (never buffered
 * whole), size-capped while it streams. Text fields come back as strings. Busboy reports fields
 * in the order the client sent them, and curl sends `-F file=@…` before `-F name=…`, so the
 * file must be staged before the other fields are known.
 */
import busboy from 'busboy';
import type { Request } from 'express';
import { AppError } from '../core/errors.js';
import type { StagedFile, Staging } from '../core/ports/staging.js';

export interface MultipartResult {
  fields: Record<string, string>;
  file: StagedFile | null;
  filename: string | null;
}

const MAX_FIELDS = 20;
const MAX_FIELD_BYTES = 64 * 1024;

export const isMultipart = (req: Request) => (req.get('content-type') ?? '').toLowerCase().startsWith('multipart/form-data');

export async function readMultipartUpload(req: Request, staging: Staging, maxFileBytes: number): Promise<MultipartResult> {
  const declared = Number(req.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > maxFileBytes + MAX_FIELDS * MAX_FIELD_BYTES) {
    throw new AppError('file_too_large', `The file is larger than your plan allows (${maxFileBytes} bytes).`, { max_bytes: maxFileBytes });
  }
  let bb: busboy.Busboy;
  try {
    bb = busboy({ headers: req.headers, limits: { files: 2, fields: MAX_FIELDS, fieldSize: MAX_FIELD_BYTES, parts: MAX_FIELDS + 2 } });
  } catch {
    throw new AppError('invalid_request', 'Malformed multipart request (missing boundary?).');
  }

  return new Promise<MultipartResult>((resolve, reject) => {
    const fields: Record<string, string> = {};
    let staging$: Promise<StagedFile> | null = null;
    let fileStream: NodeJS.ReadableStream & { destroy(err?: Error): void } | null = null;
    let filename: string | null = null;
    let failure: unknown = null;
    const fail = (err: unknown) => {
      failure ??= err;
    };

    bb.on('field', (name, value, info) => {
      if (info.valueTruncated) fail(new AppError('invalid_request', `Field '${name}' is too long.`));
      fields[name] = value;
    });
    bb.on('file', (name, stream, info) => {
      if (name !== 'file') {
        stream.resume();
        fail(new AppError('invalid_request', `Unexpected file field '${name}': send the GLB as field 'file'.`));
        return;
      }
      if (staging$) {
        stream.resume();
        fail(new AppError('invalid_request', "Send exactly one file in field 'file'."));
        return;
      }
      filename = info.filename ?? null;
      fileStream = stream;
      staging$ = staging.fromStream(stream, maxFileBytes);
      // Keep the rejection handled here; it is awaited below.
      staging$.catch((err) => {
        stream.resume();
        fail(err);
        // Answer now (e.g. 413) instead of reading the rest of an oversized body.
        void finish(err);
      });
    });
    bb.on('filesLimit', () => fail(new AppError('invalid_request', "Send exactly one file in field 'file'.")));
    bb.on('fieldsLimit', () => fail(new AppError('invalid_request', 'Too many form fields.')));
    bb.on('partsLimit', () => fail(new AppError('invalid_request', 'Too many form parts.')));
    bb.on('error', () => finish(new AppError('invalid_request', 'Malformed multipart body.')));
    bb.on('close', () => finish(null));
    // A client that goes away mid-file: busboy never ends the file stream it handed out, so
    // the staging copy would wait forever with its temp file open. Fail the stream instead;
    // staging then removes the partial file.
    const interrupted = () => {
      if (done) return;
      const err = new AppError('invalid_request', 'The upload was interrupted.');
      fileStream?.destroy(err);
      void finish(err);
    };
    req.on('aborted', interrupted);
    req.on('close', () => {
      if (!req.complete) interrupted();
    });

    let done = false;
    async function finish(err: unknown) {
      if (done) return;
      done = true;
      let file: StagedFile | null = null;
      try {
        file = staging$ ? await staging$ : null;
      } catch (e) {
        fail(e);
      }
      const error = err ?? failure;
      if (error) {
        await file?.release();
        req.unpipe(bb);
        req.resume();
        reject(error);
        return;
      }
      resolve({ fields, file, filename });
    }
    req.pipe(bb);
  });
}
