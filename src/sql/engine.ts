/**
 * `--engine duckdb|athena`: runs a search with its longest pushable prefix in SQL and the rest in
 * Trailguard (SCALEOUT.md §5). Filter subsearches of the pushed part run first (through the same
 * engine), their rows become VALUES semi-joins; the query's rows become SPL rows (stats rows are
 * rebuilt from accumulator states); the suffix runs in-process on them, with the run's own state
 * store. Nothing is approximated silently: a command the compiler cannot express runs in
 * Trailguard, and the plan says why.
 */
import type { Pipeline, Command, SearchCommand } from '../spl/ast.js';
import { TrailguardError } from '../errors.js';
import type { RunContext } from '../engine/context.js';
import type { Rows } from '../engine/operator.js';
import { PipelinePlan, type RunOptions } from '../engine/pipeline.js';
import { GroupTable, keyString } from '../engine/aggregation.js';
import type { Accumulator } from '../engine/aggregates/index.js';
import { Row } from '../engine/row.js';
import { eventRow } from '../cloudtrail/index.js';
import { classifyRecord } from '../sources/index.js';
import { formatNumber, mv, type Scalar, type Value } from '../eval/value.js';
import { Planner, type Decode, type OutputColumn, type SqlPlan } from './planner.js';
import { Renderer, quoteId, type DialectName } from './render.js';
import { defaultProfile, loadProfile, type Profile } from './profile.js';
import { DuckRunner, athenaView, engineError, listDataFiles, onlyColumns, sourceView } from './duckdb.js';
import { SOURCE } from './profile.js';
import type { AthenaOptions } from './athena.js';
import type { Backend } from './backend.js';

export type EngineKind = 'inprocess' | 'duckdb' | 'athena';

/** How a search runs outside the process (the `engine` option of a search setup). */
export interface EngineOptions {
  kind: EngineKind;
  /** Table profile (data/sql-profiles); default duckdb-cloudtrail / athena-cloudtrail-pp. */
  profile?: string;
  /** Athena connection (workgroup, database, table, output location, region, endpoint). */
  athena?: AthenaOptions;
  /** Receives each SQL statement sent (tests, `--show-sql`). */
  onSql?: (sql: string, dialect: DialectName) => void;
}


class DuckBackend implements Backend {
  dialect: DialectName;
  source: string;
  local = true;
  private runner: DuckRunner | null = null;
  private shim = false;
  private readonly views = new Map<string, string>();

  constructor(readonly profile: Profile) {
    // A Trino profile on DuckDB: its Trino text runs over an emulated Athena table (tests, checks).
    this.dialect = profile.dialect === 'trino' ? 'trino-on-duckdb' : 'duckdb';
    this.source = quoteId(profile.table);
  }

  async prepare(plan: SqlPlan, ctx: RunContext): Promise<void> {
    this.runner ??= await DuckRunner.open();
    if (this.dialect === 'trino-on-duckdb' && !this.shim) {
      await this.runner.loadShim();
      this.shim = true;
    }
    const raw = plan.decode.kind === 'events' || plan.columns.some((c) => c.name === '_raw') || JSON.stringify(plan.query).includes('"_raw"');
    const files = await listDataFiles(ctx.dataPaths, plan.range);
    // Only the columns the query reads: the JSON readers then skip the rest of each record.
    const used = usedColumns(plan);
    const ddl = this.dialect === 'duckdb' ? sourceView(this.profile.table, onlyColumns(this.profile, used), files, raw) : athenaView(this.profile, files);
    if (this.views.get(this.profile.table) !== ddl) {
      await this.runner.exec(ddl);
      this.views.set(this.profile.table, ddl);
    }
  }

  async run(sql: string): Promise<unknown[][]> {
    return (await this.runner!.query(sql)).rows;
  }

  close(): void {
    this.runner?.close();
    this.runner = null;
  }
}

/** Top-level source columns a plan's query reads ("t"."eventName"…). */
function usedColumns(plan: SqlPlan): Set<string> {
  const out = new Set<string>();
  const walk = (x: unknown): void => {
    if (!x || typeof x !== 'object') return;
    const o = x as { k?: string; parts?: string[] };
    if (o.k === 'id' && o.parts && o.parts.length >= 2 && o.parts[0] === SOURCE) out.add(o.parts[1]!);
    for (const v of Object.values(o)) if (v && typeof v === 'object') walk(v);
  };
  walk(plan.query);
  return out;
}

/** Runs pipelines with a SQL backend for the pushable part. */
export class HybridExecutor {
  constructor(
    private readonly backend: Backend,
    private readonly opts: EngineOptions,
  ) {}

  /** The plan (print mode: subsearches shown as relations), for explain/sql. */
  static plan(pipeline: Pipeline, profile: Profile, ctx: Pick<RunContext, 'fieldModel' | 'now' | 'tz' | 'earliest' | 'latest'>, subsearchRows?: Row[][]): SqlPlan {
    return new Planner({ profile, model: ctx.fieldModel, now: ctx.now, tz: ctx.tz, earliest: ctx.earliest, latest: ctx.latest, subsearchRows }).plan(pipeline);
  }

  async run(pipeline: Pipeline, ctx: RunContext, runOpts: RunOptions = {}): Promise<{ rows: Rows; truncated: boolean }> {
    const first = HybridExecutor.plan(pipeline, this.backend.profile, ctx);
    let plan = first;
    if (first.query && first.subsearches.length > 0) {
      const rows: Row[][] = [];
      for (const sub of first.subsearches) {
        const max = ctx.limits.subsearchRows;
        const r = await this.run(sub, ctx, { maxRows: max });
        if (r.truncated) ctx.warn(`subsearch returned more than ${max} rows; only the first ${max} were used as a filter`);
        rows.push(r.rows);
      }
      plan = HybridExecutor.plan(pipeline, this.backend.profile, ctx, rows);
    }
    if (!plan.query) {
      const readsEvents = ['search', 'tstats'].includes(pipeline.commands[0]?.name ?? '');
      if (!this.backend.local && readsEvents) {
        throw new TrailguardError({
          code: 'E_ENGINE_CUT', phase: 'plan',
          reason: `nothing of this search can run on ${this.opts.kind} (profile ${this.backend.profile.name}): ${plan.cutReason ?? 'no pushable prefix'}`,
          hints: ['run `trailguard explain --stage plan --engine ' + this.opts.kind + '` to see where the search is cut, or use --engine inprocess over local files'],
        });
      }
      return new PipelinePlan(pipeline).run(ctx, runOpts);
    }
    if (!this.backend.local) {
      const reader = pipeline.commands.slice(plan.cut).find(readsEventsInside);
      if (reader) {
        throw new TrailguardError({
          code: 'E_ENGINE_CUT', phase: 'plan',
          reason: `command ${pipeline.commands.indexOf(reader) + 1} (${reader.name}) runs in Trailguard and its subsearch reads events, which live in ${this.opts.kind}, not on this machine`,
          hints: ['run `trailguard explain --stage plan --engine ' + this.opts.kind + '` to see the cut; a filter subsearch inside the pushed search runs on ' + this.opts.kind],
        });
      }
    }
    await this.backend.prepare(plan, ctx);
    const renderer = new Renderer(this.backend.dialect);
    const sql = renderer.query(plan.query, `${this.backend.source} AS ${quoteId('t')}`, this.backend.jsonArrays ? arrayOutputs(plan) : []);
    this.opts.onSql?.(sql, this.backend.dialect);
    let raw: unknown[][];
    try {
      raw = await this.backend.run(sql, ctx);
    } catch (err) {
      if (err instanceof TrailguardError) throw err;
      throw new TrailguardError({
        code: 'E_SQL', phase: 'runtime',
        reason: `the ${this.opts.kind} query failed: ${(err as Error).message.split('\n')[0]}`,
        hints: sqlFailureHints((err as Error).message),
      });
    }
    const rows = decodeRows(plan.decode, raw, ctx);
    const cmds = pipeline.commands;
    if (plan.cut >= cmds.length) return finish(rows, runOpts);
    const head: SearchCommand = { kind: 'command', name: 'search', expr: null, span: cmds[plan.cut]!.span };
    const rest: Pipeline = { ...pipeline, commands: [head as Command, ...cmds.slice(plan.cut)] };
    return new PipelinePlan(rest).run(ctx, { ...runOpts, input: rows });
  }

  close(): void {
    this.backend.close();
  }
}

/** A command (in the in-process suffix) whose subsearch reads events. */
function readsEventsInside(c: Command): boolean {
  const starts = (p: Pipeline) => ['search', 'tstats'].includes(p.commands[0]?.name ?? '');
  if (c.name === 'join' || c.name === 'append') return starts(c.subsearch);
  if (c.name === 'search' || c.name === 'tstats') {
    const expr = c.name === 'search' ? c.expr : c.where;
    let found = false;
    const walk = (e: unknown): void => {
      if (!e || typeof e !== 'object' || found) return;
      const o = e as { kind?: string; pipeline?: Pipeline };
      if (o.kind === 'subsearch' && o.pipeline && starts(o.pipeline)) found = true;
      for (const v of Object.values(o)) if (v && typeof v === 'object') walk(v);
    };
    walk(expr);
    return found;
  }
  return false;
}

async function finish(rows: Row[], opts: RunOptions): Promise<{ rows: Rows; truncated: boolean }> {
  if (opts.onRows) {
    if (rows.length) await opts.onRows(rows);
    return { rows: [], truncated: false };
  }
  const max = opts.maxRows ?? Infinity;
  return { rows: rows.slice(0, max), truncated: rows.length > max };
}

/** Output columns holding arrays (the Athena runner returns them as JSON text). */
function arrayOutputs(plan: SqlPlan): string[] {
  const d = plan.decode;
  if (d.kind === 'fields') return d.columns.filter((c) => c.kind === 'mv').map((c) => c.name);
  if (d.kind === 'stats') {
    const out: string[] = [];
    d.plans.forEach((p, i) => p.columns.forEach((c, j) => {
      if (c.kind === 'mv') out.push(`a${i + 1}_${j + 1}`);
    }));
    return out;
  }
  return [];
}

function decodeValue(v: unknown, kind: OutputColumn['kind']): Value {
  if (v === null || v === undefined) return null;
  if (kind === 'mv') {
    const arr = typeof v === 'string' ? (JSON.parse(v) as unknown[]) : (v as unknown[]);
    return mv(arr.filter((x) => x !== null && x !== undefined).map((x) => (typeof x === 'number' ? x : String(x))) as Scalar[]);
  }
  if (kind === 'num') return typeof v === 'number' ? v : Number(v);
  if (Array.isArray(v)) return mv(v.map((x) => (typeof x === 'number' ? formatNumber(x) : String(x))));
  return typeof v === 'number' ? formatNumber(v) : String(v);
}

/** An accumulator standing for a value SQL computed completely (dc over text). */
function fixedAcc(v: Value): Accumulator {
  return { add() {}, merge() {}, result: () => v, toJSON: () => v };
}

function decodeRows(d: Decode, raw: unknown[][], ctx: RunContext): Row[] {
  if (d.kind === 'fields') {
    return raw.map((r) => new Row(null, d.columns.map((c, i) => [c.name, decodeValue(r[i], c.kind)] as [string, Value])));
  }
  if (d.kind === 'events') {
    const out: Row[] = [];
    for (const r of raw) {
      const text = String(r[0]);
      const c = classifyRecord(text);
      if (c.kind !== 'event') continue;
      out.push(eventRow({ raw: c.raw, time: c.time, source: '', line: 0, byte: 0 } as Parameters<typeof eventRow>[0], ctx.fieldModel));
    }
    return out;
  }
  const table = new GroupTable(d.aggs, d.by.map((b) => b.name), d.fill);
  for (const r of raw) {
    let i = 0;
    const keys = d.by.map((b) => {
      const v = decodeValue(r[i++], b.kind);
      return (Array.isArray(v) ? v[0]! : v) as Scalar;
    });
    const accs = d.plans.map((p, a) => {
      const vals = p.columns.map((c) => decodeValue(r[i++], c.kind));
      const s = p.state(vals);
      return 'direct' in s ? fixedAcc(s.direct) : d.aggs[a]!.fn.fromJSON(s.state);
    });
    table.groups.set(keyString(keys), { keys, accs });
  }
  return table.resultRows();
}

/** A backend for the options (DuckDB here; Athena in athena.ts). */
export async function createExecutor(opts: EngineOptions): Promise<HybridExecutor> {
  if (opts.kind === 'duckdb') {
    const profile = loadProfile(opts.profile ?? defaultProfile('duckdb'));
    return new HybridExecutor(new DuckBackend(profile), opts);
  }
  if (opts.kind === 'athena') {
    const { AthenaBackend } = await import('./athena.js');
    const profile = loadProfile(opts.profile ?? defaultProfile('trino'));
    if (profile.dialect !== 'trino') throw engineError(`--engine athena needs a Trino profile; ${profile.name} is ${profile.dialect}`, ['use --profile athena-cloudtrail-pp or athena-cloudtrail-ymd']);
    return new HybridExecutor(new AthenaBackend(profile, opts.athena ?? {}), opts);
  }
  throw engineError(`unknown engine ${String(opts.kind)}`, ['use inprocess, duckdb or athena']);
}

export type { Backend } from './backend.js';

/**
 * What to do after a failed query, by what the engine said. DuckDB reads the files into typed
 * columns and stops at the first record that does not fit (test data with `resources` as a list
 * of strings, a malformed line), naming file and line; it never skips such a record silently.
 */
const SQL_FAILURE_HINTS: Array<[RegExp, string]> = [
  [/JSON transform error|Malformed JSON|JSON parse error/i, 'a record in that file does not have the shape of a CloudTrail event; run this search with --engine inprocess, which skips such records and reports each with file and line'],
];

function sqlFailureHints(message: string): string[] {
  const specific = SQL_FAILURE_HINTS.filter(([pattern]) => pattern.test(message)).map(([, hint]) => hint);
  return specific.length > 0 ? specific : ['`trailguard sql` prints the statement; please report a compiler error with it'];
}
