/** Pending direct uploads on SQLite; `take` is one DELETE … RETURNING, so exactly one caller wins. */
import type { UploadRepository } from '../../core/ports/repositories.js';
import type { PendingUpload } from '../../core/types.js';
import type { SqliteDatabase } from './connection.js';
import { rethrowMissingOwner } from './errors.js';
import { type UploadRow, toUpload } from '../row-mappers.js';

export class SqliteUploadRepository implements UploadRepository {
  private readonly stmts;

  constructor(db: SqliteDatabase) {
    this.stmts = {
      insert: db.prepare(
        `INSERT INTO uploads (id, owner_id, status, blob_key, size_bytes, created_at, expires_at)
         VALUES (@id, @owner_id, @status, @blob_key, @size_bytes, @created_at, @expires_at)`,
      ),
      owned: db.prepare('SELECT * FROM uploads WHERE id = ? AND owner_id = ?'),
      markReceived: db.prepare("UPDATE uploads SET status = 'received', size_bytes = ? WHERE id = ? AND owner_id = ?"),
      take: db.prepare('DELETE FROM uploads WHERE id = ? AND owner_id = ? RETURNING *'),
      expired: db.prepare('SELECT * FROM uploads WHERE expires_at <= ? ORDER BY expires_at, id LIMIT ?'),
      delete: db.prepare('DELETE FROM uploads WHERE id = ?'),
    };
  }

  async insert(u: PendingUpload): Promise<void> {
    try {
      this.stmts.insert.run({
        id: u.id,
        owner_id: u.owner_id,
        status: u.status,
        blob_key: u.blob_key,
        size_bytes: u.size_bytes,
        created_at: u.created_at,
        expires_at: u.expires_at,
      });
    } catch (err) {
      rethrowMissingOwner(err);
    }
  }

  async findOwned(ownerId: string, id: string): Promise<PendingUpload | null> {
    const row = this.stmts.owned.get(id, ownerId) as UploadRow | undefined;
    return row ? toUpload(row) : null;
  }

  async markReceived(ownerId: string, id: string, size: number): Promise<boolean> {
    return this.stmts.markReceived.run(size, id, ownerId).changes === 1;
  }

  async take(ownerId: string, id: string): Promise<PendingUpload | null> {
    const row = this.stmts.take.get(id, ownerId) as UploadRow | undefined;
    return row ? toUpload(row) : null;
  }

  async listExpired(now: string, limit: number): Promise<PendingUpload[]> {
    return (this.stmts.expired.all(now, limit) as UploadRow[]).map(toUpload);
  }

  async delete(id: string): Promise<void> {
    this.stmts.delete.run(id);
  }
}
