/**
 * GCRA on a shared Postgres table: the whole decide-and-store step is ONE statement — an
 * INSERT … ON CONFLICT DO UPDATE … RETURNING on the bucket's row. The conflicting row is
 * locked for the statement, so consumes from any number of connections, instances and
 * pooler backends on one key are serialised by Postgres and the limit is exact.
 *
 * The SQL only moves the TAT (the same arithmetic as gcra.ts, in integer microseconds); the
 * decision the caller sees (remaining, reset, retry-after) is then computed by gcra.ts's own
 * `gcraStep` from the returned TAT, so the headers are byte-for-byte those of the SQLite and
 * in-memory limiters.
 */
import type { RateDecision, RateLimiter, RateRule } from '../core/ports/rate-limiter.js';
import type { PgPool } from '../store/postgres/pool.js';
import { quoteSchema } from '../store/postgres/pool.js';
import { PRUNE_MARGIN_US, gcraStep, toMicros } from './gcra.js';

/** Sweep full buckets every this many consumes (per instance), so idle keys don't pile up. */
const PRUNE_EVERY = 5_000;

/** gcra.ts's interval: period / limit in whole µs, never below 1. */
function intervalsOf(rule: RateRule): { periodUs: number; intervalUs: number } {
  const periodUs = Math.round(rule.periodMs * 1000);
  return { periodUs, intervalUs: Math.max(1, Math.floor(periodUs / rule.limit)) };
}

export class PostgresRateLimiter implements RateLimiter {
  private readonly upsertSql: string;
  private readonly pruneSql: string;
  private sinceSweep = 0;

  /** The table is created by the Postgres migrations (`<schema>.rate_limits`). */
  constructor(
    private readonly pool: PgPool,
    schema = 'vitrine',
  ) {
    const t = `${quoteSchema(schema)}.rate_limits`;
    // $1 key, $2 now µs, $3 interval µs, $4 period µs. A fresh key is always allowed (one
    // interval never exceeds the period). On conflict, every SET expression sees the OLD row:
    // tat := max(old, now) + interval when that stays within a period of now, else unchanged;
    // `allowed` records which branch ran, since RETURNING only sees the new row.
    this.upsertSql = `
      INSERT INTO ${t} AS b (key, tat, allowed) VALUES ($1, $2::bigint + $3::bigint, true)
      ON CONFLICT (key) DO UPDATE SET
        tat = CASE WHEN GREATEST(b.tat, $2::bigint) + $3::bigint - $2::bigint <= $4::bigint
                   THEN GREATEST(b.tat, $2::bigint) + $3::bigint ELSE b.tat END,
        allowed = GREATEST(b.tat, $2::bigint) + $3::bigint - $2::bigint <= $4::bigint
      RETURNING tat, allowed`;
    this.pruneSql = `DELETE FROM ${t} WHERE tat <= $1`;
  }

  async consume(key: string, rule: RateRule, now: Date): Promise<RateDecision> {
    // Validates the rule exactly like the other limiters (throws on a bad one) before any I/O.
    gcraStep(null, rule, now);
    const { periodUs, intervalUs } = intervalsOf(rule);
    const nowUs = toMicros(now);
    const { rows } = await this.pool.query<{ tat: number; allowed: boolean }>(this.upsertSql, [key, nowUs, intervalUs, periodUs]);
    const { tat, allowed } = rows[0]!;
    // Allowed: the stored TAT is max(old, now) + interval, so replaying gcraStep from one
    // interval earlier reproduces this exact step. Denied: the TAT is the unchanged old one.
    const { decision } = gcraStep(allowed ? tat - intervalUs : tat, rule, now);
    if (decision.allowed !== allowed) throw new Error('PostgresRateLimiter: SQL and gcra.ts disagree; keep their arithmetic in step');
    if (++this.sinceSweep >= PRUNE_EVERY) {
      this.sinceSweep = 0;
      void this.pool.query(this.pruneSql, [nowUs - PRUNE_MARGIN_US]).catch(() => {});
    }
    return decision;
  }
}
