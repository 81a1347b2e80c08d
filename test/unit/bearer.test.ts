import { describe, expect, it } from 'vitest';
import { bearerToken } from '../../src/auth/bearer.js';

describe('bearerToken', () => {
  it('no header (or an empty one) means no credentials', () => {
    expect(bearerToken(undefined)).toBeNull();
    expect(bearerToken(null)).toBeNull();
    expect(bearerToken('')).toBeNull();
  });

  it('extracts the token, scheme case-insensitive', () => {
    expect(bearerToken('Bearer vt_live_abc')).toBe('vt_live_abc');
    expect(bearerToken('bearer   tok  ')).toBe('tok');
  });

  it('an unusable header is a 401, never "no credentials"', () => {
    for (const bad of ['Bearer ', 'Bearer', 'Basic dXNlcjpwYXNz', 'Token vt_live_abc', 'Bearer a b']) {
      expect(() => bearerToken(bad), bad).toThrow(expect.objectContaining({ code: 'unauthorized' }));
    }
  });
});
