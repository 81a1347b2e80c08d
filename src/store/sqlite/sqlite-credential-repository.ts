/** API keys and anonymous session tokens on SQLite; only hashes are ever stored. */
import type { CredentialRepository } from '../../core/ports/repositories.js';
import type { Account, Credential, CredentialKind } from '../../core/types.js';
import type { SqliteDatabase } from './connection.js';
import { rethrowMissingOwner } from './errors.js';
import { CREDENTIAL_ACCOUNT_COLUMNS, type CredentialAccountRow, type CredentialRow, toCredential, toCredentialWithAccount } from '../row-mappers.js';

export class SqliteCredentialRepository implements CredentialRepository {
  private readonly stmts;

  constructor(db: SqliteDatabase) {
    this.stmts = {
      insert: db.prepare(
        `INSERT INTO credentials (id, account_id, kind, name, prefix, hash, created_at, last_used_at, expires_at, revoked_at)
         VALUES (@id, @account_id, @kind, @name, @prefix, @hash, @created_at, @last_used_at, @expires_at, @revoked_at)`,
      ),
      byHash: db.prepare('SELECT * FROM credentials WHERE hash = ?'),
      byHashWithAccount: db.prepare(`SELECT ${CREDENTIAL_ACCOUNT_COLUMNS} FROM credentials c LEFT JOIN accounts a ON a.id = c.account_id WHERE c.hash = ?`),
      // Revoked keys are gone as far as the owner is concerned (DELETE /v1/account/api-keys/:id).
      byAccount: db.prepare('SELECT * FROM credentials WHERE account_id = ? AND kind = ? AND revoked_at IS NULL ORDER BY created_at, id'),
      revoke: db.prepare('UPDATE credentials SET revoked_at = ? WHERE id = ? AND account_id = ? AND revoked_at IS NULL'),
      touch: db.prepare('UPDATE credentials SET last_used_at = ? WHERE id = ?'),
    };
  }

  async insert(c: Credential): Promise<void> {
    try {
      this.stmts.insert.run({
        id: c.id,
        account_id: c.account_id,
        kind: c.kind,
        name: c.name,
        prefix: c.prefix,
        hash: c.hash,
        created_at: c.created_at,
        last_used_at: c.last_used_at,
        expires_at: c.expires_at,
        revoked_at: c.revoked_at,
      });
    } catch (err) {
      rethrowMissingOwner(err);
    }
  }

  async findByHash(hash: string): Promise<Credential | null> {
    const row = this.stmts.byHash.get(hash) as CredentialRow | undefined;
    return row ? toCredential(row) : null;
  }

  async findByHashWithAccount(hash: string): Promise<{ credential: Credential; account: Account | null } | null> {
    const row = this.stmts.byHashWithAccount.get(hash) as CredentialAccountRow | undefined;
    return row ? toCredentialWithAccount(row) : null;
  }

  async listByAccount(accountId: string, kind: CredentialKind): Promise<Credential[]> {
    return (this.stmts.byAccount.all(accountId, kind) as CredentialRow[]).map(toCredential);
  }

  async revoke(accountId: string, id: string, now: string): Promise<boolean> {
    return this.stmts.revoke.run(now, id, accountId).changes === 1;
  }

  async touch(id: string, now: string): Promise<void> {
    this.stmts.touch.run(now, id);
  }
}
