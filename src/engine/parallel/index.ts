/**
 * Parallel scans (DESIGN.md, "Use both cores"): an eligible `search … | stats` head, or a
 * `tstats` data model scan, runs in this thread and worker threads, each on its share of the input
 * (whole files, or a byte range of one large NDJSON file); the main thread merges their partial
 * tables in input order and hands the rows on. The rows are exactly those of the single-thread run.
 */
import type { Worker } from 'node:worker_threads';
import type * as V8 from 'node:v8';
import { TrailguardError } from '../../errors.js';
import { lazyRequire } from '../../util/lazy-require.js';
import { loadFieldModel } from '../../cloudtrail/index.js';
import { parsedModelFiles } from '../../cloudtrail/model.js';
import type { StatsCommand, TstatsCommand } from '../../spl/ast.js';
import { SOURCE_ISSUES_KEPT, type RunContext } from '../context.js';
import type { Rows } from '../operator.js';
import type { CommandPlan, PipelinePlanLike } from '../operator.js';
import { GroupTable, resolveAggs, type ResolvedAgg } from '../aggregation.js';
import { guard, markLocated } from '../locate.js';
import { createRunContext } from '../context.js';
import { prefilterTerms } from '../prefilter.js';
import { parallelEligibility } from './eligibility.js';
import { runFusedHead } from '../fused.js';
import { splitInput } from './split.js';
import { DEFAULT_MIN_BYTES, releaseStandby, scanWorkerFor, startScanWorker, threadCount as threadsFor } from './standby.js';
import type { ScanJob, Share, WorkerMessage, WorkerTask } from './protocol.js';

export { parallelEligibility, type Eligibility } from './eligibility.js';
export { splitInput } from './split.js';
export { DEFAULT_MIN_BYTES } from './standby.js';
export type { Share } from './protocol.js';

/** ctx.cache key recording how many workers the last parallel head used (tests, explain). */
export const PARALLEL_CACHE_KEY = 'parallel.workers';

/** Threads a run may use: ctx.threads, else TRAILGUARD_THREADS, else the machine's cores. */
export function threadCount(ctx: Pick<RunContext, 'threads'>): number {
  return threadsFor(ctx.threads);
}

export interface ParallelPlan {
  statsIndex: number;
  shares: Share[];
}

/**
 * The input's shares when it is worth splitting for `threads` threads, or why not (`terms`: the
 * leading search's prefilter terms, which make a selective search's bytes cheaper).
 */
async function sharesFor(ctx: RunContext, threads: number, terms: readonly string[] = []): Promise<Share[] | { reason: string }> {
  // Workers load the packaged field model; a run given another one stays in this thread.
  if (ctx.fieldModel !== loadFieldModel()) return { reason: 'the run uses its own field model' };
  const split = await splitInput(ctx.dataPaths, { earliest: ctx.earliest, latest: ctx.latest }, threads, terms);
  if ('reason' in split) return split;
  const min = ctx.parallelMinBytes ?? DEFAULT_MIN_BYTES;
  if (split.work < min) return { reason: `the estimated work (${mib(split.work)} MiB of full-scan bytes in ${mib(split.bytes)} MiB of input) is under ${mib(min)} MiB` };
  if (split.shares.length < 2) return { reason: 'the input cannot be split' };
  return split.shares;
}

/** The shares to run in workers, or why the single-thread path is used. */
export async function planParallel(plan: PipelinePlanLike, ctx: RunContext): Promise<ParallelPlan | { reason: string }> {
  const decided = await sharesOfPlan(plan, ctx);
  // Workers started ahead (standby.ts) that this scan will not use are stopped now, not when the
  // command ends: still loading, one takes the other core, which on this project's 2-vCPU
  // machine slowed the scan in this thread by about a tenth.
  if ('reason' in decided) releaseStandby();
  return decided;
}

async function sharesOfPlan(plan: PipelinePlanLike, ctx: RunContext): Promise<ParallelPlan | { reason: string }> {
  const threads = threadCount(ctx);
  if (threads <= 1) return { reason: 'one thread' };
  const eligible = parallelEligibility(plan.pipeline);
  if (!eligible.ok) return { reason: eligible.reason };
  const first = plan.pipeline.commands[0];
  const shares = await sharesFor(ctx, threads, first?.name === 'search' ? prefilterTerms(first.expr) : []);
  if (!Array.isArray(shares)) return shares;
  return { statsIndex: eligible.statsIndex, shares };
}

function mib(bytes: number): string {
  return (bytes / (1024 * 1024)).toFixed(0);
}

type Done = Extract<WorkerMessage, { type: 'done' }>;
type Outcome = { ok: true; done: Done } | { ok: false; error: unknown } | { ok: false; error?: undefined };

/** A parallel scan: what workers are asked to do, and the same done here on one share. */
interface ShareJob {
  job: ScanJob;
  /** Scans `share` in this thread (`here` reads only that share) into a partial table. */
  scanHere(here: RunContext): Promise<GroupTable>;
  /** The partial tables' shape, to read the workers' tables back. */
  aggs: ResolvedAgg[];
  by: readonly string[];
  fill?: string;
}

/** The run context for one share scanned in this thread. */
function shareContext(ctx: RunContext, share: Share, onLines: (n: number) => void): RunContext {
  return createRunContext({
    now: ctx.now, tz: ctx.tz, earliest: ctx.earliest, latest: ctx.latest, dataPaths: share.files,
    fieldModel: ctx.fieldModel, lookups: ctx.lookups, contentDirs: ctx.contentDirs, geoipFile: ctx.geoipFile,
    limits: ctx.limits, threads: 1, progress: ctx.progress, evidenceLimit: ctx.evidenceLimit,
    sourceOptions: {
      filesExpanded: true,
      maxRecordBytes: ctx.sourceOptions?.maxRecordBytes,
      strict: ctx.sourceOptions?.strict,
      ...(share.range ? { range: share.range, onRange: (r: { lines: number }) => onLines(r.lines) } : {}),
    },
  });
}

/** node:v8, loaded only by a run that starts workers (most searches never do). */
const v8Module = lazyRequire<typeof V8>('node:v8');

/**
 * Turns off V8's allocation-site pretenuring for the process (V8 flags are per process; setting it
 * again is harmless), before the first worker starts. Now and then a two-thread scan over 1M events peaked at
 * 212–245 MB instead of ~170 MB (up to one run in seven), with the worker's old space at 44 MB
 * instead of 16 at the end: what pretenuring does when one scavenge's survivors make a site's
 * objects look long-lived (a scan's objects are not) and later ones go straight to the old
 * generation. With the flag no such run in 76, against 1 in the 40 runs interleaved with those
 * (bench/README.md); the cause is inferred from that, not seen in V8's traces.
 */
function noPretenuring(): void {
  v8Module().setFlagsFromString('--no-allocation-site-pretenuring');
}

/**
 * Runs a job on every share: the first in this thread (it has everything loaded already; a worker
 * spends its first few hundred milliseconds loading modules and the field model), the rest in
 * workers. Returns the partial tables merged in share order, which is input order, with the
 * workers' warnings and source issues added to ctx as the single-thread run would have them.
 */
async function runShares(ctx: RunContext, shares: Share[], sj: ShareJob): Promise<GroupTable> {
  noPretenuring();
  const modelFiles = parsedModelFiles();
  const workers: Worker[] = [];
  let localLines: number | undefined;
  const local = (async (): Promise<Done> => {
    const here = shareContext(ctx, shares[0]!, (n) => { localLines = (localLines ?? 0) + n; });
    const table = await sj.scanHere(here);
    return { type: 'done', groups: table.toJSON(), warnings: here.warnings.messages, issues: here.sourceIssues, issueCounts: here.sourceIssueCounts, rangeLines: localLines };
  })();
  /** Chunks from this one on were stopped on purpose (an earlier chunk failed). */
  let stoppedFrom = Infinity;
  const terminateFrom = (chunk: number) => {
    stoppedFrom = Math.min(stoppedFrom, chunk + 1);
    for (let j = Math.max(0, chunk); j < workers.length; j++) void workers[j]!.terminate();
  };
  const outcomes: Promise<Outcome>[] = shares.slice(1).map((share, i) => {
    const chunk = i + 1;
    const task: WorkerTask = {
      job: sj.job, now: ctx.now, tz: ctx.tz, earliest: ctx.earliest, latest: ctx.latest,
      contentDirs: ctx.contentDirs, limits: ctx.limits, share,
      maxRecordBytes: ctx.sourceOptions?.maxRecordBytes, strict: ctx.sourceOptions?.strict,
      evidenceLimit: ctx.evidenceLimit,
      modelFiles,
    };
    return new Promise<Outcome>((resolve) => {
      let settled = false;
      const settle = (o: Outcome) => {
        if (settled) return;
        settled = true;
        resolve(o);
        // Later chunks cannot change which error the single-thread run would have met first.
        if (!o.ok && o.error !== undefined) terminateFrom(chunk);
      };
      const listen = (worker: Worker, ahead: boolean) => {
        workers[i] = worker;
        let taken = !ahead;
        const ended = (o: Outcome) => {
          if (!taken && !settled && chunk < stoppedFrom) {
            // Started ahead and gone before it had the task (it failed while waiting): the share
            // goes to a fresh worker, whose own failure, if any, is the scan's.
            worker.removeAllListeners();
            listen(startScanWorker(task), false);
          } else settle(o);
        };
        worker.on('message', (m: WorkerMessage) => {
          if (m.type === 'taken') taken = true;
          else if (m.type === 'progress') {
            const source = share.range ? `${m.source}#${chunk}` : m.source;
            const byte = share.range ? Math.max(0, m.byte - share.range.start) : m.byte;
            ctx.progress?.onBatch?.({ events: m.events, source, line: m.line, byte });
          } else if (m.type === 'done') settle({ ok: true, done: m });
          else if (m.type === 'error') {
            const err = new TrailguardError(m.error);
            settle({ ok: false, error: m.error.located ? markLocated(err) : err });
          } else {
            const err = new Error(m.message);
            if (m.stack) err.stack = m.stack;
            settle({ ok: false, error: err });
          }
        });
        worker.on('error', (err) => ended({ ok: false, error: err }));
        worker.on('exit', () => ended({ ok: false }));
      };
      const { worker, ahead } = scanWorkerFor(task);
      listen(worker, ahead);
    });
  });
  outcomes.unshift(local.then((done): Outcome => ({ ok: true, done }), (error: unknown): Outcome => {
    terminateFrom(0);
    return { ok: false, error };
  }));
  const results = await Promise.all(outcomes);
  const failed = results.find((r) => !r.ok && r.error !== undefined);
  if (failed && !failed.ok) throw failed.error;
  let table: GroupTable | null = null;
  let linesBefore = 0;
  for (const [chunk, r] of results.entries()) {
    if (!r.ok) throw new Error(`scan worker ${chunk} exited without a result`);
    const part = GroupTable.fromJSON(sj.aggs, sj.by, r.done.groups, sj.fill, ctx.evidenceLimit ?? 0);
    if (table === null) table = part;
    else table.merge(part);
    for (const w of r.done.warnings) ctx.warn(w);
    const range = shares[chunk]!.range;
    for (const issue of r.done.issues) {
      // Issue lines in a byte range count from the range's first line.
      if (ctx.sourceIssues.length < SOURCE_ISSUES_KEPT) ctx.sourceIssues.push(range && issue.line !== undefined ? { ...issue, line: issue.line + linesBefore } : issue);
    }
    for (const [kind, n] of Object.entries(r.done.issueCounts)) {
      const k = kind as keyof typeof ctx.sourceIssueCounts;
      ctx.sourceIssueCounts[k] = (ctx.sourceIssueCounts[k] ?? 0) + n;
    }
    linesBefore += r.done.rangeLines ?? 0;
  }
  ctx.cache.set(PARALLEL_CACHE_KEY, shares.length);
  return table!;
}

/**
 * Runs the eligible head of `plan` in worker threads. Returns the stats rows and the index of the
 * command they feed, or null when the run should take the single-thread path.
 */
export async function runParallelHead(plan: PipelinePlanLike, ctx: RunContext): Promise<{ next: number; rows: Rows } | null> {
  // This thread runs the head on its own share through the plan's prefix.
  if (!plan.prefix) return null;
  const decided = await planParallel(plan, ctx);
  if ('reason' in decided) return null;
  const { statsIndex, shares } = decided;
  const stats = plan.pipeline.commands[statsIndex] as StatsCommand;
  const prefix = plan.prefix(statsIndex);
  const aggs = resolveAggs(stats.aggs);
  const table = await runShares(ctx, shares, {
    job: { kind: 'head', head: { ...plan.pipeline, commands: plan.pipeline.commands.slice(0, statsIndex + 1) }, statsIndex },
    aggs,
    by: stats.by,
    async scanHere(here) {
      const fused = await runFusedHead(plan.prefix!(statsIndex + 1) as PipelinePlanLike & { commands: CommandPlan[] }, here);
      if (fused !== null) return fused;
      const part = new GroupTable(aggs, stats.by, undefined, ctx.evidenceLimit ?? 0);
      const statsPlan = { position: statsIndex + 1, command: stats };
      await prefix.run(here, {
        onRows: (rows) => guard(statsPlan, () => {
          for (const r of rows) part.add(r, here);
        }),
      });
      return part;
    },
  });
  return { next: statsIndex + 1, rows: table.resultRows() };
}

/**
 * A tstats scan (`command.where` free of subsearches) on this thread and worker threads; `scan`
 * is the single-thread scan, run here on the first share and by each worker on its own. Null when
 * the scan should stay in one thread (one thread, small input, its own field model).
 */
export async function runParallelTstats(
  command: TstatsCommand,
  ctx: RunContext,
  scan: (command: TstatsCommand, ctx: RunContext) => Promise<GroupTable>,
): Promise<GroupTable | null> {
  const threads = threadCount(ctx);
  if (threads <= 1) return null;
  const shares = await sharesFor(ctx, threads);
  if (!Array.isArray(shares)) {
    releaseStandby(); // as planParallel does
    return null;
  }
  return runShares(ctx, shares, {
    job: { kind: 'tstats', command },
    aggs: resolveAggs(command.aggs),
    by: command.by,
    fill: command.options['fillnull_value'],
    scanHere: (here) => scan(command, here),
  });
}
