/** `summary <model>`: one row per group of a DensityFunction model (MLTK.md §3.8); a generating command. */
import { TrailguardError } from '../errors.js';
import type { SummaryCommand } from '../spl/ast.js';
import type { CommandPlan, PlanEnv } from '../engine/operator.js';
import { summaryRows } from '../mltk/density.js';
import { readDensityModel } from '../mltk/access.js';

export default function summaryPlan(cmd: SummaryCommand, env: PlanEnv): CommandPlan {
  const unknown = Object.keys(cmd.options);
  if (unknown.length > 0) {
    throw new TrailguardError({ code: 'E_MLTK_PARAM', phase: 'plan', span: cmd.span, reason: `summary: unknown parameter "${unknown[0]}"`, hints: ['summary takes only a model name: | summary <model>'] });
  }
  return {
    command: cmd,
    position: env.position,
    generating: true,
    describe: () => cmd.model,
    async open(ctx) {
      const model = await readDensityModel(ctx, cmd.model);
      return { push: (rows) => rows, finish: () => summaryRows(model) };
    },
  };
}
