/**
 * Supabase access tokens, verified with jose against the project's JWKS (asymmetric keys) or a
 * configured HS256 secret. Issuer, audience and algorithms are pinned; sub and exp are required.
 * (supabase-js getClaims() is not used: it does not check iss/aud.)
 */
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';

export interface VerifiedJwt {
  sub: string;
  email: string | null;
  isAnonymous: boolean;
}

export interface JwtVerifier {
  verify(token: string): Promise<VerifiedJwt>;
}

export function createSupabaseJwtVerifier(opts: { supabaseUrl: string | null; hs256Secret: string | null }): JwtVerifier | null {
  if (!opts.supabaseUrl && !opts.hs256Secret) return null;
  const issuer = opts.supabaseUrl ? `${opts.supabaseUrl.replace(/\/+$/, '')}/auth/v1` : undefined;
  const jwks = opts.supabaseUrl ? createRemoteJWKSet(new URL(`${issuer}/.well-known/jwks.json`), { timeoutDuration: 5000 }) : null;
  const secret = opts.hs256Secret ? new TextEncoder().encode(opts.hs256Secret) : null;
  return {
    async verify(token) {
      const header = JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString('utf8') || '{}') as { alg?: string };
      const common = { audience: 'authenticated', requiredClaims: ['sub', 'exp'], ...(issuer ? { issuer } : {}) };
      let payload: JWTPayload;
      if (header.alg === 'HS256') {
        if (!secret) throw new Error('HS256 tokens are not accepted (no SUPABASE_JWT_SECRET)');
        ({ payload } = await jwtVerify(token, secret, { ...common, algorithms: ['HS256'] }));
      } else {
        if (!jwks) throw new Error('asymmetric tokens need SUPABASE_URL for the JWKS');
        ({ payload } = await jwtVerify(token, jwks, { ...common, algorithms: ['ES256', 'RS256', 'EdDSA'] }));
      }
      return {
        sub: String(payload.sub),
        email: typeof payload.email === 'string' ? payload.email : null,
        isAnonymous: payload.is_anonymous === true,
      };
    },
  };
}
