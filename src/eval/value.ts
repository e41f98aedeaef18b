/**
 * SPL values (SPL.md §1.1): a field is absent (null), a single value, or a multivalue.
 * SPL stores every value as text; Trailguard also lets a value be a JS number so that `_time`,
 * counts and eval arithmetic do not round-trip through strings. A number is always equivalent to
 * its canonical text (`formatNumber`), and every operation that looks at text must call `toText`.
 */

export type Scalar = string | number;
/** null = field absent. A multivalue array has length >= 2 once normalised by `mv()`. */
export type Value = null | Scalar | Scalar[];

const NUMERIC = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/;

/** SPL renders numbers without a trailing `.0` and without exponent for ordinary magnitudes. */
export function formatNumber(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : '-inf';
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return n.toFixed(0);
  const s = String(n);
  if (!s.includes('e')) return s;
  // Avoid JS exponent form for small/large non-integers; SPL prints plain decimals.
  return n.toFixed(20).replace(/\.?0+$/, '');
}

export function toText(s: Scalar): string {
  return typeof s === 'number' ? formatNumber(s) : s;
}

/** The number a scalar denotes, or null when its text is not numeric (SPL.md §3.3). */
export function toNumber(s: Scalar): number | null {
  if (typeof s === 'number') return Number.isNaN(s) ? null : s;
  if (s.length === 0 || s.length > 64 || !NUMERIC.test(s)) return null;
  return Number(s);
}

export function isNumeric(s: Scalar): boolean {
  return toNumber(s) !== null;
}

/** All values of a field as a list: null → [], single → [v], multivalue → its values. */
export function valuesOf(v: Value): Scalar[] {
  if (v === null || v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

/** Normalises a list of values into a Value: [] → null, [x] → x, otherwise the list. */
export function mv(values: readonly Scalar[]): Value {
  if (values.length === 0) return null;
  if (values.length === 1) return values[0]!;
  return values.slice();
}

/** The first value of a field (what single-value contexts see), or null. */
export function firstValue(v: Value): Scalar | null {
  if (v === null || v === undefined) return null;
  if (Array.isArray(v)) return v.length > 0 ? v[0]! : null;
  return v;
}

export function isMultivalue(v: Value): v is Scalar[] {
  return Array.isArray(v) && v.length > 1;
}

/** Text form used for display and output: multivalue joined by newline as Splunk's table does. */
export function displayText(v: Value, mvSeparator = '\n'): string {
  if (v === null || v === undefined) return '';
  if (Array.isArray(v)) return v.map(toText).join(mvSeparator);
  return toText(v);
}

/** JSON form for `--format json`: null, string, or array of strings. Numbers become their text. */
export function toJsonValue(v: Value): null | string | string[] {
  if (v === null || v === undefined) return null;
  if (Array.isArray(v)) return v.map(toText);
  return toText(v);
}
