/**
 * median, perc<N>, exactperc<N>, upperperc<N> (numeric values only; multivalue contributes each).
 *
 * Trailguard computes all of them exactly (Splunk approximates perc/upperperc on large
 * cardinalities; on the small groups of detections its results are exact). Choice, documented
 * and tested: with the n values sorted ascending, the N-th percentile sits at rank
 * r = N/100 × (n − 1) (0-based); perc/exactperc interpolate linearly between the values at
 * floor(r) and ceil(r); upperperc returns the value at ceil(r); median = perc50. [verify against
 * Splunk: its median of an even-sized group may be a middle value rather than their mean.]
 */
import { toNumber, valuesOf, type Value } from '../../eval/value.js';
import type { Accumulator, AggregateFunction } from './types.js';

type Rank = (sorted: number[], rank: number) => number;

const interpolate: Rank = (s, r) => {
  const lo = Math.floor(r);
  const hi = Math.ceil(r);
  return lo === hi ? s[lo]! : s[lo]! + (s[hi]! - s[lo]!) * (r - lo);
};
const upper: Rank = (s, r) => s[Math.ceil(r)]!;

class PercentileAcc implements Accumulator {
  constructor(
    private readonly percent: number,
    private readonly at: Rank,
    public xs: number[] = [],
  ) {}
  add(value: Value): void {
    for (const v of valuesOf(value)) {
      const n = toNumber(v);
      if (n !== null) this.xs.push(n);
    }
  }
  merge(other: Accumulator): void {
    for (const x of (other as PercentileAcc).xs) this.xs.push(x);
  }
  result(): Value {
    if (this.xs.length === 0) return null;
    const sorted = this.xs.slice().sort((a, b) => a - b);
    const p = Math.min(100, Math.max(0, this.percent));
    return this.at(sorted, (p / 100) * (sorted.length - 1));
  }
  toJSON(): unknown {
    return this.xs;
  }
}

function percentile(name: string, at: Rank, fixed?: number): AggregateFunction {
  const pct = (param?: number): number => {
    const p = fixed ?? param;
    if (p === undefined || !Number.isFinite(p)) throw new Error(`${name} needs a percentile, e.g. ${name}95`);
    return p;
  };
  return {
    name,
    takesParam: fixed === undefined || undefined,
    create: (param) => new PercentileAcc(pct(param), at),
    fromJSON: (s, param) => new PercentileAcc(pct(param), at, (s as number[]).slice()),
  };
}

export const PERCENTILES: AggregateFunction[] = [
  percentile('median', interpolate, 50),
  percentile('perc', interpolate),
  percentile('exactperc', interpolate),
  percentile('upperperc', upper),
];
