/**
 * The stats function registry (SPL.md §4.2). Commands (stats, eventstats, streamstats, tstats)
 * look functions up by name and drive their accumulators; no command logic lives here.
 */
import { COLLECTING } from './collecting.js';
import { COUNTING } from './counting.js';
import { MOMENTS } from './moments.js';
import { ORDERING } from './ordering.js';
import { PERCENTILES } from './percentiles.js';
import { TEMPORAL } from './temporal.js';
import type { AggregateFunction } from './types.js';

export type { Accumulator, AggregateFunction } from './types.js';
export { LIST_CAP } from './collecting.js';

export const AGGREGATES: ReadonlyMap<string, AggregateFunction> = new Map(
  [...COUNTING, ...COLLECTING, ...ORDERING, ...TEMPORAL, ...MOMENTS, ...PERCENTILES].map((f) => [f.name, f]),
);

/** Other spellings SPL accepts for the same function. */
const ALIASES: Record<string, string> = {
  c: 'count',
  distinct_count: 'dc',
  mean: 'avg',
  p: 'perc',
};

/** `perc95`, `p95`, `exactperc99.9`, `upperperc5` → prefix and number. */
const PERCENT_FORM = /^(perc|p|exactperc|upperperc)(\d+(?:\.\d+)?)$/;

/** Splits a written function name into its registry name and numeric parameter (perc95 → perc, 95). */
export function parseAggregateName(written: string): { name: string; param?: number } {
  const lower = written.toLowerCase();
  const m = PERCENT_FORM.exec(lower);
  if (m) return { name: ALIASES[m[1]!] ?? m[1]!, param: Number(m[2]) };
  return { name: ALIASES[lower] ?? lower };
}

/**
 * The function for a written name (case-insensitive), or undefined. Accepts `perc95`/`p95` forms:
 * the returned function then has the percentile bound, so `create()` needs no param.
 * `getAggregate('perc', 95)` is equivalent (the AST's AggCall has fn 'perc', param 95).
 */
export function getAggregate(written: string, param?: number): AggregateFunction | undefined {
  const parsed = parseAggregateName(written);
  const fn = AGGREGATES.get(parsed.name);
  if (fn === undefined) return undefined;
  const bound = parsed.param ?? param;
  if (bound === undefined || !fn.takesParam) return fn;
  return {
    ...fn,
    create: () => fn.create(bound),
    fromJSON: (state) => fn.fromJSON(state, bound),
  };
}

/** Every accepted function name (for "did you mean …?" suggestions). */
export function aggregateNames(): string[] {
  return [...AGGREGATES.keys(), ...Object.keys(ALIASES)].sort();
}
