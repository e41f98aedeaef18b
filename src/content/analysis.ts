/**
 * What a compiled search touches and produces, read from its syntax tree: the lookup tables it
 * reads and writes (baselines → detections dependencies), the commands it uses (support), and
 * the fields that identify one of its result rows (a finding's identity).
 */
import type { Command, Pipeline, SearchExpr } from '../spl/ast.js';
import { matchWildcard, substituteWildcard } from '../engine/wildcard.js';

export interface TableUse {
  /** Tables read by `lookup` and `inputlookup` (subsearches included). */
  reads: Set<string>;
  /** Tables written by `outputlookup`. */
  writes: Set<string>;
}

/** Every command of a pipeline and of the pipelines nested in it (subsearches, join/append), depth first. */
export function* allCommands(p: Pipeline): Generator<Command> {
  for (const c of p.commands) {
    yield c;
    for (const nested of nestedPipelines(c)) yield* allCommands(nested);
  }
}

function* searchSubsearches(e: SearchExpr | null | undefined): Generator<Pipeline> {
  if (!e) return;
  switch (e.kind) {
    case 'and':
    case 'or':
      for (const t of e.terms) yield* searchSubsearches(t);
      return;
    case 'not':
      yield* searchSubsearches(e.term);
      return;
    case 'subsearch':
      yield e.pipeline;
      return;
    default:
      return;
  }
}

/** Pipelines nested in a command: any property that is a pipeline, and subsearches in search expressions. */
export function* nestedPipelines(c: Command): Generator<Pipeline> {
  for (const v of Object.values(c as unknown as Record<string, unknown>)) {
    if (v === null || typeof v !== 'object') continue;
    const o = v as { kind?: string };
    if (o.kind === 'pipeline') yield v as Pipeline;
    else if (o.kind === 'and' || o.kind === 'or' || o.kind === 'not' || o.kind === 'subsearch') yield* searchSubsearches(v as SearchExpr);
  }
}

/** Lookup names as the store resolves them: `foo.csv` and `foo` are different names only when defined so. */
export function tableUse(p: Pipeline): TableUse {
  const use: TableUse = { reads: new Set(), writes: new Set() };
  for (const c of allCommands(p)) {
    if (c.name === 'lookup' || c.name === 'inputlookup') use.reads.add(c.table);
    else if (c.name === 'outputlookup') use.writes.add(c.table);
  }
  return use;
}

/** Command names used anywhere in the search. */
export function commandNames(p: Pipeline): Set<string> {
  const out = new Set<string>();
  for (const c of allCommands(p)) out.add(c.name);
  return out;
}

/**
 * The fields that identify a result row: the `by` fields of the last transforming `stats` or
 * `tstats` of the main pipeline, followed through later renames and dropped when a later
 * `table`/`fields` removes them. Null when the search does not aggregate (every field counts).
 */
export function rowKeyFields(p: Pipeline): string[] | null {
  let keys: string[] | null = null;
  for (const c of p.commands) {
    switch (c.name) {
      case 'stats':
      case 'tstats':
        keys = c.by.slice();
        break;
      case 'rename':
        if (keys) keys = keys.map((k) => renamed(k, c.pairs));
        break;
      case 'table':
        if (keys) keys = keys.filter((k) => c.fields.some((f) => f === k || matchWildcard(f, k) !== null));
        break;
      case 'fields':
        if (keys) keys = keys.filter((k) => (c.mode === '-') !== c.fields.some((f) => f === k || matchWildcard(f, k) !== null));
        break;
      default:
        break;
    }
  }
  return keys && keys.length > 0 ? keys : null;
}

function renamed(name: string, pairs: readonly { from: string; to: string }[]): string {
  let n = name;
  for (const { from, to } of pairs) {
    const caps = matchWildcard(from, n);
    if (caps !== null) n = substituteWildcard(to, caps);
  }
  return n;
}
