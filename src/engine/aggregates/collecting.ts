/** values, list (SPL.md §4.2; P-mvstats). */
import { compareLexical } from '../../eval/compare.js';
import { mv, toText, valuesOf, type Scalar, type Value } from '../../eval/value.js';
import type { Accumulator, AggregateFunction } from './types.js';

/** Splunk's list() keeps at most this many values. values() has no cap (§4.2 [verify]). */
export const LIST_CAP = 100;

/** values: distinct values by text, returned sorted lexicographically ("10" < "9"). */
class ValuesAcc implements Accumulator {
  constructor(public seen = new Set<string>()) {}
  add(value: Value): void {
    if (typeof value === 'string') this.seen.add(value); // the usual case, without an array
    else for (const v of valuesOf(value)) this.seen.add(toText(v));
  }
  merge(other: Accumulator): void {
    for (const v of (other as ValuesAcc).seen) this.seen.add(v);
  }
  result(): Value {
    return mv([...this.seen].sort(compareLexical));
  }
  toJSON(): unknown {
    return [...this.seen];
  }
}

/** list: every value in encounter order (duplicates kept), first LIST_CAP only. */
class ListAcc implements Accumulator {
  constructor(public items: Scalar[] = []) {}
  add(value: Value): void {
    for (const v of valuesOf(value)) {
      if (this.items.length >= LIST_CAP) return;
      this.items.push(v);
    }
  }
  merge(other: Accumulator): void {
    for (const v of (other as ListAcc).items) {
      if (this.items.length >= LIST_CAP) return;
      this.items.push(v);
    }
  }
  result(): Value {
    return mv(this.items);
  }
  toJSON(): unknown {
    return this.items;
  }
}

export const COLLECTING: AggregateFunction[] = [
  { name: 'values', create: () => new ValuesAcc(), fromJSON: (s) => new ValuesAcc(new Set(s as string[])) },
  {
    name: 'list',
    orderSensitive: true,
    create: () => new ListAcc(),
    fromJSON: (s) => new ListAcc((s as Scalar[]).slice()),
  },
];
