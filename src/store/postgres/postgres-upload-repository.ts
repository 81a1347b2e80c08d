/** Pending direct uploads on Postgres; `take` is one DELETE … RETURNING, so exactly one caller wins. */
import type { UploadRepository } from '../../core/ports/repositories.js';
import type { PendingUpload } from '../../core/types.js';
import { mapPgErrors } from './errors.js';
import type { PgPool } from './pool.js';
import { type UploadRow, toUpload } from '../row-mappers.js';

export class PostgresUploadRepository implements UploadRepository {
  constructor(
    private readonly pool: PgPool,
    private readonly s: string,
  ) {}

  async insert(u: PendingUpload): Promise<void> {
    await mapPgErrors(() =>
      this.pool.query(`INSERT INTO ${this.s}.uploads (id, owner_id, status, blob_key, size_bytes, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
        u.id,
        u.owner_id,
        u.status,
        u.blob_key,
        u.size_bytes,
        u.created_at,
        u.expires_at,
      ]),
    );
  }

  async findOwned(ownerId: string, id: string): Promise<PendingUpload | null> {
    const { rows } = await this.pool.query<UploadRow>(`SELECT * FROM ${this.s}.uploads WHERE id = $1 AND owner_id = $2`, [id, ownerId]);
    return rows[0] ? toUpload(rows[0]) : null;
  }

  async markReceived(ownerId: string, id: string, size: number): Promise<boolean> {
    const r = await this.pool.query(`UPDATE ${this.s}.uploads SET status = 'received', size_bytes = $1 WHERE id = $2 AND owner_id = $3`, [size, id, ownerId]);
    return r.rowCount === 1;
  }

  async take(ownerId: string, id: string): Promise<PendingUpload | null> {
    const { rows } = await this.pool.query<UploadRow>(`DELETE FROM ${this.s}.uploads WHERE id = $1 AND owner_id = $2 RETURNING *`, [id, ownerId]);
    return rows[0] ? toUpload(rows[0]) : null;
  }

  async listExpired(now: string, limit: number): Promise<PendingUpload[]> {
    const { rows } = await this.pool.query<UploadRow>(`SELECT * FROM ${this.s}.uploads WHERE expires_at <= $1 ORDER BY expires_at, id LIMIT $2`, [now, limit]);
    return rows.map(toUpload);
  }

  async delete(id: string): Promise<void> {
    await this.pool.query(`DELETE FROM ${this.s}.uploads WHERE id = $1`, [id]);
  }
}
