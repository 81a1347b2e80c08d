/**
 * The `pg` pool every Postgres repository shares, and the few helpers they all use.
 *
 * Pooler-safe by construction: only unnamed, parameterized statements (never `name:` on a
 * query — Supabase's transaction pooler on :6543 and PgBouncer in transaction mode forbid
 * named prepared statements), no session state (no SET, no session advisory locks, tables
 * always schema-qualified instead of relying on search_path), and every multi-statement write
 * is one transaction on one checked-out client.
 */
import pg from 'pg';

export type PgPool = pg.Pool;
export type PgClient = pg.PoolClient;
/** Anything that runs a query: the pool (one statement, autocommit) or a client inside a transaction. */
export type Queryable = Pick<pg.Pool, 'query'> | Pick<pg.PoolClient, 'query'>;

const INT8 = 20;
const TIMESTAMPTZ = 1184;

/**
 * Row values the repositories expect: BIGINT (sizes, counts, rate-limit TATs) as JS numbers —
 * every value we store is far below 2^53 — and TIMESTAMPTZ as the ISO strings the domain uses.
 */
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8) return (v: string) => Number(v);
    if (oid === TIMESTAMPTZ) {
      const parseDate = pg.types.getTypeParser(TIMESTAMPTZ, 'text') as (v: string) => Date;
      return (v: string) => parseDate(v).toISOString();
    }
    return pg.types.getTypeParser(oid, format ?? 'text');
  },
};

export interface PgPoolOptions {
  connectionString: string;
  /** Connections per instance; N instances × max must stay under the server's (or pooler's) limit. */
  max?: number;
  /** Name shown in pg_stat_activity, handy when N instances share one database. */
  applicationName?: string;
}

export function createPgPool(opts: PgPoolOptions): PgPool {
  const pool = new pg.Pool({
    connectionString: opts.connectionString,
    max: opts.max ?? 10,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 10_000,
    application_name: opts.applicationName ?? 'vitrine',
    types: types as unknown as pg.CustomTypesConfig,
  });
  // An idle client losing its connection (server restart, pooler recycling) must not crash the
  // process; the pool drops it and the next query opens a fresh one.
  pool.on('error', () => {});
  return pool;
}

/** SQLSTATEs after which the whole transaction can simply run again. */
const RETRYABLE = new Set(['40001', '40P01']);

/**
 * Runs `fn` in one transaction on one client. Deadlocks and serialization failures (two
 * instances touching the same rows in different orders) are retried a few times: the loser's
 * transaction was rolled back entirely, so a rerun is safe.
 */
export async function withTransaction<T>(pool: PgPool, fn: (client: PgClient) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const client = await pool.connect();
    let broken = false;
    try {
      await client.query('BEGIN');
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      try {
        await client.query('ROLLBACK');
      } catch {
        broken = true;
      }
      if (attempt < 5 && RETRYABLE.has(sqlState(err) ?? '')) {
        await new Promise((r) => setTimeout(r, 5 * attempt + Math.random() * 10));
        continue;
      }
      throw err;
    } finally {
      client.release(broken);
    }
  }
}

export const sqlState = (err: unknown): string | undefined =>
  typeof err === 'object' && err !== null && typeof (err as { code?: unknown }).code === 'string' ? (err as { code: string }).code : undefined;

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Validated, quoted schema name to prefix table names with (it is interpolated into SQL). */
export function quoteSchema(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) throw new Error(`Invalid Postgres schema name "${schema}": use lowercase letters, digits and _`);
  return `"${schema}"`;
}
