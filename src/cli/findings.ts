/**
 * `trailguard findings`: lists stored findings (JSON: the same lines `detect` prints), with their
 * evidence events on request.
 */
import type { Command } from 'commander';
import pc from 'picocolors';
import { parseBound } from '../engine/session.js';
import { StateStore } from '../state/index.js';
import type { EvidenceEvent } from '../state/findings.js';
import { EXIT, reportFatal, useColour } from './output.js';
import { addStateFlag, usageError } from './run-env.js';
import { FINDING_FORMATS, findingJson, findingsCsv, findingText, type FindingFormat } from './finding-output.js';

interface Flags {
  state?: string;
  since?: string;
  until?: string;
  detection?: string;
  format: string;
  evidence?: boolean;
  tz: string;
}

const HELP = `
--since/--until take SPL time modifiers relative to the clock (-24h, -7d@d) or ISO-8601, and
select findings by the time of the run that raised them.
With --evidence each finding is followed by the CloudTrail events behind it (JSON lines gain
"id" and "evidence" keys).

Examples:
  trailguard findings --since -24h
  trailguard findings --detection "Detect API activity from users without MFA" --format json
  trailguard findings --evidence --since 2026-11-20T00:00:00Z

Exit codes: 0 ok, 2 usage error.
`;

function evidenceText(events: EvidenceEvent[], colour: boolean): string {
  if (events.length === 0) return '    (no evidence stored)\n';
  const dim = (s: string) => (colour ? pc.dim(s) : s);
  return events
    .map((e) => {
      const r = (e.raw ?? {}) as Record<string, unknown>;
      const ui = (r.userIdentity ?? {}) as Record<string, unknown>;
      const err = r.errorCode ? ` ${String(r.errorCode)}` : '';
      return `    ${dim(e.time)} ${String(r.eventName ?? '?')} ${String(ui.arn ?? ui.type ?? '')} from ${String(r.sourceIPAddress ?? '?')}${err}\n`;
    })
    .join('');
}

export function findingsAction(flags: Flags): number {
  if (!FINDING_FORMATS.includes(flags.format as FindingFormat)) throw usageError(`--format must be one of ${FINDING_FORMATS.join(', ')}, got "${flags.format}"`, 'run `trailguard findings --help`');
  const format = flags.format as FindingFormat;
  const clock = Date.now() / 1000;
  const since = parseBound('--since', flags.since, clock, flags.tz);
  const until = parseBound('--until', flags.until, clock, flags.tz);
  const state = new StateStore({ stateDir: flags.state });
  const colour = useColour(process.stdout);
  try {
    const list = state.findings.list({ since, until, detection: flags.detection });
    if (format === 'json') {
      for (const f of list) process.stdout.write(flags.evidence ? findingJson(f.doc, { id: f.id, evidence: state.findings.evidence(f.id) }) : findingJson(f.doc));
    } else if (format === 'csv') {
      process.stdout.write(findingsCsv(list.map((f) => f.doc)));
    } else {
      let last = '';
      for (const f of list) {
        const head = `${f.doc.time}  ${f.doc.detection.name}`;
        if (head !== last) process.stdout.write(`\n${colour ? pc.bold(head) : head}\n`);
        last = head;
        process.stdout.write(findingText(f.doc, colour));
        if (flags.evidence) process.stdout.write(evidenceText(state.findings.evidence(f.id), colour));
      }
    }
    process.stderr.write(`${list.length} finding(s) in ${state.stateDir}\n`);
    return EXIT.ok;
  } finally {
    state.close();
  }
}

export function register(program: Command): void {
  const cmd = program.command('findings').description('List stored findings');
  addStateFlag(cmd)
    .option('--since <time>', 'only findings raised at or after this time (-24h, -7d@d, ISO-8601)')
    .option('--until <time>', 'only findings raised before this time')
    .option('--detection <name|id>', 'only this detection\'s findings')
    .option('--format <format>', 'table | json (the lines detect prints) | csv', 'table')
    .option('--evidence', 'also print the CloudTrail events behind each finding')
    .option('--tz <zone>', 'time zone for snapping --since/--until', 'UTC')
    .addHelpText('after', HELP)
    .action((flags: Flags) => {
      try {
        process.exitCode = findingsAction(flags);
      } catch (err) {
        process.exitCode = reportFatal(err);
      }
    });
}
