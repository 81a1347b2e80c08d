/**
 * The rate limiter contract on real PostgreSQL, plus the property the shared table exists for:
 * exact limits across processes (4 processes × 50 concurrent consumes on one key).
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresRateLimiter } from '../../src/ratelimit/postgres-rate-limiter.js';
import { migratePostgres } from '../../src/store/postgres/migrations.js';
import { createPgPool, type PgPool } from '../../src/store/postgres/pool.js';
import { describeRateLimiterContract } from '../contract/rate-limiter.contract.js';
import { describePostgres, dropSchema, randomName } from '../helpers/postgres.js';

describePostgres('postgres rate limiter', (url) => {
  const schema = randomName('t_rate');
  let pool: PgPool;
  beforeAll(async () => {
    pool = createPgPool({ connectionString: url, max: 20 });
    await migratePostgres(pool, schema);
  });
  afterAll(async () => {
    await pool.end();
    await dropSchema(url, schema);
  });

  describeRateLimiterContract('postgres', async () => new PostgresRateLimiter(pool, schema));

  describe('across processes', () => {
    it('lets exactly 60 of 4 processes × 50 concurrent consumes through a 60/min bucket', async () => {
      const key = `procs:${randomUUID()}`;
      const now = Date.now();
      const script = `
        import { createPgPool } from './src/store/postgres/pool.ts';
        import { PostgresRateLimiter } from './src/ratelimit/postgres-rate-limiter.ts';
        const pool = createPgPool({ connectionString: process.env.URL, max: 10 });
        const limiter = new PostgresRateLimiter(pool, process.env.SCHEMA);
        const now = new Date(Number(process.env.NOW));
        const ds = await Promise.all(Array.from({ length: 50 }, () => limiter.consume(process.env.KEY, { limit: 60, periodMs: 60000 }, now)));
        process.stdout.write(String(ds.filter((d) => d.allowed).length));
        await pool.end();
      `;
      const run = () =>
        new Promise<number>((resolve, reject) => {
          const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
            cwd: path.resolve(import.meta.dirname, '../..'),
            env: { ...process.env, URL: url, SCHEMA: schema, KEY: key, NOW: String(now) },
            stdio: ['ignore', 'pipe', 'inherit'],
          });
          let out = '';
          child.stdout.on('data', (d) => (out += d));
          child.on('error', reject);
          child.on('exit', (code) => (code === 0 ? resolve(Number(out)) : reject(new Error(`child exited ${code}`))));
        });
      const counts = await Promise.all([run(), run(), run(), run()]);
      expect(counts.reduce((a, b) => a + b, 0)).toBe(60);
    });
  });
});
