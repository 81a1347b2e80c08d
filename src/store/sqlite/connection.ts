/** Opens a better-sqlite3 connection with the pragmas every vitrine SQLite file relies on. */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

export type SqliteDatabase = Database.Database;

export interface SqliteOpenOptions {
  /** How long a writer waits for another connection's lock before SQLITE_BUSY. */
  busyTimeoutMs?: number;
}

export function openSqliteDatabase(file: string, opts: SqliteOpenOptions = {}): SqliteDatabase {
  if (file !== ':memory:' && !file.startsWith('file:')) mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file, { timeout: opts.busyTimeoutMs ?? 5000 });
  // WAL lets readers run while one writer commits, and makes commits cheap. (':memory:' stays
  // in 'memory' mode, which is fine for tests.)
  db.pragma('journal_mode = WAL');
  // NORMAL is durable across process crashes in WAL mode; only a power cut can lose the last
  // commits, which is an acceptable trade for a showcase service.
  db.pragma('synchronous = NORMAL');
  // Off by default in SQLite: without it an insert for a deleted account would succeed.
  db.pragma('foreign_keys = ON');
  return db;
}
