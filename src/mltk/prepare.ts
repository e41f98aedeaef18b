/**
 * Data preparation shared by fit and apply (MLTK.md §3.2). MLTK hands the rows to pandas through
 * CSV, so a column's type is inferred over the whole column: the feature must be numeric wherever
 * it is set, by-fields must be strings, integers or booleans, and an integer column with a gap
 * turns float (an error for a by-field). Group values are canonicalised the same way in fit and
 * apply (`"04"` → 4), and groups sort as MLTK sorts them.
 */
import { TrailguardError } from '../errors.js';
import type { Row } from '../engine/row.js';
import { toNumber, toText, valuesOf, type Value } from '../eval/value.js';

export type GroupValue = string | number | boolean;
export type ByType = 'int' | 'str' | 'bool';

export interface PreparedRow {
  row: Row;
  /** The feature value, or null when the row is left out (null feature or by-field). */
  value: number | null;
  key: GroupValue[] | null;
}

export interface Prepared {
  rows: PreparedRow[];
  /** Every row has an integer feature value (pandas would type the column int64). */
  featureInteger: boolean;
  byTypes: ByType[];
}

const INT_TEXT = /^\s*[+-]?\d+\s*$/;
const BOOL_TEXT = /^(true|false)$/i;

function runtimeError(reason: string, hint: string): TrailguardError {
  return new TrailguardError({ code: 'E_MLTK_DATA', phase: 'runtime', reason, hints: [hint] });
}

/** The field's text, or null when absent or empty; a multivalue reads as its lines (as in CSV). */
function cellText(v: Value): string | null {
  const vals = valuesOf(v);
  if (vals.length === 0) return null;
  const text = vals.map(toText).join('\n');
  return text === '' ? null : text;
}

function isIntegerCell(v: Value): boolean {
  return typeof v === 'number' ? Number.isInteger(v) : typeof v === 'string' && INT_TEXT.test(v);
}

/** Reads feature and by-fields of every row; throws MLTK's errors for unusable columns. */
export function prepareRows(rows: readonly Row[], feature: string, by: readonly string[]): Prepared {
  const values: (number | null)[] = [];
  let featureSeen = false;
  let featureInteger = rows.length > 0;
  for (const row of rows) {
    const raw = row.get(feature);
    const text = cellText(raw);
    if (text === null) {
      values.push(null);
      featureInteger = false;
      continue;
    }
    featureSeen = true;
    const n = Array.isArray(raw) ? null : toNumber(raw as string | number);
    if (n === null) {
      throw runtimeError(`Feature "${feature}" is not a numeric type (value "${text.length > 40 ? text.slice(0, 40) + '…' : text}")`, `DensityFunction models numbers: convert the field (eval ${feature}=tonumber(${feature})) or filter out the rows that are not numbers`);
    }
    if (!isIntegerCell(raw)) featureInteger = false;
    values.push(n);
  }
  if (rows.length > 0 && !featureSeen) throw runtimeError(`Field "${feature}" is empty in every row`, `check that the search produces "${feature}" before fit/apply`);

  const byTypes: ByType[] = [];
  const keys: (GroupValue | null)[][] = rows.map(() => []);
  for (const f of by) {
    const texts = rows.map((r) => cellText(r.get(f)));
    const present = texts.filter((t): t is string => t !== null);
    if (rows.length > 0 && present.length === 0) throw runtimeError(`By-field "${f}" is empty in every row`, `check that the search produces "${f}" before fit/apply`);
    let type: ByType = 'str';
    if (present.length > 0 && present.every((t) => toNumber(t) !== null)) {
      const decimal = present.find((t) => !INT_TEXT.test(t));
      if (decimal !== undefined) throw runtimeError(`By-field "${f}" holds decimal numbers (for example ${decimal}); by-fields must be strings, integers or booleans`, `round it (eval ${f}=round(${f})) or turn it into text`);
      if (present.length < texts.length) throw runtimeError(`By-field "${f}" holds integers but is empty in some rows, which makes the column decimal in MLTK`, `fill the gaps (fillnull value=0 ${f}) or drop those rows first`);
      type = 'int';
    } else if (present.length > 0 && present.every((t) => BOOL_TEXT.test(t))) type = 'bool';
    byTypes.push(type);
    texts.forEach((t, i) => keys[i]!.push(t === null ? null : canonical(t, type)));
  }
  return {
    rows: rows.map((row, i) => {
      const k = keys[i]!;
      const ok = values[i] !== null && k.every((x) => x !== null);
      return { row, value: ok ? values[i]! : null, key: ok ? (k as GroupValue[]) : null };
    }),
    featureInteger,
    byTypes,
  };
}

function canonical(text: string, type: ByType): GroupValue {
  if (type === 'int') return Number(text);
  if (type === 'bool') return text.toLowerCase() === 'true';
  return text;
}

export function groupId(key: readonly GroupValue[]): string {
  return JSON.stringify(key);
}

function compareValue(a: GroupValue, b: GroupValue): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  const sa = String(a);
  const sb = String(b);
  // Code point order (JS string comparison is UTF-16 code unit order).
  const ca = [...sa];
  const cb = [...sb];
  for (let i = 0; i < Math.min(ca.length, cb.length); i++) {
    const d = ca[i]!.codePointAt(0)! - cb[i]!.codePointAt(0)!;
    if (d !== 0) return d;
  }
  return ca.length - cb.length;
}

/** MLTK's group order: ascending by the by-value tuple (MLTK.md §3.2.6). */
export function compareKeys(a: readonly GroupValue[], b: readonly GroupValue[]): number {
  for (let i = 0; i < a.length; i++) {
    const d = compareValue(a[i]!, b[i]!);
    if (d !== 0) return d;
  }
  return 0;
}

/** A by-value as it appears in output rows: integers stay numbers, booleans print as Python does. */
export function groupValueCell(v: GroupValue): string | number {
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  return v;
}
