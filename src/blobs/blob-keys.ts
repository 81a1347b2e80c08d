/**
 * Blob key rules shared by the non-filesystem stores, identical to FsBlobStore's: relative,
 * slash-separated, no empty / `.` / `..` segment, no segment starting with `.` (reserved for
 * temp files), no control characters or backslashes, at most 1024 characters. Enforcing the
 * same rules on S3 keeps a key that works on one backend working on the other.
 */
import { AppError } from '../core/errors.js';

export function checkBlobKey(key: string): void {
  if (typeof key !== 'string' || key.length === 0 || key.length > 1024) throw badBlobKey(key);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\\]/.test(key)) throw badBlobKey(key);
  if (key.startsWith('/') || /^[A-Za-z]:/.test(key)) throw badBlobKey(key);
  for (const seg of key.split('/')) if (seg === '' || seg.startsWith('.')) throw badBlobKey(key);
}

/** A prefix for deletePrefix: a key, optionally ending in `/` (a whole "directory"). */
export function checkBlobPrefix(prefix: string): void {
  if (prefix === '' || prefix === '/') throw new AppError('invalid_request', 'Refusing to delete every blob (empty prefix).');
  checkBlobKey(prefix.endsWith('/') ? prefix.slice(0, -1) : prefix);
}

export const badBlobKey = (key: string) => new AppError('invalid_request', `Invalid blob key "${String(key).slice(0, 200).replace(/\u0000/g, '\\0')}".`);
