/** Maps the Postgres errors the core must understand onto AppError; everything else stays a bug. */
import { AppError } from '../../core/errors.js';
import { sqlState } from './pool.js';

/**
 * foreign_key_violation on an owned row: its account is gone (swept or deleted between the
 * request's auth and its write). Same meaning as on SQLite: a dead session.
 * character_not_in_repertoire / untranslatable_character: a NUL byte in a string. SQLite
 * stores those, Postgres text cannot; the caller gets a 400, not a 500.
 */
export function rethrowPgError(err: unknown): never {
  const code = sqlState(err);
  if (code === '23503') throw new AppError('unauthorized', 'This account no longer exists.');
  if (code === '22021' || code === '22P05') throw new AppError('invalid_request', 'Text fields may not contain NUL characters.');
  throw err;
}

/** Wraps a repository call so the error mapping is applied in one place. */
export async function mapPgErrors<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    rethrowPgError(err);
  }
}
