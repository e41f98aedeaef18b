/**
 * Differential harness: the same SPL run in-process (the reference) and through the SQL engines —
 * DuckDB's own dialect, and the Trino text of the Athena profiles on DuckDB with the Trino shim
 * (SCALEOUT.md §2.3, §5.4). Rows are compared as SPL sees them: every value as text.
 */
import { Row } from '../../src/engine/row.js';
import { MemoryLookups } from '../../src/engine/lookups.js';
import { compileSearch, createSearchContext, runPlan, type EngineChoice, type SearchSetup } from '../../src/engine/session.js';
import { HybridExecutor, type Backend } from '../../src/sql/engine.js';
import { columnNamer } from '../../src/sql/planner.js';
import { DuckRunner } from '../../src/sql/duckdb.js';
import type { Profile } from '../../src/sql/profile.js';
import { quoteId, quoteString } from '../../src/sql/render.js';
import { toText, valuesOf, type Value } from '../../src/eval/value.js';
import type { LookupTable } from '../../src/state/table.js';

export type Obj = Record<string, Value>;

/** 2024-03-05T12:00:00Z, the engine tests' now(). */
export const NOW = 1709640000;

/** Engines compared with in-process. */
export const SQL_ENGINES: { label: string; engine: EngineChoice }[] = [
  { label: 'duckdb', engine: { kind: 'duckdb' } },
  { label: 'trino (athena-cloudtrail-pp) on duckdb', engine: { kind: 'duckdb', profile: 'athena-cloudtrail-pp' } },
  { label: 'trino (athena-cloudtrail-ymd) on duckdb', engine: { kind: 'duckdb', profile: 'athena-cloudtrail-ymd' } },
];

/** Rows as SPL text: each value's text (multivalues as lists of text). */
export function asText(rows: Row[]): Record<string, string | string[]>[] {
  return rows.map((r) => {
    const o: Record<string, string | string[]> = {};
    for (const n of r.fieldNames()) {
      const vs = valuesOf(r.get(n)).map(toText);
      if (vs.length) o[n] = vs.length === 1 ? vs[0]! : vs;
    }
    return o;
  });
}

export interface Outcome {
  rows: Record<string, string | string[]>[];
  sql: string[];
}

export async function runOn(spl: string, engine: EngineChoice | undefined, setup: SearchSetup & { tables?: Record<string, LookupTable> } = {}): Promise<Outcome> {
  const sql: string[] = [];
  const lookups = new MemoryLookups();
  for (const [k, t] of Object.entries(setup.tables ?? {})) lookups.tables.set(k, t);
  const compiled = compileSearch(spl, { contentDirs: setup.contentDirs });
  const { ctx, close } = createSearchContext({ now: NOW, lookups: setup.stateDir ? undefined : lookups, ...setup });
  try {
    const eng = engine ? { ...engine, onSql: (s: string) => sql.push(s) } : undefined;
    const { rows } = await runPlan(compiled, ctx, eng);
    return { rows: asText(rows), sql };
  } finally {
    close();
  }
}

// ───────────────────────── hand-built rows as a table ─────────────────────────

function kindOf(values: Value[], name: string): 'text' | 'mv' | 'num' {
  if (name === '_time' && values.every((v) => v === null || typeof v === 'number')) return 'num';
  return values.some((v) => Array.isArray(v)) ? 'mv' : 'text';
}

function sqlValue(v: Value, kind: 'text' | 'mv' | 'num'): string {
  if (v === null || v === undefined) return 'NULL';
  if (kind === 'num') return String(v);
  if (kind === 'mv') return `[${valuesOf(v).map((x) => quoteString(toText(x))).join(', ')}]::VARCHAR[]`;
  return quoteString(toText(v as string | number));
}

/** A DuckDB table holding the input rows, each field a column (VARCHAR, VARCHAR[], or DOUBLE _time). */
class RowsBackend implements Backend {
  dialect: 'duckdb' | 'trino-on-duckdb';
  source = quoteId('rows');
  local = true;
  private runner: DuckRunner | null = null;
  readonly profile: Profile;

  constructor(private readonly input: Obj[], trino: boolean) {
    this.dialect = trino ? 'trino-on-duckdb' : 'duckdb';
    const names = [...new Set(input.flatMap((o) => Object.keys(o)))];
    const direct: Record<string, 'text' | 'mv' | 'num'> = {};
    const directColumns: Record<string, string> = {};
    const column = columnNamer();
    for (const n of names) {
      direct[n] = kindOf(input.map((o) => o[n] ?? null), n);
      directColumns[n] = column(n);
    }
    this.profile = {
      name: 'rows', description: 'test rows', dialect: trino ? 'trino' : 'duckdb', schemaName: 'rows', columns: {}, naming: 'as-is',
      table: 'rows', raw: direct['_raw'] ? 'source' : 'none', rawTerms: direct['_raw'] ? 'raw' : 'none', timeColumn: '_time',
      partitions: { kind: 'none' }, file: '(test)', direct, directColumns,
    };
  }

  async prepare(): Promise<void> {
    if (this.runner) return;
    this.runner = await DuckRunner.open();
    if (this.dialect === 'trino-on-duckdb') await this.runner.loadShim();
    const direct = this.profile.direct!;
    const names = Object.keys(direct);
    const type = (k: string) => (direct[k] === 'num' ? 'DOUBLE' : direct[k] === 'mv' ? 'VARCHAR[]' : 'VARCHAR');
    const col = (n: string) => this.profile.directColumns![n]!;
    const cols = names.length ? names.map((n) => `${quoteId(col(n))} ${type(n)}`).join(', ') : '"__none" VARCHAR';
    await this.runner.exec(`CREATE TABLE "rows" (${cols}, "__ord" INTEGER)`);
    for (const [i, o] of this.input.entries()) {
      await this.runner.exec(`INSERT INTO "rows" VALUES (${names.length ? names.map((n) => sqlValue(o[n] ?? null, direct[n]!)).join(', ') + ', ' : 'NULL, '}${i})`);
    }
  }

  async run(sql: string): Promise<unknown[][]> {
    return (await this.runner!.query(sql)).rows;
  }

  close(): void {
    this.runner?.close();
  }
}

/** Runs SPL over hand-built rows: in-process (rows fed to the leading search) or as SQL over a table of them. */
export async function runRows(spl: string, input: Obj[], mode: 'inprocess' | 'duckdb' | 'trino', tables: Record<string, LookupTable> = {}): Promise<Outcome> {
  const lookups = new MemoryLookups();
  for (const [k, t] of Object.entries(tables)) lookups.tables.set(k, t);
  const compiled = compileSearch(spl);
  const { ctx, close } = createSearchContext({ now: NOW, lookups });
  const sql: string[] = [];
  try {
    if (mode === 'inprocess') {
      const { rows } = await compiled.plan.run(ctx, { input: input.map((o) => Row.of(o)) });
      return { rows: asText(rows), sql };
    }
    const backend = new RowsBackend(input, mode === 'trino');
    const exec = new HybridExecutor(backend, { kind: 'duckdb', onSql: (s) => sql.push(s) });
    try {
      const { rows } = await exec.run(compiled.pipeline, ctx);
      return { rows: asText(rows), sql };
    } finally {
      exec.close();
    }
  } finally {
    close();
  }
}
