/**
 * Fused stats heads: a pipeline that starts `search f=v … | stats …` where every field is an
 * event's plain JSON value (no field-model rule) and the aggregates are `count`, `dc(f)`,
 * `earliest(_time)` and `latest(_time)` is read without rows: WebAssembly walks each NDJSON line
 * of a view, tests the filters and counts the event into its group (src/sources/fused-scan.ts).
 * The lines it is not certain about come back through the reader as events and go through the
 * search and a GroupTable like any run's; the two tables are then merged.
 *
 * Why the merge gives the plain path's rows: the aggregates here do not depend on the order of
 * events (a count, a set, the least and greatest time), and a group is fused only when none of
 * its by-values reads as a number, so no other group's by-values compare equal to its own (which
 * would make the output order depend on which group came first) and no event spells its
 * by-values differently (a number where it holds a string). Groups with a numeric by-value are
 * refused, and all their lines go through the plain path.
 */
import type { Pipeline, SearchExpr, StatsCommand } from '../spl/ast.js';
import { constantField, evalsReadJson, isPlainJsonField } from '../cloudtrail/index.js';
import type { FieldModel } from '../cloudtrail/index.js';
import { FusedScanner, plainAscii, type FusedAction, type FusedGroup, type FusedPath } from '../sources/fused-scan.js';
import { valueMatcher } from '../eval/search-match.js';
import { toNumber } from '../eval/value.js';
import { GroupTable, resolveAggs, type GroupTableState, type ResolvedAgg } from './aggregation.js';
import type { RunContext } from './context.js';
import type { CommandPlan, ScanOperator } from './operator.js';
import { effectiveRange, scanEvents } from './scan.js';
import { guard } from './locate.js';

export { fusedScanStats } from '../sources/fused-scan.js';

/** Turns fused heads off for this process (tests compare with the plain path); also TRAILGUARD_NO_FUSED=1. */
export const fusedReading = { enabled: true };

/** ctx.cache key: set when a run's head was fused (explain, tests). */
export const FUSED_CACHE_KEY = 'fused.head';

type AggKind = 'count' | 'dc' | 'earliest' | 'latest';

export interface FusedHead {
  stats: StatsCommand;
  aggs: ResolvedAgg[];
  kinds: AggKind[];
  paths: FusedPath[];
}

/** Field names read as plain JSON paths: dotted keys of word characters (no `{}`, no wildcard). */
const FIELD = /^[A-Za-z0-9_@$-]+(?:\.[A-Za-z0-9_@$-]+)*$/;
const MAX_KEYS = 6;
const MAX_BY = 8;

/** A dotted path of at most MAX_KEYS keys this scan can follow. */
function followable(name: string): boolean {
  return FIELD.test(name) && name.split('.').length <= MAX_KEYS;
}

function plainField(name: string, model: FieldModel): boolean {
  return followable(name) && isPlainJsonField(model, name);
}

/** A path an eval rule of the model reads as JSON, in the form this module follows. */
function evalPath(e: unknown, model: FieldModel): string | null {
  const p = typeof e === 'string' ? e : e !== null && typeof e === 'object' && 'path' in e ? String((e as { path: unknown }).path) : null;
  return p !== null && followable(p) && evalsReadJson(model, p) ? p : null;
}

/**
 * The paths that decide `field=value` for an event, or why this module cannot: a plain JSON
 * field is one filter; a field an eval rule of the model derives as `coalesce(json, const)` or
 * `coalesce(json, if(other == k, const, const))` (errorCode: the event's own, else success) is a
 * filter on the JSON field whose absence falls to the constant, or to a filter on the other field
 * (compared exactly, as evals compare); an internal field with one value for every event
 * (sourcetype, index, host) is decided here.
 */
function filterPaths(field: string, value: string, model: FieldModel): FusedPath[] | string {
  const matches = valueMatcher(value);
  const constant = constantField(model, field);
  if (constant !== undefined) return matches(constant) ? [] : `${field} is never ${value}`;
  if (plainField(field, model)) return [{ role: 'filter', keys: field.split('.'), value }];
  const derived = `${field} is derived by the field model in a way this scan does not follow`;
  const rule = model.evalByField.get(field);
  if (rule === undefined || model.lookupByField.has(field) || !evalsReadJson(model, field)) return derived;
  const e = rule.expr;
  if (typeof e !== 'object' || !('coalesce' in e) || e.coalesce.length !== 2) return derived;
  const own = evalPath(e.coalesce[0], model);
  const rest = e.coalesce[1]!;
  if (own === null || typeof rest !== 'object') return derived;
  const action = (c: string | undefined): FusedAction => (c !== undefined && matches(c) ? 'pass' : 'drop');
  const first: FusedPath = { role: 'filter', keys: own.split('.'), value };
  if ('const' in rest) return [{ ...first, onAbsent: action(rest.const) }];
  if (!('if' in rest) || !('field' in rest.if) || !('eq' in rest.if)) return derived;
  const other = evalPath(rest.if.field, model);
  const then = typeof rest.then === 'object' && 'const' in rest.then ? rest.then.const : null;
  const otherwise = rest.else === undefined ? undefined : typeof rest.else === 'object' && 'const' in rest.else ? rest.else.const : null;
  if (other === null || then === null || otherwise === null) return derived;
  const alt: FusedPath = { role: 'alt', keys: other.split('.'), value: String(rest.if.eq), exact: true, onMatch: action(then), onMiss: action(otherwise), onAbsent: action(otherwise) };
  return [{ ...first, onAbsent: 'next' }, alt];
}

/** The filters of a search that is an AND of `field=value` (time bounds and `*` aside), or why not. */
function filters(expr: SearchExpr | null, model: FieldModel): FusedPath[] | string {
  if (expr === null) return [];
  const terms = expr.kind === 'and' ? expr.terms : [expr];
  const out: FusedPath[] = [];
  for (const t of terms) {
    if (t.kind === 'time') continue; // the scan's bounds (ScanSpec)
    if (t.kind === 'word' && t.value.text === '*') continue;
    if (t.kind !== 'compare' || t.op !== '=') return `the search term at ${t.span.start} is not field=value`;
    const v = t.value.text;
    if (!plainAscii(v) || v.includes('*')) return `the value of ${t.field} is not a plain ASCII literal`;
    const paths = filterPaths(t.field, v, model);
    if (typeof paths === 'string') return paths;
    out.push(...paths);
  }
  return out;
}

/** Whether `pipeline` has a head this module can fuse (its first two commands), or why not. */
export function fusedEligibility(pipeline: Pipeline, model: FieldModel): { ok: true; head: FusedHead } | { ok: false; reason: string } {
  const [search, stats] = pipeline.commands;
  if (search?.name !== 'search' || stats?.name !== 'stats') return { ok: false, reason: 'the pipeline does not start with search | stats' };
  const f = filters(search.expr, model);
  if (typeof f === 'string') return { ok: false, reason: f };
  if (Object.keys(stats.options).length > 0) return { ok: false, reason: 'stats has options' };
  if (stats.by.length > MAX_BY) return { ok: false, reason: `stats has more than ${MAX_BY} by-fields` };
  const derivedBy = stats.by.find((b) => !plainField(b, model));
  if (derivedBy !== undefined) return { ok: false, reason: `the by-field ${derivedBy} is not a plain JSON field` };
  let aggs: ResolvedAgg[];
  try {
    aggs = resolveAggs(stats.aggs);
  } catch {
    return { ok: false, reason: 'an aggregate does not resolve' }; // the plain path reports it
  }
  const kinds: AggKind[] = [];
  const dc: FusedPath[] = [];
  for (const a of aggs) {
    const name = a.fn.name;
    if (a.evalArg) return { ok: false, reason: `${a.name} has an eval argument` };
    if (name === 'count' && a.field === null) kinds.push('count');
    else if ((name === 'earliest' || name === 'latest') && a.field === '_time') kinds.push(name);
    else if (name === 'dc' && a.field !== null && plainField(a.field, model)) {
      kinds.push('dc');
      dc.push({ role: 'dc', keys: a.field.split('.') });
    } else return { ok: false, reason: `${a.name} is not count, dc(field), earliest(_time) or latest(_time)` };
  }
  const by: FusedPath[] = stats.by.map((b) => ({ role: 'by', keys: b.split('.') }));
  return { ok: true, head: { stats, aggs, kinds, paths: [...f, ...by, ...dc] } };
}

/** Why a run's head is not fused, or null when it may be. */
function runBlocks(ctx: RunContext): string | null {
  if (!fusedReading.enabled || process.env['TRAILGUARD_NO_FUSED']) return 'fused heads are turned off';
  if ((ctx.evidenceLimit ?? 0) > 0) return 'the run keeps evidence events';
  if (ctx.sourceOptions?.strict) return 'strict reading checks every record';
  if (ctx.dataPaths.length === 0) return 'no data';
  return null;
}

/** The fused groups as a GroupTable (states in the accumulators' own toJSON forms). */
function tableOf(head: FusedHead, groups: FusedGroup[]): GroupTable {
  const state: GroupTableState = groups.map((g) => {
    let d = 0;
    const accs = head.kinds.map((k): unknown => {
      if (k === 'count') return g.count;
      if (k === 'dc') return [...g.distinct[d++]!];
      const t = k === 'earliest' ? g.min : g.max;
      return { v: t, t };
    });
    return [g.values, accs];
  });
  return GroupTable.fromJSON(head.aggs, head.stats.by, state);
}

/**
 * Runs the fused head of `plan` (its first two commands: search, stats) over ctx's data: the
 * stats table, or null when the head cannot be fused here (the caller runs the plain path).
 */
export async function runFusedHead(plan: { pipeline: Pipeline; commands: readonly CommandPlan[] }, ctx: RunContext): Promise<GroupTable | null> {
  if (runBlocks(ctx) !== null) return null;
  const decided = fusedEligibility(plan.pipeline, ctx.fieldModel);
  if (!decided.ok) return null;
  const head = decided.head;
  const searchPlan = plan.commands[0]!;
  const statsPlan = plan.commands[1]!;
  const op = (await guard(searchPlan, () => searchPlan.open(ctx))) as ScanOperator;
  const { earliest, latest } = effectiveRange(ctx, op.scan);
  const scanner = FusedScanner.start({
    earliest,
    latest,
    paths: head.paths,
    accept: (values) => values.every((v) => toNumber(v) === null),
    onView: (events, where) => ctx.progress?.onBatch?.({ events, ...where }),
  });
  if (scanner === null) return null;
  const plain = new GroupTable(head.aggs, head.stats.by, undefined, 0);
  try {
    for await (const rows of scanEvents(ctx, op.scan, scanner)) {
      const kept = await guard(searchPlan, () => op.push(rows));
      await guard(statsPlan, () => {
        for (const r of kept) plain.add(r, ctx);
      });
    }
    const rest = await guard(searchPlan, () => op.finish());
    await guard(statsPlan, () => {
      for (const r of rest) plain.add(r, ctx);
    });
  } finally {
    scanner.release();
  }
  const table = tableOf(head, scanner.results());
  table.merge(plain);
  ctx.cache.set(FUSED_CACHE_KEY, true);
  return table;
}
