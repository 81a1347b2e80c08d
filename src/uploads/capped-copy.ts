/**
 * Streams bytes into a new file while counting and hashing them, and stops the moment the count
 * passes the cap — so an oversized upload costs at most `maxBytes` of disk and never sits in
 * memory whole.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { unlink } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { AppError } from '../core/errors.js';

export interface CopyResult {
  size: number;
  sha256: string;
}

/**
 * What happens to the source once we refuse it (too large, or the disk write failed):
 * - `drain`: unpipe and read the rest into the void (bounded), so an HTTP request body is consumed
 *   and the server can still answer 413 instead of resetting the socket;
 * - `destroy`: tear it down now (our own fetches and file reads).
 */
export type OverflowPolicy = 'drain' | 'destroy';

/** Past this, a client that keeps sending after a refusal is cut off rather than drained. */
const DRAIN_LIMIT_BYTES = 16 * 1024 * 1024;
const DRAIN_LIMIT_MS = 5_000;

export const tooLarge = (maxBytes: number) =>
  new AppError('file_too_large', `The file is larger than the allowed ${maxBytes} bytes.`, { max_bytes: maxBytes });

/**
 * Copies `source` into `dest` (created exclusively). On any failure the partial file is removed
 * before the promise rejects, so callers only ever see a complete file or an error.
 */
export function copyCapped(source: Readable, dest: string, maxBytes: number, onOverflow: OverflowPolicy): Promise<CopyResult> {
  return new Promise<CopyResult>((resolve, reject) => {
    const out = createWriteStream(dest, { flags: 'wx', mode: 0o600 });
    const hash = createHash('sha256');
    let size = 0;
    let ended = false;
    let settled = false;

    const detach = () => {
      source.off('data', onData);
      source.off('end', onEnd);
      source.off('error', onError);
      source.off('close', onClose);
    };

    const fail = (err: unknown) => {
      if (settled) return;
      settled = true;
      detach();
      // A late 'error' from a source we stopped reading must not crash the process.
      source.on('error', () => {});
      if (!source.destroyed && !source.readableEnded) {
        if (onOverflow === 'destroy') source.destroy();
        else drain(source);
      }
      // Wait for the fd to close before unlinking so no late write recreates data on disk.
      const removeThenReject = () => void unlink(dest).catch(() => {}).then(() => reject(err));
      if (out.closed) removeThenReject();
      else {
        out.once('close', removeThenReject);
        out.destroy();
      }
    };

    const onData = (chunk: Buffer | string) => {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      size += buf.length;
      if (size > maxBytes) {
        fail(tooLarge(maxBytes));
        return;
      }
      hash.update(buf);
      if (!out.write(buf)) {
        source.pause();
        out.once('drain', () => source.resume());
      }
    };
    const onEnd = () => {
      ended = true;
      out.end();
    };
    const onError = (err: Error) => fail(err instanceof AppError ? err : new AppError('invalid_request', `The upload stream failed: ${err.message}`));
    // A client that disconnects mid-upload closes the stream without 'end' (and maybe no 'error').
    const onClose = () => {
      if (!ended) fail(new AppError('invalid_request', 'The upload was interrupted before all bytes arrived.'));
    };

    out.on('error', (err) => fail(err));
    out.on('close', () => {
      if (settled || !ended) return;
      settled = true;
      detach();
      resolve({ size, sha256: hash.digest('hex') });
    });
    source.on('data', onData);
    source.on('end', onEnd);
    source.on('error', onError);
    source.on('close', onClose);
    source.resume();
  });
}

/** Reads and discards what is left of a refused source, but not forever. */
function drain(source: Readable): void {
  let extra = 0;
  const stop = () => {
    clearTimeout(timer);
    source.off('data', count);
  };
  const count = (chunk: Buffer | string) => {
    extra += chunk.length;
    if (extra > DRAIN_LIMIT_BYTES) {
      stop();
      source.destroy();
    }
  };
  const timer = setTimeout(() => {
    stop();
    source.destroy();
  }, DRAIN_LIMIT_MS);
  timer.unref();
  source.on('data', count);
  source.once('end', stop);
  source.once('close', stop);
  source.resume();
}
