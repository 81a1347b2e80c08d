/**
 * Looks and layouts share one shape (an owned, named config JSON) and are detached from models
 * the same way when deleted; this holds that shared SQL once, as on SQLite.
 */
import type { ConfigOverrides } from '../../core/scene/config-schema.js';
import { mapPgErrors } from './errors.js';
import { type PgPool, withTransaction } from './pool.js';
import { definedOnly, partialUpdate, toJson } from './sql.js';
import type { ConfigRecord } from '../row-mappers.js';

export type { ConfigRecord };

const toRecord = (r: ConfigRecord): ConfigRecord => ({
  id: r.id,
  owner_id: r.owner_id,
  name: r.name,
  config: r.config,
  created_at: r.created_at,
  updated_at: r.updated_at,
});

export class PgOwnedConfigTable {
  private readonly t: string;

  /** `modelColumn` is the models column that points at this table (look_id / layout_id). */
  constructor(
    private readonly pool: PgPool,
    private readonly s: string,
    table: 'looks' | 'layouts',
    private readonly modelColumn: 'look_id' | 'layout_id',
  ) {
    this.t = `${s}.${table}`;
  }

  async insert(r: ConfigRecord): Promise<void> {
    await mapPgErrors(() =>
      this.pool.query(`INSERT INTO ${this.t} (id, owner_id, name, config, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6)`, [
        r.id,
        r.owner_id,
        r.name,
        toJson(r.config),
        r.created_at,
        r.updated_at,
      ]),
    );
  }

  async findOwned(ownerId: string, id: string): Promise<ConfigRecord | null> {
    const { rows } = await this.pool.query<ConfigRecord>(`SELECT * FROM ${this.t} WHERE id = $1 AND owner_id = $2`, [id, ownerId]);
    return rows[0] ? toRecord(rows[0]) : null;
  }

  async findById(id: string): Promise<ConfigRecord | null> {
    const { rows } = await this.pool.query<ConfigRecord>(`SELECT * FROM ${this.t} WHERE id = $1`, [id]);
    return rows[0] ? toRecord(rows[0]) : null;
  }

  async list(ownerId: string): Promise<ConfigRecord[]> {
    const { rows } = await this.pool.query<ConfigRecord>(`SELECT * FROM ${this.t} WHERE owner_id = $1 ORDER BY created_at DESC, id DESC`, [ownerId]);
    return rows.map(toRecord);
  }

  async update(ownerId: string, id: string, fields: { name?: string; config?: ConfigOverrides }, now: string): Promise<ConfigRecord | null> {
    const columns = definedOnly({ name: fields.name, config: fields.config === undefined ? undefined : toJson(fields.config), updated_at: now });
    const row = await mapPgErrors(() => partialUpdate<ConfigRecord>(this.pool, this.t, columns, { id, owner_id: ownerId }));
    return row ? toRecord(row) : null;
  }

  /** Deletes and detaches in one transaction: showcases that used it fall back to the next layer. */
  async delete(ownerId: string, id: string): Promise<boolean> {
    return withTransaction(this.pool, async (c) => {
      const deleted = await c.query(`DELETE FROM ${this.t} WHERE id = $1 AND owner_id = $2`, [id, ownerId]);
      if (deleted.rowCount === 0) return false;
      await c.query(`UPDATE ${this.s}.models SET ${this.modelColumn} = NULL WHERE ${this.modelColumn} = $1 AND owner_id = $2`, [id, ownerId]);
      return true;
    });
  }

  async reassignOwner(fromOwnerId: string, toOwnerId: string): Promise<number> {
    const r = await mapPgErrors(() => this.pool.query(`UPDATE ${this.t} SET owner_id = $1 WHERE owner_id = $2`, [toOwnerId, fromOwnerId]));
    return r.rowCount ?? 0;
  }
}
