/**
 * `trailguard demo`: the whole job on generated data, end to end, through the same code as
 * `trailguard baseline` and `detect`. It generates nine days of realistic CloudTrail with injected
 * attacks, builds the baselines the enabled detections need, runs every enabled detection over its
 * scheduled window, stores and prints the findings with risk and ATT&CK context, ranks the
 * riskiest identities, and checks the findings against the generator's ground truth.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import pc from 'picocolors';
import { loadContent } from '../content/load.js';
import { runBaselines, runDetections, selectBaselines, selectDetections } from '../detect/operations.js';
import { isoTime } from '../detect/findings.js';
import type { RunEnvironment } from '../detect/runner.js';
import { generate, defaultEnd, type ScenarioTruth } from '../generate/index.js';
import { TrailguardError } from '../errors.js';
import { StateStore } from '../state/index.js';
import type { FindingDoc } from '../state/findings.js';
import { EXIT, reportFatal, useColour } from './output.js';
import { findingJson, findingText } from './finding-output.js';
import { parseEndTime } from './generate.js';
import { loadReportInput } from '../report/load.js';
import { writeReport } from '../report/page.js';

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

/** Does any finding of the scenario's detection name its identity or one of its API calls? */
function scenarioFound(s: ScenarioTruth, findings: readonly FindingDoc[]): boolean {
  const wanted = new Set<string>([s.identity.name, s.identity.arn, ...s.events.map((e) => e.eventName)]);
  return findings.some((f) => f.detection.id === s.detection.id && Object.values(f.fields).some((v) => (Array.isArray(v) ? v : [v]).some((x) => x !== null && wanted.has(x))));
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
  // The reviewed allow-list the MFA detection reads (its how_to_implement step): the generator's
  // service accounts stand in for what a person approved.
  copyFileSync(summary.serviceAccountsPath, join(stateDir, 'lookups', 'aws_service_accounts.csv'));
  const truth = JSON.parse(readFileSync(summary.truthPath, 'utf8')) as { scenarios: ScenarioTruth[] };

  const content = loadContent([]);
  const state = new StateStore({ stateDir, contentDirs: [...content.dirs], includeProjectContent: false, definitions: content.lookups });
  try {
    const env: RunEnvironment = {
      content, state, dataPaths: [dataDir], now,
      onWarning: (sch, m) => log(dim(`  warning: [${sch.name}] ${m}`)),
    };
    log(`\nbaselines (trailguard baseline --data ${dataDir} --state ${stateDir} --now ${isoTime(now)}):`);
    await runBaselines(env, selectBaselines(content, []), (o) => {
      const tables = [...o.tables].map(([t, n]) => `${t}: ${n} rows`).join(', ');
      log(`  baseline "${o.baseline.name}" over ${o.window.earliestText}..${o.window.latestText}: ${tables}`);
    });
    log(`detections (trailguard detect --data ${dataDir} --state ${stateDir} --now ${isoTime(now)}):`);
    const report = await runDetections(env, selectDetections(content, []), false);
    for (const f of report.failures) throw f.error;
    const findings = report.outcomes.flatMap((o) => o.findings.map((f) => f.finding.doc));

    if (flags.format === 'json') {
      for (const f of findings) process.stdout.write(findingJson(f));
    } else {
      process.stdout.write(`\n${bold(`Detections at now=${isoTime(now)}`)} ${dim(`(data: ${summary.events} events, state: ${stateDir})`)}\n`);
      for (const o of report.outcomes) {
        const d = o.detection;
        process.stdout.write(`\n${bold(d.name)} ${dim(`[${d.type}${d.status ? `, ${d.status}` : ''}] window ${o.window.earliestText}..${o.window.latestText}`)}: ${o.findings.length} finding(s)\n`);
        for (const f of o.findings.slice(0, 5)) process.stdout.write(findingText(f.finding.doc, colour));
        if (o.findings.length > 5) process.stdout.write(dim(`  … and ${o.findings.length - 5} more (trailguard findings --state ${stateDir})\n`));
      }
      process.stdout.write(`\n${bold('Riskiest identities')}\n`);
      for (const r of riskiest(findings, 5)) {
        process.stdout.write(`  ${String(r.score).padStart(4)}  ${r.object}  ${dim(`${r.detections.size} detection(s), tactics: ${[...r.tactics].join(', ') || 'none'}`)}\n`);
      }
      process.stdout.write(`\n${bold('Injected attack scenarios (ground truth from the generator)')}\n`);
      for (const s of truth.scenarios) {
        const found = scenarioFound(s, findings);
        const mark = found ? 'found ' : 'MISSED';
        process.stdout.write(`  ${colour ? (found ? pc.green(mark) : pc.red(mark)) : mark} ${s.detection.name}: ${s.description}\n`);
      }
    }
  } finally {
    state.close();
  }
  const reportFile = join(out, 'trailguard-report.html');
  writeReport(loadReportInput({ kind: 'store', stateDir }), reportFile);
  log(`\nReport: ${reportFile} (open it in a browser)`);
  log(`Files kept in ${out} (data, state, truth.json). Try:\n  trailguard findings --state ${stateDir}\n  trailguard search '\`cloudtrail\` | stats count by eventName' --data ${dataDir}`);
  return EXIT.ok;
}

/** Risk objects ranked by summed risk score, with the detections and ATT&CK tactics behind them. */
function riskiest(findings: readonly FindingDoc[], n: number) {
  const by = new Map<string, { object: string; score: number; detections: Set<string>; tactics: Set<string> }>();
  for (const f of findings) {
    for (const o of f.risk_objects) {
      const key = `${o.type}:${o.value}`;
      const r = by.get(key) ?? { object: `${o.type} ${o.value}`, score: 0, detections: new Set<string>(), tactics: new Set<string>() };
      r.score += f.risk_score ?? 0;
      r.detections.add(f.detection.name);
      for (const m of f.mitre) for (const t of m.tactics) r.tactics.add(t);
      by.set(key, r);
    }
  }
  return [...by.values()].sort((a, b) => b.score - a.score || a.object.localeCompare(b.object)).slice(0, n);
}

export function register(program: Command): void {
  program
    .command('demo')
    .description('Generate CloudTrail with injected attacks, build baselines, run the detections, and show the findings')
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
