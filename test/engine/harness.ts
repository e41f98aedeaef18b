/** Test helpers for the engine: run SPL over hand-built rows, an in-memory lookup store, fixtures. */
import { Row } from '../../src/engine/row.js';
import { MemoryLookups } from '../../src/engine/lookups.js';
import { compileSearch, createSearchContext, type SearchSetup } from '../../src/engine/session.js';
import type { Value } from '../../src/eval/value.js';
import type { LookupTable } from '../../src/state/table.js';

export type Obj = Record<string, Value>;

export function rowsOf(objs: Obj[]): Row[] {
  return objs.map((o) => Row.of(o));
}

export interface TestRun {
  rows: Obj[];
  warnings: string[];
  lookups: MemoryLookups;
}

/** 2024-03-05T12:00:00Z: the fixed now() of engine tests. */
export const NOW = 1709640000;

/**
 * Runs `spl` with rows fed to its leading search (`input`), or over `dataPaths`. Lookups live in
 * memory unless `setup.lookups`/`stateDir` say otherwise.
 */
export async function run(spl: string, opts: { input?: Obj[]; tables?: Record<string, LookupTable>; setup?: SearchSetup; lookups?: MemoryLookups } = {}): Promise<TestRun> {
  const lookups = opts.lookups ?? new MemoryLookups();
  for (const [name, t] of Object.entries(opts.tables ?? {})) lookups.tables.set(name, t);
  const compiled = compileSearch(spl, { contentDirs: opts.setup?.contentDirs });
  const usesState = opts.setup?.stateDir !== undefined;
  const { ctx, close } = createSearchContext({ now: NOW, ...(usesState ? {} : { lookups }), ...opts.setup });
  try {
    const { rows } = await compiled.plan.run(ctx, opts.input ? { input: rowsOf(opts.input) } : {});
    return { rows: rows.map((r) => r.toObject()), warnings: ctx.warnings.messages, lookups };
  } finally {
    close();
  }
}

/** Rows projected to the given fields (missing → absent), for comparisons that ignore other fields. */
export function pick(rows: Obj[], fields: string[]): Obj[] {
  return rows.map((r) => {
    const o: Obj = {};
    for (const f of fields) if (r[f] !== undefined && r[f] !== null) o[f] = r[f]!;
    return o;
  });
}
