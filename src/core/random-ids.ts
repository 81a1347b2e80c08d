import { randomBytes } from 'node:crypto';
import type { IdGenerator } from './ports/ids.js';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** CSPRNG base62: unguessable ids (an id is never a capability, but guessing one tells nothing either). */
export const randomIds: IdGenerator = {
  id: (prefix) => `${prefix}_${randomBase62(16)}`,
  secret: (length) => randomBase62(length),
};

function randomBase62(length: number): string {
  let out = '';
  // Rejection sampling keeps the distribution uniform (256 is not a multiple of 62).
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248 && out.length < length) out += BASE62[byte % 62];
    }
  }
  return out;
}

