/**
 * Row matching for the `lookup` command (SPL.md §7.4). The index is built once per table and
 * key-column list; `match` is called per result row.
 *
 * - Keys compare exactly and case-sensitively by default (`caseSensitive: false` lowercases both
 *   sides).
 * - A null event key, or a table row lacking a key cell, never matches.
 * - A multivalue event key matches a table row when any of its values does [verify]; with several
 *   multivalue keys, any combination of values. A multivalue table cell likewise matches on any
 *   of its values. Each table row is returned at most once, in table order.
 * - At most `maxMatches` rows (default 1000) are returned: the first ones in table order.
 * - `outputValues` builds the output fields: a single match gives its cells; several matches
 *   give multivalues of the matches' values in table order with duplicates removed [verify].
 */
import { mv, toText, valuesOf, type Scalar, type Value } from '../eval/value.js';
import type { LookupCell, LookupRow, LookupTable } from './table.js';

export const DEFAULT_MAX_MATCHES = 1000;

export interface LookupIndexOptions {
  caseSensitive?: boolean;
  maxMatches?: number;
}

export interface LookupIndex {
  readonly keyColumns: readonly string[];
  /** Table rows matching the key values (one Value per key column, in keyColumns order). */
  match(keyValues: readonly Value[]): LookupRow[];
}

// A separator that cannot occur in field text keeps composite keys unambiguous.
const SEP = '\u0000';

function cellValues(cell: LookupCell | undefined): string[] {
  if (cell === undefined) return [];
  return Array.isArray(cell) ? cell : [cell];
}

/** Every joined key for the given per-column value lists (cartesian product). */
function joinedKeys(perColumn: readonly string[][]): string[] {
  let keys = [''];
  perColumn.forEach((vals, i) => {
    const next: string[] = [];
    for (const k of keys) for (const v of vals) next.push(i === 0 ? v : k + SEP + v);
    keys = next;
  });
  return keys;
}

export function buildLookupIndex(
  table: LookupTable,
  keyColumns: readonly string[],
  opts: LookupIndexOptions = {},
): LookupIndex {
  const fold = opts.caseSensitive === false ? (s: string) => s.toLowerCase() : (s: string) => s;
  const maxMatches = opts.maxMatches ?? DEFAULT_MAX_MATCHES;
  // joined key → positions of matching table rows, ascending.
  const index = new Map<string, number[]>();
  table.rows.forEach((row, pos) => {
    const perColumn = keyColumns.map((c) => [...new Set(cellValues(row[c]).map(fold))]);
    if (perColumn.some((v) => v.length === 0)) return;
    for (const key of joinedKeys(perColumn)) {
      const list = index.get(key);
      if (list === undefined) index.set(key, [pos]);
      else if (list[list.length - 1] !== pos) list.push(pos);
    }
  });

  return {
    keyColumns,
    match(keyValues: readonly Value[]): LookupRow[] {
      const perColumn = keyColumns.map((_, i) => [
        ...new Set(valuesOf(keyValues[i] ?? null).map((v: Scalar) => fold(toText(v)))),
      ]);
      if (perColumn.some((v) => v.length === 0)) return [];
      const keys = joinedKeys(perColumn);
      if (keys.length === 1) {
        const hits = index.get(keys[0]!) ?? [];
        return hits.slice(0, maxMatches).map((p) => table.rows[p]!);
      }
      const positions = new Set<number>();
      for (const k of keys) for (const p of index.get(k) ?? []) positions.add(p);
      return [...positions]
        .sort((a, b) => a - b)
        .slice(0, maxMatches)
        .map((p) => table.rows[p]!);
    },
  };
}

/**
 * The value of output column `column` over the matched rows: null when no match has it, the
 * single value for one, otherwise a multivalue in table order without duplicates.
 */
export function outputValue(matches: readonly LookupRow[], column: string): Value {
  if (matches.length === 1) {
    const cell = matches[0]![column];
    return cell === undefined ? null : Array.isArray(cell) ? mv(cell) : cell;
  }
  const seen = new Set<string>();
  for (const m of matches) for (const v of cellValues(m[column])) seen.add(v);
  return mv([...seen]);
}
