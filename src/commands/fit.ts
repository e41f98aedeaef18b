/**
 * `fit DensityFunction <f> [by "<a>,<b>"] [into <model>] [as <name>] [params…]` (MLTK.md §2–3):
 * fits one distribution per group, returns the training rows with IsOutlier/BoundaryRanges (and
 * ProbabilityDensity with show_density), and with `into` stores the model — after a successful fit
 * only, in one transaction. Other algorithms and partial_fit are rejected at plan time.
 */
import { TrailguardError } from '../errors.js';
import type { FitCommand } from '../spl/ast.js';
import { blockingOperator, type CommandPlan, type PlanEnv } from '../engine/operator.js';
import { fitDensity } from '../mltk/density.js';
import { readDensityOptions } from '../mltk/options.js';
import { writeDensityModel } from '../mltk/access.js';

/** summary's own columns (MLTK.md §3.8); current MLTK refuses by-fields with these names. */
const SUMMARY_COLUMNS = ['type', 'min', 'max', 'mean', 'std', 'cardinality', 'distance', 'other'];

function planError(cmd: FitCommand, reason: string, hint: string): TrailguardError {
  return new TrailguardError({ code: 'E_MLTK_FIT', phase: 'plan', span: cmd.span, reason, hints: [hint] });
}

export default function fitPlan(cmd: FitCommand, env: PlanEnv): CommandPlan {
  if (cmd.algorithm.toLowerCase() !== 'densityfunction') {
    throw planError(cmd, `fit: algorithm "${cmd.algorithm}" is not supported; Trailguard fits DensityFunction`, 'anomaly baselines use `fit DensityFunction <field> by "<a>,<b>" into <model>`');
  }
  if (cmd.features.length !== 1) {
    throw planError(
      cmd,
      `fit: DensityFunction takes exactly one feature field, got ${cmd.features.length === 0 ? 'none' : cmd.features.map((f) => `"${f}"`).join(', ')}`,
      'quote comma lists so they stay one argument: by "user,HourOfDay", threshold="0.01,0.005"',
    );
  }
  const clash = cmd.by.find((b) => SUMMARY_COLUMNS.includes(b));
  if (clash !== undefined) throw planError(cmd, `fit: a by-field may not be named "${clash}", a column of the model's summary`, `rename it first (rename ${clash} as ${clash}_value)`);
  const options = readDensityOptions(cmd.options, 'fit', cmd.span);
  if (options.partialFit) throw planError(cmd, 'fit: partial_fit=true is not supported by Trailguard', 'fit the model on the whole training window instead');
  const feature = cmd.features[0]!;
  return {
    command: cmd,
    position: env.position,
    describe: () => `DensityFunction ${feature}${cmd.by.length ? ` by ${cmd.by.join(',')}` : ''} dist=${options.dist}${cmd.into ? ` into ${cmd.into}` : ''}`,
    open(ctx) {
      return blockingOperator(async (rows) => {
        const { rows: out, model } = fitDensity(rows, { feature, by: cmd.by, options, given: cmd.options, as: cmd.as }, (m) => ctx.warn(m));
        if (cmd.into !== null) await writeDensityModel(ctx, cmd.into, model);
        return out;
      });
    },
  };
}
