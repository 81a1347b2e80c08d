/**
 * Opaque keyset cursor for newest-first lists: base64url of `[created_at, id]` of the last row
 * returned. Keyset (not offset) so rows inserted while a client pages never shift a page.
 */
import { AppError } from '../../core/errors.js';

export interface CursorKey {
  created_at: string;
  id: string;
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const BASE64URL = /^[A-Za-z0-9_-]{1,512}$/;

export const encodeCursor = (key: CursorKey): string => Buffer.from(JSON.stringify([key.created_at, key.id])).toString('base64url');

export function decodeCursor(cursor: string): CursorKey {
  const invalid = () => new AppError('invalid_request', 'The cursor is not valid. Pass the next_cursor of a previous page, or omit it to start from the newest.');
  // Node's base64 decoder skips junk characters silently; check the alphabet first.
  if (!BASE64URL.test(cursor)) throw invalid();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) throw invalid();
  const [created_at, id] = parsed as unknown[];
  if (typeof created_at !== 'string' || !ISO.test(created_at) || typeof id !== 'string' || id.length === 0) throw invalid();
  return { created_at, id };
}
