/** Models (and their showcases: same row) on Postgres, with the quota-checked insert. */
import { AppError } from '../../core/errors.js';
import type { ModelQuota, ModelRepository, QuotaInsertResult } from '../../core/ports/repositories.js';
import type { ConfigOverrides } from '../../core/scene/config-schema.js';
import type { GlbStats, Model, Page, ThumbnailState } from '../../core/types.js';
import { decodeCursor, encodeCursor } from '../sqlite/cursor.js';
import { mapPgErrors } from './errors.js';
import { type PgPool, sqlState, withTransaction } from './pool.js';
import { definedOnly, partialUpdate, toJson } from './sql.js';

interface ModelRow {
  id: string;
  owner_id: string;
  name: string;
  published: boolean;
  look_id: string | null;
  layout_id: string | null;
  overrides: ConfigOverrides;
  file_key: string;
  size_bytes: number;
  sha256: string;
  stats: GlbStats;
  thumbnail: ThumbnailState;
  created_at: string;
  updated_at: string;
}

// json columns come back parsed by pg.
const toModel = (r: ModelRow): Model => ({
  id: r.id,
  owner_id: r.owner_id,
  name: r.name,
  published: r.published,
  look_id: r.look_id,
  layout_id: r.layout_id,
  overrides: r.overrides,
  file_key: r.file_key,
  size_bytes: r.size_bytes,
  sha256: r.sha256,
  stats: r.stats,
  thumbnail: r.thumbnail,
  created_at: r.created_at,
  updated_at: r.updated_at,
});

/** Largest page a caller can ask for; bigger requests are clamped, not refused (as on SQLite). */
const MAX_PAGE = 500;

export class PostgresModelRepository implements ModelRepository {
  constructor(
    private readonly pool: PgPool,
    private readonly s: string,
  ) {}

  /**
   * Locks the owner's account row, then counts and inserts in the same transaction. Every
   * quota-checked insert for one owner — from any instance — queues on that row lock, and
   * READ COMMITTED gives each later statement a fresh snapshot, so the usage it reads includes
   * every insert committed before it got the lock: the quota cannot be exceeded. The same lock
   * serialises with deleteCascade: a model can never be added to an account being swept.
   */
  async insertWithinQuota(model: Model, quota: ModelQuota): Promise<QuotaInsertResult> {
    const s = this.s;
    try {
      return await withTransaction(this.pool, async (c): Promise<QuotaInsertResult> => {
        const owner = await c.query(`SELECT 1 FROM ${s}.accounts WHERE id = $1 FOR UPDATE`, [model.owner_id]);
        if (owner.rowCount === 0) throw new AppError('unauthorized', 'This account no longer exists.');
        const { rows } = await c.query<{ models: number; bytes: number }>(
          `SELECT COUNT(*) AS models, COALESCE(SUM(size_bytes), 0)::bigint AS bytes FROM ${s}.models WHERE owner_id = $1`,
          [model.owner_id],
        );
        const usage = rows[0]!;
        if (usage.models >= quota.maxModels) return { ok: false, limit: 'models' };
        if (usage.bytes + model.size_bytes > quota.maxTotalBytes) return { ok: false, limit: 'storage' };
        await c.query(
          `INSERT INTO ${s}.models (id, owner_id, name, published, look_id, layout_id, overrides, file_key, size_bytes, sha256, stats, thumbnail, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
          [
            model.id,
            model.owner_id,
            model.name,
            model.published,
            model.look_id,
            model.layout_id,
            toJson(model.overrides),
            model.file_key,
            model.size_bytes,
            model.sha256,
            toJson(model.stats),
            toJson(model.thumbnail),
            model.created_at,
            model.updated_at,
          ],
        );
        return { ok: true };
      });
    } catch (err) {
      if (sqlState(err) === 'VT001') {
        // The blob reaper declared this upload dead (its instance stalled past the heartbeat
        // timeout) and removed its file; inserting the row now would point at nothing.
        throw new AppError('conflict', 'The upload took too long to finish and was discarded; upload the file again.');
      }
      return mapPgErrors(() => Promise.reject(err));
    }
  }

  async findOwned(ownerId: string, id: string): Promise<Model | null> {
    const { rows } = await this.pool.query<ModelRow>(`SELECT * FROM ${this.s}.models WHERE id = $1 AND owner_id = $2`, [id, ownerId]);
    return rows[0] ? toModel(rows[0]) : null;
  }

  async findById(id: string): Promise<Model | null> {
    const { rows } = await this.pool.query<ModelRow>(`SELECT * FROM ${this.s}.models WHERE id = $1`, [id]);
    return rows[0] ? toModel(rows[0]) : null;
  }

  async list(ownerId: string, opts: { limit: number; cursor: string | null }): Promise<Page<Model>> {
    if (!Number.isInteger(opts.limit) || opts.limit < 1) throw new AppError('invalid_request', 'limit must be a positive integer.');
    const limit = Math.min(opts.limit, MAX_PAGE);
    // One extra row tells us whether another page exists. The row-value comparison keeps the
    // (created_at, id) order total and is served by models_by_owner.
    const { rows } = opts.cursor
      ? await (() => {
          const after = decodeCursor(opts.cursor);
          return this.pool.query<ModelRow>(
            `SELECT * FROM ${this.s}.models WHERE owner_id = $1 AND (created_at, id) < ($2::timestamptz, $3) ORDER BY created_at DESC, id DESC LIMIT $4`,
            [ownerId, after.created_at, after.id, limit + 1],
          );
        })()
      : await this.pool.query<ModelRow>(`SELECT * FROM ${this.s}.models WHERE owner_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2`, [ownerId, limit + 1]);
    const items = rows.slice(0, limit).map(toModel);
    const last = items[items.length - 1];
    return { items, next_cursor: rows.length > limit && last ? encodeCursor(last) : null };
  }

  async listIdsByOwner(ownerId: string): Promise<string[]> {
    const { rows } = await this.pool.query<{ id: string }>(`SELECT id FROM ${this.s}.models WHERE owner_id = $1 ORDER BY created_at DESC, id DESC`, [ownerId]);
    return rows.map((r) => r.id);
  }

  async patchOverrides(ownerId: string, id: string, patch: Record<string, unknown>, now: string): Promise<Model | null> {
    const set = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== null && v !== undefined));
    const remove = Object.entries(patch).filter(([, v]) => v === null).map(([k]) => k);
    // One statement: concurrent patches of different fields serialize on the row, none is lost.
    const { rows } = await mapPgErrors(() =>
      this.pool.query<ModelRow>(
        `UPDATE ${this.s}.models SET overrides = ((overrides::jsonb || $1::jsonb) - $2::text[])::json, updated_at = $3
         WHERE id = $4 AND owner_id = $5 RETURNING *`,
        [JSON.stringify(set), remove, now, id, ownerId],
      ),
    );
    return rows[0] ? toModel(rows[0]) : null;
  }

  async listByLook(ownerId: string, lookId: string): Promise<Model[]> {
    const { rows } = await this.pool.query<ModelRow>(`SELECT * FROM ${this.s}.models WHERE owner_id = $1 AND look_id = $2`, [ownerId, lookId]);
    return rows.map(toModel);
  }

  async update(
    ownerId: string,
    id: string,
    fields: Partial<Pick<Model, 'name' | 'published' | 'look_id' | 'layout_id' | 'overrides' | 'thumbnail'>>,
    now: string,
  ): Promise<Model | null> {
    const columns = definedOnly({
      name: fields.name,
      published: fields.published,
      look_id: fields.look_id,
      layout_id: fields.layout_id,
      overrides: fields.overrides === undefined ? undefined : toJson(fields.overrides),
      thumbnail: fields.thumbnail === undefined ? undefined : toJson(fields.thumbnail),
      updated_at: now,
    });
    const row = await mapPgErrors(() => partialUpdate<ModelRow>(this.pool, `${this.s}.models`, columns, { id, owner_id: ownerId }));
    return row ? toModel(row) : null;
  }

  async delete(ownerId: string, id: string): Promise<Model | null> {
    const { rows } = await this.pool.query<ModelRow>(`DELETE FROM ${this.s}.models WHERE id = $1 AND owner_id = $2 RETURNING *`, [id, ownerId]);
    return rows[0] ? toModel(rows[0]) : null;
  }

  async usage(ownerId: string): Promise<{ models: number; bytes: number }> {
    const { rows } = await this.pool.query<{ models: number; bytes: number }>(
      `SELECT COUNT(*) AS models, COALESCE(SUM(size_bytes), 0)::bigint AS bytes FROM ${this.s}.models WHERE owner_id = $1`,
      [ownerId],
    );
    return { models: rows[0]!.models, bytes: rows[0]!.bytes };
  }

  async reassignOwner(fromOwnerId: string, toOwnerId: string): Promise<number> {
    const r = await mapPgErrors(() => this.pool.query(`UPDATE ${this.s}.models SET owner_id = $1 WHERE owner_id = $2`, [toOwnerId, fromOwnerId]));
    return r.rowCount ?? 0;
  }
}
