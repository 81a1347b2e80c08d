/** Models (and their showcases: same row) on SQLite, with the quota-checked insert. */
import { AppError } from '../../core/errors.js';
import type { ModelQuota, ModelRepository, QuotaInsertResult } from '../../core/ports/repositories.js';
import type { ConfigOverrides } from '../../core/scene/config-schema.js';
import type { GlbStats, Model, Page, ThumbnailState } from '../../core/types.js';
import type { SqliteDatabase } from './connection.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { rethrowMissingOwner } from './errors.js';
import { PartialUpdate } from './partial-update.js';
import { definedOnly, fromFlag, fromJson, toFlag, toJson } from './values.js';

interface ModelRow {
  id: string;
  owner_id: string;
  name: string;
  published: number;
  look_id: string | null;
  layout_id: string | null;
  overrides: string;
  file_key: string;
  size_bytes: number;
  sha256: string;
  stats: string;
  thumbnail: string;
  created_at: string;
  updated_at: string;
}

const toModel = (r: ModelRow): Model => ({
  id: r.id,
  owner_id: r.owner_id,
  name: r.name,
  published: fromFlag(r.published),
  look_id: r.look_id,
  layout_id: r.layout_id,
  overrides: fromJson<ConfigOverrides>(r.overrides),
  file_key: r.file_key,
  size_bytes: r.size_bytes,
  sha256: r.sha256,
  stats: fromJson<GlbStats>(r.stats),
  thumbnail: fromJson<ThumbnailState>(r.thumbnail),
  created_at: r.created_at,
  updated_at: r.updated_at,
});

const toRow = (m: Model): ModelRow => ({
  id: m.id,
  owner_id: m.owner_id,
  name: m.name,
  published: toFlag(m.published),
  look_id: m.look_id,
  layout_id: m.layout_id,
  overrides: toJson(m.overrides),
  file_key: m.file_key,
  size_bytes: m.size_bytes,
  sha256: m.sha256,
  stats: toJson(m.stats),
  thumbnail: toJson(m.thumbnail),
  created_at: m.created_at,
  updated_at: m.updated_at,
});

/** Largest page a caller can ask for; bigger requests are clamped, not refused. */
const MAX_PAGE = 500;

export class SqliteModelRepository implements ModelRepository {
  private readonly stmts;
  private readonly updater: PartialUpdate;
  private readonly insertChecked;

  constructor(db: SqliteDatabase) {
    this.stmts = {
      insert: db.prepare(
        `INSERT INTO models (id, owner_id, name, published, look_id, layout_id, overrides, file_key, size_bytes, sha256, stats, thumbnail, created_at, updated_at)
         VALUES (@id, @owner_id, @name, @published, @look_id, @layout_id, @overrides, @file_key, @size_bytes, @sha256, @stats, @thumbnail, @created_at, @updated_at)`,
      ),
      usage: db.prepare('SELECT COUNT(*) AS models, COALESCE(SUM(size_bytes), 0) AS bytes FROM models WHERE owner_id = ?'),
      owned: db.prepare('SELECT * FROM models WHERE id = ? AND owner_id = ?'),
      byId: db.prepare('SELECT * FROM models WHERE id = ?'),
      firstPage: db.prepare('SELECT * FROM models WHERE owner_id = ? ORDER BY created_at DESC, id DESC LIMIT ?'),
      // Row-value comparison keeps the (created_at, id) order total, so equal timestamps never
      // drop or repeat a row between pages.
      nextPage: db.prepare('SELECT * FROM models WHERE owner_id = ? AND (created_at, id) < (?, ?) ORDER BY created_at DESC, id DESC LIMIT ?'),
      idsByOwner: db.prepare('SELECT id FROM models WHERE owner_id = ? ORDER BY created_at DESC, id DESC'),
      byLook: db.prepare('SELECT * FROM models WHERE owner_id = ? AND look_id = ?'),
      delete: db.prepare('DELETE FROM models WHERE id = ? AND owner_id = ? RETURNING *'),
      // json_patch is RFC 7396 merge patch: a null member removes the key — our patch semantics.
      patchOverrides: db.prepare('UPDATE models SET overrides = json_patch(overrides, ?), updated_at = ? WHERE id = ? AND owner_id = ? RETURNING *'),
      reassign: db.prepare('UPDATE models SET owner_id = ? WHERE owner_id = ?'),
    };
    this.updater = new PartialUpdate(db, 'models', 'id = @w_id AND owner_id = @w_owner');
    this.insertChecked = db.transaction((row: ModelRow, quota: ModelQuota): QuotaInsertResult => {
      const usage = this.stmts.usage.get(row.owner_id) as { models: number; bytes: number };
      if (usage.models >= quota.maxModels) return { ok: false, limit: 'models' };
      if (usage.bytes + row.size_bytes > quota.maxTotalBytes) return { ok: false, limit: 'storage' };
      this.stmts.insert.run(row);
      return { ok: true };
    });
  }

  async insertWithinQuota(model: Model, quota: ModelQuota): Promise<QuotaInsertResult> {
    try {
      // IMMEDIATE takes the write lock before the usage read, so no other connection (or
      // process) can insert between our check and our insert.
      return this.insertChecked.immediate(toRow(model), quota);
    } catch (err) {
      rethrowMissingOwner(err);
    }
  }

  async findOwned(ownerId: string, id: string): Promise<Model | null> {
    const row = this.stmts.owned.get(id, ownerId) as ModelRow | undefined;
    return row ? toModel(row) : null;
  }

  async findById(id: string): Promise<Model | null> {
    const row = this.stmts.byId.get(id) as ModelRow | undefined;
    return row ? toModel(row) : null;
  }

  async list(ownerId: string, opts: { limit: number; cursor: string | null }): Promise<Page<Model>> {
    if (!Number.isInteger(opts.limit) || opts.limit < 1) throw new AppError('invalid_request', 'limit must be a positive integer.');
    const limit = Math.min(opts.limit, MAX_PAGE);
    // An empty cursor is the first page (`?cursor=` from a query string); garbage throws here.
    const after = opts.cursor ? decodeCursor(opts.cursor) : null;
    // One extra row tells us whether another page exists without a second query.
    const rows = (
      after ? this.stmts.nextPage.all(ownerId, after.created_at, after.id, limit + 1) : this.stmts.firstPage.all(ownerId, limit + 1)
    ) as ModelRow[];
    const items = rows.slice(0, limit).map(toModel);
    const last = items[items.length - 1];
    return { items, next_cursor: rows.length > limit && last ? encodeCursor(last) : null };
  }

  async listIdsByOwner(ownerId: string): Promise<string[]> {
    return (this.stmts.idsByOwner.all(ownerId) as { id: string }[]).map((r) => r.id);
  }

  async patchOverrides(ownerId: string, id: string, patch: Record<string, unknown>, now: string): Promise<Model | null> {
    const row = this.stmts.patchOverrides.get(JSON.stringify(patch), now, id, ownerId) as ModelRow | undefined;
    return row ? toModel(row) : null;
  }

  async listByLook(ownerId: string, lookId: string): Promise<Model[]> {
    return (this.stmts.byLook.all(ownerId, lookId) as ModelRow[]).map(toModel);
  }

  async update(
    ownerId: string,
    id: string,
    fields: Partial<Pick<Model, 'name' | 'published' | 'look_id' | 'layout_id' | 'overrides' | 'thumbnail'>>,
    now: string,
  ): Promise<Model | null> {
    const columns = definedOnly({
      name: fields.name,
      published: fields.published === undefined ? undefined : toFlag(fields.published),
      look_id: fields.look_id,
      layout_id: fields.layout_id,
      overrides: fields.overrides === undefined ? undefined : toJson(fields.overrides),
      thumbnail: fields.thumbnail === undefined ? undefined : toJson(fields.thumbnail),
      updated_at: now,
    });
    const row = this.updater.run<ModelRow>(columns, { w_id: id, w_owner: ownerId });
    return row ? toModel(row) : null;
  }

  async delete(ownerId: string, id: string): Promise<Model | null> {
    const row = this.stmts.delete.get(id, ownerId) as ModelRow | undefined;
    return row ? toModel(row) : null;
  }

  async usage(ownerId: string): Promise<{ models: number; bytes: number }> {
    const u = this.stmts.usage.get(ownerId) as { models: number; bytes: number };
    return { models: u.models, bytes: u.bytes };
  }

  async reassignOwner(fromOwnerId: string, toOwnerId: string): Promise<number> {
    try {
      return this.stmts.reassign.run(toOwnerId, fromOwnerId).changes;
    } catch (err) {
      rethrowMissingOwner(err);
    }
  }
}
