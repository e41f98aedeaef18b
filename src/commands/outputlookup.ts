/**
 * `outputlookup [append=t] T` (SPL.md §7.3): writes the current rows to the table — replacing it
 * unless append=true, atomically (the state store guarantees old-or-new) — and passes the rows on
 * unchanged. Internal `_` fields are not written (except `_key`); multivalues stay multivalue
 * (the CSV store writes them one value per line, as Splunk does).
 */
import type { OutputlookupCommand } from '../spl/ast.js';
import type { Value } from '../eval/value.js';
import { blockingOperator, type CommandPlan, type PlanEnv } from '../engine/operator.js';
import { allFieldNames } from '../engine/wildcard.js';
import { writeTable } from '../engine/lookups.js';

const TRUE = /^(t|true|1|yes)$/i;

export default function outputlookupPlan(cmd: OutputlookupCommand, env: PlanEnv): CommandPlan {
  const append = TRUE.test(cmd.options['append'] ?? '');
  return {
    command: cmd,
    position: env.position,
    describe: () => `${append ? 'append=t ' : ''}${cmd.table}`,
    open(ctx) {
      return blockingOperator(async (rows) => {
        const columns = allFieldNames(rows).filter((n) => !n.startsWith('_') || n === '_key');
        const records = rows.map((r) => {
          const rec: Record<string, Value> = {};
          for (const c of columns) rec[c] = r.get(c);
          return rec;
        });
        await writeTable(ctx, cmd.table, columns, records, { append });
        return rows;
      });
    },
  };
}
