/** Accounts on Postgres, including the one-transaction cascade delete of everything an account owns. */
import type { AccountRepository } from '../../core/ports/repositories.js';
import type { Account } from '../../core/types.js';
import { mapPgErrors } from './errors.js';
import { type PgPool, withTransaction } from './pool.js';
import { definedOnly, partialUpdate } from './sql.js';
import { type AccountRow, toAccount } from '../row-mappers.js';

const COLUMNS = 'id, email, plan, external_id, created_at, expires_at';
const params = (a: Account) => [a.id, a.email, a.plan, a.external_id, a.created_at, a.expires_at];

export class PostgresAccountRepository implements AccountRepository {
  constructor(
    private readonly pool: PgPool,
    /** Quoted schema name. */
    private readonly s: string,
  ) {}

  async insert(account: Account): Promise<void> {
    await mapPgErrors(() => this.pool.query(`INSERT INTO ${this.s}.accounts (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6)`, params(account)));
  }

  async findById(id: string): Promise<Account | null> {
    const { rows } = await this.pool.query<AccountRow>(`SELECT * FROM ${this.s}.accounts WHERE id = $1`, [id]);
    return rows[0] ? toAccount(rows[0]) : null;
  }

  async findByExternalId(externalId: string): Promise<Account | null> {
    const { rows } = await this.pool.query<AccountRow>(`SELECT * FROM ${this.s}.accounts WHERE external_id = $1`, [externalId]);
    return rows[0] ? toAccount(rows[0]) : null;
  }

  async upsertByExternalId(account: Account): Promise<Account> {
    if (account.external_id === null) throw new Error('upsertByExternalId needs an external_id');
    // Called on every JWT-authenticated request, so the common case is one read and no write
    // (a no-op DO UPDATE would write a row version and lock the account row each time).
    const existing = await this.findByExternalId(account.external_id);
    if (existing) return existing;
    // First sight: concurrent first requests for one subject (on any instance) serialise on the
    // unique index; the losers' DO NOTHING waits for the winner's commit, so the re-read below,
    // a new statement, sees the winner's row.
    const { rows } = await mapPgErrors(() =>
      this.pool.query<AccountRow>(
        `INSERT INTO ${this.s}.accounts (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (external_id) DO NOTHING RETURNING *`,
        params(account),
      ),
    );
    if (rows[0]) return toAccount(rows[0]);
    const stored = await this.findByExternalId(account.external_id);
    if (!stored) throw new Error('upsertByExternalId: the conflicting account vanished (deleted concurrently)');
    return stored;
  }

  async update(id: string, fields: Partial<Pick<Account, 'email' | 'plan' | 'expires_at' | 'external_id'>>): Promise<Account | null> {
    const columns = definedOnly({ email: fields.email, plan: fields.plan, expires_at: fields.expires_at, external_id: fields.external_id });
    const row = await mapPgErrors(() => partialUpdate<AccountRow>(this.pool, `${this.s}.accounts`, columns, { id }));
    return row ? toAccount(row) : null;
  }

  async listExpired(now: string, limit: number): Promise<Account[]> {
    // Only anonymous accounts expire; the plan check guards against a stray expiry on a real account.
    const { rows } = await this.pool.query<AccountRow>(
      `SELECT * FROM ${this.s}.accounts WHERE plan = 'anonymous' AND expires_at IS NOT NULL AND expires_at <= $1 ORDER BY expires_at, id LIMIT $2`,
      [now, limit],
    );
    return rows.map(toAccount);
  }

  /**
   * Locks the account row first. Racing callers (N instances sweeping at once) queue on that
   * lock and then find the row gone: exactly one gets the model ids. Concurrent inserts of owned
   * rows take a key-share lock on the account through their foreign key, so each one either
   * commits before this transaction locks (and is deleted by it) or waits and then fails its
   * foreign key — no row can be added to an account while it is being deleted.
   */
  async deleteCascade(id: string): Promise<{ modelIds: string[]; uploadKeys: string[] } | null> {
    const s = this.s;
    return withTransaction(this.pool, async (c): Promise<{ modelIds: string[]; uploadKeys: string[] } | null> => {
      const locked = await c.query(`SELECT 1 FROM ${s}.accounts WHERE id = $1 FOR UPDATE`, [id]);
      if (locked.rowCount === 0) return null;
      const models = await c.query<{ id: string }>(`DELETE FROM ${s}.models WHERE owner_id = $1 RETURNING id`, [id]);
      await c.query(`DELETE FROM ${s}.looks WHERE owner_id = $1`, [id]);
      await c.query(`DELETE FROM ${s}.layouts WHERE owner_id = $1`, [id]);
      const uploads = await c.query<{ blob_key: string }>(`DELETE FROM ${s}.uploads WHERE owner_id = $1 RETURNING blob_key`, [id]);
      await c.query(`DELETE FROM ${s}.credentials WHERE account_id = $1`, [id]);
      await c.query(`DELETE FROM ${s}.accounts WHERE id = $1`, [id]);
      return { modelIds: models.rows.map((r) => r.id), uploadKeys: uploads.rows.map((r) => r.blob_key) };
    });
  }

  async count(): Promise<number> {
    const { rows } = await this.pool.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${this.s}.accounts`);
    return rows[0]!.n;
  }
}
