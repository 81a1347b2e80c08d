import { AppError } from '../core/errors.js';

/**
 * Extracts the bearer token from an Authorization header value. No header means no credentials;
 * a header that is there but unusable (`Bearer ` with an empty variable, `Basic …`, `Token …`)
 * is a 401 — never silently treated as "no credentials", which would turn a write into an
 * anonymous one.
 */
export function bearerToken(header: string | undefined | null): string | null {
  if (header === undefined || header === null || header.trim() === '') return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) {
    throw new AppError('unauthorized', "Malformed Authorization header: send 'Authorization: Bearer <token>' with a non-empty token.");
  }
  return match[1]!;
}
