/**
 * sum, avg, var, varp, stdev, stdevp (SPL.md §4.2): numeric values only, non-numeric ignored;
 * a multivalue contributes each value. Sums are exactly rounded (ExactSum), so chunked and merged
 * aggregation equals single-thread aggregation bit for bit. The variance family keeps the values
 * and computes Σ(x−mean)² exactly at the end, for the same reason and to avoid the cancellation
 * of the Σx² − (Σx)²/n shortcut on large values such as `_time`.
 */
import { toNumber, valuesOf, type Value } from '../../eval/value.js';
import { ExactSum } from './exactsum.js';
import type { Accumulator, AggregateFunction } from './types.js';

const encode = (xs: number[]): Array<number | string> => xs.map((x) => (Number.isFinite(x) ? x : String(x)));
const decode = (xs: Array<number | string>): number[] => xs.map(Number);

function numbersOf(value: Value): number[] {
  const out: number[] = [];
  for (const v of valuesOf(value)) {
    const n = toNumber(v);
    if (n !== null) out.push(n);
  }
  return out;
}

class SumAcc implements Accumulator {
  constructor(
    private readonly mean: boolean,
    public sum = new ExactSum(),
    public n = 0,
  ) {}
  add(value: Value): void {
    for (const x of numbersOf(value)) {
      this.sum.add(x);
      this.n++;
    }
  }
  merge(other: Accumulator): void {
    const o = other as SumAcc;
    this.sum.addAll(o.sum);
    this.n += o.n;
  }
  result(): Value {
    if (this.n === 0) return null;
    const s = this.sum.value();
    return this.mean ? s / this.n : s;
  }
  toJSON(): unknown {
    return { p: encode(this.sum.partials), n: this.n };
  }
}

function summing(name: string, mean: boolean): AggregateFunction {
  return {
    name,
    create: () => new SumAcc(mean),
    fromJSON: (s) => {
      const st = s as { p: Array<number | string>; n: number };
      return new SumAcc(mean, ExactSum.from(decode(st.p)), st.n);
    },
  };
}

type Finish = (sumSquares: number, n: number) => number;

class VarianceAcc implements Accumulator {
  constructor(
    private readonly finish: Finish,
    public xs: number[] = [],
  ) {}
  add(value: Value): void {
    for (const x of numbersOf(value)) this.xs.push(x);
  }
  merge(other: Accumulator): void {
    for (const x of (other as VarianceAcc).xs) this.xs.push(x);
  }
  result(): Value {
    const n = this.xs.length;
    if (n === 0) return null;
    const total = new ExactSum();
    for (const x of this.xs) total.add(x);
    const mean = total.value() / n;
    const squares = new ExactSum();
    for (const x of this.xs) squares.add((x - mean) * (x - mean));
    return this.finish(squares.value(), n);
  }
  toJSON(): unknown {
    return encode(this.xs);
  }
}

function variance(name: string, finish: Finish): AggregateFunction {
  return {
    name,
    create: () => new VarianceAcc(finish),
    fromJSON: (s) => new VarianceAcc(finish, decode(s as Array<number | string>)),
  };
}

// Sample statistics of a single value are 0, not NaN (SPL.md §4.2 [verify]).
const sampleVar: Finish = (ss, n) => (n < 2 ? 0 : ss / (n - 1));
const populationVar: Finish = (ss, n) => ss / n;

export const MOMENTS: AggregateFunction[] = [
  summing('sum', false),
  summing('avg', true),
  variance('var', sampleVar),
  variance('varp', populationVar),
  variance('stdev', (ss, n) => Math.sqrt(sampleVar(ss, n))),
  variance('stdevp', (ss, n) => Math.sqrt(populationVar(ss, n))),
];
