/**
 * min, max, range (SPL.md §4.2): values are compared as numbers when they parse as numbers,
 * otherwise by text; when a group has both, numbers win (min/max "process values as numbers
 * if possible"), so max of {3, "abc"} is 3 and max of {"abc", "abd"} is "abd".
 */
import { compareText } from '../../eval/compare.js';
import { toNumber, toText, valuesOf, type Value } from '../../eval/value.js';
import type { Accumulator, AggregateFunction } from './types.js';

interface Extremes {
  lowNum: number | null;
  highNum: number | null;
  lowText: string | null;
  highText: string | null;
}

class ExtremesAcc implements Accumulator {
  constructor(
    private readonly pick: (s: Extremes) => Value,
    public s: Extremes = { lowNum: null, highNum: null, lowText: null, highText: null },
  ) {}
  add(value: Value): void {
    for (const v of valuesOf(value)) {
      const n = toNumber(v);
      if (n !== null) this.addNumber(n);
      else this.addText(toText(v));
    }
  }
  private addNumber(n: number): void {
    const s = this.s;
    if (s.lowNum === null || n < s.lowNum) s.lowNum = n;
    if (s.highNum === null || n > s.highNum) s.highNum = n;
  }
  private addText(t: string): void {
    const s = this.s;
    if (s.lowText === null || compareText(t, s.lowText) < 0) s.lowText = t;
    if (s.highText === null || compareText(t, s.highText) > 0) s.highText = t;
  }
  merge(other: Accumulator): void {
    const o = (other as ExtremesAcc).s;
    if (o.lowNum !== null) this.addNumber(o.lowNum);
    if (o.highNum !== null) this.addNumber(o.highNum);
    if (o.lowText !== null) this.addText(o.lowText);
    if (o.highText !== null) this.addText(o.highText);
  }
  result(): Value {
    return this.pick(this.s);
  }
  toJSON(): unknown {
    return { ...this.s };
  }
}

function extremes(name: string, pick: (s: Extremes) => Value): AggregateFunction {
  return {
    name,
    create: () => new ExtremesAcc(pick),
    fromJSON: (state) => new ExtremesAcc(pick, { ...(state as Extremes) }),
  };
}

export const ORDERING: AggregateFunction[] = [
  extremes('min', (s) => s.lowNum ?? s.lowText),
  extremes('max', (s) => s.highNum ?? s.highText),
  // range is numeric only: text values do not take part.
  extremes('range', (s) => (s.lowNum === null || s.highNum === null ? null : s.highNum - s.lowNum)),
];
