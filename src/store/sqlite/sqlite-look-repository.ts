/** Looks on SQLite. Deleting one detaches it from the owner's models in the same transaction. */
import type { LookRepository } from '../../core/ports/repositories.js';
import type { Look } from '../../core/types.js';
import type { SqliteDatabase } from './connection.js';
import { OwnedConfigTable } from './owned-config-table.js';

export class SqliteLookRepository implements LookRepository {
  private readonly table: OwnedConfigTable;

  constructor(db: SqliteDatabase) {
    this.table = new OwnedConfigTable(db, 'looks', 'look_id');
  }

  async insert(look: Look): Promise<void> {
    this.table.insert(look);
  }

  async findOwned(ownerId: string, id: string): Promise<Look | null> {
    return this.table.findOwned(ownerId, id);
  }

  async findById(id: string): Promise<Look | null> {
    return this.table.findById(id);
  }

  async list(ownerId: string): Promise<Look[]> {
    return this.table.list(ownerId);
  }

  async update(ownerId: string, id: string, fields: Partial<Pick<Look, 'name' | 'config'>>, now: string): Promise<Look | null> {
    return this.table.update(ownerId, id, fields, now);
  }

  async delete(ownerId: string, id: string): Promise<boolean> {
    return this.table.delete(ownerId, id);
  }

  async reassignOwner(fromOwnerId: string, toOwnerId: string): Promise<number> {
    return this.table.reassignOwner(fromOwnerId, toOwnerId);
  }
}
