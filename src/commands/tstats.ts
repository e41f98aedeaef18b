/**
 * `| tstats [fillnull_value=X] agg… from datamodel=M where <search> by f… [_time span=S]`
 * (SPL.md §4.5, §8): builds the data model's root dataset rows from the raw events of the time
 * range (no acceleration: summariesonly is ignored), filters them with search semantics on the
 * prefixed fields (subsearches in it resolved first, §2.8), and groups like stats. Output fields are named as written in the by-clause.
 */
import type { TstatsCommand } from '../spl/ast.js';
import { TrailguardError } from '../errors.js';
import { compileSearchFilter } from '../eval/index.js';
import { dataModelNames, dataModelRow } from '../cloudtrail/index.js';
import { GroupTable, checkAggs, resolveAggs, sampleOf } from '../engine/aggregation.js';
import { scanEvents } from '../engine/scan.js';
import { runParallelTstats } from '../engine/parallel/index.js';
import type { RunContext } from '../engine/context.js';
import { collectSubsearches, replaceSubsearches, resolveSubsearch } from '../engine/subsearch.js';
import { firstValue, toNumber } from '../eval/value.js';
import { rejectOptions } from '../engine/options.js';
import type { CommandPlan, PlanEnv } from '../engine/operator.js';
import { binStart, parseSpan } from './bin.js';
import { describeAggs } from './stats.js';

export default function tstatsPlan(cmd: TstatsCommand, env: PlanEnv): CommandPlan {
  checkAggs(cmd.aggs);
  rejectOptions(cmd, ['prestats', 'local', 'chunk_size']);
  if (!cmd.from) {
    throw new TrailguardError({
      code: 'E_TSTATS_FROM', phase: 'plan', span: cmd.span,
      reason: 'tstats needs `from datamodel=<name>` (only data model searches are supported)',
      hints: ['for example: | tstats count from datamodel=Change by All_Changes.user'],
    });
  }
  const datamodel = cmd.from.datamodel;
  const span = cmd.timeSpan !== undefined ? parseSpan(cmd.timeSpan) : null;
  if (cmd.timeSpan !== undefined && !span) {
    throw new TrailguardError({ code: 'E_BIN_SPAN', phase: 'plan', span: cmd.span, reason: `cannot read span=${cmd.timeSpan}` });
  }
  const subs = collectSubsearches(cmd.where).map((x) => ({ plan: env.compile(x.pipeline), span: x.span }));
  const appendMode = /^(t|true|1)$/i.test(cmd.options['append'] ?? '');
  return {
    command: cmd,
    position: env.position,
    generating: true,
    describe: () => `${describeAggs(cmd)} from datamodel=${datamodel}${cmd.where ? ' where …' : ''}${span ? ` span=${cmd.timeSpan}` : ''}`,
    async open(ctx) {
      if (!dataModelNames(ctx.fieldModel).includes(datamodel)) {
        throw new TrailguardError({
          code: 'E_DATAMODEL', phase: 'plan', span: cmd.span,
          reason: `unknown data model \`${datamodel}\``,
          hints: [`known data models: ${dataModelNames(ctx.fieldModel).join(', ')}`],
        });
      }
      let where = cmd.where;
      if (where && subs.length > 0) {
        const replacements = [];
        for (const x of subs) replacements.push((await resolveSubsearch(x.plan, x.span, ctx)).expr);
        where = replaceSubsearches(where, replacements);
      }
      const resolved: TstatsCommand = { ...cmd, where };
      return {
        push: (rows) => (appendMode ? rows : []),
        async finish() {
          const table = (await runParallelTstats(resolved, ctx, tstatsTable)) ?? (await tstatsTable(resolved, ctx));
          return table.resultRows();
        },
      };
    },
  };
}

/**
 * The tstats aggregation over the events ctx reads: each event's data model row, kept when it
 * passes the where clause (`command.where` must hold no subsearch: they are resolved first),
 * binned by `span`, grouped like stats. Scan workers run it on their share of the input.
 */
export async function tstatsTable(command: TstatsCommand, ctx: RunContext): Promise<GroupTable> {
  const datamodel = command.from!.datamodel;
  const span = command.timeSpan !== undefined ? parseSpan(command.timeSpan) : null;
  const filter = command.where ? compileSearchFilter(command.where, ctx) : null;
  const evidence = ctx.evidenceLimit ?? 0;
  const table = new GroupTable(resolveAggs(command.aggs), command.by, command.options['fillnull_value'], evidence);
  for await (const batch of scanEvents(ctx, { prefilter: null })) {
    for (const ev of batch) {
      const row = dataModelRow(ev, datamodel, ctx.fieldModel);
      if (row === null) continue;
      if (filter !== null && !filter(row)) continue;
      if (span) {
        const t = firstValue(row.get('_time'));
        const n = t === null ? null : toNumber(t);
        if (n !== null) row.set('_time', binStart(n, span, ctx.tz));
      }
      table.add(row, ctx, evidence > 0 ? sampleOf(ev) : null);
    }
  }
  return table;
}
