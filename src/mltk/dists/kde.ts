/**
 * Gaussian KDE (MLTK.md §3.3): Scott's rule bandwidth (factor n^(−1/5) times the sample standard
 * deviation), boundaries by MLTK's level-set search on a 1000-point grid from 0.9·min to 1.1·max.
 * More than 10 000 points are reduced to 10 000 evenly spaced order statistics (MLTK draws a
 * random sample; Trailguard stays deterministic).
 */
import { normCdf, normPdf } from '../normal.js';
import { pyFloat, pyRound } from '../pyformat.js';
import { allClose, interpolate, interpolateInverse, invertIncreasing, linspace, maxOf, mean, minOf, sortedCopy, std, tabulate, type Table } from '../stats.js';
import { levelSetRanges, tailEnd } from './levelset.js';
import { DistributionFitError, type FittedDist, type OutlierRange, type Threshold } from './types.js';

export const MAX_KDE_POINTS = 10_000;

/** k evenly spaced order statistics of xs (all of them, in input order, when there are at most k). */
export function evenSubsample(xs: readonly number[], k: number): number[] {
  if (xs.length <= k) return xs.slice();
  const s = sortedCopy(xs);
  return Array.from({ length: k }, (_, i) => s[Math.floor(((i + 0.5) * s.length) / k)]!);
}

export function kdeFromParams(points: readonly number[], h: number): FittedDist {
  const n = points.length;
  const lo = minOf(points);
  const hi = maxOf(points);
  // Equal points share one kernel evaluation (counts — the usual feature — repeat a lot).
  const weights = new Map<number, number>();
  for (const x of points) weights.set(x, (weights.get(x) ?? 0) + 1);
  const xs = [...weights.keys()];
  const ws = [...weights.values()];
  const pdf = (v: number) => {
    let s = 0;
    for (let i = 0; i < xs.length; i++) s += ws[i]! * normPdf((v - xs[i]!) / h);
    return s / (n * h);
  };
  const cdf = (v: number) => {
    let s = 0;
    for (let i = 0; i < xs.length; i++) s += ws[i]! * normCdf((v - xs[i]!) / h);
    return s / n;
  };
  const mass = (a: number, b: number) => cdf(b) - cdf(a);
  let grid: { g: number[]; d: number[] } | undefined;
  const gridDens = () => {
    if (!grid) {
      const g = linspace(0.9 * lo, 1.1 * hi, 1000);
      grid = { g, d: g.map(pdf) };
    }
    return grid;
  };
  const area = (m: number) => pyFloat(pyRound(m, 4));
  // The CDF on 1025 points from 8 bandwidths below the data to 8 above, for the distance.
  let table: Table | undefined;
  const cdfTable = () => (table ??= tabulate(cdf, lo - 8 * h, hi + 8 * h, 1025));
  return {
    name: 'gaussian_kde',
    pdf,
    cdf,
    inv: (p) => invertIncreasing(cdf, p, lo - 10 * h, hi + 10 * h),
    cdfMany: (vs) => vs.map((v) => interpolate(cdfTable(), v)),
    invMany: (ps) => ps.map((p) => interpolateInverse(cdfTable(), p)),
    ranges(t: Threshold) {
      if (t.two !== undefined) {
        const { g, d } = gridDens();
        const found: OutlierRange[] = levelSetRanges(g, d, mass, t.two).map((r) => ({ lo: r.lo, hi: r.hi, area: area(r.mass) }));
        if (found.length > 0 && found[0]!.lo <= lo) found[0]!.lo = -Infinity;
        if (found.length > 0 && found[found.length - 1]!.hi >= hi) found[found.length - 1]!.hi = Infinity;
        return found;
      }
      const out: OutlierRange[] = [];
      const left = 0.9 * lo;
      const right = 1.1 * hi;
      if (t.lower !== undefined) {
        const r = tailEnd(left, right, (end) => mass(left, end), t.lower);
        out.push({ lo: -Infinity, hi: r.end, area: area(r.mass) });
      }
      if (t.upper !== undefined) {
        const r = tailEnd(right, left, (end) => mass(end, right), t.upper);
        out.push({ lo: r.end, hi: Infinity, area: area(r.mass) });
      }
      return out;
    },
    summaryMean: () => mean(points),
    summaryStd: () => std(points, 0),
    other: () => `bandwidth: ${pyFloat(n ** -0.2 * std(points, 0))}, parameter size: ${n}`,
    sample: () => points,
    params: () => ({ points: points.slice(), bandwidth: h }),
  };
}

export function fitKde(xs: readonly number[]): FittedDist {
  if (xs.length <= 1) throw new DistributionFitError('a Gaussian KDE needs at least two values');
  if (allClose(xs)) throw new DistributionFitError('all values are the same, so a Gaussian KDE cannot be fitted');
  const points = evenSubsample(xs, MAX_KDE_POINTS);
  return kdeFromParams(points, points.length ** -0.2 * std(points, 1));
}
