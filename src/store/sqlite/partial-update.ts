/**
 * Partial updates as one `UPDATE … RETURNING *` statement (atomic, no read-modify-write).
 * Column names come only from the repository's own code, never from caller input; statements
 * are cached per column set because the same few shapes repeat.
 */
import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from './connection.js';

export class PartialUpdate {
  private readonly cache = new Map<string, Statement>();

  constructor(
    private readonly db: SqliteDatabase,
    private readonly table: string,
    /** e.g. `id = @id AND owner_id = @owner_id`; its parameters must not collide with columns. */
    private readonly where: string,
  ) {}

  /** Returns the updated row, or undefined when the WHERE clause matched nothing. */
  run<Row>(columns: Record<string, string | number | null>, whereParams: Record<string, string>): Row | undefined {
    const names = Object.keys(columns).sort();
    if (names.length === 0) return this.statement(`SELECT * FROM ${this.table} WHERE ${this.where}`).get(whereParams) as Row | undefined;
    const sql = `UPDATE ${this.table} SET ${names.map((c) => `${c} = @${c}`).join(', ')} WHERE ${this.where} RETURNING *`;
    return this.statement(sql).get({ ...columns, ...whereParams }) as Row | undefined;
  }

  private statement(sql: string): Statement {
    let stmt = this.cache.get(sql);
    if (!stmt) {
      stmt = this.db.prepare(sql);
      this.cache.set(sql, stmt);
    }
    return stmt;
  }
}
