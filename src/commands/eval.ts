/**
 * `eval f = expr, g = expr` (SPL.md §3.1): assignments run left to right, each seeing the ones
 * before it; a null result removes the field (§3.4).
 */
import type { EvalCommand } from '../spl/ast.js';
import { compileExpr } from '../eval/index.js';
import type { Value } from '../eval/value.js';
import { mapOperator, simplePlan, type CommandPlan, type PlanEnv } from '../engine/operator.js';

/** eval's result as a stored value: a bare boolean (`eval x = a > b`) is kept as its text. */
export function storedValue(v: Value | boolean): Value {
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return v;
}

export default function evalPlan(cmd: EvalCommand, env: PlanEnv): CommandPlan {
  const steps = cmd.assignments.map((a) => ({ field: a.field, fn: compileExpr(a.expr) }));
  return simplePlan(cmd, env, steps.map((s) => s.field).join(', '), (ctx) =>
    mapOperator((row) => {
      for (const s of steps) row.set(s.field, storedValue(s.fn(row, ctx)));
      return row;
    }),
  );
}
