/** `head [N] [(expr)]`: the first N rows (default 10), or rows until the expression is not true. */
import type { HeadCommand } from '../spl/ast.js';
import { compileCondition } from '../eval/index.js';
import type { Row } from '../engine/row.js';
import type { CommandPlan, Operator, PlanEnv } from '../engine/operator.js';

export default function headPlan(cmd: HeadCommand, env: PlanEnv): CommandPlan {
  const cond = cmd.expr ? compileCondition(cmd.expr) : null;
  const limit = cmd.options['limit'] !== undefined ? Number(cmd.options['limit']) : cmd.count;
  return {
    command: cmd,
    position: env.position,
    describe: () => (cond ? '(expr)' : String(limit)),
    open(ctx) {
      let taken = 0;
      let stopped = false;
      const op: Operator = {
        get done() {
          return stopped;
        },
        push(rows) {
          const out: Row[] = [];
          for (const r of rows) {
            if (stopped) break;
            if (cond ? !cond(r, ctx) : taken >= limit) {
              stopped = true;
              break;
            }
            out.push(r);
            taken++;
            if (!cond && taken >= limit) stopped = true;
          }
          return out;
        },
        finish: () => [],
      };
      return op;
    },
  };
}
