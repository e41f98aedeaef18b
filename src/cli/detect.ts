/**
 * `trailguard detect [NAME|ID]... --data PATH...`: runs detections once, each over its scheduled
 * window relative to --now, stores their findings, and prints the new ones.
 */
import type { Command } from 'commander';
import pc from 'picocolors';
import { renderError, TrailguardError, TrailguardErrors } from '../errors.js';
import { runDetections, selectDetections } from '../detect/operations.js';
import type { DetectionOutcome } from '../detect/runner.js';
import { isoTime } from '../detect/findings.js';
import { EXIT, reportFatal, useColour } from './output.js';
import { addRunFlags, openContent, openState, runEnvironment, usageError, type RunFlags } from './run-env.js';
import { FINDING_FORMATS, findingJson, findingsCsv, findingText, type FindingFormat } from './finding-output.js';

interface Flags extends RunFlags {
  format: string;
  all?: boolean;
}

const HELP = `
Each detection runs over its own window (its schedule's earliest..latest, e.g. -70m@m..-10m@m)
relative to --now. Findings are stored in --state with a stable identity: running the same
window again stores nothing new, and a finding raised within the suppression period (default:
the window's length) is not raised again. Lookup writes of a detection (outputlookup) and its
findings commit together. A detection whose baseline was never built stops with the
\`trailguard baseline\` command to run.

Examples:
  trailguard baseline --data trail/ --now 2026-11-20T12:00:00Z
  trailguard detect --data trail/ --now 2026-11-20T12:00:00Z
  trailguard detect "Detect API activity from users without MFA" --data trail/ --format json

Exit codes: 0 ok (with or without findings), 1 a detection failed, 2 usage or input error.
`;

function printOutcome(o: DetectionOutcome, format: FindingFormat, all: boolean, colour: boolean, state: { csvHeader: boolean }): void {
  const shown = o.findings.filter((f) => all || f.status === 'new');
  if (format === 'json') {
    for (const f of shown) process.stdout.write(findingJson(f.finding.doc));
    return;
  }
  if (format === 'csv') {
    process.stdout.write(findingsCsv(shown.map((f) => f.finding.doc), state.csvHeader));
    state.csvHeader = false;
    return;
  }
  const d = o.detection;
  const bold = (s: string) => (colour ? pc.bold(s) : s);
  const dim = (s: string) => (colour ? pc.dim(s) : s);
  const newCount = o.findings.filter((f) => f.status === 'new').length;
  process.stdout.write(`\n${bold(d.name)} ${dim(`[${d.type}${d.status ? `, ${d.status}` : ''}] ${o.window.earliestText}..${o.window.latestText} = ${isoTime(o.window.earliest)}..${isoTime(o.window.latest)}`)}\n`);
  process.stdout.write(`  ${newCount} new finding(s)${o.findings.length > newCount ? dim(`, ${o.findings.length - newCount} already raised`) : ''}\n`);
  for (const f of shown) process.stdout.write(findingText(f.finding.doc, colour, f.status));
}

export async function detectAction(refs: string[], flags: Flags): Promise<number> {
  if (!FINDING_FORMATS.includes(flags.format as FindingFormat)) throw usageError(`--format must be one of ${FINDING_FORMATS.join(', ')}, got "${flags.format}"`, 'run `trailguard detect --help`');
  const format = flags.format as FindingFormat;
  const content = openContent(flags);
  const state = openState(flags, content);
  const colour = useColour(process.stdout);
  try {
    const env = await runEnvironment(flags, 'detect', content, state);
    const list = selectDetections(content, refs);
    if (list.length === 0) {
      process.stderr.write('no enabled detection to run (see `trailguard validate`)\n');
      return EXIT.ok;
    }
    const csv = { csvHeader: true };
    const report = await runDetections(env, list, refs.length > 0, (o) => printOutcome(o, format, flags.all === true, colour, csv));
    const all = report.outcomes.flatMap((o) => o.findings);
    const count = (s: string) => all.filter((f) => f.status === s).length;
    const parts = [`${count('new')} new finding(s) stored in ${state.stateDir}`];
    if (count('stored') > 0) parts.push(`${count('stored')} already stored by an earlier run over the same window`);
    if (count('suppressed') > 0) parts.push(`${count('suppressed')} suppressed (raised within the suppression period)`);
    process.stderr.write(`\n${report.outcomes.length} detection(s) run: ${parts.join('; ')}\n`);
    if (report.unsupported.length > 0) {
      process.stderr.write(`${report.unsupported.length} enabled detection(s) skipped because Trailguard cannot run their SPL: ${report.unsupported.map((u) => `"${u.detection.name}"`).join(', ')} (see \`trailguard validate\`)\n`);
    }
    for (const f of report.failures) {
      const errs = f.error instanceof TrailguardErrors ? f.error.errors : [f.error];
      process.stderr.write(`${colour ? pc.red('error:') : 'error:'} detection "${f.detection.name}" failed:\n`);
      for (const e of errs) process.stderr.write((e instanceof TrailguardError ? renderError(e) : e.message).replace(/^/gm, '  ') + '\n');
    }
    return report.failures.length > 0 ? EXIT.search : EXIT.ok;
  } finally {
    state.close();
  }
}

export function register(program: Command): void {
  const cmd = program
    .command('detect')
    .description('Run detections over their windows, store their findings and print the new ones')
    .argument('[names...]', 'detections by name or id (default: every enabled detection)');
  addRunFlags(cmd)
    .option('--format <format>', 'table | json (one finding per line) | csv', 'table')
    .option('--all', 'also print findings already stored or suppressed')
    .addHelpText('after', HELP)
    .action(async (names: string[], flags: Flags) => {
      try {
        process.exitCode = await detectAction(names, flags);
      } catch (err) {
        process.exitCode = reportFatal(err);
      }
    });
}
