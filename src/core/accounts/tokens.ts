/**
 * Bearer secrets: `vt_live_…` API keys and `vt_anon_…` anonymous session tokens.
 * Body: 32 random base62 chars + a 6-char checksum, so a typo or a truncated paste is rejected
 * without touching the database. Only the SHA-256 of the whole token is stored.
 */
import { createHash } from 'node:crypto';
import type { IdGenerator } from '../ports/ids.js';

export const API_KEY_PREFIX = 'vt_live_';
export const ANON_TOKEN_PREFIX = 'vt_anon_';
const BODY_LENGTH = 32;
const CHECKSUM_LENGTH = 6;
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function checksum(body: string): string {
  const digest = createHash('sha256').update(body).digest();
  let out = '';
  for (let i = 0; i < CHECKSUM_LENGTH; i++) out += BASE62[digest[i]! % 62];
  return out;
}

export function mintToken(prefix: string, ids: IdGenerator): string {
  const body = ids.secret(BODY_LENGTH);
  return `${prefix}${body}${checksum(body)}`;
}

/** True when the token has our shape and its checksum matches. */
export function isWellFormedToken(token: string, prefix: string): boolean {
  if (!token.startsWith(prefix)) return false;
  const rest = token.slice(prefix.length);
  if (rest.length !== BODY_LENGTH + CHECKSUM_LENGTH || !/^[0-9A-Za-z]+$/.test(rest)) return false;
  return checksum(rest.slice(0, BODY_LENGTH)) === rest.slice(BODY_LENGTH);
}

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

/** What we show of a secret after creation: enough to recognise it, not to use it. */
export const displayPrefix = (token: string): string => token.slice(0, token.indexOf('_', 3) + 5);
