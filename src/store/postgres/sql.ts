/** Small SQL builders shared by the Postgres repositories. */
import type { Queryable } from './pool.js';

/** Drops undefined entries: in a partial update, absent means "leave unchanged". */
export function definedOnly(values: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(values)) if (v !== undefined) out[k] = v;
  return out;
}

/**
 * One `UPDATE … RETURNING *` (atomic, no read-modify-write); with no columns, a plain read so
 * the caller still gets the row. Column names come from repository code only, never from input.
 */
export async function partialUpdate<Row>(
  db: Queryable,
  table: string,
  columns: Record<string, unknown>,
  where: Record<string, string>,
): Promise<Row | null> {
  const names = Object.keys(columns).sort();
  const params: unknown[] = [];
  const bind = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const set = names.map((c) => `${c} = ${bind(columns[c])}`).join(', ');
  const cond = Object.entries(where)
    .map(([c, v]) => `${c} = ${bind(v)}`)
    .join(' AND ');
  const sql = names.length === 0 ? `SELECT * FROM ${table} WHERE ${cond}` : `UPDATE ${table} SET ${set} WHERE ${cond} RETURNING *`;
  const { rows } = await db.query(sql, params);
  return (rows[0] as Row | undefined) ?? null;
}

export const toJson = (value: unknown): string | null => (value === null || value === undefined ? null : JSON.stringify(value));
