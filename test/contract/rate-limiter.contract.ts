/**
 * The rate limiter contract (GCRA semantics) every backend must pass. `make` returns a fresh
 * limiter per test; if it has a `close()`, it is called after the test. Keys are random so a
 * shared store works too. Time is always injected: no test depends on the wall clock.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { RateLimiter, RateRule } from '../../src/core/ports/rate-limiter.js';

export type ClosableRateLimiter = RateLimiter & { close?: () => Promise<void> | void };

const T0 = new Date('2026-03-01T12:00:00.000Z');
const later = (ms: number) => new Date(T0.getTime() + ms);
const key = () => `test:${randomUUID()}`;
const PER_MINUTE_20: RateRule = { limit: 20, periodMs: 60_000 };

export function describeRateLimiterContract(name: string, make: () => Promise<ClosableRateLimiter>) {
  describe(`${name} rate limiter (contract)`, () => {
    const opened: ClosableRateLimiter[] = [];
    const fresh = async () => {
      const limiter = await make();
      opened.push(limiter);
      return limiter;
    };
    afterEach(async () => {
      for (const l of opened.splice(0)) await l.close?.();
    });

    it('allows a fresh key with limit - 1 remaining and a reset one interval ahead', async () => {
      const limiter = await fresh();
      const d = await limiter.consume(key(), PER_MINUTE_20, T0);
      expect(d).toEqual({ allowed: true, limit: 20, remaining: 19, retryAfter: 0, resetAt: Math.ceil(later(3_000).getTime() / 1000) });
    });

    it('allows exactly the limit out of 100 concurrent consumes', async () => {
      const limiter = await fresh();
      const k = key();
      const decisions = await Promise.all(Array.from({ length: 100 }, () => limiter.consume(k, PER_MINUTE_20, T0)));
      const allowed = decisions.filter((d) => d.allowed);
      expect(allowed).toHaveLength(20);
      // Every remaining count from 19 down to 0 is handed out exactly once.
      expect(allowed.map((d) => d.remaining).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
      for (const d of decisions.filter((x) => !x.allowed)) {
        expect(d).toEqual({ allowed: false, limit: 20, remaining: 0, retryAfter: 3, resetAt: Math.ceil(later(60_000).getTime() / 1000) });
      }
    });

    it('refills one request per interval, and fully after a period', async () => {
      const limiter = await fresh();
      const k = key();
      for (let i = 0; i < 20; i++) expect((await limiter.consume(k, PER_MINUTE_20, T0)).allowed).toBe(true);
      expect((await limiter.consume(k, PER_MINUTE_20, later(2_999))).allowed).toBe(false);
      expect(await limiter.consume(k, PER_MINUTE_20, later(3_000))).toMatchObject({ allowed: true, remaining: 0 });
      expect((await limiter.consume(k, PER_MINUTE_20, later(3_000))).allowed).toBe(false);
      const afterPeriod = await Promise.all(Array.from({ length: 30 }, () => limiter.consume(k, PER_MINUTE_20, later(63_000))));
      expect(afterPeriod.filter((d) => d.allowed)).toHaveLength(20);
    });

    it('does not charge denied requests', async () => {
      const limiter = await fresh();
      const k = key();
      const rule = { limit: 2, periodMs: 10_000 };
      await limiter.consume(k, rule, T0);
      await limiter.consume(k, rule, T0);
      for (let i = 0; i < 50; i++) expect((await limiter.consume(k, rule, later(i * 10))).allowed).toBe(false);
      expect((await limiter.consume(k, rule, later(5_000))).allowed).toBe(true);
    });

    it('rounds retryAfter up to whole seconds, never below 1', async () => {
      const limiter = await fresh();
      const k = key();
      const rule = { limit: 7, periodMs: 60_000 }; // one request per 8.571… s
      for (let i = 0; i < 7; i++) expect((await limiter.consume(k, rule, T0)).allowed).toBe(true);
      expect(await limiter.consume(k, rule, T0)).toMatchObject({ allowed: false, retryAfter: 9 });
      expect(await limiter.consume(k, rule, later(8_500))).toMatchObject({ allowed: false, retryAfter: 1 });
      expect((await limiter.consume(k, rule, later(8_572))).allowed).toBe(true);
      const fast = { limit: 10, periodMs: 1_000 };
      const k2 = key();
      for (let i = 0; i < 10; i++) await limiter.consume(k2, fast, T0);
      expect(await limiter.consume(k2, fast, T0)).toMatchObject({ allowed: false, retryAfter: 1 });
    });

    it('keeps keys independent', async () => {
      const limiter = await fresh();
      const a = key();
      const b = key();
      const rule = { limit: 1, periodMs: 60_000 };
      expect((await limiter.consume(a, rule, T0)).allowed).toBe(true);
      expect((await limiter.consume(a, rule, T0)).allowed).toBe(false);
      expect((await limiter.consume(b, rule, T0)).allowed).toBe(true);
    });

    it('reports remaining and resetAt consistently as the bucket drains', async () => {
      const limiter = await fresh();
      const k = key();
      const rule = { limit: 60, periodMs: 60_000 };
      const first = await limiter.consume(k, rule, T0);
      const second = await limiter.consume(k, rule, T0);
      expect([first.remaining, second.remaining]).toEqual([59, 58]);
      expect(second.resetAt).toBe(Math.ceil(later(2_000).getTime() / 1000));
      // 30 s later half a minute has refilled: 58 + 30, capped at 59 after this consume.
      expect((await limiter.consume(k, rule, later(30_000))).remaining).toBe(59);
    });
  });
}
