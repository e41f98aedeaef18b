/**
 * The plan/run split (DESIGN.md, after DuckDB): a CommandPlan is compiled once from the AST and
 * holds no run state; `open(ctx)` returns an Operator that holds the state of one run.
 *
 * Operators are push-based over batches of rows: `push` receives a batch and returns what it can
 * emit now (streaming commands emit at once, blocking ones return [] and emit from `finish`).
 */
import type { Command, Pipeline } from '../spl/ast.js';
import type { Row } from './row.js';
import type { RunContext } from './context.js';
import type { RawPrefilter } from '../sources/types.js';

export type Rows = Row[];
export type MaybePromise<T> = T | Promise<T>;

export interface Operator {
  push(rows: Rows): MaybePromise<Rows>;
  finish(): MaybePromise<Rows>;
  /** True once the operator will ignore further input (head reached its count): stop the scan. */
  readonly done?: boolean;
}

export interface CommandPlan {
  readonly command: Command;
  /** 1-based position in its pipeline, for error messages ("command 3 (lookup)"). */
  readonly position: number;
  /** Starts a pipeline without reading events (tstats, inputlookup, makeresults). */
  readonly generating?: boolean;
  /** A leading `search`: its operator is a ScanOperator and the pipeline reads events for it. */
  readonly readsEvents?: boolean;
  open(ctx: RunContext): MaybePromise<Operator>;
  /** One line of parameters for `explain --stage plan`. */
  describe(): string;
}

/** What the event scan of a leading search needs: its time range and the raw-text prefilter seam. */
export interface ScanSpec {
  earliest?: number;
  latest?: number;
  /**
   * False = the raw event cannot match; drop it before building its row. null = keep all. Its
   * optional `terms` let the sources search whole chunks instead of testing each record.
   */
  prefilter: RawPrefilter | null;
}

export interface ScanOperator extends Operator {
  readonly scan: ScanSpec;
}

/** What a command factory gets besides its AST node. */
export interface PlanEnv {
  position: number;
  /** True for the first command of a pipeline (a leading `search` reads the events). */
  first: boolean;
  /** Compiles a nested pipeline (subsearches of join/append/search filters). */
  compile(p: Pipeline): PipelinePlanLike;
}

/** Minimal view of a compiled pipeline, so commands need not import the planner. */
export interface PipelinePlanLike {
  readonly pipeline: Pipeline;
  run(ctx: RunContext, opts?: { maxRows?: number; onRows?: (rows: Rows) => void | Promise<void> }): Promise<{ rows: Rows; truncated: boolean }>;
  /** (parallel scans) A plan of this pipeline's first `n` commands, run by the main thread on its share. */
  prefix?(n: number): PipelinePlanLike;
  describe(indent?: string): string[];
}

export type CommandFactory<C extends Command = Command> = (cmd: C, env: PlanEnv) => CommandPlan;

/** A streaming operator from a per-row function returning the row, a list of rows, or null (drop). */
export function mapOperator(fn: (row: Row) => Row | Row[] | null): Operator {
  return {
    push(rows) {
      const out: Row[] = [];
      for (const r of rows) {
        const v = fn(r);
        if (v === null) continue;
        if (Array.isArray(v)) out.push(...v);
        else out.push(v);
      }
      return out;
    },
    finish: () => [],
  };
}

/** A blocking operator: collects every row, then transforms the whole set. */
export function blockingOperator(fn: (rows: Rows) => MaybePromise<Rows>): Operator {
  const all: Row[] = [];
  return {
    push(rows) {
      for (const r of rows) all.push(r);
      return [];
    },
    finish: () => fn(all),
  };
}

/** Shorthand for plans with no run-time setup beyond building an operator. */
export function simplePlan(command: Command, env: PlanEnv, describe: string, open: (ctx: RunContext) => MaybePromise<Operator>, generating = false): CommandPlan {
  return { command, position: env.position, generating, open, describe: () => describe };
}
