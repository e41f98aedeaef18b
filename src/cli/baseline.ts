/**
 * `trailguard baseline [NAME|ID]... --data PATH...`: builds the "previously seen" tables the
 * detections compare against, each baseline over its own window relative to --now, in
 * dependency order (an Initial build before its Update).
 */
import type { Command } from 'commander';
import { selectBaselines, runBaselines } from '../detect/operations.js';
import type { BaselineOutcome } from '../detect/runner.js';
import { isoTime } from '../detect/findings.js';
import { EXIT, reportFatal } from './output.js';
import { addRunFlags, openContent, openState, runEnvironment, usageError, type RunFlags } from './run-env.js';

interface Flags extends RunFlags {
  format: string;
}

const HELP = `
Without names, runs every baseline the enabled detections need (not those marked run: manual,
such as the service-account allow-list, which people review). A detection's name runs the
baselines that detection needs. Tables are written to --state (CSV lookups under lookups/,
collections in state.sqlite), atomically.

Examples:
  trailguard baseline --data trail/ --now 2026-11-20T12:00:00Z
  trailguard baseline "Detect new API calls from user roles" --data trail/
  trailguard baseline "Create a list of approved AWS service accounts" --data trail/ --format json

Exit codes: 0 ok, 1 a baseline failed, 2 usage or input error.
`;

function line(o: BaselineOutcome): string {
  const tables = [...o.tables].map(([t, n]) => `${t}: ${n} row(s)`).join(', ') || 'no table written';
  return `${o.baseline.name}  [${o.window.earliestText} .. ${o.window.latestText} = ${isoTime(o.window.earliest)} .. ${isoTime(o.window.latest)}]  ${tables}  (${(o.durationMs / 1000).toFixed(1)} s)\n`;
}

function json(o: BaselineOutcome): string {
  return JSON.stringify({
    baseline: { id: o.baseline.id, name: o.baseline.name },
    window: { earliest: isoTime(o.window.earliest), latest: isoTime(o.window.latest) },
    tables: Object.fromEntries(o.tables),
    duration_ms: o.durationMs,
  }) + '\n';
}

export async function baselineAction(refs: string[], flags: Flags): Promise<number> {
  if (flags.format !== 'table' && flags.format !== 'json') throw usageError(`--format must be table or json, got "${flags.format}"`, 'run `trailguard baseline --help`');
  const content = openContent(flags);
  const state = openState(flags, content);
  try {
    const env = await runEnvironment(flags, 'baseline', content, state);
    const list = selectBaselines(content, refs);
    if (list.length === 0) {
      process.stderr.write('no baseline to run: the chosen detections read no table a baseline builds\n');
      return EXIT.ok;
    }
    await runBaselines(env, list, (o) => process.stdout.write(flags.format === 'json' ? json(o) : line(o)));
    process.stderr.write(`${list.length} baseline(s) built in ${state.stateDir}\n`);
    return EXIT.ok;
  } finally {
    state.close();
  }
}

export function register(program: Command): void {
  const cmd = program
    .command('baseline')
    .description('Build the baselines ("previously seen" tables) that detections compare against')
    .argument('[names...]', 'baselines or detections, by name or id (default: what the enabled detections need)');
  addRunFlags(cmd)
    .option('--format <format>', 'table | json', 'table')
    .addHelpText('after', HELP)
    .action(async (names: string[], flags: Flags) => {
      try {
        process.exitCode = await baselineAction(names, flags);
      } catch (err) {
        process.exitCode = reportFatal(err);
      }
    });
}
