/** Feedback on SQLite: insert only; it outlives the account that sent it. */
import type { FeedbackRepository } from '../../core/ports/repositories.js';
import type { Feedback } from '../../core/types.js';
import type { SqliteDatabase } from './connection.js';
import { toJson } from './values.js';

export class SqliteFeedbackRepository implements FeedbackRepository {
  private readonly insertStmt;

  constructor(db: SqliteDatabase) {
    this.insertStmt = db.prepare(
      'INSERT INTO feedback (id, account_id, type, message, page, meta, created_at) VALUES (@id, @account_id, @type, @message, @page, @meta, @created_at)',
    );
  }

  async insert(f: Feedback): Promise<void> {
    this.insertStmt.run({
      id: f.id,
      account_id: f.account_id,
      type: f.type,
      message: f.message,
      page: f.page,
      meta: f.meta === null ? null : toJson(f.meta),
      created_at: f.created_at,
    });
  }
}
