/**
 * A light reading of a pipeline's data flow for the lint rules: which pipelines read CloudTrail
 * events, which fields a command creates (so a later `by user` no longer means the event's
 * `user`), which fields a `search` requires to be present, and which eventNames it keeps.
 * Commands are described by a table, not by branches; a command the table does not know is
 * treated as one that changes the rows, so rules stay quiet after it.
 */
import type { Command, Pipeline, SearchExpr } from '../../spl/ast.js';
import { matchWildcard } from '../../engine/wildcard.js';
import { nestedPipelines } from '../analysis.js';

/** What a command does to event fields: names it sets, `all` (any field may be set), or `rows` (rows are no longer events). */
export type Effect = { sets: string[] } | 'all' | 'rows';

const none = (): Effect => ({ sets: [] });
const sets = (names: (string | null | undefined)[]): Effect => ({ sets: names.filter((n): n is string => typeof n === 'string') });
const isTrue = (v: string | undefined) => v !== undefined && /^(t|true|1)$/i.test(v);

/** The command type(s) with name N (`bin` and `bucket` share one). */
type Of<N extends Command['name'], C = Command> = C extends { name: infer M } ? (N extends M ? C : never) : never;

const EFFECTS: { [N in Command['name']]?: (c: Of<N>) => Effect } = {
  search: none,
  where: none,
  head: none,
  tail: none,
  sort: none,
  dedup: none,
  fields: none,
  table: none,
  mvexpand: none,
  format: () => 'rows',
  return: () => 'rows',
  stats: () => 'rows',
  tstats: () => 'rows',
  makeresults: () => 'rows',
  eval: (c) => sets(c.assignments.map((a) => a.field)),
  rename: (c) => sets(c.pairs.map((p) => p.to)),
  fillnull: (c) => (c.fields.length === 0 ? 'all' : sets(c.fields)),
  lookup: (c) => (c.outputs.length === 0 ? 'all' : sets(c.outputs.map((o) => o.as ?? o.field))),
  spath: (c) => (c.output ? sets([c.output]) : 'all'),
  rex: (c) => sets([...c.regex.matchAll(/\(\?P?<([A-Za-z_][A-Za-z0-9_]*)>/g)].map((m) => m[1])),
  convert: (c) => sets(c.conversions.map((x) => x.as ?? x.field)),
  bin: (c) => sets([c.as ?? c.field]),
  bucket: (c) => sets([c.as ?? c.field]),
  eventstats: (c) => sets(c.aggs.map((a) => a.as ?? a.text)),
  streamstats: (c) => sets(c.aggs.map((a) => a.as ?? a.text)),
  iplocation: () => 'all',
  join: () => 'all',
  append: () => 'all',
  inputlookup: (c) => (isTrue(c.options.append) ? 'all' : 'rows'),
};

export function effectOf(c: Command): Effect {
  const f = EFFECTS[c.name] as ((c: Command) => Effect) | undefined;
  return f ? f(c) : 'rows';
}

/** True when a field set by the effect could be `name` (wildcards in rename targets count). */
export function setsField(effect: Effect, name: string): boolean {
  if (effect === 'all') return true;
  if (effect === 'rows') return false;
  return effect.sets.some((s) => s === name || (s.includes('*') && matchWildcard(s, name) !== null));
}

/** The main pipeline and every pipeline nested in it (subsearches, join/append), outermost first. */
export function* allPipelines(p: Pipeline): Generator<Pipeline> {
  yield p;
  for (const c of p.commands) for (const n of nestedPipelines(c)) yield* allPipelines(n);
}

/** A pipeline whose rows start as CloudTrail events (it begins with a search, not a generating command). */
export function readsEvents(p: Pipeline): boolean {
  return p.commands[0]?.name === 'search';
}

/** Terms that hold for every row the expression keeps (the top-level AND), subsearches excluded. */
function conjuncts(e: SearchExpr | null): SearchExpr[] {
  if (e === null) return [];
  return e.kind === 'and' ? e.terms.flatMap((t) => conjuncts(t)) : [e];
}

/** eventName values a term restricts to, or undefined when it does not (wildcards count as no restriction). */
function eventNamesOf(t: SearchExpr, field: string): string[] | undefined {
  if (t.kind === 'compare' && t.field === field && t.op === '=' && !t.value.text.includes('*')) return [t.value.text];
  if (t.kind === 'in' && t.field === field && t.values.every((v) => !v.text.includes('*'))) return t.values.map((v) => v.text);
  if (t.kind === 'or') {
    const parts = t.terms.map((x) => eventNamesOf(x, field));
    return parts.every((x) => x !== undefined) ? parts.flat() as string[] : undefined;
  }
  return undefined;
}

/** What the search terms before a point say about the rows: fields required present, eventNames kept. */
export interface RowFacts {
  required: Set<string>;
  /** Undefined = any eventName. */
  eventNames?: string[];
}

/** Adds what a search expression guarantees; `eventNameField` is the name eventName goes by (`All_Changes.command` in tstats). */
export function addSearchFacts(facts: RowFacts, e: SearchExpr | null, eventNameField = 'eventName'): void {
  for (const t of conjuncts(e)) {
    // `f=*`, `f=x` and `f!=x` all need the field present (SPL.md §2.5).
    if (t.kind === 'compare' || t.kind === 'in') facts.required.add(t.field);
    const names = eventNamesOf(t, eventNameField);
    if (names !== undefined) facts.eventNames = facts.eventNames === undefined ? names : facts.eventNames.filter((n) => names.includes(n));
  }
}
