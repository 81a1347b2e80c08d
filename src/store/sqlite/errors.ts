/** Maps the SQLite errors the core must understand onto AppError; everything else stays a bug. */
import { AppError } from '../../core/errors.js';

const isSqliteCode = (err: unknown, code: string): boolean =>
  typeof err === 'object' && err !== null && (err as { code?: unknown }).code === code;

/**
 * An owned row whose account is gone fails its foreign key. The account was deleted between the
 * request's auth and its write (e.g. swept): to the caller that is the same as a dead session,
 * and the service then removes any blob it stored for the row.
 */
export function rethrowMissingOwner(err: unknown): never {
  if (isSqliteCode(err, 'SQLITE_CONSTRAINT_FOREIGNKEY')) {
    throw new AppError('unauthorized', 'This account no longer exists.');
  }
  throw err;
}
