/**
 * `eventstats agg… [by f…]` (SPL.md §4.3): stats computed over all rows, then added to every row
 * of the group; the rows themselves are kept in order. Rows with a null by-field get nothing. An
 * aggregate overwrites a field of the same name (`eventstats max(x) as x`); a null result removes it.
 */
import type { StatsCommand } from '../spl/ast.js';
import { GroupTable, checkAggs, groupKeys, keyString, resolveAggs } from '../engine/aggregation.js';
import { allFieldNames } from '../engine/wildcard.js';
import { blockingOperator, type CommandPlan, type PlanEnv } from '../engine/operator.js';
import { describeAggs } from './stats.js';

export default function eventstatsPlan(cmd: StatsCommand, env: PlanEnv): CommandPlan {
  checkAggs(cmd.aggs);
  return {
    command: cmd,
    position: env.position,
    describe: () => describeAggs(cmd),
    open(ctx) {
      return blockingOperator((rows) => {
        const aggs = resolveAggs(cmd.aggs, () => allFieldNames(rows));
        const table = new GroupTable(aggs, cmd.by);
        for (const r of rows) table.add(r, ctx);
        if (cmd.by.length === 0 && table.groups.size === 0) return rows;
        for (const r of rows) {
          const keys = groupKeys(r, cmd.by);
          // A row in several groups (multivalue by-field) takes the first group's results.
          const g = keys.length > 0 ? table.groups.get(keyString(keys[0]!)) : undefined;
          if (!g) continue;
          aggs.forEach((a, i) => r.set(a.name, g.accs[i]!.result()));
        }
        return rows;
      });
    },
  };
}
