/** A rule: `limit` requests per `periodMs`, refilled continuously (GCRA). */
export interface RateRule {
  limit: number;
  periodMs: number;
}

export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Epoch seconds when the bucket is full again. */
  resetAt: number;
  /** Seconds until one more request is allowed (0 when allowed). */
  retryAfter: number;
}

/** One atomic consume per call, exact under concurrency (and across processes on a shared store). */
export interface RateLimiter {
  consume(key: string, rule: RateRule, now: Date): Promise<RateDecision>;
}
