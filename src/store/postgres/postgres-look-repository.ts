/** Looks on Postgres. Deleting one detaches it from the owner's models in the same transaction. */
import type { LookRepository } from '../../core/ports/repositories.js';
import type { Look } from '../../core/types.js';
import { PgOwnedConfigTable } from './owned-config-table.js';
import type { PgPool } from './pool.js';

export class PostgresLookRepository implements LookRepository {
  private readonly table: PgOwnedConfigTable;

  constructor(pool: PgPool, s: string) {
    this.table = new PgOwnedConfigTable(pool, s, 'looks', 'look_id');
  }

  insert(look: Look): Promise<void> {
    return this.table.insert(look);
  }

  findOwned(ownerId: string, id: string): Promise<Look | null> {
    return this.table.findOwned(ownerId, id);
  }

  findById(id: string): Promise<Look | null> {
    return this.table.findById(id);
  }

  list(ownerId: string): Promise<Look[]> {
    return this.table.list(ownerId);
  }

  update(ownerId: string, id: string, fields: Partial<Pick<Look, 'name' | 'config'>>, now: string): Promise<Look | null> {
    return this.table.update(ownerId, id, fields, now);
  }

  delete(ownerId: string, id: string): Promise<boolean> {
    return this.table.delete(ownerId, id);
  }

  reassignOwner(fromOwnerId: string, toOwnerId: string): Promise<number> {
    return this.table.reassignOwner(fromOwnerId, toOwnerId);
  }
}
