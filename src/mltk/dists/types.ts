/** What every DensityFunction distribution offers (MLTK.md §3.3–3.4, §3.8). */

export type DistName = 'norm' | 'expon' | 'gaussian_kde' | 'beta';

/** One outlier threshold as asked: two-sided `threshold`, or `lower_threshold`/`upper_threshold`. */
export interface Threshold {
  two?: number;
  lower?: number;
  upper?: number;
}

/**
 * An outlier range: a value v with lo < v < hi is an outlier. `area` is the probability mass the
 * range stands for, already as MLTK prints it; `hiIsMin` marks a bound that is the training minimum
 * (printed like the training column: `2`, not `2.0`).
 */
export interface OutlierRange {
  lo: number;
  hi: number;
  area: string;
  hiIsMin?: boolean;
}

export type Metric = 'wasserstein' | 'kolmogorov_smirnov';

export interface FittedDist {
  readonly name: DistName;
  pdf(v: number): number;
  cdf(v: number): number;
  /** Inverse CDF, for the deterministic distance. */
  inv(p: number): number;
  /**
   * Many CDF / inverse-CDF values at once, where one call per value would cost too much (a KDE's
   * CDF sums over every point): from a fine table, interpolated. Absent = call cdf/inv per value.
   */
  cdfMany?(vs: readonly number[]): number[];
  invMany?(ps: readonly number[]): number[];
  ranges(t: Threshold): OutlierRange[];
  /** The values summary shows as `mean`, `std` and `other` (MLTK.md §3.8). */
  summaryMean(): number;
  summaryStd(): number;
  other(): string;
  /** The values the distance is measured on (KDE: its possibly subsampled points). */
  sample(): readonly number[];
  /** Parameters to store in the model document. */
  params(): Record<string, unknown>;
}

/** Thrown when a distribution cannot be fitted to a group (all values equal, too few points). */
export class DistributionFitError extends Error {}
