/** `append [subsearch]` (SPL.md §5): the subsearch's rows follow the current rows. */
import type { AppendCommand } from '../spl/ast.js';
import type { CommandPlan, PlanEnv } from '../engine/operator.js';

export default function appendPlan(cmd: AppendCommand, env: PlanEnv): CommandPlan {
  const sub = env.compile(cmd.subsearch);
  const maxout = cmd.options['maxout'] !== undefined ? Number(cmd.options['maxout']) : undefined;
  return {
    command: cmd,
    position: env.position,
    describe: () => ['[', ...sub.describe('    '), ']'].join('\n'),
    open(ctx) {
      return {
        push: (rows) => rows,
        async finish() {
          const max = maxout ?? ctx.limits.joinRows;
          const { rows, truncated } = await sub.run(ctx, { maxRows: max });
          if (truncated) ctx.warn(`append: subsearch returned more than ${max} rows; only the first ${max} were appended`);
          return rows;
        },
      };
    },
  };
}
