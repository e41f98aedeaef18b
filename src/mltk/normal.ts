/**
 * The standard normal distribution. Φ comes from @stdlib (erfc-based, accurate to about one ulp,
 * which the KDE masses of MLTK.md §3.3 need); φ is its one-line formula; Φ⁻¹ is Wichura's AS241 (PPND16), the algorithm Python's
 * `statistics.NormalDist.inv_cdf` uses and MLTK.md §3.3 names, written here from the published
 * algorithm.
 */
import type StdlibCdf from '@stdlib/stats-base-dists-normal-cdf';
import { lazyRequire } from '../util/lazy-require.js';

const stdlibCdf = lazyRequire<typeof StdlibCdf>('@stdlib/stats-base-dists-normal-cdf');

/** Φ(z), the standard normal CDF. */
export function normCdf(z: number): number {
  return stdlibCdf()(z, 0, 1);
}

const INV_SQRT_2PI = 0.3989422804014327;

/** φ(z), the standard normal density. */
export function normPdf(z: number): number {
  return INV_SQRT_2PI * Math.exp(-0.5 * z * z);
}

/** Evaluates a polynomial with coefficients from the highest degree down (Horner). */
function poly(c: readonly number[], x: number): number {
  let r = 0;
  for (const k of c) r = r * x + k;
  return r;
}

// AS241 coefficients (Wichura 1988, Applied Statistics 37(3)), highest degree first.
const A = [2509.0809287301226727, 33430.575583588128105, 67265.770927008700853, 45921.953931549871457, 13731.693765509461125, 1971.5909503065514427, 133.14166789178437745, 3.387132872796366608];
const B = [5226.495278852545925, 28729.085735721942674, 39307.89580009271061, 21213.794301586595867, 5394.1960214247511077, 687.1870074920579083, 42.313330701600911252, 1.0];
const C = [7.7454501427834140764e-4, 0.0227238449892691845833, 0.24178072517745061177, 1.27045825245236838258, 3.64784832476320460504, 5.7694972214606914055, 4.6303378461565452959, 1.42343711074968357734];
const D = [1.05075007164441684324e-9, 5.475938084995344946e-4, 0.0151986665636164571966, 0.14810397642748007459, 0.68976733498510000455, 1.6763848301838038494, 2.05319162663775882187, 1.0];
const E = [2.01033439929228813265e-7, 2.71155556874348757815e-5, 0.0012426609473880784386, 0.026532189526576123093, 0.29656057182850489123, 1.7848265399172913358, 5.4637849111641143699, 6.6579046435011037772];
const F = [2.04426310338993978564e-15, 1.4215117583164458887e-7, 1.8463183175100546818e-5, 7.868691311456132591e-4, 0.0148753612908506148525, 0.13692988092273580531, 0.59983220655588793769, 1.0];

/** Φ⁻¹(p) for 0 < p < 1 (AS241 PPND16, about 1e-16 relative accuracy). */
export function normInv(p: number): number {
  if (!(p > 0 && p < 1)) {
    if (p === 0) return -Infinity;
    if (p === 1) return Infinity;
    return NaN;
  }
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (q * poly(A, r)) / poly(B, r);
  }
  let r = q <= 0 ? p : 1 - p;
  r = Math.sqrt(-Math.log(r));
  let x: number;
  if (r <= 5) {
    r -= 1.6;
    x = poly(C, r) / poly(D, r);
  } else {
    r -= 5;
    x = poly(E, r) / poly(F, r);
  }
  return q < 0 ? -x : x;
}
