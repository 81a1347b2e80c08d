/**
 * GCRA (generic cell rate algorithm): the whole state of a bucket is one number, the
 * theoretical arrival time (TAT) of the next request. Both limiters run this one function
 * inside their own atomic step, so the math exists once.
 *
 * Times are integer microseconds: the emission interval (period / limit) is rarely a whole
 * number of milliseconds (60 s / 7), and rounding it down to a microsecond keeps the burst at
 * exactly `limit` for any rule slower than ~one request per `limit` µs.
 */
import type { RateDecision, RateRule } from '../core/ports/rate-limiter.js';

export interface GcraStep {
  decision: RateDecision;
  /** TAT to store when allowed; null when denied (a denied request consumes nothing). */
  nextTatUs: number | null;
}

const US_PER_MS = 1000;
const US_PER_S = 1_000_000;

/** A stored TAT at or before `now` means a full bucket, same as no row at all. */
export function gcraStep(storedTatUs: number | null | undefined, rule: RateRule, now: Date): GcraStep {
  if (!Number.isInteger(rule.limit) || rule.limit < 1 || !(rule.periodMs > 0)) {
    throw new Error(`Invalid rate rule: ${rule.limit} per ${rule.periodMs} ms`);
  }
  const periodUs = Math.round(rule.periodMs * US_PER_MS);
  const intervalUs = Math.max(1, Math.floor(periodUs / rule.limit));
  const nowUs = now.getTime() * US_PER_MS;
  const tat = Math.max(storedTatUs ?? nowUs, nowUs);
  const nextTat = tat + intervalUs;

  if (nextTat - nowUs > periodUs) {
    // Denied: one more request fits once the TAT has drained to within a period of now.
    const waitUs = nextTat - periodUs - nowUs;
    return {
      decision: { allowed: false, limit: rule.limit, remaining: 0, resetAt: Math.ceil(tat / US_PER_S), retryAfter: Math.max(1, Math.ceil(waitUs / US_PER_S)) },
      nextTatUs: null,
    };
  }
  return {
    decision: {
      allowed: true,
      limit: rule.limit,
      remaining: Math.floor((periodUs - (nextTat - nowUs)) / intervalUs),
      resetAt: Math.ceil(nextTat / US_PER_S),
      retryAfter: 0,
    },
    nextTatUs: nextTat,
  };
}

/**
 * Entries whose TAT is this far in the past are full buckets and can be forgotten. The margin
 * covers clock skew between instances sharing one store: pruning by one instance's clock must
 * never forget a bucket that is still draining by another's.
 */
export const PRUNE_MARGIN_US = 60 * US_PER_S;

export const toMicros = (date: Date): number => date.getTime() * US_PER_MS;
