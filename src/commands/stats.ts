/**
 * `stats agg… [by f…]` (SPL.md §4.1): one row per group (by-fields, then aggregates), ordered by
 * the by-values; a null by-field drops the row; multivalue by-fields fan out; with no by-clause
 * exactly one row, even for no input. Wildcard arguments (`values(*) as *`) need every input
 * field name, so those stats keep their input until the end; the others aggregate as rows arrive.
 */
import type { StatsCommand } from '../spl/ast.js';
import { GroupTable, checkAggs, hasWildcardAgg, resolveAggs } from '../engine/aggregation.js';
import { allFieldNames } from '../engine/wildcard.js';
import { blockingOperator, type CommandPlan, type PlanEnv } from '../engine/operator.js';

export function describeAggs(cmd: { aggs: { text: string; as: string | null }[]; by: string[] }): string {
  const aggs = cmd.aggs.map((a) => (a.as ? `${a.text} as ${a.as}` : a.text)).join(', ');
  return cmd.by.length ? `${aggs} by ${cmd.by.join(', ')}` : aggs;
}

export default function statsPlan(cmd: StatsCommand, env: PlanEnv): CommandPlan {
  checkAggs(cmd.aggs);
  const wild = hasWildcardAgg(cmd.aggs);
  return {
    command: cmd,
    position: env.position,
    describe: () => describeAggs(cmd),
    open(ctx) {
      if (wild) {
        return blockingOperator((rows) => {
          const table = new GroupTable(resolveAggs(cmd.aggs, () => allFieldNames(rows)), cmd.by, undefined, ctx.evidenceLimit ?? 0);
          for (const r of rows) table.add(r, ctx);
          return table.resultRows();
        });
      }
      const table = new GroupTable(resolveAggs(cmd.aggs), cmd.by, undefined, ctx.evidenceLimit ?? 0);
      return {
        push(rows) {
          for (const r of rows) table.add(r, ctx);
          return [];
        },
        finish: () => table.resultRows(),
      };
    },
  };
}
