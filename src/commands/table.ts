/** `table f1, f2, …` (SPL.md §5): only the listed fields, in that order (wildcards allowed). */
import type { TableCommand } from '../spl/ast.js';
import { mapOperator, simplePlan, type CommandPlan, type PlanEnv } from '../engine/operator.js';
import { expandFieldPatterns, hasWildcard } from '../engine/wildcard.js';

export default function tablePlan(cmd: TableCommand, env: PlanEnv): CommandPlan {
  const wild = cmd.fields.some(hasWildcard);
  return simplePlan(cmd, env, cmd.fields.join(', '), () =>
    mapOperator((row) => row.project(wild ? expandFieldPatterns(cmd.fields, row.fieldNames()) : cmd.fields)),
  );
}
