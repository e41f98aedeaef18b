/** `trailguard generate`: writes a realistic CloudTrail workload with injected detection scenarios. */
import type { Command } from 'commander';
import { TrailguardError } from '../errors.js';
import { generate, type Layout } from '../generate/index.js';

const HELP_AFTER = `
Writes CloudTrail records for a simulated organisation (3-5 accounts, people with and without MFA,
service accounts, roles assumed by people and by AWS services), spread over --days with a daily
rhythm and ending at --end. Inside the last hour (end-60m .. end-15m) it injects activity for each
seed detection: a role calling an API it never called, API calls without MFA, and a role/command
pair never seen in the Change data model. Beside the data it writes the ground truth (JSON) and
aws_service_accounts.csv (the service-account allow-list, header "identity").
The same arguments always produce the same bytes.

Examples:
  trailguard generate --events 200000 --out work/ct.ndjson --seed demo --days 8 --end 2026-01-05T12:00:00Z
  trailguard generate --events 50000 --out work/s3 --layout awslogs --truth work/truth.json
`;

function parseCount(text: string): number {
  const clean = text.replace(/_/g, '');
  if (!/^\d+$/.test(clean)) throw usage(`--events must be a positive whole number, got "${text}"`);
  return Number(clean);
}

function parseDays(text: string): number {
  if (!/^\d+(\.\d+)?$/.test(text)) throw usage(`--days must be a positive number of days, got "${text}"`);
  return Number(text);
}

/** ISO-8601 (UTC when no offset is given) or epoch seconds. */
export function parseEndTime(text: string): number {
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const m = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?))?(Z|[+-]\d{2}:?\d{2})?$/.exec(text);
  if (!m) throw usage(`--end must be ISO-8601 (2026-01-05T12:00:00Z) or epoch seconds, got "${text}"`);
  const ms = Date.parse(`${m[1]}T${m[2] ?? '00:00:00'}${m[3] ?? 'Z'}`);
  if (!Number.isFinite(ms)) throw usage(`--end is not a valid date: "${text}"`);
  return ms;
}

function usage(reason: string): TrailguardError {
  return new TrailguardError({ code: 'generate-usage', phase: 'usage', reason, hints: ['run `trailguard generate --help` for the options'] });
}

function megabytes(n: number): string {
  return `${(n / 1_048_576).toFixed(1)} MB`;
}

interface Flags {
  events: string;
  out: string;
  seed?: string;
  days?: string;
  end?: string;
  layout: string;
  truth?: string;
  serviceAccounts?: string;
  gzip?: boolean;
  scenarios: boolean;
  force?: boolean;
  format: string;
}

export function register(program: Command): void {
  program
    .command('generate')
    .description('Write realistic CloudTrail events with injected scenarios for the seed detections')
    .requiredOption('--events <n>', 'number of events to write (exact, scenarios included)')
    .requiredOption('--out <path>', 'NDJSON file (or directory) for --layout ndjson; root directory for --layout awslogs')
    .option('--seed <seed>', 'random seed; the same arguments give identical output', 'trailguard')
    .option('--days <d>', 'days of history before --end (8 or more lets the Change baseline set enough_data=1)', '7')
    .option('--end <time>', 'end of the window: ISO-8601 or epoch seconds (default: now, rounded down to the hour)')
    .option('--layout <layout>', 'ndjson | awslogs (S3 delivery tree of gzipped {"Records":[...]} files)', 'ndjson')
    .option('--truth <file>', 'ground-truth JSON (default: beside the data)')
    .option('--service-accounts <file>', 'service-account allow-list CSV (default: aws_service_accounts.csv beside the data)')
    .option('--gzip', 'gzip the NDJSON file (implied by a .gz path)')
    .option('--no-scenarios', 'background activity only')
    .option('--force', 'replace existing output')
    .option('--format <format>', 'summary format on stdout: text (none; summary on stderr) | json', 'text')
    .addHelpText('after', HELP_AFTER)
    .action(async (flags: Flags) => {
      if (flags.layout !== 'ndjson' && flags.layout !== 'awslogs') throw usage(`--layout must be ndjson or awslogs, got "${flags.layout}"`);
      if (flags.format !== 'text' && flags.format !== 'json') throw usage(`--format must be text or json, got "${flags.format}"`);
      if (flags.layout === 'awslogs' && flags.gzip) process.stderr.write('trailguard generate: note: AWSLogs files are always gzipped; --gzip is not needed\n');
      const events = parseCount(flags.events);
      const tty = Boolean(process.stderr.isTTY);
      const summary = await generate({
        events,
        out: flags.out,
        seed: flags.seed,
        days: flags.days === undefined ? undefined : parseDays(flags.days),
        end: flags.end === undefined ? undefined : parseEndTime(flags.end),
        layout: flags.layout as Layout,
        truth: flags.truth,
        serviceAccounts: flags.serviceAccounts,
        gzip: flags.gzip,
        scenarios: flags.scenarios,
        force: flags.force,
        progressEvery: Math.max(10_000, Math.floor(events / 100)),
        onProgress: tty ? (n) => process.stderr.write(`\rgenerating: ${n.toLocaleString('en-US')} / ${events.toLocaleString('en-US')} events`) : undefined,
      });
      if (tty) process.stderr.write('\r\x1b[K');
      process.stderr.write(
        `trailguard generate: ${summary.events} events, ${summary.files} file${summary.files === 1 ? '' : 's'}, ${megabytes(summary.bytes)}, ` +
          `${summary.start} .. ${summary.end} -> ${summary.dataPath} (truth: ${summary.truthPath}; service accounts: ${summary.serviceAccountsPath})\n`,
      );
      if (flags.format === 'json') process.stdout.write(JSON.stringify(summary) + '\n');
    });
}
