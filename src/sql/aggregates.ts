/**
 * Pushed stats: each SPL aggregate becomes SQL columns holding the *state* of the in-process
 * accumulator (src/engine/aggregates), and Trailguard rebuilds the accumulators from them
 * (GroupTable.fromJSON), so results, names, group order and value formatting come from the same
 * code as an in-process run (SCALEOUT.md §5.3: mergeable aggregates). Only mergeable functions whose
 * state SQL computes exactly are pushed: count, count(x), dc, values, min, max, earliest, latest,
 * earliest_time, latest_time. Others (sum/avg with exact rounding, first/last/list/mode/percentiles
 * that depend on encounter order or on every value) make the planner cut before the stats.
 */
import type { ResolvedAgg } from '../engine/aggregation.js';
import { formatNumber, type Value } from '../eval/value.js';
import { and, fn, isNotNull, lit, type Ex, type Kind, type Typed } from './ir.js';
import { isPresent, numberOf, unsupported } from './values.js';

export interface AggColumn {
  ex: Ex;
  /** What the column holds once decoded: a number, a text, or a list of texts. */
  kind: 'num' | 'text' | 'mv';
}

export interface AggPlan {
  columns: AggColumn[];
  /** Turns the decoded column values into the accumulator state, or `{ direct }` for a final value. */
  state(values: Value[]): { state: unknown } | { direct: Value };
}

const asText = (v: Value): string | null => (v === null ? null : typeof v === 'number' ? formatNumber(v) : Array.isArray(v) ? null : v);
const texts = (v: Value): string[] => (v === null ? [] : (Array.isArray(v) ? v : [v]).map((x) => (typeof x === 'number' ? formatNumber(x) : x)));
const num = (v: Value): number | null => (v === null ? null : typeof v === 'number' ? v : Number(v));

/** All values of a group: array_agg over text, or over the arrays flattened. */
function distinctValues(t: Typed): Ex {
  if (t.kind === 'mv') return fn('array_distinct', fn('flatten', { k: 'agg', fn: 'array_agg', args: [t.ex], filter: isPresent(t) }));
  return { k: 'agg', fn: 'array_agg', args: [t.ex], distinct: true, filter: isNotNull(t.ex) };
}

export function aggregatePlan(a: ResolvedAgg, arg: Typed | null, time: Typed): AggPlan {
  const name = a.fn.name;
  if (a.evalArg) return unsupported(`${name}(eval(…)) is not compiled to SQL`);
  if (name === 'count' && arg === null) {
    return { columns: [{ ex: { k: 'agg', fn: 'count_star', args: [] }, kind: 'num' }], state: ([n]) => ({ state: num(n!) ?? 0 }) };
  }
  if (arg === null) return unsupported(`${name} needs a field`);
  const present = isPresent(arg);
  switch (name) {
    case 'count': {
      // count(x) counts values: a multivalue row counts once per value (§4.2).
      const ex = arg.kind === 'mv' ? fn('coalesce', { k: 'agg', fn: 'sum', args: [fn('cardinality', arg.ex)] }, lit(0)) : { k: 'agg', fn: 'count', args: [arg.ex] } as Ex;
      return { columns: [{ ex, kind: 'num' }], state: ([n]) => ({ state: num(n!) ?? 0 }) };
    }
    case 'dc':
      if (arg.kind === 'text') return { columns: [{ ex: { k: 'agg', fn: 'count', args: [arg.ex], distinct: true }, kind: 'num' }], state: ([n]) => ({ direct: num(n!) ?? 0 }) };
      return { columns: [{ ex: distinctValues(arg), kind: 'mv' }], state: ([v]) => ({ state: texts(v!) }) };
    case 'values':
      return { columns: [{ ex: distinctValues(arg), kind: 'mv' }], state: ([v]) => ({ state: texts(v!) }) };
    case 'min':
    case 'max': {
      if (arg.kind === 'mv') return unsupported(`${name}() of a multivalue field is not compiled to SQL`);
      const agg = name as 'min' | 'max';
      // Numbers win over text (§4.2): the numeric extreme, and the text extreme of non-numbers.
      const n: Ex = arg.kind === 'num' ? { k: 'agg', fn: agg, args: [arg.ex] } : { k: 'agg', fn: agg, args: [numberOf(arg.ex)] };
      const cols: AggColumn[] = [{ ex: n, kind: 'num' }];
      if (arg.kind === 'text') cols.push({ ex: { k: 'agg', fn: agg, args: [arg.ex], filter: and(isNotNull(arg.ex), { k: 'isnull', e: numberOf(arg.ex), neg: false }) }, kind: 'text' });
      return {
        columns: cols,
        state: ([nv, tv]) => {
          const numV = num(nv ?? null);
          const textV = tv === undefined ? null : asText(tv);
          return { state: agg === 'min' ? { lowNum: numV, highNum: null, lowText: textV, highText: null } : { lowNum: null, highNum: numV, lowText: null, highText: textV } };
        },
      };
    }
    case 'earliest':
    case 'latest':
    case 'earliest_time':
    case 'latest_time': {
      const first = name.startsWith('earliest');
      const has = and(present, isNotNull(time.ex));
      const t: Ex = { k: 'agg', fn: first ? 'min' : 'max', args: [time.ex], filter: has };
      if (name.endsWith('_time')) return { columns: [{ ex: t, kind: 'num' }], state: ([tv]) => ({ state: tv === null ? null : { v: num(tv!), t: num(tv!) } }) };
      // The value of the row with the smallest (largest) _time; `earliest(_time)` is min(_time).
      const same = arg.ex.k === 'id' && time.ex.k === 'id' && arg.ex.parts.join('.') === time.ex.parts.join('.');
      const v: Ex = same ? t : { k: 'agg', fn: first ? 'min_by' : 'max_by', args: [arg.ex, time.ex], filter: has };
      const kind: Kind = arg.kind;
      return {
        columns: [{ ex: v, kind: kind === 'bool' ? 'text' : kind }, { ex: t, kind: 'num' }],
        state: ([vv, tv]) => (vv === null || tv === null ? { state: null } : { state: { v: vv, t: num(tv!) } }),
      };
    }
    default:
      return unsupported(`${name}() is not pushed to SQL (its result depends on row order or exact rounding); the stats runs in Trailguard`);
  }
}
