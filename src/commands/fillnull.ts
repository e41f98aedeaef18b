/**
 * `fillnull [value=v] [f…]` (SPL.md §5): sets missing fields to v (default 0). Without a field
 * list it fills every field that appears in any row of the result set — so it must see all rows
 * first — except internal `_` fields [verify, §1.4]. Empty strings are left alone.
 */
import type { FillnullCommand } from '../spl/ast.js';
import type { Row } from '../engine/row.js';
import { blockingOperator, mapOperator, simplePlan, type CommandPlan, type PlanEnv } from '../engine/operator.js';
import { allFieldNames } from '../engine/wildcard.js';

function fill(row: Row, fields: readonly string[], value: string): Row {
  for (const f of fields) if (row.get(f) === null) row.set(f, value);
  return row;
}

export default function fillnullPlan(cmd: FillnullCommand, env: PlanEnv): CommandPlan {
  const value = cmd.value ?? '0';
  if (cmd.fields.length > 0) {
    return simplePlan(cmd, env, `value=${value} ${cmd.fields.join(' ')}`, () => mapOperator((row) => fill(row, cmd.fields, value)));
  }
  return simplePlan(cmd, env, `value=${value} (all fields)`, () =>
    blockingOperator((rows) => {
      const names = allFieldNames(rows).filter((n) => !n.startsWith('_'));
      return rows.map((r) => fill(r, names, value));
    }),
  );
}
