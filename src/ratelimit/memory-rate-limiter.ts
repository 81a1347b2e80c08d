/**
 * In-process GCRA limiter for unit tests and single-process setups. Exact because a consume
 * runs synchronously between awaits; it shares nothing across processes.
 */
import type { RateDecision, RateLimiter, RateRule } from '../core/ports/rate-limiter.js';
import { PRUNE_MARGIN_US, gcraStep, toMicros } from './gcra.js';

/** Sweep forgotten buckets every this many consumes, so idle keys don't pile up. */
const PRUNE_EVERY = 10_000;

export class MemoryRateLimiter implements RateLimiter {
  private readonly tats = new Map<string, number>();
  private sinceSweep = 0;

  async consume(key: string, rule: RateRule, now: Date): Promise<RateDecision> {
    const step = gcraStep(this.tats.get(key), rule, now);
    if (step.nextTatUs !== null) this.tats.set(key, step.nextTatUs);
    if (++this.sinceSweep >= PRUNE_EVERY) this.prune(now);
    return step.decision;
  }

  private prune(now: Date): void {
    this.sinceSweep = 0;
    const cutoff = toMicros(now) - PRUNE_MARGIN_US;
    for (const [key, tat] of this.tats) if (tat <= cutoff) this.tats.delete(key);
  }
}
