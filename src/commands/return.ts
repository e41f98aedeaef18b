/**
 * `return [N] f alias=f $f` (SPL.md §2.8): turns the first N rows (default 1) into one row with a
 * `search` field — `f="v"`, `alias="v"`, or the bare value for `$f` — so a subsearch ending in
 * `return` inserts that text verbatim. Several rows are OR-ed.
 */
import type { ReturnCommand } from '../spl/ast.js';
import { Row } from '../engine/row.js';
import { toText, valuesOf } from '../eval/value.js';
import { blockingOperator, simplePlan, type CommandPlan, type PlanEnv } from '../engine/operator.js';
import { quoteSearchValue, searchFieldName } from '../engine/format.js';

export default function returnPlan(cmd: ReturnCommand, env: PlanEnv): CommandPlan {
  const count = cmd.count > 0 ? cmd.count : 1;
  return simplePlan(cmd, env, `${count} ${cmd.items.map((i) => (i.valueOnly ? '$' : '') + (i.as ? `${i.as}=` : '') + i.field).join(' ')}`, () =>
    blockingOperator((rows) => {
      const parts: string[] = [];
      for (const row of rows.slice(0, count)) {
        const terms: string[] = [];
        for (const item of cmd.items) {
          const vals = valuesOf(row.get(item.field)).map(toText);
          if (vals.length === 0) continue;
          const v = vals[0]!;
          terms.push(item.valueOnly ? v : `${searchFieldName(item.as ?? item.field)}=${quoteSearchValue(v)}`);
        }
        if (terms.length > 0) parts.push(terms.join(' '));
      }
      if (parts.length === 0) return [];
      const search = parts.length === 1 ? parts[0]! : parts.map((p) => `(${p})`).join(' OR ');
      return [Row.of({ search })];
    }),
  );
}
