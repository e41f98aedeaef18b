/**
 * A scan worker: reads its share of the input and aggregates it into a partial table (the
 * pipeline's streaming head into its stats, or a tstats data model scan), which it posts back as
 * plain data (see protocol.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { TrailguardError } from '../../errors.js';
import { loadFieldModel } from '../../cloudtrail/index.js';
import { primeModelFiles } from '../../cloudtrail/model.js';
import type { StatsCommand } from '../../spl/ast.js';
import { createRunContext } from '../context.js';
import { GroupTable, resolveAggs } from '../aggregation.js';
import { PipelinePlan } from '../pipeline.js';
import { guard } from '../locate.js';
import { tstatsTable } from '../../commands/tstats.js';
import type { WorkerMessage, WorkerTask } from './protocol.js';
import { faultPoint } from '../../state/faults.js';
import { runFusedHead } from '../fused.js';

const PROGRESS_EVERY_MS = 100;

async function main(task: WorkerTask): Promise<WorkerMessage> {
  if (task.modelFiles) primeModelFiles(task.modelFiles);
  const post = (m: WorkerMessage) => parentPort!.postMessage(m);
  let pending = 0;
  let lastPost = 0;
  let last = { source: '', line: 0, byte: 0 };
  let rangeLines: number | undefined;
  const ctx = createRunContext({
    now: task.now,
    tz: task.tz,
    earliest: task.earliest,
    latest: task.latest,
    dataPaths: task.share.files,
    fieldModel: loadFieldModel(),
    // The eligible commands never read or write lookups.
    lookups: { read: () => null, write: () => { throw new Error('lookups are not available in a scan worker'); } },
    contentDirs: task.contentDirs,
    limits: task.limits,
    threads: 1, // a worker never starts workers of its own
    evidenceLimit: task.evidenceLimit,
    progress: {
      onBatch(info) {
        pending += info.events;
        last = info;
        const now = Date.now();
        if (now - lastPost < PROGRESS_EVERY_MS) return;
        lastPost = now;
        post({ type: 'progress', events: pending, source: info.source, line: info.line, byte: info.byte });
        pending = 0;
      },
    },
    sourceOptions: {
      // The share lists files the main thread already found and pruned: no stat per file.
      filesExpanded: true,
      maxRecordBytes: task.maxRecordBytes,
      strict: task.strict,
      ...(task.share.range ? { range: task.share.range, onRange: (r: { lines: number }) => { rangeLines = (rangeLines ?? 0) + r.lines; } } : {}),
    },
  });
  let table: GroupTable;
  if (task.job.kind === 'tstats') table = await tstatsTable(task.job.command, ctx);
  else {
    const cmds = task.job.head.commands;
    const statsIndex = task.job.statsIndex;
    const stats = cmds[statsIndex] as StatsCommand;
    const statsPlan = { position: statsIndex + 1, command: stats };
    // A fused head reads its share without rows (engine/fused.ts); else the prefix runs into stats.
    const fused = await runFusedHead(new PipelinePlan({ ...task.job.head, commands: cmds.slice(0, statsIndex + 1) }), ctx);
    if (fused !== null) table = fused;
    else {
      const part = new GroupTable(resolveAggs(stats.aggs), stats.by, undefined, task.evidenceLimit ?? 0);
      const prefix = new PipelinePlan({ ...task.job.head, commands: cmds.slice(0, statsIndex) });
      await prefix.run(ctx, {
        onRows: (rows) => guard(statsPlan, () => {
          for (const r of rows) part.add(r, ctx);
        }),
      });
      table = part;
    }
  }
  if (pending > 0) post({ type: 'progress', events: pending, source: last.source, line: last.line, byte: last.byte });
  return { type: 'done', groups: table.toJSON(), warnings: ctx.warnings.messages, issues: ctx.sourceIssues, issueCounts: ctx.sourceIssueCounts, rangeLines };
}

/** Runs `task` and posts its result, or the error that ended it. */
function run(task: WorkerTask): void {
  main(task).then(
    (m) => parentPort!.postMessage(m),
    (err: unknown) => {
      let m: WorkerMessage;
      if (err instanceof TrailguardError) {
        m = {
          type: 'error',
          error: {
            code: err.code, phase: err.phase, reason: err.reason, span: err.span, source: err.source,
            hints: err.hints, location: err.location, located: /^(in the subsearch of )?command \d+ /.test(err.reason),
          },
        };
      } else {
        const e = err instanceof Error ? err : new Error(String(err));
        m = { type: 'crash', message: e.message, stack: e.stack };
      }
      parentPort!.postMessage(m);
    },
  );
}

// A worker started ahead (standby.ts) waits for its task and says when it has it (until then, the
// main thread gives the task to a fresh worker if this one fails); one started for a scan has it
// already.
if ((workerData as { standby?: boolean }).standby === true) {
  parentPort!.once('message', (task: WorkerTask) => {
    faultPoint('standby-task');
    parentPort!.postMessage({ type: 'taken' } satisfies WorkerMessage);
    run(task);
  });
} else run(workerData as WorkerTask);
