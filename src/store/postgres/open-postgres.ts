/** The scale-out backend: every repository port on one Postgres schema through one pool. */
import type { Repositories } from '../../core/ports/repositories.js';
import { migratePostgres } from './migrations.js';
import { createPgPool, type PgPool, quoteSchema } from './pool.js';
import { PostgresAccountRepository } from './postgres-account-repository.js';
import { PostgresCredentialRepository } from './postgres-credential-repository.js';
import { PostgresFeedbackRepository } from './postgres-feedback-repository.js';
import { PostgresLayoutRepository } from './postgres-layout-repository.js';
import { PostgresLookRepository } from './postgres-look-repository.js';
import { PostgresModelRepository } from './postgres-model-repository.js';
import { PostgresUploadRepository } from './postgres-upload-repository.js';

export interface PostgresRepositories extends Repositories {
  pool: PgPool;
  schema: string;
}

/** Builds the repositories on a pool whose schema is already migrated (lets callers share the pool). */
export function createPostgresRepositories(pool: PgPool, schema = 'vitrine', ownsPool = true): PostgresRepositories {
  const s = quoteSchema(schema);
  let closed: Promise<void> | null = null;
  return {
    pool,
    schema,
    accounts: new PostgresAccountRepository(pool, s),
    credentials: new PostgresCredentialRepository(pool, s),
    models: new PostgresModelRepository(pool, s),
    looks: new PostgresLookRepository(pool, s),
    layouts: new PostgresLayoutRepository(pool, s),
    feedback: new PostgresFeedbackRepository(pool, s),
    uploads: new PostgresUploadRepository(pool, s),
    ping: async () => {
      await pool.query('SELECT 1');
    },
    close: () => {
      if (!ownsPool) return Promise.resolve();
      closed ??= pool.end();
      return closed;
    },
  };
}

export interface OpenPostgresOptions {
  connectionString: string;
  schema?: string;
  poolSize?: number;
  applicationName?: string;
}

/** Connects, migrates (under the advisory lock) and builds the repositories; the pool closes with them. */
export async function openPostgresRepositories(opts: OpenPostgresOptions): Promise<PostgresRepositories> {
  const pool = createPgPool({ connectionString: opts.connectionString, max: opts.poolSize, applicationName: opts.applicationName });
  try {
    await migratePostgres(pool, opts.schema ?? 'vitrine');
  } catch (err) {
    await pool.end();
    throw err;
  }
  return createPostgresRepositories(pool, opts.schema ?? 'vitrine');
}
