/**
 * `streamstats [window=N] [current=t|f] [global=t] agg… [by f…]`: running aggregates added to each
 * row in order. `window=N` aggregates the last N rows of the group; `current=f` leaves the current
 * row out of its own aggregate. reset_* options are not supported.
 */
import type { StatsCommand } from '../spl/ast.js';
import type { Row } from '../engine/row.js';
import { rejectOptions } from '../engine/options.js';
import { checkAggs, createAccs, feed, groupKeys, keyString, resolveAggs, type ResolvedAgg } from '../engine/aggregation.js';
import type { Accumulator } from '../engine/aggregates/index.js';
import { mapOperator, type CommandPlan, type PlanEnv } from '../engine/operator.js';
import { describeAggs } from './stats.js';

const FALSE = new Set(['f', 'false', '0', 'no']);

export default function streamstatsPlan(cmd: StatsCommand, env: PlanEnv): CommandPlan {
  checkAggs(cmd.aggs);
  rejectOptions(cmd, ['reset_on_change', 'reset_before', 'reset_after', 'time_window']);
  const window = cmd.options['window'] !== undefined ? Math.max(0, Number(cmd.options['window'])) : 0;
  const current = !FALSE.has((cmd.options['current'] ?? 't').toLowerCase());
  const global = !FALSE.has((cmd.options['global'] ?? 't').toLowerCase());
  return {
    command: cmd,
    position: env.position,
    describe: () => `${window ? `window=${window} ` : ''}${current ? '' : 'current=f '}${describeAggs(cmd)}`,
    open(ctx) {
      const aggs: ResolvedAgg[] = resolveAggs(cmd.aggs);
      const running = new Map<string, Accumulator[]>();
      const windows = new Map<string, Row[]>();
      return mapOperator((row) => {
        const keys = groupKeys(row, cmd.by);
        if (keys.length === 0) return row;
        const k = window > 0 && global && cmd.by.length === 0 ? '' : keyString(keys[0]!);
        let accs: Accumulator[];
        if (window > 0) {
          const list = windows.get(k) ?? [];
          windows.set(k, list);
          // The window holds previous rows (not copies: later commands' writes are not seen here
          // because results are computed now, before the row moves on).
          accs = createAccs(aggs);
          const prior = list.slice(Math.max(0, list.length - (current ? window - 1 : window)));
          for (const r of prior) feed(accs, aggs, r, ctx);
          if (current) feed(accs, aggs, row, ctx);
          list.push(row.clone());
          if (list.length > window) list.shift();
        } else {
          let acc = running.get(k);
          if (!acc) {
            acc = createAccs(aggs);
            running.set(k, acc);
          }
          if (current) {
            feed(acc, aggs, row, ctx);
            accs = acc;
          } else {
            // Results before this row, then include it for the next ones.
            const results = acc.map((a) => a.result());
            feed(acc, aggs, row, ctx);
            aggs.forEach((a, i) => row.set(a.name, results[i]!));
            return row;
          }
        }
        aggs.forEach((a, i) => row.set(a.name, accs[i]!.result()));
        return row;
      });
    },
  };
}
