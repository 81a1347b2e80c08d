/** API keys and anonymous session tokens on Postgres; only hashes are ever stored. */
import type { CredentialRepository } from '../../core/ports/repositories.js';
import type { Account, Credential, CredentialKind } from '../../core/types.js';
import { mapPgErrors } from './errors.js';
import type { PgPool } from './pool.js';
import { CREDENTIAL_ACCOUNT_COLUMNS, type CredentialAccountRow, type CredentialRow, toCredential, toCredentialWithAccount } from '../row-mappers.js';

export class PostgresCredentialRepository implements CredentialRepository {
  constructor(
    private readonly pool: PgPool,
    private readonly s: string,
  ) {}

  async insert(c: Credential): Promise<void> {
    await mapPgErrors(() =>
      this.pool.query(
        `INSERT INTO ${this.s}.credentials (id, account_id, kind, name, prefix, hash, created_at, last_used_at, expires_at, revoked_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [c.id, c.account_id, c.kind, c.name, c.prefix, c.hash, c.created_at, c.last_used_at, c.expires_at, c.revoked_at],
      ),
    );
  }

  async findByHash(hash: string): Promise<Credential | null> {
    const { rows } = await this.pool.query<CredentialRow>(`SELECT * FROM ${this.s}.credentials WHERE hash = $1`, [hash]);
    return rows[0] ? toCredential(rows[0]) : null;
  }

  async findByHashWithAccount(hash: string): Promise<{ credential: Credential; account: Account | null } | null> {
    const { rows } = await this.pool.query<CredentialAccountRow>(
      `SELECT ${CREDENTIAL_ACCOUNT_COLUMNS} FROM ${this.s}.credentials c LEFT JOIN ${this.s}.accounts a ON a.id = c.account_id WHERE c.hash = $1`,
      [hash],
    );
    return rows[0] ? toCredentialWithAccount(rows[0]) : null;
  }

  async listByAccount(accountId: string, kind: CredentialKind): Promise<Credential[]> {
    // Revoked keys are gone as far as the owner is concerned (DELETE /v1/account/api-keys/:id).
    const { rows } = await this.pool.query<CredentialRow>(
      `SELECT * FROM ${this.s}.credentials WHERE account_id = $1 AND kind = $2 AND revoked_at IS NULL ORDER BY created_at, id`,
      [accountId, kind],
    );
    return rows.map(toCredential);
  }

  async revoke(accountId: string, id: string, now: string): Promise<boolean> {
    const r = await this.pool.query(`UPDATE ${this.s}.credentials SET revoked_at = $1 WHERE id = $2 AND account_id = $3 AND revoked_at IS NULL`, [
      now,
      id,
      accountId,
    ]);
    return r.rowCount === 1;
  }

  async touch(id: string, now: string): Promise<void> {
    await this.pool.query(`UPDATE ${this.s}.credentials SET last_used_at = $1 WHERE id = $2`, [now, id]);
  }
}
