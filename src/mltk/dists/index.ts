/** The DensityFunction distributions by name, the `auto` choice and the distance (MLTK.md §3.3–3.4). */
import { betaFromParams, fitBeta } from './beta.js';
import { exponFromParams, fitExpon } from './expon.js';
import { fitKde, kdeFromParams } from './kde.js';
import { fitNorm, normFromParams } from './norm.js';
import { sortedCopy } from '../stats.js';
import { DistributionFitError, type DistName, type FittedDist, type Metric } from './types.js';

export * from './types.js';

export const DIST_NAMES: readonly DistName[] = ['norm', 'expon', 'gaussian_kde', 'beta'];
/** `dist=auto` tries these in order (MLTK also tries beta; Trailguard leaves it out, MLTK.md §3.3). */
export const AUTO_CANDIDATES: readonly DistName[] = ['norm', 'expon', 'gaussian_kde'];

/** The names summary's `type` column shows. */
export const DIST_LABELS: Record<DistName, string> = { norm: 'Normal', expon: 'Exponential', gaussian_kde: 'Gaussian KDE', beta: 'Beta' };

const FITTERS: Record<DistName, (xs: readonly number[]) => FittedDist> = { norm: fitNorm, expon: fitExpon, gaussian_kde: fitKde, beta: fitBeta };

export function fitDist(name: DistName, xs: readonly number[]): FittedDist {
  return FITTERS[name](xs);
}

/**
 * Deterministic goodness of fit (MLTK.md §3.4; MLTK's is random): Wasserstein-1 between the sorted
 * values and the fitted quantiles at (i − 0.5)/n, or the one-sample Kolmogorov–Smirnov statistic.
 */
export function distance(d: FittedDist, metric: Metric): number {
  const xs = sortedCopy(d.sample());
  const n = xs.length;
  let acc = 0;
  if (metric === 'wasserstein') {
    const ps = xs.map((_, i) => (i + 0.5) / n);
    const qs = d.invMany ? d.invMany(ps) : ps.map((p) => d.inv(p));
    for (let i = 0; i < n; i++) acc += Math.abs(xs[i]! - qs[i]!);
    return acc / n;
  }
  const Fs = d.cdfMany ? d.cdfMany(xs) : xs.map((x) => d.cdf(x));
  for (let i = 0; i < n; i++) acc = Math.max(acc, (i + 1) / n - Fs[i]!, Fs[i]! - i / n);
  return acc;
}

/** `dist=auto`: every candidate that fits, the smallest distance wins, ties to the earlier one. */
export function fitAuto(xs: readonly number[], metric: Metric, exclude: readonly DistName[] = []): { dist: FittedDist; distance: number } {
  let best: { dist: FittedDist; distance: number } | undefined;
  for (const name of AUTO_CANDIDATES) {
    if (exclude.includes(name)) continue;
    let dist: FittedDist;
    try {
      dist = fitDist(name, xs);
    } catch (err) {
      if (err instanceof DistributionFitError) continue;
      throw err;
    }
    const dd = distance(dist, metric);
    if (!best || dd < best.distance) best = { dist, distance: dd };
  }
  if (!best) throw new DistributionFitError('no candidate distribution could be fitted');
  return best;
}

/** Rebuilds a fitted distribution from the parameters stored in a model document. */
export function distFromParams(name: DistName, p: Record<string, unknown>): FittedDist {
  const num = (k: string) => {
    const v = p[k];
    if (typeof v !== 'number') throw new Error(`parameter ${k} is missing`);
    return v;
  };
  switch (name) {
    case 'norm':
      return normFromParams(num('mean'), num('std'), []);
    case 'expon':
      return exponFromParams(num('loc'), num('scale'), []);
    case 'gaussian_kde': {
      const pts = p.points;
      if (!Array.isArray(pts) || !pts.every((x) => typeof x === 'number')) throw new Error('parameter points is missing');
      return kdeFromParams(pts as number[], num('bandwidth'));
    }
    case 'beta':
      return betaFromParams(num('alpha'), num('beta'), num('min'), num('max'), []);
  }
}
