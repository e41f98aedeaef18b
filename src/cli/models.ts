/**
 * `trailguard models [--state DIR] [--format table|json]` lists the models `fit … into NAME` stored
 * in the state directory; `trailguard models rm NAME` removes one.
 */
import type { Command } from 'commander';
import { TrailguardError } from '../errors.js';
import { Row } from '../engine/row.js';
import { ModelStore, type ModelRecord } from '../state/index.js';
import { EXIT, reportFatal } from './output.js';
import { tableText } from './results.js';

const LIST_HELP = `
Models are written by searches that run \`fit DensityFunction … into NAME\` (anomaly baselines) and
read by \`apply NAME\` and \`summary NAME\`. They live in <state>/state.sqlite.

Examples:
  trailguard search @baselines/baseline_of_cloud_instances_launched.yml --data logs/ --state ./.trailguard
  trailguard models --state ./.trailguard
  trailguard models --format json
  trailguard models rm cloud_excessive_instances_created_v1
`;

const RM_HELP = `
Example:
  trailguard models rm cloud_excessive_instances_created_v1 --state ./.trailguard
`;

/** Groups of a model document (DensityFunction keeps one distribution per group). */
function groupCount(m: ModelRecord): number | null {
  const groups = (m.document as { groups?: unknown } | null)?.groups;
  return Array.isArray(groups) ? groups.length : null;
}

function iso(epoch: number): string {
  return new Date(epoch * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function usage(reason: string, hint: string): TrailguardError {
  return new TrailguardError({ code: 'E_USAGE', phase: 'usage', reason, hints: [hint] });
}

export function listModels(flags: { state?: string; format: string }): number {
  if (flags.format !== 'table' && flags.format !== 'json') throw usage(`--format must be table or json, got "${flags.format}"`, 'run `trailguard models --help`');
  const store = new ModelStore({ stateDir: flags.state });
  try {
    const models = store.list();
    if (flags.format === 'json') {
      for (const m of models) {
        process.stdout.write(JSON.stringify({ name: m.name, algorithm: m.algorithm, format: m.format, groups: groupCount(m), created: iso(m.created), fitted: iso(m.updated), fitted_by: m.fittedBy }) + '\n');
      }
      return EXIT.ok;
    }
    if (models.length === 0) {
      process.stderr.write(`no models in ${store.stateDir} (a search with \`fit … into NAME\` creates one)\n`);
      return EXIT.ok;
    }
    const rows = models.map((m) => Row.of({ name: m.name, algorithm: m.algorithm, groups: groupCount(m), fitted: iso(m.updated), fitted_by: m.fittedBy }));
    const width = process.stdout.isTTY ? (process.stdout.columns ?? 120) : 200;
    process.stdout.write(tableText(rows, ['name', 'algorithm', 'groups', 'fitted', 'fitted_by'], width));
    return EXIT.ok;
  } finally {
    store.close();
  }
}

export function removeModel(name: string, flags: { state?: string }): number {
  const store = new ModelStore({ stateDir: flags.state });
  try {
    if (!store.remove(name)) {
      const names = store.list().map((m) => m.name);
      throw new TrailguardError({
        code: 'E_MODEL_MISSING', phase: 'usage', reason: `no model named "${name}" in ${store.stateDir}`,
        hints: [names.length ? `models there: ${names.join(', ')}` : 'the state directory holds no models', 'pass --state DIR if the models live elsewhere'],
      });
    }
    process.stderr.write(`removed model ${name}\n`);
    return EXIT.ok;
  } finally {
    store.close();
  }
}

export function register(program: Command): void {
  const models = program
    .command('models')
    .description('List the anomaly models (fit … into NAME) in the state directory; `models rm NAME` removes one')
    .option('--state <dir>', 'state directory (default ./.trailguard/)')
    .option('--format <format>', 'table | json', 'table')
    .addHelpText('after', LIST_HELP)
    .action((flags: { state?: string; format: string }) => {
      try {
        process.exitCode = listModels(flags);
      } catch (err) {
        process.exitCode = reportFatal(err);
      }
    });
  models
    .command('rm')
    .description('Remove a model from the state directory')
    .argument('<name>', 'the model name')
    .option('--state <dir>', 'state directory (default ./.trailguard/)')
    .addHelpText('after', RM_HELP)
    .action((name: string, flags: { state?: string }) => {
      try {
        process.exitCode = removeModel(name, { state: flags.state ?? models.opts<{ state?: string }>().state });
      } catch (err) {
        process.exitCode = reportFatal(err);
      }
    });
}
