/**
 * Grouping and aggregation shared by stats, eventstats, streamstats and tstats (SPL.md §4.1):
 * resolves aggregate calls (default names, `as`, field wildcards), computes group keys (a null
 * by-field drops the row unless a fill value is given; multivalue by-fields put the row in one
 * group per value, cartesian across fields), and orders groups by their by-values (compareAuto).
 * The accumulators themselves come from engine/aggregates.
 */
import type { AggCall, Expr } from '../spl/ast.js';
import { TrailguardError } from '../errors.js';
import { getAggregate, aggregateNames, type Accumulator, type AggregateFunction } from './aggregates/index.js';
import { compileExpr, type EvalContext } from '../eval/index.js';
import { compareAuto } from '../eval/compare.js';
import { firstValue, toNumber, toText, valuesOf, type Scalar, type Value } from '../eval/value.js';
import { Row, type EvidenceSample } from './row.js';
import { hasWildcard, matchWildcard, substituteWildcard } from './wildcard.js';

export interface ResolvedAgg {
  /** Output field name. */
  name: string;
  /** Input field, or null for bare `count`. */
  field: string | null;
  fn: AggregateFunction;
  /** `count(eval(…))` style argument. */
  evalArg?: (row: Row, ctx: EvalContext) => Value | boolean;
}

function lookupFn(call: AggCall): AggregateFunction {
  const fn = getAggregate(call.fn, call.param);
  if (!fn) {
    const names = aggregateNames();
    const near = names.filter((n) => n.startsWith(call.fn.slice(0, 2))).slice(0, 3);
    throw new TrailguardError({
      code: 'E_UNKNOWN_AGGREGATE',
      phase: 'plan',
      span: call.span,
      reason: `unknown aggregate function \`${call.fn}\``,
      hints: near.length ? [`did you mean ${near.map((n) => `\`${n}\``).join(' or ')}?`] : [`known functions: ${names.join(', ')}`],
    });
  }
  if (fn.takesParam && call.param === undefined && !/\d/.test(call.fn)) {
    throw new TrailguardError({ code: 'E_AGGREGATE_PARAM', phase: 'plan', span: call.span, reason: `\`${call.fn}\` needs a number, e.g. perc95(x)` });
  }
  return fn;
}

/** Calls that can be resolved without seeing the data (no wildcard in the field). */
export function hasWildcardAgg(calls: readonly AggCall[]): boolean {
  return calls.some((c) => c.field !== null && hasWildcard(c.field));
}

/** Checks every function name at plan time (so a typo fails before any data is read). */
export function checkAggs(calls: readonly AggCall[]): void {
  for (const c of calls) lookupFn(c);
}

/**
 * Resolves calls into concrete aggregates. `names` lists the input's field names (needed only
 * for wildcard arguments: `values(requestParameters.*) as *` → one aggregate per matching field).
 */
export function resolveAggs(calls: readonly AggCall[], names: () => string[] = () => []): ResolvedAgg[] {
  const out: ResolvedAgg[] = [];
  let all: string[] | undefined;
  for (const call of calls) {
    const fn = lookupFn(call);
    const evalArg = call.evalArg ? compileEvalArg(call.evalArg) : undefined;
    if (call.field === null || !hasWildcard(call.field)) {
      out.push({ name: call.as ?? call.text, field: call.field, fn, evalArg });
      continue;
    }
    all ??= names();
    for (const n of all) {
      const caps = matchWildcard(call.field, n);
      if (!caps) continue;
      const name = call.as !== null ? substituteWildcard(call.as, caps) : call.text.replace(call.field, n);
      out.push({ name, field: n, fn });
    }
  }
  return out;
}

function compileEvalArg(expr: Expr): (row: Row, ctx: EvalContext) => Value | boolean {
  const f = compileExpr(expr);
  return (row, ctx) => f(row, ctx);
}

export function rowTime(row: Row): number {
  const t = firstValue(row.get('_time'));
  if (t === null) return NaN;
  const n = toNumber(t);
  return n === null ? NaN : n;
}

/** True when some aggregate reads the row's `_time` (the others are fed NaN, unread). */
function needsTime(aggs: readonly ResolvedAgg[]): boolean {
  return aggs.some((a) => a.fn.needsTime === true);
}

/** Feeds one row to the accumulators of its group (`time`: the row's, when `needsTime`). */
export function feed(accs: Accumulator[], aggs: readonly ResolvedAgg[], row: Row, ctx: EvalContext, time = rowTime(row)): void {
  for (let i = 0; i < aggs.length; i++) {
    const a = aggs[i]!;
    const acc = accs[i]!;
    if (a.evalArg) {
      const r = a.evalArg(row, ctx);
      // count(eval(cond)) counts rows where cond is true; false counts as absent.
      const v: Value = r === true ? 1 : r === false ? null : r;
      acc.add(v, time);
    } else if (a.field === null) {
      if (acc.addRow) acc.addRow(time);
      else acc.add(1, time);
    } else acc.add(row.get(a.field), time);
  }
}

export function createAccs(aggs: readonly ResolvedAgg[]): Accumulator[] {
  return aggs.map((a) => a.fn.create());
}

/**
 * The group keys of a row: one list of by-values per group the row belongs to (cartesian over
 * multivalue by-fields). [] when a by-field is null and there is no fill value.
 */
export function groupKeys(row: Row, by: readonly string[], fill?: string): Scalar[][] {
  let combos: Scalar[][] = [[]];
  for (const f of by) {
    let vals = valuesOf(row.get(f));
    if (vals.length === 0) {
      if (fill === undefined) return [];
      vals = [fill];
    }
    if (vals.length === 1) {
      for (const c of combos) c.push(vals[0]!);
      continue;
    }
    const next: Scalar[][] = [];
    const distinct = [...new Map(vals.map((v) => [toText(v), v])).values()];
    for (const c of combos) for (const v of distinct) next.push([...c, v]);
    combos = next;
  }
  return combos;
}

export function keyString(keys: readonly Scalar[]): string {
  return keys.map(toText).join('\u0000');
}

/** The by-values of a row that belongs to one group (singleGroup found it has one). */
function singleKeys(row: Row, by: readonly string[], fill: string | undefined): Scalar[] {
  return by.map((f) => {
    const v = row.get(f);
    return v === null ? fill! : (v as Scalar);
  });
}

/** GroupTable.toJSON(): [by-values, accumulator states, evidence?][] in order of first appearance. */
export type GroupTableState = [Scalar[], unknown[], EvidenceSample[]?][];

export interface Group {
  keys: Scalar[];
  accs: Accumulator[];
  /** The group's first events (when the table keeps evidence). */
  evidence?: EvidenceSample[];
}

/** The event behind a row, when the row is an event (it has `_raw` and `_time`). */
export function sampleOf(row: Row): EvidenceSample | null {
  const raw = firstValue(row.get('_raw'));
  const time = firstValue(row.get('_time'));
  const t = time === null ? null : toNumber(time);
  return raw === null || t === null ? null : { time: t, raw: toText(raw) };
}

/** Groups of a stats-like aggregation. */
export class GroupTable {
  readonly groups = new Map<string, Group>();

  /** Aggregates read `_time` (computed once per row, not once per group or aggregate). */
  private readonly timed: boolean;

  constructor(
    readonly aggs: readonly ResolvedAgg[],
    readonly by: readonly string[],
    readonly fill?: string,
    /** Events kept per group as evidence (0: none). */
    readonly evidenceLimit = 0,
  ) {
    this.timed = needsTime(aggs);
  }

  /** Adds a row; `sample` is the event behind it (default: the row itself, when it is an event). */
  add(row: Row, ctx: EvalContext, sample?: EvidenceSample | null): void {
    const g = this.singleGroup(row);
    if (g === null) return;
    const time = this.timed ? rowTime(row) : NaN;
    if (g !== undefined) {
      this.addTo(g, row, ctx, time, sample);
      return;
    }
    for (const keys of groupKeys(row, this.by, this.fill)) {
      const k = keyString(keys);
      this.addTo(this.groups.get(k) ?? this.create(k, keys), row, ctx, time, sample);
    }
  }

  /**
   * By-value text → (next by-field's map …) → group: finds the group of a row whose by-fields
   * each hold one value without joining them into a key string. A cache over `groups` (a miss
   * looks there before making a group), so groups set directly (fromJSON, merge) are found too.
   */
  private readonly byValue = new Map<string, unknown>();

  /**
   * The one group a row belongs to when every by-field holds a single value (made when new);
   * null when the row belongs to no group (a by-field is null, no fill); undefined when a
   * by-field is multivalue (groupKeys decides).
   */
  private singleGroup(row: Row): Group | null | undefined {
    const by = this.by;
    if (by.length === 0) return this.groups.get('') ?? this.create('', []);
    let node = this.byValue;
    for (let i = 0; ; i++) {
      const v = row.get(by[i]!);
      let part: string;
      if (v === null) {
        if (this.fill === undefined) return null;
        part = this.fill;
      } else if (typeof v === 'string') part = v;
      else if (typeof v === 'number') part = toText(v);
      else return undefined;
      const next = node.get(part);
      if (i === by.length - 1) {
        if (next !== undefined) return next as Group;
        const keys = singleKeys(row, by, this.fill);
        const k = keyString(keys);
        const g = this.groups.get(k) ?? this.create(k, keys);
        node.set(part, g);
        return g;
      }
      if (next !== undefined) node = next as Map<string, unknown>;
      else {
        const child = new Map<string, unknown>();
        node.set(part, child);
        node = child;
      }
    }
  }

  private create(k: string, keys: Scalar[]): Group {
    const g: Group = { keys, accs: createAccs(this.aggs) };
    if (this.evidenceLimit > 0) g.evidence = [];
    this.groups.set(k, g);
    return g;
  }

  private addTo(g: Group, row: Row, ctx: EvalContext, time: number, sample: EvidenceSample | null | undefined): void {
    feed(g.accs, this.aggs, row, ctx, time);
    if (g.evidence !== undefined && g.evidence.length < this.evidenceLimit) {
      const s = sample === undefined ? sampleOf(row) : sample;
      if (s !== null) g.evidence.push(s);
    }
  }

  /**
   * Plain data for passing the table between threads: each group's by-values and its
   * accumulators' states, in the order the groups first appeared.
   */
  toJSON(): GroupTableState {
    return [...this.groups.values()].map((g) => (g.evidence ? [g.keys, g.accs.map((a) => a.toJSON()), g.evidence] : [g.keys, g.accs.map((a) => a.toJSON())]));
  }

  /** A table with the same aggregates and by-fields holding the groups of `state`. */
  static fromJSON(aggs: readonly ResolvedAgg[], by: readonly string[], state: GroupTableState, fill?: string, evidenceLimit = 0): GroupTable {
    const table = new GroupTable(aggs, by, fill, evidenceLimit);
    for (const [keys, accs, evidence] of state) {
      table.groups.set(keyString(keys), { keys, accs: accs.map((a, i) => aggs[i]!.fn.fromJSON(a)), ...(evidenceLimit > 0 ? { evidence: evidence ?? [] } : {}) });
    }
    return table;
  }

  /**
   * Folds in a table (same aggregates and by-fields) that saw the rows *after* this one's: groups
   * new to this table are appended in their order of appearance, so ordering and the first
   * by-value spelling of a group are those of one table that saw all rows.
   */
  merge(other: GroupTable): void {
    for (const [k, g] of other.groups) {
      const mine = this.groups.get(k);
      if (!mine) this.groups.set(k, { keys: g.keys, accs: g.accs.map((a, i) => this.aggs[i]!.fn.fromJSON(a.toJSON())), ...(g.evidence ? { evidence: g.evidence.slice() } : {}) });
      else {
        mine.accs.forEach((a, i) => a.merge(g.accs[i]!));
        if (mine.evidence && g.evidence) mine.evidence.push(...g.evidence.slice(0, Math.max(0, this.evidenceLimit - mine.evidence.length)));
      }
    }
  }

  /** Groups ordered by by-values (numbers before strings, SPL.md §4.1). */
  ordered(): Group[] {
    const list = [...this.groups.values()];
    list.sort((a, b) => {
      for (let i = 0; i < a.keys.length; i++) {
        const c = compareAuto(a.keys[i]!, b.keys[i]!);
        if (c !== 0) return c;
      }
      return 0;
    });
    return list;
  }

  /** stats output: by-fields then aggregates; with no by-clause exactly one row even for no input. */
  resultRows(): Row[] {
    if (this.by.length === 0 && this.groups.size === 0) {
      this.groups.set('', { keys: [], accs: createAccs(this.aggs) });
    }
    return this.ordered().map((g) => {
      const fields: [string, Value][] = this.by.map((f, i) => [f, g.keys[i]!]);
      this.aggs.forEach((a, i) => fields.push([a.name, g.accs[i]!.result()]));
      const row = new Row(null, fields);
      if (g.evidence) row.provenance = { evidence: g.evidence };
      return row;
    });
  }
}
