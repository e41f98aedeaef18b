/**
 * Pipeline AST → plan → run. The plan is a list of CommandPlans built through the command
 * registry (src/commands/index.ts); a run opens one operator per plan and pushes batches through
 * them. A leading `search` makes the run read events; a generating command starts the pipeline
 * by itself.
 */
import type { Pipeline } from '../spl/ast.js';
import { TrailguardError } from '../errors.js';
import { commandFactory } from '../commands/index.js';
import type { RunContext } from './context.js';
import type { CommandPlan, Operator, PipelinePlanLike, Rows, ScanOperator } from './operator.js';
import { scanEvents } from './scan.js';
import { runParallelHead } from './parallel/index.js';
import { runFusedHead } from './fused.js';
import { guard } from './locate.js';

export interface RunOptions {
  /** Stop collecting after this many rows and report truncation (subsearch caps). */
  maxRows?: number;
  /** Receives output rows as they are produced (the CLI streams them); they are then not kept. */
  onRows?: (rows: Rows) => void | Promise<void>;
  /**
   * Rows to feed a leading `search` instead of reading events from the data paths (tests, and
   * callers that already hold rows). Ignored when the pipeline starts with a generating command.
   */
  input?: Rows;
}

export class PipelinePlan implements PipelinePlanLike {
  readonly commands: CommandPlan[];

  constructor(readonly pipeline: Pipeline) {
    const cmds = pipeline.commands;
    this.commands = cmds.map((cmd, i) => {
      const factory = commandFactory(cmd.name);
      if (!factory) {
        throw new TrailguardError({
          code: 'E_UNKNOWN_COMMAND',
          phase: 'plan',
          reason: `command ${i + 1} (${cmd.name}) has no implementation in the engine`,
          span: cmd.span,
        });
      }
      return factory(cmd, { position: i + 1, first: i === 0, compile: (p) => new PipelinePlan(p) });
    });
    const first = this.commands[0];
    if (first && !first.readsEvents && !first.generating) {
      throw new TrailguardError({
        code: 'E_NOT_GENERATING',
        phase: 'plan',
        reason: `a pipeline must start with a search or a generating command (tstats, inputlookup, makeresults), not \`${first.command.name}\``,
        span: first.command.span,
        hints: ['start the search with `search …` or `| makeresults`'],
      });
    }
  }

  prefix(n: number): PipelinePlan {
    return new PipelinePlan({ ...this.pipeline, commands: this.pipeline.commands.slice(0, n) });
  }

  describe(indent = ''): string[] {
    const out: string[] = [];
    this.commands.forEach((c, i) => out.push(`${indent}${i + 1}. ${c.command.name}${c.describe() ? ' ' + c.describe() : ''}`));
    return out;
  }

  async run(ctx: RunContext, opts: RunOptions = {}): Promise<{ rows: Rows; truncated: boolean }> {
    // An eligible `search … | stats` head runs in worker threads; its rows then feed the rest.
    const reads = this.commands[0]?.readsEvents === true && !opts.input;
    let head = reads ? await runParallelHead(this, ctx) : null;
    // Else a `search f=v | stats count … by …` head may be read without rows (engine/fused.ts).
    if (head === null && reads) {
      const fused = await runFusedHead(this, ctx);
      if (fused !== null) head = { next: 2, rows: fused.resultRows() };
    }
    const skipped: Operator = { push: () => [], finish: () => [] };
    const ops: Operator[] = [];
    for (const [i, plan] of this.commands.entries()) {
      ops.push(head && i < head.next ? skipped : await guard(plan, () => plan.open(ctx)));
    }

    const collected: Rows = [];
    let truncated = false;
    const max = opts.maxRows ?? Infinity;
    const emit = async (rows: Rows) => {
      if (rows.length === 0) return;
      if (opts.onRows) {
        await opts.onRows(rows);
        return;
      }
      for (const r of rows) {
        if (collected.length >= max) {
          truncated = true;
          return;
        }
        collected.push(r);
      }
    };

    const pushFrom = async (start: number, rows: Rows): Promise<Rows> => {
      let cur = rows;
      for (let i = start; i < ops.length && cur.length > 0; i++) {
        const plan = this.commands[i]!;
        const op = ops[i]!;
        cur = await guard(plan, () => op.push(cur));
      }
      return cur;
    };

    const first = this.commands[0];
    if (head) {
      await emit(await pushFrom(head.next, head.rows));
    } else if (first?.readsEvents && opts.input) {
      await emit(await pushFrom(0, opts.input));
    } else if (first?.readsEvents) {
      const scanOp = ops[0] as ScanOperator;
      for await (const batch of scanEvents(ctx, scanOp.scan)) {
        await emit(await pushFrom(0, batch));
        if (ops.some((o) => o.done) || (truncated && !opts.onRows)) break;
      }
    }
    // Finish in order: each operator's remaining output goes through the rest of the pipeline.
    for (let i = 0; i < ops.length; i++) {
      const plan = this.commands[i]!;
      const rest = await guard(plan, () => ops[i]!.finish());
      await emit(await pushFrom(i + 1, rest));
    }
    return { rows: collected, truncated };
  }
}

export function compilePipeline(p: Pipeline): PipelinePlan {
  return new PipelinePlan(p);
}
