/**
 * Versioned Postgres migrations for one private schema (default `vitrine`: not exposed by
 * Supabase's Data API, so no RLS policies are needed — only vitrine's own role reaches it).
 *
 * All pending versions run in ONE transaction that first takes a transaction-scoped advisory
 * lock keyed by the schema name: N instances starting together queue on the lock, the first
 * applies, the others then see the versions recorded and apply nothing. Transaction-scoped
 * (not session) locks work through Supabase's transaction pooler. Postgres DDL is
 * transactional, so a failing migration leaves the schema exactly as it was.
 * Never edit a shipped migration: append a new version.
 */
import { type PgPool, quoteSchema, withTransaction } from './pool.js';

interface Migration {
  version: number;
  name: string;
  sql: (s: string) => string;
}

// Ids are COLLATE "C" (bytewise) so ORDER BY id — the keyset tie-break — matches SQLite's
// ordering of the mixed-case base62 ids whatever the database's default collation.
// Owned tables reference accounts(id) without ON DELETE CASCADE, as on SQLite: deleteCascade
// removes children explicitly (it reports the model ids), and a forgotten child table fails
// loudly. JSON columns are `json` (not jsonb) so documents come back byte-for-byte as stored,
// key order included — the same output as the SQLite backend.
const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    sql: (s) => `
      CREATE TABLE ${s}.accounts (
        id          text COLLATE "C" PRIMARY KEY,
        email       text,
        plan        text NOT NULL CHECK (plan IN ('anonymous', 'free', 'pro')),
        external_id text UNIQUE,
        created_at  timestamptz NOT NULL,
        expires_at  timestamptz
      );
      CREATE INDEX accounts_expiring ON ${s}.accounts (expires_at, id) WHERE plan = 'anonymous' AND expires_at IS NOT NULL;

      CREATE TABLE ${s}.credentials (
        id           text COLLATE "C" PRIMARY KEY,
        account_id   text COLLATE "C" NOT NULL REFERENCES ${s}.accounts (id),
        kind         text NOT NULL CHECK (kind IN ('api_key', 'anonymous_session')),
        name         text NOT NULL,
        prefix       text NOT NULL,
        hash         text NOT NULL UNIQUE,
        created_at   timestamptz NOT NULL,
        last_used_at timestamptz,
        expires_at   timestamptz,
        revoked_at   timestamptz
      );
      CREATE INDEX credentials_by_account ON ${s}.credentials (account_id, kind);

      CREATE TABLE ${s}.looks (
        id         text COLLATE "C" PRIMARY KEY,
        owner_id   text COLLATE "C" NOT NULL REFERENCES ${s}.accounts (id),
        name       text NOT NULL,
        config     json NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      );
      CREATE INDEX looks_by_owner ON ${s}.looks (owner_id, created_at);

      CREATE TABLE ${s}.layouts (
        id         text COLLATE "C" PRIMARY KEY,
        owner_id   text COLLATE "C" NOT NULL REFERENCES ${s}.accounts (id),
        name       text NOT NULL,
        config     json NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      );
      CREATE INDEX layouts_by_owner ON ${s}.layouts (owner_id, created_at);

      -- look_id / layout_id carry no foreign key: layout ids may name built-ins, and the look
      -- and layout repositories detach them explicitly when they delete.
      CREATE TABLE ${s}.models (
        id         text COLLATE "C" PRIMARY KEY,
        owner_id   text COLLATE "C" NOT NULL REFERENCES ${s}.accounts (id),
        name       text NOT NULL,
        published  boolean NOT NULL,
        look_id    text COLLATE "C",
        layout_id  text COLLATE "C",
        overrides  json NOT NULL,
        file_key   text NOT NULL,
        size_bytes bigint NOT NULL CHECK (size_bytes >= 0),
        sha256     text NOT NULL,
        stats      json NOT NULL,
        thumbnail  json NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      );
      CREATE INDEX models_by_owner ON ${s}.models (owner_id, created_at DESC, id DESC);
      CREATE INDEX models_by_look ON ${s}.models (look_id) WHERE look_id IS NOT NULL;
      CREATE INDEX models_by_layout ON ${s}.models (layout_id) WHERE layout_id IS NOT NULL;

      CREATE TABLE ${s}.uploads (
        id         text COLLATE "C" PRIMARY KEY,
        owner_id   text COLLATE "C" NOT NULL REFERENCES ${s}.accounts (id),
        status     text NOT NULL CHECK (status IN ('pending', 'received')),
        blob_key   text NOT NULL,
        size_bytes bigint,
        created_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL
      );
      CREATE INDEX uploads_by_owner ON ${s}.uploads (owner_id);
      CREATE INDEX uploads_expiring ON ${s}.uploads (expires_at, id);

      -- No foreign key: feedback is kept even when its (anonymous) account is swept.
      CREATE TABLE ${s}.feedback (
        id         text COLLATE "C" PRIMARY KEY,
        account_id text,
        type       text NOT NULL CHECK (type IN ('bug', 'feature', 'other')),
        message    text NOT NULL,
        page       text,
        meta       json,
        created_at timestamptz NOT NULL
      );

      -- GCRA buckets: one theoretical arrival time (µs) per key. UNLOGGED: no WAL per request;
      -- a database crash empties it, which only resets rate limits.
      CREATE UNLOGGED TABLE ${s}.rate_limits (
        key     text COLLATE "C" PRIMARY KEY,
        tat     bigint NOT NULL,
        allowed boolean NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: 'blob journal',
    // See blob-journal.ts: an intent is written before a model's blobs are stored and cleared
    // by the model insert; the reaper turns a dead instance's intent into a tombstone, after
    // which the model can no longer be inserted — so reaping never leaves a row without a file.
    sql: (s) => `
      CREATE TABLE ${s}.instances (
        id           text COLLATE "C" PRIMARY KEY,
        started_at   timestamptz NOT NULL DEFAULT now(),
        heartbeat_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE ${s}.blob_intents (
        model_id    text COLLATE "C" PRIMARY KEY,
        instance_id text COLLATE "C" NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now(),
        reaped_at   timestamptz
      );

      CREATE FUNCTION ${s}.models_claim_blob_intent() RETURNS trigger LANGUAGE plpgsql AS $fn$
      DECLARE
        reaped timestamptz;
      BEGIN
        -- One locking statement: it waits for a concurrent reaper and sees its tombstone.
        DELETE FROM ${s}.blob_intents WHERE model_id = NEW.id RETURNING reaped_at INTO reaped;
        IF reaped IS NOT NULL THEN
          RAISE EXCEPTION 'the blobs of model % were reaped before its row was inserted', NEW.id USING ERRCODE = 'VT001';
        END IF;
        RETURN NEW;
      END
      $fn$;

      CREATE TRIGGER models_claim_blob_intent AFTER INSERT ON ${s}.models
        FOR EACH ROW EXECUTE FUNCTION ${s}.models_claim_blob_intent();
    `,
  },
];

export const LATEST_POSTGRES_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/** Applies every pending migration to `schema`; returns the versions applied by this call. */
export async function migratePostgres(pool: PgPool, schema = 'vitrine'): Promise<number[]> {
  const s = quoteSchema(schema);
  return withTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`vitrine:migrate:${schema}`]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${s}.schema_migrations (
      version    integer PRIMARY KEY,
      name       text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const { rows } = await client.query<{ v: number | null }>(`SELECT MAX(version) AS v FROM ${s}.schema_migrations`);
    const current = rows[0]?.v ?? 0;
    if (current > LATEST_POSTGRES_VERSION) {
      // A newer vitrine migrated this schema; old code on it could corrupt data.
      throw new Error(`The database schema is version ${current}, newer than this vitrine knows (${LATEST_POSTGRES_VERSION}). Upgrade vitrine.`);
    }
    const applied: number[] = [];
    for (const m of MIGRATIONS) {
      if (m.version <= current) continue;
      await client.query(m.sql(s));
      await client.query(`INSERT INTO ${s}.schema_migrations (version, name) VALUES ($1, $2)`, [m.version, m.name]);
      applied.push(m.version);
    }
    return applied;
  });
}
