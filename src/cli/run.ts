/**
 * `trailguard run`: the detection service. Ticks by each search's cron schedule, prints new
 * findings as they are raised, and delivers them to the configured outputs.
 */
import type { Command } from 'commander';
import pc from 'picocolors';
import { loadContent } from '../content/load.js';
import { isoTime } from '../detect/findings.js';
import { parseNow } from '../engine/session.js';
import { TrailguardError } from '../errors.js';
import { StateStore } from '../state/index.js';
import { ServiceLock } from '../state/lock.js';
import { loadConfig, redact } from '../service/config.js';
import { createOutput } from '../service/outputs/index.js';
import { DetectionService, type TickLog } from '../service/service.js';
import { EXIT, reportFatal, useColour } from './output.js';
import { collect, checkDataPaths, parseThreads, reportContentProblems, usageError } from './run-env.js';
import { findingJson, findingText } from './finding-output.js';
import { addEngineOptions, engineChoice, type EngineFlags } from './engine-flags.js';
import { addReadFlags, readOptionsFrom, type ReadFlags } from './read-flags.js';
import { resolve } from 'node:path';
import { loadReportInput } from '../report/load.js';
import { writeReport } from '../report/page.js';

interface Flags extends EngineFlags, ReadFlags {
  config?: string;
  data: string[];
  state?: string;
  content: string[];
  format: string;
  logFormat: string;
  once?: boolean;
  replay?: boolean;
  from?: string;
  to?: string;
  tz?: string;
  threads?: string;
  report?: string;
}

const HELP = `
Configuration: trailguard.yml in the working directory, or --config FILE:
  data: ["./logs", "s3://my-trail/AWSLogs/"]
  state: ./.trailguard
  content: ["./my-content"]
  timezone: UTC
  catchup: { max_ticks: 48 }
  report: ./findings.html
  outputs:
    - { type: jsonl, path: findings.jsonl }
    - { type: ocsf, path: findings.ocsf.jsonl }
    - { type: webhook, url: "https://hooks.example.com/tg", headers: { Authorization: "Bearer \${HOOK_TOKEN}" } }
\${VAR} expands from the environment. Flags override the file.

Each (search, scheduled time) runs once: a ledger in the state database records every tick in
the same transaction as its lookup writes and findings. After downtime the missed ticks run in
order, up to catchup.max_ticks per search (older ones are skipped with a warning). A search's
now() is its tick's scheduled time. Stop with Ctrl-C (SIGINT) or SIGTERM: the tick in progress
finishes; a second signal abandons it (nothing of it is kept).

Examples:
  trailguard run --data logs/ --state ./.trailguard
  trailguard run --once                          # the ticks due now, then exit (cron, systemd timers)
  trailguard run --replay --from 2026-11-01T00:00:00Z --to 2026-11-15T00:00:00Z --data archive/

Exit codes: 0 ok, 1 a tick failed (it is retried at the next run), 2 usage or configuration error.
`;

function tickLine(t: TickLog, json: boolean): string {
  if (json) {
    return JSON.stringify({
      search: t.search, kind: t.kind, scheduled: isoTime(t.scheduled),
      window: { earliest: isoTime(t.window.earliest), latest: isoTime(t.window.latest) },
      events_scanned: t.events, results: t.results, findings: t.findings, duration_ms: t.durationMs,
    }) + '\n';
  }
  return `tick ${isoTime(t.scheduled)} ${t.kind} "${t.search}": ${t.events} events, ${t.results} results, ${t.findings} new finding(s), ${(t.durationMs / 1000).toFixed(1)} s\n`;
}

export async function runAction(flags: Flags): Promise<number> {
  if (flags.format !== 'table' && flags.format !== 'json') throw usageError(`--format must be table or json, got "${flags.format}"`, 'run `trailguard run --help`');
  if (flags.logFormat !== 'text' && flags.logFormat !== 'json') throw usageError(`--log-format must be text or json, got "${flags.logFormat}"`, 'run `trailguard run --help`');
  const cfg = loadConfig(flags.config);
  const data = flags.data.length > 0 ? flags.data : cfg.data;
  checkDataPaths(data, 'run');
  const contentDirs = flags.content.length > 0 ? flags.content : cfg.content;
  const tz = flags.tz ?? cfg.timezone;
  let replay: { from: number; to: number } | undefined;
  if (flags.replay) {
    if (flags.from === undefined || flags.to === undefined) throw usageError('--replay needs --from and --to', 'for example --replay --from 2026-11-01T00:00:00Z --to 2026-11-08T00:00:00Z');
    replay = { from: parseNow(flags.from), to: parseNow(flags.to) };
    if (replay.to < replay.from) throw usageError('--to is before --from', 'swap them');
  } else if (flags.from !== undefined || flags.to !== undefined) {
    throw usageError('--from/--to only go with --replay', 'add --replay');
  }
  const reportFile = flags.report !== undefined ? resolve(flags.report) : cfg.report;
  if (reportFile !== undefined && !/\.html?$/i.test(reportFile)) throw usageError(`--report must name an .html file, got "${reportFile}"`, 'for example --report findings.html');
  const engine = await engineChoice(flags);
  const setup = { ...readOptionsFrom(flags), ...(engine ? { engine } : {}) };
  const secrets = cfg.secrets;
  const err = (msg: string) => process.stderr.write(redact(msg, secrets));
  const colour = useColour();
  const content = loadContent(contentDirs);
  reportContentProblems(content);
  const state = new StateStore({ stateDir: flags.state ?? cfg.state, contentDirs: [...content.dirs], includeProjectContent: false, definitions: content.lookups });
  const lock = ServiceLock.acquire(state.stateDir);
  const outputs = cfg.outputs.map((o) => createOutput(o, { secrets, stateDir: state.stateDir, log: (m) => err(`${m}\n`) }));
  const abort = new AbortController();
  let signals = 0;
  const onSignal = (sig: string) => {
    signals++;
    if (signals === 1) {
      err(`${sig}: finishing the tick in progress, then stopping (again to abandon it)\n`);
      abort.abort();
    } else {
      err(`${sig}: abandoning the tick in progress; nothing of it was kept\n`);
      lock.release();
      process.exit(130);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const stdoutColour = useColour(process.stdout);
  try {
    const service = new DetectionService({
      content, state, dataPaths: data, tz, maxTicks: cfg.catchupMaxTicks, outputs, once: flags.once, replay,
      threads: parseThreads(flags.threads), signal: abort.signal, setup,
      onFinding: (f) => {
        if (flags.format === 'json') process.stdout.write(findingJson(f.doc));
        else process.stdout.write(`${stdoutColour ? pc.bold(`${f.doc.time} ${f.doc.detection.name}`) : `${f.doc.time} ${f.doc.detection.name}`}\n${findingText(f.doc, stdoutColour)}`);
      },
      onTick: (t) => err(tickLine(t, flags.logFormat === 'json')),
      onTickDone: reportFile === undefined ? undefined : () => {
        writeReport(loadReportInput({ kind: 'store', stateDir: state.stateDir }), reportFile);
      },
      warn: (m) => err(`${colour ? pc.yellow('warning:') : 'warning:'} ${m}\n`),
    });
    const summary = await service.run();
    err(`${summary.ticks} tick(s) run, ${summary.findings} new finding(s)${summary.skipped ? `, ${summary.skipped} skipped over the catch-up limit` : ''}${summary.failures.length ? `, ${summary.failures.length} failed (retried at the next run)` : ''}; state in ${state.stateDir}\n`);
    return summary.failures.length > 0 ? EXIT.search : EXIT.ok;
  } catch (e) {
    if (e instanceof TrailguardError) throw new TrailguardError({ code: e.code, phase: e.phase, reason: redact(e.reason, secrets), hints: e.hints, location: e.location, span: e.span, source: e.source });
    throw e;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    for (const o of outputs) await o.close();
    state.close();
    lock.release();
  }
}

export function register(program: Command): void {
  const cmd = program
    .command('run')
    .description('Run the detection service: schedules, baselines, findings, outputs')
    .option('--config <file>', 'trailguard.yml (default: ./trailguard.yml when present)')
    .option('--data <path>', 'CloudTrail: file, directory, glob or s3://bucket/prefix (repeatable; overrides the config)', collect, [])
    .option('--state <dir>', 'state directory (default ./.trailguard/)')
    .option('--content <dir>', 'extra content directory (repeatable; overrides the config)', collect, [])
    .option('--format <format>', 'how new findings are printed: table | json (the lines detect prints)', 'table')
    .option('--log-format <format>', 'tick logs on stderr: text | json (one line per tick)', 'text')
    .option('--once', 'run the ticks due now, then exit')
    .option('--replay', 'run the schedule on a simulated clock from --from to --to over historical data')
    .option('--from <time>', 'replay start (ISO-8601 or epoch seconds)')
    .option('--to <time>', 'replay end')
    .option('--tz <zone>', 'time zone of cron schedules and @d snapping (default: the config\'s timezone, else UTC)')
    .option('--threads <n>', 'worker threads for large scans')
    .option('--report <file>', 'rewrite this HTML findings report (atomically) after each pass of ticks');
  addReadFlags(cmd);
  addEngineOptions(cmd)
    .addHelpText('after', HELP)
    .action(async (flags: Flags) => {
      try {
        process.exitCode = await runAction(flags);
      } catch (e) {
        process.exitCode = reportFatal(e);
      }
    });
}
