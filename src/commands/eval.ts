/**
 * `eval f = expr, g = expr` (SPL.md §3.1): assignments run left to right, each seeing the ones
 * before it; a null result removes the field (§3.4). Assigning a bare condition (`eval x = a > b`)
 * is rejected when the plan is built, as Splunk does: wrap it in if().
 */
import type { EvalCommand } from '../spl/ast.js';
import { compileEvalAssignments } from '../eval/index.js';
import { mapOperator, simplePlan, type CommandPlan, type PlanEnv } from '../engine/operator.js';

export default function evalPlan(cmd: EvalCommand, env: PlanEnv): CommandPlan {
  const assign = compileEvalAssignments(cmd.assignments);
  return simplePlan(cmd, env, cmd.assignments.map((a) => a.field).join(', '), (ctx) =>
    mapOperator((row) => {
      assign(row, ctx);
      return row;
    }),
  );
}
