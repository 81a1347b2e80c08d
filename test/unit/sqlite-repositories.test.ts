/** The repository contract on real SQLite: in memory, and on a file reopened across connections. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteDatabase } from '../../src/store/sqlite/connection.js';
import { migrateSqlite } from '../../src/store/sqlite/migrations.js';
import { openSqliteRepositories } from '../../src/store/sqlite/open-sqlite.js';
import { describeRepositoryContract } from '../contract/repositories.contract.js';
import { makeAccount, makeModel } from '../contract/repository-fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'vitrine-sqlite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeRepositoryContract('sqlite :memory:', async () => openSqliteRepositories(':memory:'));

// One file for the whole suite: exercises WAL, reopening an already migrated file, and rows of
// earlier tests being present (the contract tolerates a shared database).
describeRepositoryContract('sqlite file', async () => openSqliteRepositories(join(dir, 'shared.sqlite')));

describe('sqlite migrations', () => {
  it('applies each version once, also when run again', () => {
    const db = openSqliteDatabase(join(dir, 'migrate.sqlite'));
    expect(migrateSqlite(db)).toEqual([1]);
    expect(migrateSqlite(db)).toEqual([]);
    const versions = db.prepare('SELECT version FROM schema_migrations').pluck().all();
    expect(versions).toEqual([1]);
    db.close();
  });

  it('refuses a database migrated by a newer vitrine', () => {
    const db = openSqliteDatabase(':memory:');
    migrateSqlite(db);
    db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 'x')").run();
    expect(() => migrateSqlite(db)).toThrow(/newer/);
    db.close();
  });

  it('opens files with WAL, foreign keys and a busy timeout', () => {
    const db = openSqliteDatabase(join(dir, 'pragmas.sqlite'));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBeGreaterThan(0);
    db.close();
  });
});

describe('sqlite repositories across connections', () => {
  it('keeps the model quota exact when two connections insert into one file', async () => {
    const file = join(dir, 'two-connections.sqlite');
    const a = openSqliteRepositories(file);
    const b = openSqliteRepositories(file);
    const owner = makeAccount();
    await a.accounts.insert(owner);
    const quota = { maxModels: 5, maxTotalBytes: 1e9 };
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).models.insertWithinQuota(makeModel(owner.id), quota)));
    expect(results.filter((r) => r.ok)).toHaveLength(5);
    expect(await b.models.usage(owner.id)).toMatchObject({ models: 5 });
    await a.close();
    await b.close();
  });

  it('serves the model list from the owner index (no table scan)', () => {
    const db = openSqliteDatabase(':memory:');
    migrateSqlite(db);
    const plan = db
      .prepare('EXPLAIN QUERY PLAN SELECT * FROM models WHERE owner_id = ? AND (created_at, id) < (?, ?) ORDER BY created_at DESC, id DESC LIMIT ?')
      .all('acc', '2026', 'mdl', 10) as { detail: string }[];
    const text = plan.map((p) => p.detail).join(' | ');
    expect(text).toMatch(/USING INDEX models_by_owner/);
    expect(text).not.toMatch(/TEMP B-TREE/);
    db.close();
  });
});
