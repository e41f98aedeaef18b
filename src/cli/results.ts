/** Writing result rows: an aligned table for people, JSON lines or CSV for machines. */
import { csvStringify } from '../util/lazy-require.js';
import type { Row } from '../engine/row.js';
import { toJsonValue, toNumber, toText, valuesOf, type Scalar } from '../eval/value.js';
import { strftime } from '../eval/index.js';

export type ResultFormat = 'table' | 'json' | 'csv';
export const RESULT_FORMATS: readonly ResultFormat[] = ['table', 'json', 'csv'];

/**
 * Column order across rows: a field first seen in a later row is placed after the field that
 * precedes it in that row, so `table a, b, c` keeps a, b, c even when the first row lacks a.
 */
export function resultColumns(rows: readonly Row[]): string[] {
  const cols: string[] = [];
  const seen = new Set<string>();
  for (const r of rows) {
    let prev: string | null = null;
    for (const n of r.fieldNames()) {
      if (!seen.has(n)) {
        seen.add(n);
        cols.splice(prev === null ? 0 : cols.indexOf(prev) + 1, 0, n);
      }
      prev = n;
    }
  }
  return cols;
}

/**
 * Columns the table view shows: rows that still carry `_raw` are events, shown as Splunk's event
 * view does (`_time`, `_raw`) — pipe through `table` to pick fields. Other internal fields are
 * hidden unless the pipeline kept them explicitly (they are then the only columns, or `_time`).
 */
export function tableColumns(columns: readonly string[]): string[] {
  if (columns.includes('_raw')) return columns.filter((c) => c === '_time' || c === '_raw');
  return columns.slice();
}

export function jsonLines(rows: readonly Row[], columns: readonly string[]): string {
  return rows
    .map((r) => {
      const o: Record<string, unknown> = {};
      for (const c of columns) {
        const v = r.get(c);
        if (v !== null) o[c] = toJsonValue(v);
      }
      return JSON.stringify(o) + '\n';
    })
    .join('');
}

export function csvText(rows: readonly Row[], columns: readonly string[]): string {
  const records = rows.map((r) => columns.map((c) => valuesOf(r.get(c)).map(toText).join('\n')));
  return csvStringify().stringify([columns as string[], ...records]);
}

function truncate(s: string, width: number): string {
  if (s.length <= width) return s;
  return width <= 1 ? '…' : s.slice(0, width - 1) + '…';
}

/**
 * An aligned table; multivalues one value per line. Cells wider than their share of `maxWidth`
 * are cut with `…` (a column never gets less than 8 characters).
 */
export function tableText(rows: readonly Row[], columns: readonly string[], maxWidth: number, showTime: (t: Scalar) => string = toText): string {
  if (columns.length === 0) return rows.length === 0 ? '' : `${rows.length} row(s) with no fields\n`;
  const cell = (c: string, v: Scalar) => (c === '_time' ? showTime(v) : toText(v)).replace(/[\r\n\t]+/g, ' ');
  const cells = rows.map((r) => columns.map((c) => valuesOf(r.get(c)).map((v) => cell(c, v))));
  const natural = columns.map((c, i) => Math.max(c.length, ...cells.map((row) => Math.max(0, ...row[i]!.map((s) => s.length)))));
  const widths = fitWidths(natural, maxWidth - 2 * (columns.length - 1));
  const line = (parts: string[]) => parts.map((p, i) => (i === parts.length - 1 ? p : p.padEnd(widths[i]!))).join('  ').trimEnd();
  const out: string[] = [];
  out.push(line(columns.map((c, i) => truncate(c, widths[i]!))));
  out.push(line(widths.map((w) => '-'.repeat(w))));
  for (const row of cells) {
    const height = Math.max(1, ...row.map((v) => v.length));
    for (let k = 0; k < height; k++) out.push(line(row.map((v, i) => truncate(v[k] ?? '', widths[i]!))));
  }
  return out.join('\n') + '\n';
}

/** Shrinks the widest columns first until the total fits. */
export function fitWidths(natural: number[], budget: number): number[] {
  const widths = natural.slice();
  const min = 8;
  let total = widths.reduce((a, b) => a + b, 0);
  while (total > budget) {
    let widest = -1;
    for (let i = 0; i < widths.length; i++) if (widths[i]! > min && (widest < 0 || widths[i]! > widths[widest]!)) widest = i;
    if (widest < 0) break;
    const others = widths.reduce((m, w, i) => (i === widest ? m : Math.max(m, w)), min);
    const cut = Math.min(total - budget, widths[widest]! - Math.max(min, others === widths[widest] ? min : others));
    widths[widest]! -= Math.max(1, cut);
    total = widths.reduce((a, b) => a + b, 0);
  }
  return widths;
}

/** `_time` as the table shows it: ISO-8601 in the search's zone (epoch kept in json/csv output). */
export function timeShower(tz: string): (t: Scalar) => string {
  return (t) => {
    const n = toNumber(t);
    if (n === null) return toText(t);
    return strftime(n, Number.isInteger(n) ? '%Y-%m-%dT%H:%M:%S%z' : '%Y-%m-%dT%H:%M:%S.%3N%z', tz) ?? toText(t);
  };
}
