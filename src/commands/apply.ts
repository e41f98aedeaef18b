/**
 * `apply <model> [threshold=… lower_threshold=… upper_threshold=… show_density=…] [as <name>]`
 * (MLTK.md §3.6): once its input is complete it reads the stored DensityFunction model (so
 * `fit … into m | apply m` sees the new model; a missing model is an error naming the baseline that
 * fits it, even without input rows) and annotates every row; apply-time thresholds replace the
 * model's.
 */
import type { ApplyCommand } from '../spl/ast.js';
import { blockingOperator, type CommandPlan, type PlanEnv } from '../engine/operator.js';
import { applyDensity } from '../mltk/density.js';
import { readDensityOptions } from '../mltk/options.js';
import { readDensityModel } from '../mltk/access.js';

export default function applyPlan(cmd: ApplyCommand, env: PlanEnv): CommandPlan {
  const options = readDensityOptions(cmd.options, 'apply', cmd.span);
  return {
    command: cmd,
    position: env.position,
    describe: () => cmd.model,
    open(ctx) {
      return blockingOperator(async (rows) => {
        const model = await readDensityModel(ctx, cmd.model);
        return applyDensity(rows, model, options, cmd.as, (m) => ctx.warn(m));
      });
    },
  };
}
