/** Conversions between domain values and SQLite column values (JSON as TEXT, booleans as 0/1). */

export const toJson = (value: unknown): string => JSON.stringify(value);

export const fromJson = <T>(text: string | null): T => (text === null ? null : JSON.parse(text)) as T;

export const toFlag = (value: boolean): 0 | 1 => (value ? 1 : 0);

export const fromFlag = (value: number): boolean => value === 1;

/** Drops undefined entries: in a partial update, absent means "leave unchanged". */
export function definedOnly(values: Record<string, string | number | null | undefined>): Record<string, string | number | null> {
  const out: Record<string, string | number | null> = {};
  for (const [k, v] of Object.entries(values)) if (v !== undefined) out[k] = v;
  return out;
}
