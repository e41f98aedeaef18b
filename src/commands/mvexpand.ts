/** `mvexpand f [limit=N]` (SPL.md §5): one row per value of f; rows without f are dropped. */
import type { MvexpandCommand } from '../spl/ast.js';
import { valuesOf } from '../eval/value.js';
import { mapOperator, simplePlan, type CommandPlan, type PlanEnv } from '../engine/operator.js';

export default function mvexpandPlan(cmd: MvexpandCommand, env: PlanEnv): CommandPlan {
  const limit = cmd.options['limit'] !== undefined ? Number(cmd.options['limit']) : Infinity;
  return simplePlan(cmd, env, cmd.field, () =>
    mapOperator((row) => {
      const values = valuesOf(row.get(cmd.field));
      if (values.length === 0) return null;
      if (values.length === 1) return row;
      return values.slice(0, limit > 0 ? limit : undefined).map((v) => {
        const copy = row.clone();
        copy.set(cmd.field, v);
        return copy;
      });
    }),
  );
}
