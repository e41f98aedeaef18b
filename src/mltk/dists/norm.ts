/**
 * Normal (MLTK.md §3.3): MLE fit, μ = mean and σ = population standard deviation (scipy
 * `norm.fit`); σ = 0 becomes 1e-6. Boundaries from Φ⁻¹ (AS241): `threshold=t` puts t/2 in each
 * tail; `lower_threshold=a` / `upper_threshold=b` one tail each. Areas print unrounded.
 */
import { normCdf, normInv, normPdf } from '../normal.js';
import { pyFloat } from '../pyformat.js';
import { mean, std } from '../stats.js';
import type { FittedDist, OutlierRange, Threshold } from './types.js';

export function normFromParams(mu: number, sigma: number, data: readonly number[]): FittedDist {
  const lower = (a: number): OutlierRange => ({ lo: -Infinity, hi: mu + sigma * normInv(a), area: pyFloat(a) });
  const upper = (b: number): OutlierRange => ({ lo: mu + sigma * normInv(1 - b), hi: Infinity, area: pyFloat(b) });
  return {
    name: 'norm',
    pdf: (v) => normPdf((v - mu) / sigma) / sigma,
    cdf: (v) => normCdf((v - mu) / sigma),
    inv: (p) => mu + sigma * normInv(p),
    ranges(t: Threshold) {
      if (t.two !== undefined) return [lower(t.two / 2), upper(t.two / 2)];
      const out: OutlierRange[] = [];
      if (t.lower !== undefined) out.push(lower(t.lower));
      if (t.upper !== undefined) out.push(upper(t.upper));
      return out;
    },
    summaryMean: () => mu,
    summaryStd: () => sigma,
    other: () => 'N/A',
    sample: () => data,
    params: () => ({ mean: mu, std: sigma }),
  };
}

export function fitNorm(xs: readonly number[]): FittedDist {
  const sigma = std(xs, 0);
  return normFromParams(mean(xs), sigma === 0 ? 1e-6 : sigma, xs);
}
