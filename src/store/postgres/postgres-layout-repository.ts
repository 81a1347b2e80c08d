/** The owner's own layouts on Postgres (built-ins live in code); delete detaches like looks. */
import type { LayoutRepository } from '../../core/ports/repositories.js';
import type { Layout } from '../../core/types.js';
import { type ConfigRecord, PgOwnedConfigTable } from './owned-config-table.js';
import type { PgPool } from './pool.js';

const toLayout = (r: ConfigRecord): Layout => ({ ...r, builtin: false });

export class PostgresLayoutRepository implements LayoutRepository {
  private readonly table: PgOwnedConfigTable;

  constructor(pool: PgPool, s: string) {
    this.table = new PgOwnedConfigTable(pool, s, 'layouts', 'layout_id');
  }

  async insert(layout: Layout): Promise<void> {
    if (layout.owner_id === null || layout.builtin) throw new Error('Built-in layouts are defined in code, not stored');
    await this.table.insert({ ...layout, owner_id: layout.owner_id });
  }

  async findOwned(ownerId: string, id: string): Promise<Layout | null> {
    const r = await this.table.findOwned(ownerId, id);
    return r ? toLayout(r) : null;
  }

  async findById(id: string): Promise<Layout | null> {
    const r = await this.table.findById(id);
    return r ? toLayout(r) : null;
  }

  async list(ownerId: string): Promise<Layout[]> {
    return (await this.table.list(ownerId)).map(toLayout);
  }

  async update(ownerId: string, id: string, fields: Partial<Pick<Layout, 'name' | 'config'>>, now: string): Promise<Layout | null> {
    const r = await this.table.update(ownerId, id, fields, now);
    return r ? toLayout(r) : null;
  }

  delete(ownerId: string, id: string): Promise<boolean> {
    return this.table.delete(ownerId, id);
  }

  reassignOwner(fromOwnerId: string, toOwnerId: string): Promise<number> {
    return this.table.reassignOwner(fromOwnerId, toOwnerId);
  }
}
