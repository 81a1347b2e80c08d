/**
 * Picks the storage backends from the Config alone:
 *   DATABASE_URL          → Postgres repositories + the Postgres rate limiter (shared by N instances)
 *   VITRINE_S3_BUCKET     → S3-compatible blob store (Supabase Storage, AWS S3, R2, MinIO…)
 *   neither (the default) → SQLite file + files on disk under VITRINE_DATA_DIR: zero setup.
 * The two choices are independent. With Postgres, model writes go through the blob journal and
 * a reaper removes files whose row never arrived (an instance killed mid-upload).
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { BlobStore } from '../core/ports/blob-store.js';
import type { RateLimiter } from '../core/ports/rate-limiter.js';
import type { Repositories } from '../core/ports/repositories.js';
import { FsBlobStore } from '../blobs/fs-blob-store.js';
import { S3BlobStore } from '../blobs/s3-blob-store.js';
import { PostgresRateLimiter } from '../ratelimit/postgres-rate-limiter.js';
import { SqliteRateLimiter } from '../ratelimit/sqlite-rate-limiter.js';
import { BlobJournal, type BlobJournalOptions, type ChildLister } from './postgres/blob-journal.js';
import { openPostgresRepositories } from './postgres/open-postgres.js';
import { openSqliteDatabase } from './sqlite/connection.js';
import { migrateSqlite } from './sqlite/migrations.js';
import { createSqliteRepositories } from './sqlite/open-sqlite.js';

export interface Storage {
  repos: Repositories;
  rateLimiter: RateLimiter;
  blobs: BlobStore;
  /** What was chosen, for logs and /readyz. */
  kind: { db: 'sqlite' | 'postgres'; blobs: 'fs' | 's3' };
  /** One orphan-file reaper pass (Postgres only; null otherwise). Also runs on a timer. */
  reapOrphans: (() => Promise<string[]>) | null;
  close(): Promise<void>;
}

export interface SelectStorageOptions {
  /** The uploads staging dir: FsBlobStore may move (not copy) files out of it. */
  stagingDir: string;
  log?: Logger;
  /** Postgres schema for vitrine's tables (default `vitrine`). */
  schema?: string;
  /** Connections per instance (default 10). */
  poolSize?: number;
  journal?: BlobJournalOptions;
  /** Reaper period (default 60 s, first pass a few seconds after start); 0 disables the timer. */
  reapEveryMs?: number;
}

export async function selectStorage(config: Config, opts: SelectStorageOptions): Promise<Storage> {
  const { blobs: rawBlobs, listChildren, closeBlobs } = openBlobs(config, opts.stagingDir);
  const kindBlobs = config.s3 ? 's3' : 'fs';
  if (!config.databaseUrl) {
    const db = openSqliteDatabase(config.dataDir === ':memory:' ? ':memory:' : path.join(config.dataDir, 'vitrine.db'));
    migrateSqlite(db);
    const repos = createSqliteRepositories(db);
    return {
      repos,
      rateLimiter: new SqliteRateLimiter(db),
      blobs: rawBlobs,
      kind: { db: 'sqlite', blobs: kindBlobs },
      reapOrphans: null,
      close: async () => {
        await repos.close();
        await closeBlobs();
      },
    };
  }

  const schema = opts.schema ?? 'vitrine';
  const repos = await openPostgresRepositories({ connectionString: config.databaseUrl, schema, poolSize: opts.poolSize, applicationName: 'vitrine' });
  const journal = new BlobJournal(repos.pool, schema, opts.journal);
  await journal.start();
  const reapOrphans = async () => {
    const reaped = await journal.reap(listChildren, rawBlobs);
    if (reaped.length) opts.log?.info({ models: reaped.length }, 'reaped files of models whose row was never written');
    return reaped;
  };
  const every = opts.reapEveryMs ?? 60_000;
  let timer: NodeJS.Timeout | null = null;
  const schedule = (ms: number) => {
    if (every <= 0) return;
    timer = setTimeout(() => {
      reapOrphans()
        .catch((err) => opts.log?.warn({ err: String(err) }, 'orphan reaper failed'))
        .finally(() => schedule(every * (0.8 + Math.random() * 0.4)));
    }, ms);
    timer.unref();
  };
  // First pass soon after start (restarts are when orphans are likeliest), jittered so a
  // fleet restarting together does not list the bucket in lockstep.
  schedule(1_000 + Math.random() * 2_000);
  return {
    repos,
    rateLimiter: new PostgresRateLimiter(repos.pool, schema),
    blobs: journal.wrap(rawBlobs),
    kind: { db: 'postgres', blobs: kindBlobs },
    reapOrphans,
    close: async () => {
      if (timer) clearTimeout(timer);
      await journal.stop();
      await repos.close();
      await closeBlobs();
    },
  };
}

function openBlobs(config: Config, stagingDir: string): { blobs: BlobStore; listChildren: ChildLister; closeBlobs: () => Promise<void> } {
  if (config.s3) {
    const s3 = new S3BlobStore({
      bucket: config.s3.bucket,
      endpoint: config.s3.endpoint,
      region: config.s3.region,
      accessKeyId: config.s3.accessKeyId,
      secretAccessKey: config.s3.secretAccessKey,
      forcePathStyle: config.s3.forcePathStyle,
    });
    return { blobs: s3, listChildren: (prefix) => s3.listChildren(prefix), closeBlobs: () => s3.close() };
  }
  const root = path.join(config.dataDir, 'blobs');
  return {
    blobs: new FsBlobStore({ root, adoptFrom: [stagingDir] }),
    listChildren: (prefix) => listFsChildren(root, prefix),
    closeBlobs: async () => {},
  };
}

async function* listFsChildren(root: string, prefix: string): AsyncIterable<string> {
  const dir = path.join(root, ...prefix.split('/').filter(Boolean));
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const e of entries) if (e.isDirectory() && !e.name.startsWith('.')) yield e.name;
}
