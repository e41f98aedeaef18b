/**
 * Stats functions as mergeable accumulators (SPL.md §4.2).
 *
 * One accumulator holds the running state of one aggregate for one group. The engine feeds it
 * the field value of each row in encounter order; `merge(other)` folds in an accumulator that saw
 * the rows *after* this one's (chunk order), so partial aggregation in worker threads merged in
 * chunk order gives exactly the single-thread result. `toJSON()` gives plain data that
 * `AggregateFunction.fromJSON` turns back into an accumulator (for passing between threads).
 */
import type { Value } from '../../eval/value.js';

export interface Accumulator {
  /**
   * One input row's value of the aggregated field. Null (field absent) is ignored; a multivalue
   * contributes each of its values unless the function keeps whole values (earliest/latest,
   * first/last). `time` is the row's `_time` in epoch seconds, NaN when the row has none.
   */
  add(value: Value, time: number): void;
  /** `count` with no field: one row, whatever its fields. Only `count` implements it. */
  addRow?(time: number): void;
  /** Folds in `other`, whose rows come after this accumulator's rows. `other` is left unchanged. */
  merge(other: Accumulator): void;
  /** The aggregate of everything added so far (count/dc → 0 when empty, others null). */
  result(): Value;
  /** Plain JSON-able state; `AggregateFunction.fromJSON(state)` restores an equal accumulator. */
  toJSON(): unknown;
}

export interface AggregateFunction {
  /** Canonical lower-case name (`perc` for perc95/p95, `exactperc`, `upperperc`). */
  name: string;
  /** True when results depend on `_time` (earliest, latest, earliest_time, latest_time). */
  needsTime?: boolean;
  /** True for functions whose name carries a number (perc95): `param` is required. */
  takesParam?: boolean;
  /** True when merge is order-sensitive (first, last, list, mode ties): merge in chunk order. */
  orderSensitive?: boolean;
  create(param?: number): Accumulator;
  fromJSON(state: unknown, param?: number): Accumulator;
}
