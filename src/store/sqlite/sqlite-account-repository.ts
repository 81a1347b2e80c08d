/** Accounts on SQLite, including the one-transaction cascade delete of everything an account owns. */
import type { AccountRepository } from '../../core/ports/repositories.js';
import type { Account } from '../../core/types.js';
import type { SqliteDatabase } from './connection.js';
import { PartialUpdate } from './partial-update.js';
import { definedOnly } from './values.js';
import { type AccountRow, toAccount } from '../row-mappers.js';

/** Tables whose rows an account owns, children of accounts(id). Models go first (their ids are reported). */
const OWNED = [
  ['looks', 'owner_id'],
  ['layouts', 'owner_id'],
  ['uploads', 'owner_id'],
  ['credentials', 'account_id'],
] as const;

export class SqliteAccountRepository implements AccountRepository {
  private readonly stmts;
  private readonly updater: PartialUpdate;
  private readonly cascade;
  private readonly upsert;

  constructor(private readonly db: SqliteDatabase) {
    this.stmts = {
      insert: db.prepare(
        'INSERT INTO accounts (id, email, plan, external_id, created_at, expires_at) VALUES (@id, @email, @plan, @external_id, @created_at, @expires_at)',
      ),
      insertIfNewSubject: db.prepare(
        `INSERT INTO accounts (id, email, plan, external_id, created_at, expires_at)
         VALUES (@id, @email, @plan, @external_id, @created_at, @expires_at) ON CONFLICT (external_id) DO NOTHING`,
      ),
      byId: db.prepare('SELECT * FROM accounts WHERE id = ?'),
      byExternalId: db.prepare('SELECT * FROM accounts WHERE external_id = ?'),
      // Only anonymous accounts expire; the plan check guards against a stray expiry on a real account.
      expired: db.prepare(
        "SELECT * FROM accounts WHERE plan = 'anonymous' AND expires_at IS NOT NULL AND expires_at <= ? ORDER BY expires_at, id LIMIT ?",
      ),
      count: db.prepare('SELECT COUNT(*) AS n FROM accounts'),
      modelIds: db.prepare('SELECT id FROM models WHERE owner_id = ? ORDER BY created_at, id'),
      uploadKeys: db.prepare('SELECT blob_key FROM uploads WHERE owner_id = ?'),
      deleteModels: db.prepare('DELETE FROM models WHERE owner_id = ?'),
      deleteOwned: OWNED.map(([table, column]) => db.prepare(`DELETE FROM ${table} WHERE ${column} = ?`)),
      deleteAccount: db.prepare('DELETE FROM accounts WHERE id = ?'),
    };
    this.updater = new PartialUpdate(db, 'accounts', 'id = @w_id');
    // Check and insert in one transaction so two first requests for one subject make one row.
    this.upsert = db.transaction((account: Account): AccountRow => {
      this.stmts.insertIfNewSubject.run(account);
      return this.stmts.byExternalId.get(account.external_id) as AccountRow;
    });
    this.cascade = db.transaction((id: string): { modelIds: string[]; uploadKeys: string[] } | null => {
      if (!this.stmts.byId.get(id)) return null;
      const modelIds = (this.stmts.modelIds.all(id) as { id: string }[]).map((r) => r.id);
      const uploadKeys = (this.stmts.uploadKeys.all(id) as { blob_key: string }[]).map((r) => r.blob_key);
      this.stmts.deleteModels.run(id);
      for (const stmt of this.stmts.deleteOwned) stmt.run(id);
      this.stmts.deleteAccount.run(id);
      return { modelIds, uploadKeys };
    });
  }

  async insert(account: Account): Promise<void> {
    this.stmts.insert.run(account);
  }

  async findById(id: string): Promise<Account | null> {
    const row = this.stmts.byId.get(id) as AccountRow | undefined;
    return row ? toAccount(row) : null;
  }

  async findByExternalId(externalId: string): Promise<Account | null> {
    const row = this.stmts.byExternalId.get(externalId) as AccountRow | undefined;
    return row ? toAccount(row) : null;
  }

  async upsertByExternalId(account: Account): Promise<Account> {
    if (account.external_id === null) throw new Error('upsertByExternalId needs an external_id');
    return toAccount(this.upsert.immediate(account));
  }

  async update(id: string, fields: Partial<Pick<Account, 'email' | 'plan' | 'expires_at' | 'external_id'>>): Promise<Account | null> {
    const columns = definedOnly({ email: fields.email, plan: fields.plan, expires_at: fields.expires_at, external_id: fields.external_id });
    const row = this.updater.run<AccountRow>(columns, { w_id: id });
    return row ? toAccount(row) : null;
  }

  async listExpired(now: string, limit: number): Promise<Account[]> {
    return (this.stmts.expired.all(now, limit) as AccountRow[]).map(toAccount);
  }

  async deleteCascade(id: string): Promise<{ modelIds: string[]; uploadKeys: string[] } | null> {
    return this.cascade.immediate(id);
  }

  async count(): Promise<number> {
    return (this.stmts.count.get() as { n: number }).n;
  }
}
