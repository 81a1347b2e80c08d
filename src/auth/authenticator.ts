/**
 * Bearer token → Principal. One place for every face (REST, MCP over HTTP, stdio), so an agent
 * and a curl user authenticate the same way. A malformed, unknown, revoked or expired token is
 * a 401 — never silently treated as "no credentials".
 */
import { AppError } from '../core/errors.js';
import { ANON_TOKEN_PREFIX, API_KEY_PREFIX, hashToken, isWellFormedToken } from '../core/accounts/tokens.js';
import type { Clock } from '../core/ports/clock.js';
import type { IdGenerator } from '../core/ports/ids.js';
import type { Repositories } from '../core/ports/repositories.js';
import type { Principal } from '../core/types.js';
import type { JwtVerifier } from './jwt-verifier.js';

const TOUCH_INTERVAL_MS = 60_000;

export class Authenticator {
  constructor(
    private readonly repos: Repositories,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly jwt: JwtVerifier | null,
  ) {}

  /** Null when no token was sent; throws `unauthorized` for a bad one. */
  async authenticate(token: string | null): Promise<Principal | null> {
    if (!token) return null;
    if (token.startsWith(API_KEY_PREFIX) || token.startsWith(ANON_TOKEN_PREFIX)) return this.fromSecret(token);
    if (token.split('.').length === 3) return this.fromJwt(token);
    throw invalid('Unrecognised token: send an API key (vt_live_…), an anonymous session token (vt_anon_…) or a Supabase JWT.');
  }

  private async fromSecret(token: string): Promise<Principal> {
    const anon = token.startsWith(ANON_TOKEN_PREFIX);
    if (!isWellFormedToken(token, anon ? ANON_TOKEN_PREFIX : API_KEY_PREFIX)) throw invalid('Malformed token (checksum mismatch): check that it was copied whole.');
    // Credential and account in one read, every request: revocation takes effect immediately.
    const found = await this.repos.credentials.findByHashWithAccount(hashToken(token));
    const now = this.clock.now();
    const cred = found?.credential;
    if (!cred || cred.revoked_at) throw invalid(anon ? 'Unknown or ended anonymous session.' : 'Unknown or revoked API key.');
    if (cred.expires_at && cred.expires_at <= now.toISOString()) throw invalid('This anonymous session has expired; its uploads were deleted.');
    const account = found.account;
    if (!account) throw invalid('The account of this token no longer exists.');
    if (!cred.last_used_at || now.getTime() - Date.parse(cred.last_used_at) > TOUCH_INTERVAL_MS) {
      // Best effort and throttled: a usage timestamp is not worth a write per request.
      this.repos.credentials.touch(cred.id, now.toISOString()).catch(() => {});
    }
    return {
      accountId: account.id,
      plan: account.plan,
      // An upgraded anonymous account keeps its session token until it expires; it now acts
      // as the permanent account it became.
      kind: account.plan === 'anonymous' ? 'anonymous' : 'api_key',
      credentialId: cred.id,
    };
  }

  private async fromJwt(token: string): Promise<Principal> {
    if (!this.jwt) throw invalid('JWTs are not accepted by this server (no SUPABASE_URL or SUPABASE_JWT_SECRET configured).');
    let claims;
    try {
      claims = await this.jwt.verify(token);
    } catch (err) {
      throw invalid(`Invalid JWT: ${(err as Error).message}`);
    }
    const now = this.clock.now().toISOString();
    const account = await this.repos.accounts.upsertByExternalId({
      id: this.ids.id('acc'),
      email: claims.email,
      plan: claims.isAnonymous ? 'anonymous' : 'free',
      external_id: `supabase:${claims.sub}`,
      created_at: now,
      expires_at: null,
    });
    // A Supabase anonymous user who signed up keeps the same sub: upgrade in place.
    const plan = account.plan === 'anonymous' && !claims.isAnonymous ? 'free' : account.plan;
    if (plan !== account.plan) await this.repos.accounts.update(account.id, { plan, email: claims.email });
    return { accountId: account.id, plan, kind: plan === 'anonymous' ? 'anonymous' : 'jwt', credentialId: null };
  }
}

const invalid = (message: string) => new AppError('unauthorized', message);
