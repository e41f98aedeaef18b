/**
 * Beta (MLTK.md §3.3; current MLTK, unused by public detections). Values are normalised to
 * z = (x − min)/(max − min). MLTK fits α, β, loc and scale by MLE; Trailguard fits α and β by the
 * method of moments with loc 0 and scale 1 (a documented deviation). Boundaries come from the same
 * level-set search as the KDE on a grid over [0, 1], with the Beta pdf/cdf from @stdlib.
 */
import type BetaCdf from '@stdlib/stats-base-dists-beta-cdf';
import type BetaPdf from '@stdlib/stats-base-dists-beta-pdf';
import { lazyRequire } from '../../util/lazy-require.js';
import { pyFloat, pyRound } from '../pyformat.js';
import { allClose, interpolateInverse, invertIncreasing, linspace, maxOf, mean, minOf, std, tabulate, type Table } from '../stats.js';
import { levelSetRanges, tailEnd, type MassRange } from './levelset.js';
import { DistributionFitError, type FittedDist, type OutlierRange, type Threshold } from './types.js';

const loadBetaCdf = lazyRequire<typeof BetaCdf>('@stdlib/stats-base-dists-beta-cdf');
const loadBetaPdf = lazyRequire<typeof BetaPdf>('@stdlib/stats-base-dists-beta-pdf');

export function betaFromParams(alpha: number, beta: number, min: number, max: number, data: readonly number[]): FittedDist {
  const betaCdf = loadBetaCdf();
  const betaPdf = loadBetaPdf();
  const width = max - min;
  const z = (v: number) => (v - min) / width;
  const back = (u: number) => (Number.isFinite(u) ? u * width + min : u);
  const cdfZ = (u: number) => (u <= 0 ? 0 : u >= 1 ? 1 : betaCdf(u, alpha, beta));
  const massZ = (a: number, b: number) => cdfZ(b) - cdfZ(a);
  const area = (m: number) => pyFloat(pyRound(m, 4));
  const uShape = alpha <= 1 && beta <= 1;
  let table: Table | undefined;
  return {
    name: 'beta',
    pdf: (v) => betaPdf(z(v), alpha, beta),
    cdf: (v) => cdfZ(z(v)),
    inv: (p) => back(invertIncreasing(cdfZ, p, 0, 1)),
    invMany: (ps) => ps.map((p) => back(interpolateInverse((table ??= tabulate(cdfZ, 0, 1, 1025)), p))),
    ranges(t: Threshold) {
      let found: MassRange[] = [];
      if (t.two !== undefined) {
        const g = linspace(0, 1, 1000);
        found = levelSetRanges(g, g.map((u) => betaPdf(u, alpha, beta)), massZ, t.two, alpha < 1 && beta < 1 ? 100 : 0);
        if (!uShape && found.length > 0) {
          if (found[0]!.lo <= 0.01) found[0]!.lo = -Infinity;
          if (found[found.length - 1]!.hi >= 0.99) found[found.length - 1]!.hi = Infinity;
        }
      } else {
        if (t.lower !== undefined) {
          const r = tailEnd(0, 1, (end) => massZ(0, end), t.lower);
          found.push({ lo: -Infinity, hi: r.end, mass: r.mass });
        }
        if (t.upper !== undefined) {
          const r = tailEnd(1, 0, (end) => massZ(end, 1), t.upper);
          found.push({ lo: r.end, hi: Infinity, mass: r.mass });
        }
      }
      const out: OutlierRange[] = found.map((r) => ({ lo: back(r.lo), hi: back(r.hi), area: area(r.mass) }));
      if (alpha <= 1) out.unshift({ lo: -Infinity, hi: min, area: '0' });
      if (beta <= 1) out.push({ lo: max, hi: Infinity, area: '0' });
      return out;
    },
    summaryMean: () => 0,
    summaryStd: () => 1,
    other: () => `Alpha: ${pyFloat(alpha)}, Beta: ${pyFloat(beta)}`,
    sample: () => data,
    params: () => ({ alpha, beta, min, max }),
  };
}

export function fitBeta(xs: readonly number[]): FittedDist {
  if (xs.length <= 1 || allClose(xs)) throw new DistributionFitError('all values are the same, so a Beta distribution cannot be fitted');
  const min = minOf(xs);
  const max = maxOf(xs);
  const zs = xs.map((x) => (x - min) / (max - min));
  const m = mean(zs);
  const v = std(zs, 0) ** 2;
  const u = (m * (1 - m)) / v - 1;
  return betaFromParams(m * u, (1 - m) * u, min, max, xs);
}
