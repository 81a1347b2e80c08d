/**
 * Real PostgreSQL for the Postgres test suites. `.ci/run` sources scripts/ci-postgres.sh, which
 * starts a private server and exports VITRINE_TEST_DATABASE_URL. Without it the suites skip with
 * a loud message — except under CI=true, where a missing database is a failure, not a skip.
 */
import { randomBytes } from 'node:crypto';
import { describe, it } from 'vitest';
import pg from 'pg';

export const TEST_DATABASE_URL = process.env.VITRINE_TEST_DATABASE_URL ?? null;
const IN_CI = process.env.CI === 'true';

/** `describe` when a test database is configured; otherwise a loud skip (or a failure on CI). */
export function describePostgres(name: string, body: (url: string) => void): void {
  if (TEST_DATABASE_URL) {
    describe(name, () => body(TEST_DATABASE_URL));
    return;
  }
  const why = 'VITRINE_TEST_DATABASE_URL is not set: run `source scripts/ci-postgres.sh` (as root) to start a throwaway PostgreSQL 15';
  if (IN_CI) {
    describe(name, () => {
      it('has a PostgreSQL to test against', () => {
        throw new Error(`${why}. CI=true, so this is a failure, not a skip.`);
      });
    });
    return;
  }
  console.warn(`\n!!! SKIPPING "${name}": ${why}.\n`);
  describe.skip(name, () => body('postgres://unset'));
}

export const randomName = (prefix: string) => `${prefix}_${randomBytes(5).toString('hex')}`;

async function withAdmin<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Drops a schema made by a test (and everything in it). */
export function dropSchema(url: string, schema: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`bad schema ${schema}`);
  return withAdmin(url, async (c) => {
    await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  });
}

/**
 * A brand-new database on the test server, for suites whose processes only know DATABASE_URL
 * (so they use the default `vitrine` schema). Returns its URL and a dropper.
 */
export async function freshDatabase(url: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = randomName('vitrine_t');
  await withAdmin(url, (c) => c.query(`CREATE DATABASE ${name}`));
  const u = new URL(url);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: () => withAdmin(url, async (c) => void (await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))),
  };
}
