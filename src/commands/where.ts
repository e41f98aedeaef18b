/** `where <expr>` (SPL.md §3): keeps a row only when the expression is true (null → dropped). */
import type { WhereCommand } from '../spl/ast.js';
import { compileCondition } from '../eval/index.js';
import { mapOperator, simplePlan, type CommandPlan, type PlanEnv } from '../engine/operator.js';

export default function wherePlan(cmd: WhereCommand, env: PlanEnv): CommandPlan {
  const cond = compileCondition(cmd.expr);
  return simplePlan(cmd, env, '', (ctx) => mapOperator((row) => (cond(row, ctx) ? row : null)));
}
