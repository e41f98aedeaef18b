/**
 * One search from text to rows, as the CLI (and later `detect`) runs it: load macros and the field
 * model, compile the SPL, build a RunContext (clock, range, data, state, warnings), run the plan.
 */
import { TrailguardError, type SourceText } from '../errors.js';
import { compileSplDetailed, type MacroExpansion } from '../spl/index.js';
import { loadMacroSet, type MacroSet } from '../content/macros.js';
import { loadFieldModel, type FieldModel } from '../cloudtrail/index.js';
import { parseTimeBound } from '../eval/index.js';
import { LookupStore, ModelStore, type LookupDefinitionSet } from '../state/index.js';
import type { Pipeline } from '../spl/ast.js';
import { createRunContext, type LookupAccess, type ModelAccess, type ModelFitter, type RunContext, type RunLimits, type ScanProgress } from './context.js';
import { compilePipeline, type PipelinePlan, type RunOptions } from './pipeline.js';
import type { Rows } from './operator.js';

export interface CompiledSearch {
  pipeline: Pipeline;
  plan: PipelinePlan;
  /** The SPL as written (spans of parse errors point here). */
  source: SourceText;
  /** Macro expansion: AST spans are offsets into `expansion.text`; `toOriginal` maps them back. */
  expansion: MacroExpansion;
}

/** Why a macro whose file could not be loaded cannot be used (see ExpandOptions.unavailable). */
export function unavailableMacro(set: MacroSet): (name: string) => string | undefined {
  return (name) => {
    const bad = set.broken.get(name);
    return bad && `its definition ${bad.file}${bad.line !== undefined ? `:${bad.line}` : ''} could not be read (${bad.reason})`;
  };
}

export interface CompileSearchOptions {
  contentDirs?: string[];
  file?: string;
  lineOffset?: number;
  /** Macros already loaded (the content model's); default: load them from contentDirs. */
  macros?: MacroSet;
}

/** Macros of the project's content/ plus the given dirs, expanded; then parsed and planned. */
export function compileSearch(text: string, opts: CompileSearchOptions = {}): CompiledSearch {
  const set = opts.macros ?? loadMacroSet(opts.contentDirs ?? []);
  const source: SourceText = { text, file: opts.file, lineOffset: opts.lineOffset };
  const { pipeline, expansion } = compileSplDetailed(text, { macros: set.table, source, unavailableMacro: unavailableMacro(set) });
  try {
    return { pipeline, plan: compilePipeline(pipeline), source, expansion };
  } catch (err) {
    throw locateInSource(err, source, expansion);
  }
}

/**
 * Gives an engine error (plan or runtime) the search text so its caret shows: its span, an offset
 * into the expanded text, is mapped back to the text as written.
 */
export function locateInSource(err: unknown, source: SourceText, expansion: MacroExpansion): unknown {
  if (err instanceof TrailguardError && err.span && !err.source) {
    return new TrailguardError({
      code: err.code, phase: err.phase, reason: err.reason, hints: err.hints, location: err.location,
      span: expansion.toOriginal(err.span), source,
    });
  }
  return err;
}

/** `now` for a search: ISO-8601 or epoch seconds; undefined = the wall clock. */
export function parseNow(text: string | undefined): number {
  if (text === undefined) return Math.floor(Date.now() / 1000);
  const t = text.trim();
  if (/^\d+(\.\d+)?$/.test(t)) return Number(t);
  const ms = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(t) || !/T|\d:\d/.test(t) ? t : `${t}Z`);
  if (Number.isNaN(ms)) {
    throw new TrailguardError({
      code: 'E_USAGE_NOW', phase: 'usage',
      reason: `--now must be ISO-8601 (2024-03-05T12:00:00Z) or epoch seconds, got "${text}"`,
    });
  }
  return ms / 1000;
}

export function parseBound(flag: string, text: string | undefined, now: number, tz: string): number | undefined {
  if (text === undefined) return undefined;
  try {
    return parseTimeBound(text, now, tz);
  } catch (err) {
    throw new TrailguardError({
      code: 'E_USAGE_TIME', phase: 'usage',
      reason: `${flag}: cannot read time "${text}"${err instanceof Error ? ` (${err.message})` : ''}`,
      hints: ['use an SPL time modifier such as -24h@h, -7d@d, now, an epoch, or ISO-8601'],
    });
  }
}

/**
 * Where a search runs (SCALEOUT.md §5): in-process (the default and reference), or with its
 * longest pushable prefix compiled to SQL for embedded DuckDB or Amazon Athena (src/sql). Every
 * command that runs searches through runSearch/runCompiled inherits the choice.
 */
export interface EngineChoice {
  kind: 'inprocess' | 'duckdb' | 'athena';
  /** Table profile name (data/sql-profiles); default per engine. */
  profile?: string;
  /** Athena connection options (src/sql/athena.ts AthenaOptions). */
  athena?: Record<string, unknown>;
  /** Receives each SQL statement sent. */
  onSql?: (sql: string, dialect: string) => void;
}

export interface SearchSetup {
  /** Default: in-process. */
  engine?: EngineChoice;
  dataPaths?: string[];
  /** SPL time modifiers / ISO-8601 / epoch; relative ones are taken from `now`. */
  earliest?: string;
  latest?: string;
  /** Fixed now(); default the wall clock. */
  now?: number;
  tz?: string;
  contentDirs?: string[];
  /** Where lookups and collections live (default ./.trailguard/). */
  stateDir?: string;
  geoipFile?: string;
  limits?: Partial<RunLimits>;
  onWarning?: (msg: string) => void;
  progress?: ScanProgress;
  /** Replaces the state directory's lookup store (staged writes of a detection run; tests). */
  lookups?: LookupAccess;
  /** Lookup definitions already loaded (the content model's); default: read from contentDirs. */
  lookupDefinitions?: LookupDefinitionSet;
  /** Macros already loaded (the content model's); default: read from contentDirs. */
  macros?: MacroSet;
  fieldModel?: FieldModel;
  /** Worker threads for eligible scans (engine/parallel); 1 = single-thread. */
  threads?: number;
  /** Input bytes below which scans stay single-thread (tests set 0 to force the parallel path). */
  parallelMinBytes?: number;
  /** Replaces the state directory's model store (staged writes of a detection run; tests). */
  models?: ModelAccess;
  /** The content searches that fit a model (`fit … into`), named when a model is missing. */
  modelFitters?: (model: string) => ModelFitter[];
  /** What is running (a baseline's name…), recorded with the models it fits; default the file or the SPL. */
  searchLabel?: string;
  /** Events kept per aggregated row as a finding's evidence (detect sets it; 0: none). */
  evidenceLimit?: number;
  /** Records larger than this are reported (`oversized`) and skipped; default 8 MiB. */
  maxRecordBytes?: number;
  /** Every source issue (unparsable, oversized, …) is fatal. */
  strict?: boolean;
}

let cachedModel: FieldModel | undefined;

/** A RunContext for the setup, plus a `close()` for the state store it opened. */
export function createSearchContext(setup: SearchSetup): { ctx: RunContext; close(): void } {
  const now = setup.now ?? Math.floor(Date.now() / 1000);
  const tz = setup.tz ?? 'UTC';
  let forward: (msg: string) => void = () => {};
  const store = setup.lookups ? null : new LookupStore({ stateDir: setup.stateDir, contentDirs: setup.contentDirs, definitions: setup.lookupDefinitions, warn: (m) => forward(m) });
  const models = setup.models ? null : new ModelStore({ stateDir: setup.stateDir });
  const ctx = createRunContext({
    now,
    tz,
    earliest: parseBound('--earliest', setup.earliest, now, tz),
    latest: parseBound('--latest', setup.latest, now, tz),
    dataPaths: setup.dataPaths,
    fieldModel: setup.fieldModel ?? (cachedModel ??= loadFieldModel()),
    lookups: setup.lookups ?? store!,
    contentDirs: setup.contentDirs,
    geoipFile: setup.geoipFile,
    limits: setup.limits,
    onWarning: setup.onWarning,
    progress: setup.progress,
    threads: setup.threads,
    parallelMinBytes: setup.parallelMinBytes,
    models: setup.models ?? models!,
    modelFitters: setup.modelFitters,
    searchLabel: setup.searchLabel,
    evidenceLimit: setup.evidenceLimit,
    sourceOptions: setup.maxRecordBytes !== undefined || setup.strict ? { maxRecordBytes: setup.maxRecordBytes, strict: setup.strict } : undefined,
  });
  forward = ctx.warn;
  return {
    ctx,
    close: () => {
      store?.close();
      models?.close();
    },
  };
}

export interface SearchResult {
  rows: Rows;
  warnings: string[];
  ctx: RunContext;
}

/** How a run is named as the fitter of a model: the file it came from, else the start of its SPL. */
export function searchLabelOf(text: string, file?: string): string {
  return file ?? `search ${text.length > 80 ? text.slice(0, 80) + '…' : text}`;
}

/**
 * Runs a compiled search on the chosen engine. The SQL engines live in src/sql and are loaded
 * only when asked for (DuckDB and the AWS SDK stay out of in-process runs).
 */
export async function runPlan(compiled: CompiledSearch, ctx: RunContext, engine: EngineChoice | undefined, opts: RunOptions = {}): Promise<{ rows: Rows; truncated: boolean }> {
  if (!engine || engine.kind === 'inprocess') return compiled.plan.run(ctx, opts);
  const { createExecutor } = await import('../sql/engine.js');
  const exec = await createExecutor(engine as Parameters<typeof createExecutor>[0]);
  try {
    return await exec.run(compiled.pipeline, ctx, opts);
  } finally {
    exec.close();
  }
}

/** Compiles and runs one search. */
export async function runSearch(text: string, setup: SearchSetup & { file?: string; lineOffset?: number } = {}, opts: RunOptions = {}): Promise<SearchResult> {
  const compiled = compileSearch(text, { contentDirs: setup.contentDirs, file: setup.file, lineOffset: setup.lineOffset, macros: setup.macros });
  return runCompiled(compiled, { ...setup, searchLabel: setup.searchLabel ?? searchLabelOf(text, setup.file) }, opts);
}

/** Runs a search compiled earlier (a detection's, compiled once at load). */
export async function runCompiled(compiled: CompiledSearch, setup: SearchSetup = {}, opts: RunOptions = {}): Promise<SearchResult> {
  const { ctx, close } = createSearchContext(setup);
  try {
    const { rows } = await runPlan(compiled, ctx, setup.engine, opts);
    return { rows, warnings: ctx.warnings.messages, ctx };
  } catch (err) {
    throw locateInSource(err, compiled.source, compiled.expansion);
  } finally {
    close();
  }
}
