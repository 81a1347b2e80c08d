/**
 * GCRA on a SQLite table: read TAT, decide, write TAT inside one IMMEDIATE transaction, which
 * takes the file's write lock first, so consumes from any number of connections or processes
 * on one file are serialised and the limit is exact.
 */
import type { RateDecision, RateLimiter, RateRule } from '../core/ports/rate-limiter.js';
import { type SqliteDatabase, openSqliteDatabase } from '../store/sqlite/connection.js';
import { type GcraStep, PRUNE_MARGIN_US, gcraStep, toMicros } from './gcra.js';

/** Sweep full buckets every this many consumes (per connection), so idle keys don't pile up. */
const PRUNE_EVERY = 5_000;

export class SqliteRateLimiter implements RateLimiter {
  private readonly step;
  private readonly pruneStmt;
  private sinceSweep = 0;

  /** Use a connection you own (e.g. the repositories' file); the table is created if missing. */
  constructor(
    private readonly db: SqliteDatabase,
    private readonly ownsDb = false,
  ) {
    // Self-managed table (not a store migration) so the limiter can also live in its own file.
    db.exec('CREATE TABLE IF NOT EXISTS rate_limits (key TEXT PRIMARY KEY, tat INTEGER NOT NULL) STRICT');
    const read = db.prepare('SELECT tat FROM rate_limits WHERE key = ?').pluck();
    const write = db.prepare('INSERT INTO rate_limits (key, tat) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET tat = excluded.tat');
    this.pruneStmt = db.prepare('DELETE FROM rate_limits WHERE tat <= ?');
    this.step = db.transaction((key: string, rule: RateRule, now: Date): GcraStep => {
      const result = gcraStep(read.get(key) as number | undefined, rule, now);
      if (result.nextTatUs !== null) write.run(key, result.nextTatUs);
      return result;
    });
  }

  /** Opens its own connection on `file` (WAL, busy timeout) and closes it on close(). */
  static open(file: string): SqliteRateLimiter {
    return new SqliteRateLimiter(openSqliteDatabase(file), true);
  }

  async consume(key: string, rule: RateRule, now: Date): Promise<RateDecision> {
    const { decision } = this.step.immediate(key, rule, now);
    if (++this.sinceSweep >= PRUNE_EVERY) {
      this.sinceSweep = 0;
      this.pruneStmt.run(toMicros(now) - PRUNE_MARGIN_US);
    }
    return decision;
  }

  async close(): Promise<void> {
    if (this.ownsDb && this.db.open) this.db.close();
  }
}
