/**
 * `| inputlookup [append=t] T [where <search>]` (SPL.md §7.2): the table's rows as results; with
 * append=t the current results are kept and the table's rows follow them. Empty cells are absent
 * fields. A missing table: warning and no rows.
 */
import type { InputlookupCommand } from '../spl/ast.js';
import { compileSearchFilter } from '../eval/index.js';
import { Row } from '../engine/row.js';
import type { CommandPlan, PlanEnv } from '../engine/operator.js';
import { cellValues, readTable } from '../engine/lookups.js';
import { mv, type Value } from '../eval/value.js';

const TRUE = /^(t|true|1|yes)$/i;

export default function inputlookupPlan(cmd: InputlookupCommand, env: PlanEnv): CommandPlan {
  const append = TRUE.test(cmd.options['append'] ?? '');
  return {
    command: cmd,
    position: env.position,
    generating: !append || env.first,
    describe: () => `${append ? 'append=t ' : ''}${cmd.table}${cmd.where ? ' where …' : ''}`,
    open(ctx) {
      const filter = cmd.where ? compileSearchFilter(cmd.where, ctx) : null;
      return {
        push: (rows) => (append ? rows : []),
        async finish() {
          const table = await readTable(ctx, cmd.table);
          if (table === null) return [];
          const out: Row[] = [];
          for (const rec of table.rows) {
            const row = new Row(null, table.columns.map((c) => [c, mv(cellValues(rec[c]))] as [string, Value]));
            if (filter === null || filter(row)) out.push(row);
          }
          return out;
        },
      };
    },
  };
}
