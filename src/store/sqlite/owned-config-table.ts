/**
 * Looks and layouts are the same shape on disk (an owned, named config JSON) and are detached
 * from models the same way when deleted; this holds that shared SQL once.
 */
import type { ConfigOverrides } from '../../core/scene/config-schema.js';
import type { SqliteDatabase } from './connection.js';
import { rethrowMissingOwner } from './errors.js';
import { PartialUpdate } from './partial-update.js';
import { definedOnly, fromJson, toJson } from './values.js';
import type { ConfigRecord } from '../row-mappers.js';

export type { ConfigRecord };

interface ConfigRow {
  id: string;
  owner_id: string;
  name: string;
  config: string;
  created_at: string;
  updated_at: string;
}

const toRecord = (r: ConfigRow): ConfigRecord => ({
  id: r.id,
  owner_id: r.owner_id,
  name: r.name,
  config: fromJson<ConfigOverrides>(r.config),
  created_at: r.created_at,
  updated_at: r.updated_at,
});

export class OwnedConfigTable {
  private readonly stmts;
  private readonly updater: PartialUpdate;
  private readonly deleteAndDetach;

  /** `modelColumn` is the models column that points at this table (look_id / layout_id). */
  constructor(db: SqliteDatabase, table: 'looks' | 'layouts', modelColumn: 'look_id' | 'layout_id') {
    this.stmts = {
      insert: db.prepare(
        `INSERT INTO ${table} (id, owner_id, name, config, created_at, updated_at) VALUES (@id, @owner_id, @name, @config, @created_at, @updated_at)`,
      ),
      owned: db.prepare(`SELECT * FROM ${table} WHERE id = ? AND owner_id = ?`),
      byId: db.prepare(`SELECT * FROM ${table} WHERE id = ?`),
      list: db.prepare(`SELECT * FROM ${table} WHERE owner_id = ? ORDER BY created_at DESC, id DESC`),
      delete: db.prepare(`DELETE FROM ${table} WHERE id = ? AND owner_id = ?`),
      // Showcases that used it fall back to the next layer of the cascade.
      detach: db.prepare(`UPDATE models SET ${modelColumn} = NULL WHERE ${modelColumn} = ? AND owner_id = ?`),
      reassign: db.prepare(`UPDATE ${table} SET owner_id = ? WHERE owner_id = ?`),
    };
    this.updater = new PartialUpdate(db, table, 'id = @w_id AND owner_id = @w_owner');
    this.deleteAndDetach = db.transaction((ownerId: string, id: string): boolean => {
      if (this.stmts.delete.run(id, ownerId).changes === 0) return false;
      this.stmts.detach.run(id, ownerId);
      return true;
    });
  }

  insert(r: ConfigRecord): void {
    try {
      this.stmts.insert.run({ id: r.id, owner_id: r.owner_id, name: r.name, config: toJson(r.config), created_at: r.created_at, updated_at: r.updated_at });
    } catch (err) {
      rethrowMissingOwner(err);
    }
  }

  findOwned(ownerId: string, id: string): ConfigRecord | null {
    const row = this.stmts.owned.get(id, ownerId) as ConfigRow | undefined;
    return row ? toRecord(row) : null;
  }

  findById(id: string): ConfigRecord | null {
    const row = this.stmts.byId.get(id) as ConfigRow | undefined;
    return row ? toRecord(row) : null;
  }

  list(ownerId: string): ConfigRecord[] {
    return (this.stmts.list.all(ownerId) as ConfigRow[]).map(toRecord);
  }

  update(ownerId: string, id: string, fields: { name?: string; config?: ConfigOverrides }, now: string): ConfigRecord | null {
    const columns = definedOnly({
      name: fields.name,
      config: fields.config === undefined ? undefined : toJson(fields.config),
      updated_at: now,
    });
    const row = this.updater.run<ConfigRow>(columns, { w_id: id, w_owner: ownerId });
    return row ? toRecord(row) : null;
  }

  delete(ownerId: string, id: string): boolean {
    return this.deleteAndDetach.immediate(ownerId, id);
  }

  reassignOwner(fromOwnerId: string, toOwnerId: string): number {
    try {
      return this.stmts.reassign.run(toOwnerId, fromOwnerId).changes;
    } catch (err) {
      rethrowMissingOwner(err);
    }
  }
}
