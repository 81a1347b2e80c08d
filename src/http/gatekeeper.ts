/**
 * Authentication and rate limiting for one request, the same for every /v1 route:
 * bearer → principal, one atomic consume from the principal's bucket (headers on every
 * response), then the operation's auth mode decides: 401, proceed, or mint an anonymous session.
 */
import type { Request, Response } from 'express';
import { AppError } from '../core/errors.js';
import type { Core } from '../core/core.js';
import type { Principal } from '../core/types.js';
import { bearerToken } from '../auth/bearer.js';
import type { Authenticator } from '../auth/authenticator.js';
import { assertAllowed, type RequestLimiter } from '../ratelimit/request-limiter.js';
import type { AuthMode } from '../../tools/operation.js';
import { clientIp } from './request-context.js';

export interface AnonymousSession {
  token: string;
  expires_at: string;
  accountId: string;
}

export class Gatekeeper {
  constructor(
    private readonly core: Core,
    private readonly auth: Authenticator,
    private readonly limiter: RequestLimiter,
  ) {}

  /** Authenticates and spends one request. Returns the principal (null only for none/optional). */
  async admit(req: Request, res: Response, mode: AuthMode): Promise<Principal | null> {
    let principal: Principal | null;
    try {
      principal = await this.auth.authenticate(bearerToken(req.get('authorization')));
    } catch (err) {
      // A bad token still spends from the client IP's bucket (and reports it), so guessing keys
      // is rate limited like any other anonymous traffic; past the limit it is a 429.
      await this.spend(req, res, null);
      throw err;
    }
    await this.spend(req, res, principal);
    if (principal || mode === 'none' || mode === 'optional') return principal;
    if (mode === 'required') {
      throw new AppError('unauthorized', 'Authentication required: send Authorization: Bearer <API key> (vt_live_…) or your anonymous session token.');
    }
    return null; // anonymous_ok: the caller mints a session once the input is known to be good
  }

  private async spend(req: Request, res: Response, principal: Principal | null): Promise<void> {
    const decision = await this.limiter.consume(principal, clientIp(req), this.core.deps.clock.now());
    res.setHeader('X-RateLimit-Limit', String(decision.limit));
    res.setHeader('X-RateLimit-Remaining', String(decision.remaining));
    res.setHeader('X-RateLimit-Reset', String(decision.resetAt));
    assertAllowed(decision);
  }

  /** Creates the anonymous account a credential-less write gets, and announces its token. */
  async mintAnonymous(res: Response): Promise<{ principal: Principal; session: AnonymousSession }> {
    const { account, secret, expires_at } = await this.core.accounts.createAnonymous();
    res.setHeader('X-Vitrine-Anonymous-Token', secret);
    return {
      principal: { accountId: account.id, plan: 'anonymous', kind: 'anonymous', credentialId: null },
      session: { token: secret, expires_at, accountId: account.id },
    };
  }

  /** Undoes a session minted for a request that then failed, so bad input changes nothing. */
  async discardAnonymous(session: AnonymousSession): Promise<void> {
    await this.core.deps.repos.accounts.deleteCascade(session.accountId).catch(() => {});
  }
}
