/**
 * Parallel scans (DESIGN.md, "Use both cores"): an eligible `search … | stats` head runs in
 * worker threads, each on its share of the input (whole files, or a byte range of one large
 * NDJSON file); the main thread merges their partial stats tables in input order and hands the
 * rows to the rest of the pipeline. The rows are exactly those of the single-thread run.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { TrailguardError } from '../../errors.js';
import { loadFieldModel } from '../../cloudtrail/index.js';
import { parsedModelFiles } from '../../cloudtrail/model.js';
import type { StatsCommand } from '../../spl/ast.js';
import { SOURCE_ISSUES_KEPT, type RunContext } from '../context.js';
import type { Rows } from '../operator.js';
import type { PipelinePlanLike } from '../operator.js';
import { GroupTable, resolveAggs } from '../aggregation.js';
import { guard, markLocated } from '../locate.js';
import { createRunContext } from '../context.js';
import { parallelEligibility } from './eligibility.js';
import { splitInput } from './split.js';
import type { Share, WorkerMessage, WorkerTask } from './protocol.js';

export { parallelEligibility, type Eligibility } from './eligibility.js';
export { splitInput } from './split.js';
export type { Share } from './protocol.js';

/** Below this much input the worker start-up costs more than it saves. */
export const DEFAULT_MIN_BYTES = 256 * 1024 * 1024;

/** ctx.cache key recording how many workers the last parallel head used (tests, explain). */
export const PARALLEL_CACHE_KEY = 'parallel.workers';

/** Threads a run may use: ctx.threads, else TRAILGUARD_THREADS, else the machine's cores. */
export function threadCount(ctx: Pick<RunContext, 'threads'>): number {
  if (ctx.threads !== undefined) return Math.max(1, Math.floor(ctx.threads));
  const env = process.env['TRAILGUARD_THREADS'];
  if (env !== undefined && /^\d+$/.test(env.trim())) return Math.max(1, Number(env.trim()));
  return availableParallelism();
}

export interface ParallelPlan {
  statsIndex: number;
  shares: Share[];
}

/** The shares to run in workers, or why the single-thread path is used. */
export async function planParallel(plan: PipelinePlanLike, ctx: RunContext): Promise<ParallelPlan | { reason: string }> {
  const threads = threadCount(ctx);
  if (threads <= 1) return { reason: 'one thread' };
  const eligible = parallelEligibility(plan.pipeline);
  if (!eligible.ok) return { reason: eligible.reason };
  // Workers load the packaged field model; a run given another one stays in this thread.
  if (ctx.fieldModel !== loadFieldModel()) return { reason: 'the run uses its own field model' };
  const split = await splitInput(ctx.dataPaths, { earliest: ctx.earliest, latest: ctx.latest }, threads);
  if ('reason' in split) return split;
  if (split.work < (ctx.parallelMinBytes ?? DEFAULT_MIN_BYTES)) return { reason: `only ${split.bytes} bytes of input` };
  if (split.shares.length < 2) return { reason: 'the input cannot be split' };
  return { statsIndex: eligible.statsIndex, shares: split.shares };
}

/**
 * A Worker running worker.js beside this module; under tsx (tests run src/ directly) the worker
 * first registers tsx's loader in its own thread, then imports worker.ts.
 */
function startWorker(task: WorkerTask): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./worker.js', import.meta.url), { workerData: task });
  const script = new URL('./worker.ts', import.meta.url).href;
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(script)}); })`;
  return new Worker(boot, { eval: true, workerData: task });
}

type Outcome = { ok: true; done: Extract<WorkerMessage, { type: 'done' }> } | { ok: false; error: unknown } | { ok: false; error?: undefined };

/**
 * The head (the commands before the stats) run in this thread on one share, aggregated into a
 * partial table, with the same result shape a worker posts.
 */
async function scanHere(prefix: PipelinePlanLike, stats: StatsCommand, share: Share, ctx: RunContext): Promise<Extract<WorkerMessage, { type: 'done' }>> {
  let rangeLines: number | undefined;
  const here = createRunContext({
    now: ctx.now, tz: ctx.tz, earliest: ctx.earliest, latest: ctx.latest, dataPaths: share.files,
    fieldModel: ctx.fieldModel, lookups: ctx.lookups, contentDirs: ctx.contentDirs, geoipFile: ctx.geoipFile,
    limits: ctx.limits, threads: 1, progress: ctx.progress,
    sourceOptions: {
      filesExpanded: true,
      maxRecordBytes: ctx.sourceOptions?.maxRecordBytes,
      strict: ctx.sourceOptions?.strict,
      ...(share.range ? { range: share.range, onRange: (r: { lines: number }) => { rangeLines = (rangeLines ?? 0) + r.lines; } } : {}),
    },
  });
  const table = new GroupTable(resolveAggs(stats.aggs), stats.by, undefined, ctx.evidenceLimit ?? 0);
  const statsPlan = { position: prefix.pipeline.commands.length + 1, command: stats };
  await prefix.run(here, {
    onRows: (rows) => guard(statsPlan, () => {
      for (const r of rows) table.add(r, here);
    }),
  });
  return { type: 'done', groups: table.toJSON(), warnings: here.warnings.messages, issues: here.sourceIssues, issueCounts: here.sourceIssueCounts, rangeLines };
}

/**
 * Runs the eligible head of `plan` in worker threads. Returns the stats rows and the index of the
 * command they feed, or null when the run should take the single-thread path.
 */
export async function runParallelHead(plan: PipelinePlanLike, ctx: RunContext): Promise<{ next: number; rows: Rows } | null> {
  const decided = await planParallel(plan, ctx);
  if ('reason' in decided) return null;
  const { statsIndex, shares } = decided;
  const stats = plan.pipeline.commands[statsIndex] as StatsCommand;
  const head = { ...plan.pipeline, commands: plan.pipeline.commands.slice(0, statsIndex + 1) };
  const modelFiles = parsedModelFiles();
  const workers: Worker[] = [];
  // The main thread scans the first share itself (it has everything loaded already; a worker
  // would spend its first few hundred milliseconds loading modules and the field model), and
  // workers scan the rest.
  const local = plan.prefix ? scanHere(plan.prefix(statsIndex), stats, shares[0]!, ctx) : null;
  const remote = local ? shares.slice(1) : shares;
  const offset = shares.length - remote.length;
  const terminateFrom = (chunk: number) => {
    for (let j = Math.max(0, chunk + 1 - offset); j < workers.length; j++) void workers[j]!.terminate();
  };
  const outcomes: Promise<Outcome>[] = remote.map((share, i) => {
    const chunk = i + offset;
    const task: WorkerTask = {
      head, statsIndex, now: ctx.now, tz: ctx.tz, earliest: ctx.earliest, latest: ctx.latest,
      contentDirs: ctx.contentDirs, limits: ctx.limits, share,
      maxRecordBytes: ctx.sourceOptions?.maxRecordBytes, strict: ctx.sourceOptions?.strict,
      evidenceLimit: ctx.evidenceLimit,
      modelFiles,
    };
    const worker = startWorker(task);
    workers.push(worker);
    return new Promise<Outcome>((resolve) => {
      let settled = false;
      const settle = (o: Outcome) => {
        if (settled) return;
        settled = true;
        resolve(o);
        // Later chunks cannot change which error the single-thread run would have met first.
        if (!o.ok && o.error !== undefined) terminateFrom(chunk);
      };
      worker.on('message', (m: WorkerMessage) => {
        if (m.type === 'progress') {
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
      worker.on('error', (err) => settle({ ok: false, error: err }));
      worker.on('exit', () => settle({ ok: false }));
    });
  });
  if (local) {
    outcomes.unshift(local.then((done): Outcome => ({ ok: true, done }), (error: unknown): Outcome => {
      terminateFrom(0);
      return { ok: false, error };
    }));
  }
  const results = await Promise.all(outcomes);
  const failed = results.find((r) => !r.ok && r.error !== undefined);
  if (failed && !failed.ok) throw failed.error;
  const aggs = resolveAggs(stats.aggs);
  let table: GroupTable | null = null;
  let linesBefore = 0;
  for (const [chunk, r] of results.entries()) {
    if (!r.ok) throw new Error(`scan worker ${chunk} exited without a result`);
    const part = GroupTable.fromJSON(aggs, stats.by, r.done.groups, undefined, ctx.evidenceLimit ?? 0);
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
  return { next: statsIndex + 1, rows: table!.resultRows() };
}
