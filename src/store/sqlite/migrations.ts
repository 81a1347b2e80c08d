/**
 * Ordered, versioned schema migrations. Each runs in its own IMMEDIATE transaction that first
 * re-checks `schema_migrations`, so several processes starting on one file apply each version
 * exactly once. Never edit a shipped migration: append a new version.
 */
import type { SqliteDatabase } from './connection.js';

interface Migration {
  version: number;
  name: string;
  sql: string;
}

// Every owned table references accounts(id) without ON DELETE CASCADE: deleteCascade removes
// children explicitly (it must report the model ids), and a forgotten child table then fails
// loudly instead of silently vanishing. STRICT makes SQLite reject wrongly typed values.
const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    sql: `
      CREATE TABLE accounts (
        id          TEXT PRIMARY KEY,
        email       TEXT,
        plan        TEXT NOT NULL CHECK (plan IN ('anonymous', 'free', 'pro')),
        external_id TEXT UNIQUE,
        created_at  TEXT NOT NULL,
        expires_at  TEXT
      ) STRICT;
      CREATE INDEX accounts_expiring ON accounts (expires_at) WHERE expires_at IS NOT NULL;

      CREATE TABLE credentials (
        id           TEXT PRIMARY KEY,
        account_id   TEXT NOT NULL REFERENCES accounts (id),
        kind         TEXT NOT NULL CHECK (kind IN ('api_key', 'anonymous_session')),
        name         TEXT NOT NULL,
        prefix       TEXT NOT NULL,
        hash         TEXT NOT NULL UNIQUE,
        created_at   TEXT NOT NULL,
        last_used_at TEXT,
        expires_at   TEXT,
        revoked_at   TEXT
      ) STRICT;
      CREATE INDEX credentials_by_account ON credentials (account_id, kind);

      CREATE TABLE looks (
        id         TEXT PRIMARY KEY,
        owner_id   TEXT NOT NULL REFERENCES accounts (id),
        name       TEXT NOT NULL,
        config     TEXT NOT NULL CHECK (json_valid(config)),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX looks_by_owner ON looks (owner_id, created_at);

      -- Built-in layouts live in code (core/scene/layouts-builtin.ts); only owned ones are stored.
      CREATE TABLE layouts (
        id         TEXT PRIMARY KEY,
        owner_id   TEXT NOT NULL REFERENCES accounts (id),
        name       TEXT NOT NULL,
        config     TEXT NOT NULL CHECK (json_valid(config)),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX layouts_by_owner ON layouts (owner_id, created_at);

      -- look_id / layout_id carry no foreign key: layout ids may name built-ins, and the look
      -- and layout repositories detach them explicitly when they delete.
      CREATE TABLE models (
        id         TEXT PRIMARY KEY,
        owner_id   TEXT NOT NULL REFERENCES accounts (id),
        name       TEXT NOT NULL,
        published  INTEGER NOT NULL CHECK (published IN (0, 1)),
        look_id    TEXT,
        layout_id  TEXT,
        overrides  TEXT NOT NULL CHECK (json_valid(overrides)),
        file_key   TEXT NOT NULL,
        size_bytes INTEGER NOT NULL CHECK (size_bytes >= 0),
        sha256     TEXT NOT NULL,
        stats      TEXT NOT NULL CHECK (json_valid(stats)),
        thumbnail  TEXT NOT NULL CHECK (json_valid(thumbnail)),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;
      -- Serves the newest-first keyset pagination; size_bytes makes it cover the per-owner
      -- COUNT/SUM that every quota-checked insert runs under the write lock.
      CREATE INDEX models_by_owner ON models (owner_id, created_at DESC, id DESC, size_bytes);
      CREATE INDEX models_by_look ON models (look_id) WHERE look_id IS NOT NULL;
      CREATE INDEX models_by_layout ON models (layout_id) WHERE layout_id IS NOT NULL;

      CREATE TABLE uploads (
        id         TEXT PRIMARY KEY,
        owner_id   TEXT NOT NULL REFERENCES accounts (id),
        status     TEXT NOT NULL CHECK (status IN ('pending', 'received')),
        blob_key   TEXT NOT NULL,
        size_bytes INTEGER,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX uploads_by_owner ON uploads (owner_id);
      CREATE INDEX uploads_expiring ON uploads (expires_at);

      -- No foreign key: feedback is kept even when its (anonymous) account is swept.
      CREATE TABLE feedback (
        id         TEXT PRIMARY KEY,
        account_id TEXT,
        type       TEXT NOT NULL CHECK (type IN ('bug', 'feature', 'other')),
        message    TEXT NOT NULL,
        page       TEXT,
        meta       TEXT CHECK (meta IS NULL OR json_valid(meta)),
        created_at TEXT NOT NULL
      ) STRICT;
    `,
  },
];

/** Applies every pending migration; returns the versions applied by this call. */
export function migrateSqlite(db: SqliteDatabase): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at TEXT NOT NULL
  ) STRICT`);
  const latest = MIGRATIONS[MIGRATIONS.length - 1]!.version;
  const newest = db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null };
  if (newest.v !== null && newest.v > latest) {
    // A newer vitrine migrated this file; running old code on it could corrupt data.
    throw new Error(`The database schema is version ${newest.v}, newer than this vitrine knows (${latest}). Upgrade vitrine.`);
  }
  const isApplied = db.prepare('SELECT 1 FROM schema_migrations WHERE version = ?');
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  const applied: number[] = [];
  for (const m of MIGRATIONS) {
    const apply = db.transaction(() => {
      if (isApplied.get(m.version)) return false;
      db.exec(m.sql);
      record.run(m.version, m.name, new Date().toISOString());
      return true;
    });
    if (apply.immediate()) applied.push(m.version);
  }
  return applied;
}
