/**
 * The repository contract on real PostgreSQL (one schema for the whole file, the contract
 * tolerates shared rows), plus what only a shared server can show: migrations racing from
 * several pools, the quota and the cascade exact across pools, and no named prepared statements.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migratePostgres, LATEST_POSTGRES_VERSION } from '../../src/store/postgres/migrations.js';
import { createPostgresRepositories, openPostgresRepositories, type PostgresRepositories } from '../../src/store/postgres/open-postgres.js';
import { createPgPool } from '../../src/store/postgres/pool.js';
import { describeRepositoryContract } from '../contract/repositories.contract.js';
import { makeAccount, makeLook, makeModel, makeUpload } from '../contract/repository-fixtures.js';
import { describePostgres, dropSchema, randomName } from '../helpers/postgres.js';

describePostgres('postgres repositories', (url) => {
  const schema = randomName('t_repos');
  afterAll(() => dropSchema(url, schema));

  describeRepositoryContract('postgres', () => openPostgresRepositories({ connectionString: url, schema, poolSize: 12 }));

  describe('postgres migrations', () => {
    const mschema = randomName('t_migrate');
    afterAll(() => dropSchema(url, mschema));

    it('applies each version exactly once when eight pools migrate at the same moment', async () => {
      const pools = Array.from({ length: 8 }, () => createPgPool({ connectionString: url, max: 1 }));
      try {
        const results = await Promise.all(pools.map((p) => migratePostgres(p, mschema)));
        const all = Array.from({ length: LATEST_POSTGRES_VERSION }, (_, i) => i + 1);
        expect(results.filter((r) => r.length > 0)).toEqual([all]);
        expect(await migratePostgres(pools[0]!, mschema)).toEqual([]);
        const { rows } = await pools[0]!.query(`SELECT version FROM "${mschema}".schema_migrations ORDER BY version`);
        expect(rows.map((r) => r.version)).toEqual(all);
      } finally {
        await Promise.all(pools.map((p) => p.end()));
      }
    });

    it('refuses a schema migrated by a newer vitrine', async () => {
      const pool = createPgPool({ connectionString: url, max: 1 });
      try {
        await migratePostgres(pool, mschema);
        await pool.query(`INSERT INTO "${mschema}".schema_migrations (version, name) VALUES (999, 'future')`);
        await expect(migratePostgres(pool, mschema)).rejects.toThrow(/newer/);
        await pool.query(`DELETE FROM "${mschema}".schema_migrations WHERE version = 999`);
      } finally {
        await pool.end();
      }
    });

    it('keeps every table in its own schema, none in public', async () => {
      const pool = createPgPool({ connectionString: url, max: 1 });
      try {
        await migratePostgres(pool, mschema);
        const { rows } = await pool.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1`, [mschema]);
        expect(rows.map((r) => r.table_name)).toEqual(
          ['accounts', 'blob_intents', 'credentials', 'feedback', 'instances', 'layouts', 'looks', 'models', 'rate_limits', 'schema_migrations', 'uploads'],
        );
      } finally {
        await pool.end();
      }
    });
  });

  describe('postgres across pools (as across instances)', () => {
    let a: PostgresRepositories;
    let b: PostgresRepositories;
    beforeAll(async () => {
      a = await openPostgresRepositories({ connectionString: url, schema, poolSize: 10 });
      b = await openPostgresRepositories({ connectionString: url, schema, poolSize: 10 });
    });
    afterAll(async () => {
      await a.close();
      await b.close();
    });

    it('keeps the model quota exact when two pools insert 40 models at once', async () => {
      const owner = makeAccount();
      await a.accounts.insert(owner);
      const quota = { maxModels: 7, maxTotalBytes: 1e9 };
      const results = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).models.insertWithinQuota(makeModel(owner.id), quota)));
      expect(results.filter((r) => r.ok)).toHaveLength(7);
      expect(await b.models.usage(owner.id)).toMatchObject({ models: 7 });
    });

    it('never lets a model land on an account a racing cascade deletes', async () => {
      for (let round = 0; round < 10; round++) {
        const owner = makeAccount({ plan: 'anonymous' });
        await a.accounts.insert(owner);
        const inserts = Array.from({ length: 6 }, (_, i) =>
          (i % 2 ? a : b).models.insertWithinQuota(makeModel(owner.id), { maxModels: 100, maxTotalBytes: 1e9 }).then(
            (r) => (r.ok ? 'inserted' : 'quota'),
            (e: { code?: string }) => e.code ?? 'error',
          ),
        );
        const looks = Array.from({ length: 3 }, () => b.looks.insert(makeLook(owner.id)).then(() => 'inserted', (e: { code?: string }) => e.code ?? 'error'));
        const cascades = [a.accounts.deleteCascade(owner.id), b.accounts.deleteCascade(owner.id)];
        const [ins, lks, dels] = await Promise.all([Promise.all(inserts), Promise.all(looks), Promise.all(cascades)]);
        const winners = dels.filter((d) => d !== null);
        expect(winners).toHaveLength(1);
        for (const r of [...ins, ...lks]) expect(['inserted', 'unauthorized']).toContain(r);
        // Every model that got in was deleted by (and reported to) the one winning cascade.
        expect(winners[0]!.modelIds).toHaveLength(ins.filter((r) => r === 'inserted').length);
        expect(await a.models.usage(owner.id)).toEqual({ models: 0, bytes: 0 });
        expect(await a.looks.list(owner.id)).toEqual([]);
      }
    });

    it('reports pending upload keys from the cascade', async () => {
      const owner = makeAccount({ plan: 'anonymous' });
      await a.accounts.insert(owner);
      const u = makeUpload(owner.id);
      await a.uploads.insert(u);
      expect(await b.accounts.deleteCascade(owner.id)).toEqual({ modelIds: [], uploadKeys: [u.blob_key] });
    });

    it('turns NUL characters (which Postgres text cannot hold) into invalid_request, not a 500', async () => {
      const owner = makeAccount();
      await a.accounts.insert(owner);
      const err = await a.models.insertWithinQuota(makeModel(owner.id, { name: 'bad\u0000name' }), { maxModels: 10, maxTotalBytes: 1e9 }).catch((e) => e);
      expect(err).toMatchObject({ code: 'invalid_request' });
    });

    it('serves the model list from the owner index', async () => {
      const { rows } = await a.pool.query(
        `EXPLAIN SELECT * FROM "${schema}".models WHERE owner_id = 'x' AND (created_at, id) < (now(), 'y') ORDER BY created_at DESC, id DESC LIMIT 10`,
      );
      expect(rows.map((r) => r['QUERY PLAN']).join('\n')).toMatch(/models_by_owner/);
    });
  });

  it('uses no named prepared statements (Supabase transaction pooler compatible)', async () => {
    // One connection: everything below runs in the session we then inspect.
    const pool = createPgPool({ connectionString: url, max: 1 });
    const repos = createPostgresRepositories(pool, schema, true);
    try {
      const owner = makeAccount();
      await repos.accounts.insert(owner);
      await repos.models.insertWithinQuota(makeModel(owner.id), { maxModels: 5, maxTotalBytes: 1e9 });
      await repos.models.list(owner.id, { limit: 5, cursor: null });
      await repos.models.update(owner.id, 'nope', { name: 'x' }, new Date().toISOString());
      await repos.accounts.deleteCascade(owner.id);
      const { rows } = await pool.query('SELECT count(*)::int AS n FROM pg_prepared_statements');
      expect(rows[0].n).toBe(0);
    } finally {
      await repos.close();
    }
  });
});
