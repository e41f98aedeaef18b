/** The one table shape every lookup kind reads into and writes from (SPL.md §7.1). */
import { toText, type Value } from '../eval/value.js';

/** A cell: a single value or a multivalue. An absent key means the cell is empty (null). */
export type LookupCell = string | string[];
export type LookupRow = Record<string, LookupCell>;

export interface LookupTable {
  /** Column names in order (CSV header order, or a collection's fields_list without `_key`). */
  columns: string[];
  rows: LookupRow[];
}

/** What `write` accepts: rows straight from results (numbers, nulls allowed). */
export interface WritableTable {
  columns: string[];
  rows: Array<Record<string, Value | undefined>>;
}

export function emptyTable(columns: string[] = []): LookupTable {
  return { columns, rows: [] };
}

/** Converts a result value to a cell: numbers to their SPL text, null/[] to absent. */
export function toCell(v: Value | undefined): LookupCell | undefined {
  if (v === null || v === undefined) return undefined;
  if (Array.isArray(v)) {
    if (v.length === 0) return undefined;
    return v.length === 1 ? toText(v[0]!) : v.map(toText);
  }
  return toText(v);
}

export function normaliseTable(t: WritableTable): LookupTable {
  const rows: LookupRow[] = t.rows.map((r) => {
    const out: LookupRow = {};
    for (const c of t.columns) {
      const cell = toCell(r[c]);
      if (cell !== undefined) out[c] = cell;
    }
    return out;
  });
  return { columns: t.columns.slice(), rows };
}

/** Columns of `a` followed by those of `b` not already in `a` (for append). */
export function unionColumns(a: readonly string[], b: readonly string[]): string[] {
  const out = a.slice();
  for (const c of b) if (!out.includes(c)) out.push(c);
  return out;
}
