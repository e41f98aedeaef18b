/** `tail [N]`: the last N rows (default 10), returned last-first as Splunk does. */
import type { TailCommand } from '../spl/ast.js';
import { blockingOperator, simplePlan, type CommandPlan, type PlanEnv } from '../engine/operator.js';

export default function tailPlan(cmd: TailCommand, env: PlanEnv): CommandPlan {
  return simplePlan(cmd, env, String(cmd.count), () => blockingOperator((rows) => rows.slice(Math.max(0, rows.length - cmd.count)).reverse()));
}
