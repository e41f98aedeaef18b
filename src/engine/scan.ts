/**
 * Reading events for a leading `search` (and for tstats): sources → time range → raw prefilter →
 * lazy rows. The prefilter runs on the raw JSON text before a row exists, which is where most of
 * the speed comes from (DESIGN.md, "Prefilter").
 */
import { openSources } from '../sources/index.js';
import { eventRow } from '../cloudtrail/index.js';
import { noteSourceIssue, type RunContext } from './context.js';
import type { Row } from './row.js';
import type { ScanSpec } from './operator.js';
import type { ViewSink } from '../sources/types.js';

/** The run's time range narrowed by a command's own bounds (inline earliest=/latest=, §2.9). */
export function effectiveRange(ctx: RunContext, spec: { earliest?: number; latest?: number }): { earliest?: number; latest?: number } {
  const max = (a?: number, b?: number) => (a === undefined ? b : b === undefined ? a : Math.max(a, b));
  const min = (a?: number, b?: number) => (a === undefined ? b : b === undefined ? a : Math.min(a, b));
  return { earliest: max(ctx.earliest, spec.earliest), latest: min(ctx.latest, spec.latest) };
}

/** `viewSink`: takes whole views of NDJSON lines before the reader makes events of them (engine/fused.ts). */
export async function* scanEvents(ctx: RunContext, spec: ScanSpec, viewSink: ViewSink | null = null): AsyncGenerator<Row[]> {
  if (ctx.dataPaths.length === 0) {
    ctx.warn('no data sources given (--data): the search read no events');
    return;
  }
  const { earliest, latest } = effectiveRange(ctx, spec);
  const source = openSources(ctx.dataPaths, {
    ...ctx.sourceOptions,
    earliest,
    latest,
    // The sources apply the prefilter (over whole chunks when it has literal terms), before a
    // record's time is even read.
    prefilter: spec.prefilter,
    viewSink,
    onIssue: (issue) => noteSourceIssue(ctx, issue),
  });
  const lo = earliest ?? -Infinity;
  const hi = latest ?? Infinity;
  const model = ctx.fieldModel;
  for await (const batch of source.batches()) {
    const rows: Row[] = new Array(batch.length);
    let n = 0;
    for (const ev of batch) {
      if (!(ev.time >= lo && ev.time < hi)) continue;
      rows[n++] = eventRow(ev, model);
    }
    rows.length = n;
    const last = batch[batch.length - 1];
    if (last) ctx.progress?.onBatch?.({ events: batch.length, source: last.source, line: last.line, byte: last.byte });
    if (n > 0) yield rows;
  }
}
