/**
 * Exponential (MLTK.md §3.3): scipy `expon.fit` MLE, loc = min, scale = mean − min; fails when all
 * values are (all)close. One-sided upper boundary loc − scale·ln(t); current MLTK also flags values
 * below the training minimum ([−∞, min, 0]). loc and scale are what summary shows as mean and std.
 */
import { pyFloat, pyRound } from '../pyformat.js';
import { allClose, mean, minOf } from '../stats.js';
import { DistributionFitError, type FittedDist, type OutlierRange, type Threshold } from './types.js';

export function exponFromParams(loc: number, scale: number, data: readonly number[]): FittedDist {
  const upper = (b: number): OutlierRange => ({ lo: loc - scale * Math.log(b), hi: Infinity, area: pyFloat(pyRound(b, 4)) });
  return {
    name: 'expon',
    pdf: (v) => (v < loc ? 0 : Math.exp(-(v - loc) / scale) / scale),
    cdf: (v) => (v < loc ? 0 : -Math.expm1(-(v - loc) / scale)),
    inv: (p) => loc - scale * Math.log1p(-p),
    ranges(t: Threshold) {
      const out: OutlierRange[] = [{ lo: -Infinity, hi: loc, area: '0', hiIsMin: true }];
      const b = t.two ?? t.upper;
      if (b !== undefined) out.push(upper(b));
      return out;
    },
    summaryMean: () => loc,
    summaryStd: () => scale,
    other: () => 'N/A',
    sample: () => data,
    params: () => ({ loc, scale }),
  };
}

export function fitExpon(xs: readonly number[]): FittedDist {
  if (allClose(xs)) throw new DistributionFitError('all values are the same, so an exponential distribution cannot be fitted');
  const loc = minOf(xs);
  return exponFromParams(loc, mean(xs) - loc, xs);
}
