/** Feedback on Postgres: insert only; it outlives the account that sent it. */
import type { FeedbackRepository } from '../../core/ports/repositories.js';
import type { Feedback } from '../../core/types.js';
import { mapPgErrors } from './errors.js';
import type { PgPool } from './pool.js';
import { toJson } from './sql.js';

export class PostgresFeedbackRepository implements FeedbackRepository {
  constructor(
    private readonly pool: PgPool,
    private readonly s: string,
  ) {}

  async insert(f: Feedback): Promise<void> {
    await mapPgErrors(() =>
      this.pool.query(`INSERT INTO ${this.s}.feedback (id, account_id, type, message, page, meta, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
        f.id,
        f.account_id,
        f.type,
        f.message,
        f.page,
        toJson(f.meta),
        f.created_at,
      ]),
    );
  }
}
