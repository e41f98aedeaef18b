/** `| makeresults [count=N]`: N rows holding only `_time` = now(). */
import type { MakeresultsCommand } from '../spl/ast.js';
import { Row } from '../engine/row.js';
import { simplePlan, type CommandPlan, type PlanEnv } from '../engine/operator.js';

export default function makeresultsPlan(cmd: MakeresultsCommand, env: PlanEnv): CommandPlan {
  const count = cmd.options['count'] !== undefined ? Math.max(0, Math.floor(Number(cmd.options['count']))) : 1;
  return simplePlan(
    cmd,
    env,
    `count=${count}`,
    (ctx) => ({
      push: (rows) => rows,
      finish: () => Array.from({ length: count }, () => Row.of({ _time: ctx.now })),
    }),
    true,
  );
}
