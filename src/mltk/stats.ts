/** Small descriptive statistics shared by the MLTK commands, computed the way numpy does. */

/** Arithmetic mean (0 for an empty list). */
export function mean(xs: readonly number[]): number {
  if (xs.length === 0) return 0;
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

/** Standard deviation with `ddof` (0 = population, numpy's default; 1 = sample). Two-pass. */
export function std(xs: readonly number[], ddof = 0): number {
  const n = xs.length;
  if (n - ddof <= 0) return NaN;
  const m = mean(xs);
  let s = 0;
  for (const x of xs) s += (x - m) * (x - m);
  return Math.sqrt(s / (n - ddof));
}

export function minOf(xs: readonly number[]): number {
  let m = Infinity;
  for (const x of xs) if (x < m) m = x;
  return m;
}

export function maxOf(xs: readonly number[]): number {
  let m = -Infinity;
  for (const x of xs) if (x > m) m = x;
  return m;
}

/** numpy `allclose` against the first value, with MLTK's tolerances (MLTK.md §3.3 expon). */
export function allClose(xs: readonly number[]): boolean {
  const x1 = xs[0]!;
  return xs.every((x) => Math.abs(x - x1) <= 1e-8 + 1e-4 * Math.abs(x1));
}

/** The p-quantile (0 ≤ p ≤ 1) of sorted values by linear interpolation (numpy's default method). */
export function quantileSorted(sorted: readonly number[], p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/** Ascending numeric copy. */
export function sortedCopy(xs: readonly number[]): number[] {
  return xs.slice().sort((a, b) => a - b);
}

/** `numpy.linspace(a, b, n)` with both ends included. */
export function linspace(a: number, b: number, n: number): number[] {
  const out = new Array<number>(n);
  const step = (b - a) / (n - 1);
  for (let i = 0; i < n; i++) out[i] = a + i * step;
  out[n - 1] = b;
  return out;
}

/**
 * Finds x with f(x) = target for an increasing f, by bisection inside [lo, hi] (widened until it
 * brackets the target).
 */
export function invertIncreasing(f: (x: number) => number, target: number, lo: number, hi: number): number {
  let width = Math.max(hi - lo, 1);
  for (let i = 0; i < 200 && f(lo) > target; i++, width *= 2) lo -= width;
  for (let i = 0; i < 200 && f(hi) < target; i++, width *= 2) hi += width;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (mid === lo || mid === hi) break;
    if (f(mid) < target) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** A function tabulated on `m` evenly spaced points of [lo, hi]. */
export interface Table {
  xs: number[];
  ys: number[];
}

export function tabulate(f: (x: number) => number, lo: number, hi: number, m: number): Table {
  const xs = linspace(lo, hi, m);
  return { xs, ys: xs.map(f) };
}

/** The last index whose value satisfies `below` (binary search; `below` holds for a prefix, index 0 included). */
function lastIndexBelow(arr: readonly number[], below: (v: number) => boolean): number {
  let lo = 0;
  let hi = arr.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (below(arr[mid]!)) lo = mid;
    else hi = mid;
  }
  return lo;
}

/** Linear interpolation of a tabulated function at x (clamped to the table's ends). */
export function interpolate(t: Table, x: number): number {
  const { xs, ys } = t;
  if (x <= xs[0]!) return ys[0]!;
  if (x >= xs[xs.length - 1]!) return ys[ys.length - 1]!;
  const lo = lastIndexBelow(xs, (v) => v <= x);
  const hi = lo + 1;
  const w = (x - xs[lo]!) / (xs[hi]! - xs[lo]!);
  return ys[lo]! + w * (ys[hi]! - ys[lo]!);
}

/** x with f(x) = y for a tabulated non-decreasing f, by linear interpolation between table points. */
export function interpolateInverse(t: Table, y: number): number {
  const { xs, ys } = t;
  if (y <= ys[0]!) return xs[0]!;
  if (y >= ys[ys.length - 1]!) return xs[xs.length - 1]!;
  const lo = lastIndexBelow(ys, (v) => v < y);
  const hi = lo + 1;
  const span = ys[hi]! - ys[lo]!;
  return span > 0 ? xs[lo]! + ((y - ys[lo]!) / span) * (xs[hi]! - xs[lo]!) : xs[lo]!;
}
