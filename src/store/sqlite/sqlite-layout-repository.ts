/**
 * The owner's own layouts on SQLite (built-ins live in code). Deleting one detaches it from the
 * owner's models in the same transaction, like looks, so no showcase points at a missing layout.
 */
import type { LayoutRepository } from '../../core/ports/repositories.js';
import type { Layout } from '../../core/types.js';
import type { SqliteDatabase } from './connection.js';
import { type ConfigRecord, OwnedConfigTable } from './owned-config-table.js';

const toLayout = (r: ConfigRecord): Layout => ({ ...r, builtin: false });

export class SqliteLayoutRepository implements LayoutRepository {
  private readonly table: OwnedConfigTable;

  constructor(db: SqliteDatabase) {
    this.table = new OwnedConfigTable(db, 'layouts', 'layout_id');
  }

  async insert(layout: Layout): Promise<void> {
    if (layout.owner_id === null || layout.builtin) throw new Error('Built-in layouts are defined in code, not stored');
    this.table.insert({ ...layout, owner_id: layout.owner_id });
  }

  async findOwned(ownerId: string, id: string): Promise<Layout | null> {
    const r = this.table.findOwned(ownerId, id);
    return r ? toLayout(r) : null;
  }

  async findById(id: string): Promise<Layout | null> {
    const r = this.table.findById(id);
    return r ? toLayout(r) : null;
  }

  async list(ownerId: string): Promise<Layout[]> {
    return this.table.list(ownerId).map(toLayout);
  }

  async update(ownerId: string, id: string, fields: Partial<Pick<Layout, 'name' | 'config'>>, now: string): Promise<Layout | null> {
    const r = this.table.update(ownerId, id, fields, now);
    return r ? toLayout(r) : null;
  }

  async delete(ownerId: string, id: string): Promise<boolean> {
    return this.table.delete(ownerId, id);
  }

  async reassignOwner(fromOwnerId: string, toOwnerId: string): Promise<number> {
    return this.table.reassignOwner(fromOwnerId, toOwnerId);
  }
}
