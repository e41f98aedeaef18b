// Comparing result rows from two engines: each row becomes a tuple of canonical cell texts over the
// query's columns, and the two sides are compared as multisets (order does not matter; SQL and
// SPL sort differently). Numbers compare numerically (to 1e-6), so 3, "3" and 3.0 are equal.

const NUMERIC = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

export function canonicalCell(v) {
  if (v === null || v === undefined) return '∅';
  if (Array.isArray(v)) return `[${v.map(canonicalCell).sort().join('|')}]`;
  if (typeof v === 'number' || typeof v === 'bigint') return String(Math.round(Number(v) * 1e6) / 1e6);
  if (typeof v === 'string' && NUMERIC.test(v.trim())) return String(Math.round(Number(v) * 1e6) / 1e6);
  return String(v);
}

export function canonicalRows(objects, columns) {
  return objects.map((o) => JSON.stringify(columns.map((c) => canonicalCell(o[c])))).sort();
}

export function parseJsonLines(text) {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l));
}

/** Multiset difference both ways; `same` when neither side has a row the other lacks. */
export function compareRowSets(left, right) {
  const counts = new Map();
  for (const r of left) counts.set(r, (counts.get(r) ?? 0) + 1);
  for (const r of right) counts.set(r, (counts.get(r) ?? 0) - 1);
  const onlyLeft = [];
  const onlyRight = [];
  for (const [r, n] of counts) {
    for (let i = 0; i < n; i++) onlyLeft.push(r);
    for (let i = 0; i < -n; i++) onlyRight.push(r);
  }
  return { same: onlyLeft.length === 0 && onlyRight.length === 0, onlyLeft, onlyRight };
}
