/** The embedded backend: one SQLite file (or ':memory:') behind every repository port. */
import type { Repositories } from '../../core/ports/repositories.js';
import { type SqliteDatabase, openSqliteDatabase } from './connection.js';
import { migrateSqlite } from './migrations.js';
import { SqliteAccountRepository } from './sqlite-account-repository.js';
import { SqliteCredentialRepository } from './sqlite-credential-repository.js';
import { SqliteFeedbackRepository } from './sqlite-feedback-repository.js';
import { SqliteLayoutRepository } from './sqlite-layout-repository.js';
import { SqliteLookRepository } from './sqlite-look-repository.js';
import { SqliteModelRepository } from './sqlite-model-repository.js';
import { SqliteUploadRepository } from './sqlite-upload-repository.js';

/** Builds the repositories on an open, already migrated connection (lets callers share it). */
export function createSqliteRepositories(db: SqliteDatabase): Repositories {
  const ping = db.prepare('SELECT 1');
  return {
    accounts: new SqliteAccountRepository(db),
    credentials: new SqliteCredentialRepository(db),
    models: new SqliteModelRepository(db),
    looks: new SqliteLookRepository(db),
    layouts: new SqliteLayoutRepository(db),
    feedback: new SqliteFeedbackRepository(db),
    uploads: new SqliteUploadRepository(db),
    ping: async () => {
      ping.get();
    },
    close: async () => {
      if (db.open) db.close();
    },
  };
}

/** Opens (creating if needed) and migrates the file, then builds the repositories on it. */
export function openSqliteRepositories(file: string): Repositories {
  const db = openSqliteDatabase(file);
  try {
    migrateSqlite(db);
  } catch (err) {
    db.close();
    throw err;
  }
  return createSqliteRepositories(db);
}
