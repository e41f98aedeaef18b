/**
 * `trailguard demo`: the whole job on bundled data, end to end. It generates a week and a half of
 * realistic CloudTrail with injected attacks, builds the seed detections' baselines, runs the
 * three seed detections as written over their scheduled window, prints the findings with risk and
 * ATT&CK context, and checks them against the generator's ground truth.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import pc from 'picocolors';
import type { Row } from '../engine/row.js';
import { runSeedDetections } from '../detect/seed-run.js';
import { generate, defaultEnd, type ScenarioTruth } from '../generate/index.js';
import { strftime } from '../eval/index.js';
import { valuesOf, toText } from '../eval/value.js';
import { TrailguardError } from '../errors.js';
import { EXIT, reportFatal, useColour } from './output.js';
import { resultColumns, tableText } from './results.js';
import { parseEndTime } from './generate.js';

interface DemoFlags {
  out?: string;
  events: string;
  seed: string;
  end?: string;
  format: string;
}

function parsePositiveInt(flag: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) {
    throw new TrailguardError({ code: 'E_USAGE', phase: 'usage', reason: `${flag} must be a positive whole number, got "${text}"` });
  }
  return n;
}

/** --end as the generator reads it (ISO-8601 or epoch seconds), with this command's help in the hint. */
function demoEnd(text: string): number {
  try {
    return parseEndTime(text);
  } catch (err) {
    if (!(err instanceof TrailguardError)) throw err;
    throw new TrailguardError({ code: err.code, phase: err.phase, reason: err.reason, hints: ['run `trailguard demo --help` for the options'] });
  }
}

/** Does any result row of the scenario's detection name its identity or one of its API calls? */
function scenarioFound(s: ScenarioTruth, rows: readonly Row[]): boolean {
  const wanted = new Set<string>([s.identity.name, s.identity.arn, ...s.events.map((e) => e.eventName)]);
  return rows.some((row) => row.fieldNames().some((f) => valuesOf(row.get(f)).some((v) => wanted.has(toText(v)))));
}

const log = (s = '') => process.stderr.write(s + '\n');

async function demoAction(flags: DemoFlags): Promise<number> {
  const colour = useColour(process.stdout);
  const bold = (s: string) => (colour ? pc.bold(s) : s);
  const dim = (s: string) => (colour ? pc.dim(s) : s);
  const events = parsePositiveInt('--events', flags.events);
  const endMs = flags.end === undefined ? defaultEnd() : demoEnd(flags.end);
  const now = endMs / 1000;
  const out = resolve(flags.out ?? mkdtempSync(join(tmpdir(), 'trailguard-demo-')));
  const dataDir = join(out, 'cloudtrail');
  const stateDir = join(out, 'state');
  mkdirSync(join(stateDir, 'lookups'), { recursive: true });

  log(`trailguard demo: generating ${events} CloudTrail events over 9 days into ${dataDir}`);
  const summary = await generate({
    events, seed: flags.seed, days: 9, end: endMs, out: dataDir, layout: 'awslogs',
    truth: join(out, 'truth.json'), serviceAccounts: join(out, 'aws_service_accounts.csv'), force: true,
  });
  copyFileSync(summary.serviceAccountsPath, join(stateDir, 'lookups', 'aws_service_accounts.csv'));
  const truth = JSON.parse(readFileSync(summary.truthPath, 'utf8')) as { scenarios: ScenarioTruth[] };

  const { baselines, detections: outcomes } = await runSeedDetections({
    dataPaths: [dataDir], stateDir, now, onWarning: (m: string) => log(dim(`  warning: ${m}`)),
  });
  for (const b of baselines) log(`baseline "${b.baseline.name}" over ${b.earliest}..${b.latest}: ${b.writtenRows} rows in its lookup`);

  if (flags.format === 'json') {
    for (const o of outcomes) for (const f of o.findings) process.stdout.write(JSON.stringify(f) + '\n');
  } else {
    const width = process.stdout.columns ?? 120;
    const when = strftime(now, '%Y-%m-%dT%H:%M:%SZ', 'UTC');
    process.stdout.write(`\n${bold(`Seed detections at now=${when}`)} ${dim(`(data: ${summary.events} events, state: ${stateDir})`)}\n`);
    for (const o of outcomes) {
      const d = o.detection;
      const attack = d.mitreAttackIds.length > 0 ? d.mitreAttackIds.join(', ') : 'none';
      process.stdout.write(`\n${bold(d.name)} ${dim(`[${d.type}, ${d.status ?? 'production'}]`)}\n`);
      process.stdout.write(`  window ${d.schedule.earliest} .. ${d.schedule.latest}, risk ${d.riskScore ?? '-'}, ATT&CK ${attack}: ${o.findings.length} finding(s)\n`);
      if (o.rows.length > 0) process.stdout.write(tableText(o.rows, resultColumns(o.rows), width).replace(/^/gm, '  ') + '\n');
      for (const f of o.findings.slice(0, 5)) process.stdout.write(`  - ${f.message}\n`);
      for (const w of o.warnings) process.stdout.write(dim(`  warning: ${w}\n`));
    }
    process.stdout.write(`\n${bold('Injected attack scenarios (ground truth from the generator)')}\n`);
    for (const s of truth.scenarios) {
      const outcome = outcomes.find((o) => o.detection.id === s.detection.id);
      const found = outcome !== undefined && scenarioFound(s, outcome.rows);
      const mark = found ? 'found ' : 'MISSED';
      process.stdout.write(`  ${colour ? (found ? pc.green(mark) : pc.red(mark)) : mark} ${s.detection.name}: ${s.description}\n`);
    }
  }
  log(`\nFiles kept in ${out} (data, state, truth.json). Try:\n  trailguard search '\`cloudtrail\` | stats count by eventName' --data ${dataDir}`);
  return EXIT.ok;
}

export function register(program: Command): void {
  program
    .command('demo')
    .description('Generate CloudTrail with injected attacks, build baselines, and run the three seed detections')
    .option('--out <dir>', 'directory for the generated data, state and truth (default: a new temp directory)')
    .option('--events <n>', 'number of events to generate', '20000')
    .option('--seed <s>', 'generator seed (same seed, same data)', 'trailguard')
    .option('--end <time>', 'end of the generated data and now() of the detections (ISO-8601 or epoch; default: this hour)')
    .option('--format <fmt>', 'table or json (one finding per line)', 'table')
    .addHelpText('after', '\nExamples:\n  trailguard demo\n  trailguard demo --events 100000 --end 2026-11-20T12:00:00Z --format json\n')
    .action(async (flags: DemoFlags) => {
      try {
        if (flags.format !== 'table' && flags.format !== 'json') {
          throw new TrailguardError({ code: 'E_USAGE', phase: 'usage', reason: `--format must be table or json, got "${flags.format}"` });
        }
        process.exitCode = await demoAction(flags);
      } catch (err) {
        process.exitCode = reportFatal(err);
      }
    });
}
