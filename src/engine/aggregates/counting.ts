/** count, dc, mode (SPL.md §4.2). */
import { toText, valuesOf, type Value } from '../../eval/value.js';
import type { Accumulator, AggregateFunction } from './types.js';

/**
 * `count` = rows in the group; `count(x)` = values of x present, so a multivalue row counts once
 * per value (SPL.md §4.2 [verify]; asserted by a test named for the assumption).
 */
class CountAcc implements Accumulator {
  constructor(public n = 0) {}
  add(value: Value): void {
    this.n += value === null || value === undefined ? 0 : Array.isArray(value) ? value.length : 1;
  }
  addRow(): void {
    this.n++;
  }
  merge(other: Accumulator): void {
    this.n += (other as CountAcc).n;
  }
  result(): Value {
    return this.n;
  }
  toJSON(): unknown {
    return this.n;
  }
}

/** dc: distinct text forms ("1" and "1.0" differ, §4.2). */
class DistinctCountAcc implements Accumulator {
  constructor(public seen = new Set<string>()) {}
  add(value: Value): void {
    if (typeof value === 'string') this.seen.add(value); // the usual case, without an array
    else for (const v of valuesOf(value)) this.seen.add(toText(v));
  }
  merge(other: Accumulator): void {
    for (const v of (other as DistinctCountAcc).seen) this.seen.add(v);
  }
  result(): Value {
    return this.seen.size;
  }
  toJSON(): unknown {
    return [...this.seen];
  }
}

/** mode: the most frequent value (by text); ties go to the value seen first. */
class ModeAcc implements Accumulator {
  /** Insertion order = order of first appearance, which breaks ties. */
  constructor(public counts = new Map<string, number>()) {}
  add(value: Value): void {
    for (const v of valuesOf(value)) {
      const t = toText(v);
      this.counts.set(t, (this.counts.get(t) ?? 0) + 1);
    }
  }
  merge(other: Accumulator): void {
    for (const [t, n] of (other as ModeAcc).counts) this.counts.set(t, (this.counts.get(t) ?? 0) + n);
  }
  result(): Value {
    let best: string | null = null;
    let bestN = 0;
    for (const [t, n] of this.counts) {
      if (n > bestN) {
        best = t;
        bestN = n;
      }
    }
    return best;
  }
  toJSON(): unknown {
    return [...this.counts];
  }
}

export const COUNTING: AggregateFunction[] = [
  { name: 'count', create: () => new CountAcc(), fromJSON: (s) => new CountAcc(s as number) },
  {
    name: 'dc',
    create: () => new DistinctCountAcc(),
    fromJSON: (s) => new DistinctCountAcc(new Set(s as string[])),
  },
  {
    name: 'mode',
    orderSensitive: true,
    create: () => new ModeAcc(),
    fromJSON: (s) => new ModeAcc(new Map(s as Array<[string, number]>)),
  },
];
