/**
 * earliest/latest (by `_time`), earliest_time/latest_time, first/last (by encounter order)
 * (SPL.md §4.2). These keep the row's whole value, so a multivalue field stays multivalue.
 * Rows without a `_time` (time NaN) do not take part in the time-ordered functions.
 * Ties on `_time` go to the row encountered first (§4.2 [verify]).
 */
import type { Value } from '../../eval/value.js';
import type { Accumulator, AggregateFunction } from './types.js';

interface Pick {
  v: Value;
  t: number;
}

/** `better(candidate, current)`: true when the candidate replaces the current pick. */
type Better = (candidateTime: number, currentTime: number) => boolean;

class PickAcc implements Accumulator {
  constructor(
    private readonly better: Better,
    private readonly usesTime: boolean,
    private readonly output: (p: Pick) => Value,
    public pick: Pick | null = null,
  ) {}
  add(value: Value, time: number): void {
    if (value === null || value === undefined) return;
    if (Array.isArray(value) && value.length === 0) return;
    if (this.usesTime && Number.isNaN(time)) return;
    const t = this.usesTime ? time : 0;
    // Most rows do not replace the pick: no object for them.
    if (this.replaces(t)) this.pick = { v: value, t };
  }
  /** A candidate at time `t` takes the pick's place. */
  private replaces(t: number): boolean {
    return this.pick === null || this.better(t, this.pick.t);
  }
  merge(other: Accumulator): void {
    const p = (other as PickAcc).pick;
    if (p !== null && this.replaces(p.t)) this.pick = p;
  }
  result(): Value {
    return this.pick === null ? null : this.output(this.pick);
  }
  toJSON(): unknown {
    return this.pick;
  }
}

function picker(
  name: string,
  usesTime: boolean,
  better: Better,
  output: (p: Pick) => Value,
): AggregateFunction {
  return {
    name,
    needsTime: usesTime || undefined,
    orderSensitive: true,
    create: () => new PickAcc(better, usesTime, output),
    fromJSON: (s) => new PickAcc(better, usesTime, output, (s as Pick | null) ?? null),
  };
}

// Strict comparisons keep the first-encountered pick on ties; `first` never replaces, `last` always.
const earlier: Better = (c, cur) => c < cur;
const later: Better = (c, cur) => c > cur;
const value = (p: Pick): Value => p.v;
const time = (p: Pick): Value => p.t;

export const TEMPORAL: AggregateFunction[] = [
  picker('earliest', true, earlier, value),
  picker('latest', true, later, value),
  picker('earliest_time', true, earlier, time),
  picker('latest_time', true, later, time),
  picker('first', false, () => false, value),
  picker('last', false, () => true, value),
];
