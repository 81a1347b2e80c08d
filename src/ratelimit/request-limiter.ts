/**
 * Which bucket a request spends from. Every face (REST, MCP over HTTP) calls this once per
 * request, so an agent and a curl user of the same principal share one bucket.
 * Anonymous traffic is keyed by client IP, so minting new sessions does not reset the limit.
 */
import { AppError } from '../core/errors.js';
import type { PlanTable } from '../core/plans.js';
import type { RateDecision, RateLimiter } from '../core/ports/rate-limiter.js';
import type { Principal } from '../core/types.js';

export class RequestLimiter {
  constructor(
    private readonly limiter: RateLimiter,
    private readonly plans: PlanTable,
  ) {}

  bucketFor(principal: Principal | null, clientIp: string): string {
    if (!principal || principal.plan === 'anonymous') return `ip:${clientIp}`;
    return `acct:${principal.accountId}`;
  }

  /** Consumes one request from the principal's bucket (callers publish the headers, then check). */
  consume(principal: Principal | null, clientIp: string, now: Date): Promise<RateDecision> {
    const plan = principal?.plan ?? 'anonymous';
    return this.limiter.consume(this.bucketFor(principal, clientIp), this.plans[plan].rate, now);
  }
}

export function assertAllowed(decision: RateDecision): void {
  if (decision.allowed) return;
  throw new AppError(
    'rate_limited',
    `Rate limit of ${decision.limit} requests per minute reached; retry in ${decision.retryAfter} s.`,
    { limit: decision.limit, retry_after_seconds: decision.retryAfter },
    decision.retryAfter,
  );
}
