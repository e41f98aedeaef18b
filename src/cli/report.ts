/**
 * `trailguard report`: writes the findings report, one self-contained HTML page (timeline, risk per
 * identity, findings with their evidence) that opens from disk and loads nothing from the network.
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { parseBound, parseNow } from '../engine/session.js';
import { TrailguardError } from '../errors.js';
import { loadReportInput, type ReportSource } from '../report/load.js';
import { DEFAULT_EVIDENCE_LIMIT } from '../report/model.js';
import { writeReport } from '../report/page.js';
import { EXIT, reportFatal } from './output.js';

export const DEFAULT_REPORT_FILE = 'trailguard-report.html';

const HELP_AFTER = `
The page shows the period and totals, a timeline of findings per hour stacked by detection,
identities ranked by summed risk (flagging ES's risk incident rules: over 100 risk in 24 hours;
3+ ATT&CK tactics from 4+ detections in 7 days), and a findings table that sorts and filters by
detection, identity, technique and text; each finding expands to its risk objects, techniques,
result row and evidence events. Scripts, styles and the chart library are inside the file and a
Content-Security-Policy forbids every network request: open it from disk or attach it to a ticket.
The file is replaced atomically.

By default the report reads the findings store of --state (default ./.trailguard/): every finding
with the CloudTrail events kept as its evidence, and the stored risk events.
--findings reads one finding per line instead, as \`detect --format json\` prints them:
  {"detection": {"id", "name", "version", "type"}, "time", "window": {"earliest", "latest"},
   "risk_score", "risk_objects": [{"field", "value", "type", "role"}], "message",
   "mitre": [{"id", "name", "tactics"}], "stories", "fields": {...},
   "id" (optional), "evidence": [{"time", "raw": {CloudTrail event}}] (optional)}
--risk-events reads risk events ({time, object, object_type, score, detection_id, detection_name,
mitre_ids, tactics}); without it they are derived from the findings' risk objects.
--since/--until take ISO-8601, epoch seconds or an SPL modifier (-7d@d) relative to --now.

Examples:
  trailguard report --state ./.trailguard --since -7d@d
  trailguard report --findings findings.jsonl
  trailguard report --findings findings.jsonl --since -7d@d --out week.html
  trailguard report --findings - --since 2026-11-19T00:00:00Z --until 2026-11-20T00:00:00Z < findings.jsonl
`;

interface Flags {
  findings?: string;
  riskEvents?: string;
  state?: string;
  since?: string;
  until?: string;
  now?: string;
  out: string;
  evidence: string;
}

function usage(reason: string, hints: string[] = ['run `trailguard report --help` for the options']): TrailguardError {
  return new TrailguardError({ code: 'E_USAGE', phase: 'usage', reason, hints });
}

/** The report's input from the flags; the findings store becomes a second kind of source here. */
function sourceFrom(flags: Flags): ReportSource {
  const now = parseNow(flags.now);
  const since = parseBound('--since', flags.since, now, 'UTC');
  const until = parseBound('--until', flags.until, now, 'UTC');
  if (since !== undefined && until !== undefined && since >= until) throw usage(`--since (${flags.since}) must be before --until (${flags.until})`);
  const period = { since: since === undefined ? undefined : since * 1000, until: until === undefined ? undefined : until * 1000 };
  if (flags.findings !== undefined && flags.state !== undefined) throw usage('give either --findings FILE.jsonl or --state DIR, not both');
  if (flags.findings === undefined) {
    if (flags.riskEvents !== undefined) throw usage('--risk-events goes with --findings; the store has its own risk events');
    return { kind: 'store', stateDir: flags.state, ...period };
  }
  return { kind: 'jsonl', findings: flags.findings, riskEvents: flags.riskEvents, ...period };
}

function reportAction(flags: Flags): number {
  if (!/^\d+$/.test(flags.evidence)) throw usage(`--evidence must be a whole number of events, got "${flags.evidence}"`);
  const out = resolve(flags.out);
  if (!out.toLowerCase().endsWith('.html') && !out.toLowerCase().endsWith('.htm')) {
    throw usage(`--out must name an .html file, got "${flags.out}"`);
  }
  const input = loadReportInput(sourceFrom(flags));
  const t = writeReport(input, out, { evidenceLimit: Number(flags.evidence) }).totals;
  process.stderr.write(`trailguard report: ${t.findings} findings from ${t.detections} detections, ${t.identities} identities (${t.highRiskIdentities} high-risk)\n`);
  process.stdout.write(out + '\n');
  return EXIT.ok;
}

export function register(program: Command): void {
  program
    .command('report')
    .description('Write the findings report: one self-contained HTML page with timeline, risk per identity and evidence')
    .option('--findings <file>', 'findings, one JSON object per line (- for standard input)')
    .option('--risk-events <file>', 'risk events, one JSON object per line (default: derived from the findings)')
    .option('--state <dir>', 'state directory whose findings store to read (default ./.trailguard/)')
    .option('--since <time>', 'only findings at or after this time')
    .option('--until <time>', 'only findings before this time')
    .option('--now <time>', 'now() for relative --since/--until (ISO-8601 or epoch seconds)')
    .option('--out <file>', 'the HTML file to write', DEFAULT_REPORT_FILE)
    .option('--evidence <n>', 'evidence events shown per finding', String(DEFAULT_EVIDENCE_LIMIT))
    .addHelpText('after', HELP_AFTER)
    .action((flags: Flags) => {
      try {
        process.exitCode = reportAction(flags);
      } catch (err) {
        process.exitCode = reportFatal(err);
      }
    });
}
