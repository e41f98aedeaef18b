/**
 * `trailguard search <spl | @file>`: runs one SPL search over CloudTrail data and prints the rows.
 * Results on stdout; warnings, source issues and progress on stderr.
 */
import { existsSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import { TrailguardError } from '../errors.js';
import { compileSearch, createSearchContext, locateInSource, parseNow, runPlan, searchLabelOf } from '../engine/session.js';
import { addEngineOptions, engineChoice, type EngineFlags } from './engine-flags.js';
import type { Row } from '../engine/row.js';
import { loadContent } from '../content/load.js';
import { modelFitterLookup } from '../content/models.js';
import { reportContentProblems } from './run-env.js';
import type { SourceIssue } from '../sources/types.js';
import { EXIT, reportFatal, useColour } from './output.js';
import { readSplArgument } from './spl-argument.js';
import { addReadFlags, readOptionsFrom, type ReadFlags } from './read-flags.js';
import { RESULT_FORMATS, csvText, jsonLines, resultColumns, tableColumns, tableText, timeShower, type ResultFormat } from './results.js';
import pc from 'picocolors';

const HELP_AFTER = `
The SPL is the search as written in a detection: macros (\`cloudtrail\`, \`security_content_ctime(x)\`…)
come from the project's content/ and from each --content DIR (macros/*.yml, lookups/*.yml).
Without --earliest/--latest the search covers all time; --now fixes now() so results repeat.

Examples:
  trailguard search '\`cloudtrail\` errorCode=success | stats count by eventName' --data logs/
  trailguard search @hunt.spl --data 'trail/**/*.json.gz' --earliest -7d@d --now 2024-03-05T12:00:00Z --format json
  trailguard search '| inputlookup aws_service_accounts' --state ./.trailguard
  trailguard search @content/detections/detect_api_activity_from_users_without_mfa.yml --data trail/ --engine duckdb
  trailguard search @hunt.spl --engine athena --athena-database security --athena-workgroup primary --earliest -24h@h
`;

interface Flags extends ReadFlags, EngineFlags {
  data: string[];
  earliest?: string;
  latest?: string;
  now?: string;
  content: string[];
  state?: string;
  format: string;
  limit?: string;
  tz: string;
  geoip?: string;
  threads?: string;
}

const collect = (v: string, prev: string[]) => [...prev, v];

function usage(reason: string, hint?: string): TrailguardError {
  return new TrailguardError({ code: 'E_USAGE', phase: 'usage', reason, hints: hint ? [hint] : ['run `trailguard search --help`'] });
}

function summariseIssues(issues: SourceIssue[], counts: Partial<Record<string, number>>): string[] {
  if (issues.length === 0) return [];
  const first = new Map<string, SourceIssue>();
  const kept = new Map<string, number>();
  for (const i of issues) {
    if (!first.has(i.kind)) first.set(i.kind, i);
    kept.set(i.kind, (kept.get(i.kind) ?? 0) + 1);
  }
  return [...first].map(([kind, f]) => {
    const where = `${f.file}${f.line !== undefined ? `:${f.line}` : ''}${f.byte !== undefined ? ` (byte ${f.byte})` : ''}`;
    const what = kind === 'unreadable' ? 'path(s) could not be read' : kind === 'truncated' ? 'truncated file(s)' : `${kind} record(s) skipped`;
    const n = Math.max(counts[kind] ?? 0, kept.get(kind) ?? 0);
    return `source: ${n} ${what} (first at ${where}: ${f.message})`;
  });
}

/** Progress on stderr, only on a terminal and only once the scan has run for a second. */
function progressLine(paths: string[]) {
  const tty = Boolean(process.stderr.isTTY);
  const started = Date.now();
  let events = 0;
  let shown = false;
  let lastDraw = 0;
  let totalBytes = 0;
  let plain = true;
  for (const p of paths) {
    try {
      const s = statSync(p);
      if (!s.isFile() || /\.gz$/i.test(p)) plain = false;
      totalBytes += s.size;
    } catch {
      plain = false;
    }
  }
  const done = new Map<string, number>();
  return {
    onBatch(info: { events: number; source: string; byte: number }) {
      events += info.events;
      done.set(info.source, info.byte);
      if (!tty) return;
      const now = Date.now();
      const secs = (now - started) / 1000;
      if (secs < 1 || now - lastDraw < 200) return;
      lastDraw = now;
      shown = true;
      const rate = events / secs;
      let eta = '';
      if (plain && totalBytes > 0) {
        const bytes = [...done.values()].reduce((a, b) => a + b, 0);
        const left = ((totalBytes - bytes) / Math.max(1, bytes / secs));
        eta = ` · ${Math.round((100 * bytes) / totalBytes)}% · ETA ${Math.max(0, Math.round(left))}s`;
      }
      process.stderr.write(`\r\x1b[K${events.toLocaleString('en')} events · ${Math.round(rate).toLocaleString('en')}/s${eta}`);
    },
    clear() {
      if (shown) process.stderr.write('\r\x1b[K');
    },
  };
}

/** A --data path that names a file or directory (not a glob, not stdin) must exist. */
function checkDataPaths(paths: string[]): void {
  for (const p of paths) {
    if (p === '-' || /[*?[{]/.test(p) || /^s3:\/\//i.test(p) || existsSync(p)) continue;
    throw new TrailguardError({
      code: 'E_DATA_PATH', phase: 'input', location: { file: p },
      reason: `--data ${p}: no such file or directory`,
      hints: ['pass CloudTrail files, directories, quoted globs (\'logs/**/*.json.gz\') or - for stdin'],
    });
  }
}

export async function searchAction(splArg: string, flags: Flags): Promise<number> {
  if (!RESULT_FORMATS.includes(flags.format as ResultFormat)) throw usage(`--format must be one of ${RESULT_FORMATS.join(', ')}, got "${flags.format}"`);
  const format = flags.format as ResultFormat;
  let limit: number | undefined;
  if (flags.limit !== undefined) {
    if (!/^\d+$/.test(flags.limit)) throw usage(`--limit must be a whole number, got "${flags.limit}"`);
    limit = Number(flags.limit);
  }
  let threads: number | undefined;
  if (flags.threads !== undefined) {
    if (!/^[1-9]\d*$/.test(flags.threads)) throw usage(`--threads must be a whole number ≥ 1, got "${flags.threads}"`);
    threads = Number(flags.threads);
  }
  const read = readOptionsFrom(flags);
  checkDataPaths(flags.data);
  const { text, file, lineOffset } = readSplArgument(splArg);
  const now = parseNow(flags.now);
  const content = loadContent(flags.content);
  reportContentProblems(content);
  const compiled = compileSearch(text, { file, lineOffset, macros: content.macros });
  const engine = await engineChoice(flags);
  const colour = useColour();
  const warn = (msg: string) => process.stderr.write(`${colour ? pc.yellow('warning:') : 'warning:'} ${msg}\n`);
  const progress = progressLine(flags.data);
  const { ctx, close } = createSearchContext({
    dataPaths: flags.data,
    earliest: flags.earliest,
    latest: flags.latest,
    now,
    tz: flags.tz,
    contentDirs: flags.content,
    stateDir: flags.state,
    geoipFile: flags.geoip ?? process.env.TRAILGUARD_GEOIP,
    threads,
    searchLabel: searchLabelOf(text, file),
    lookupDefinitions: content.lookups,
    modelFitters: modelFitterLookup(content),
    ...read,
    onWarning: (m) => {
      progress.clear();
      warn(m);
    },
    progress,
  });
  let rows: Row[];
  let truncated = false;
  try {
    ({ rows, truncated } = await runPlan(compiled, ctx, engine, { maxRows: limit }));
  } catch (err) {
    throw locateInSource(err, compiled.source, compiled.expansion);
  } finally {
    progress.clear();
    close();
  }
  for (const line of summariseIssues(ctx.sourceIssues, ctx.sourceIssueCounts)) warn(line);
  if (truncated) process.stderr.write(`showing the first ${limit} rows (--limit)\n`);
  const columns = resultColumns(rows);
  let out: string;
  if (format === 'json') out = jsonLines(rows, columns);
  else if (format === 'csv') out = rows.length || columns.length ? csvText(rows, columns) : '';
  else {
    const width = process.stdout.isTTY ? (process.stdout.columns ?? 120) : 200;
    out = tableText(rows, tableColumns(columns), width, timeShower(flags.tz));
    if (rows.length === 0) process.stderr.write('no results\n');
  }
  process.stdout.write(out);
  return EXIT.ok;
}

export function register(program: Command): void {
  const cmd = program
    .command('search')
    .description('Run an SPL search over CloudTrail events and print the result rows')
    .argument('<spl>', 'the SPL text, or @FILE: a .spl file, or a detection/baseline YAML whose search: is used')
    .option('--data <path>', 'CloudTrail source: file, directory, glob or - for stdin (repeatable)', collect, [])
    .option('--earliest <time>', 'start of the time range: SPL modifier (-24h@h), epoch or ISO-8601')
    .option('--latest <time>', 'end of the time range (exclusive)')
    .option('--now <time>', 'fix now() (ISO-8601 or epoch seconds) for reproducible results')
    .option('--content <dir>', 'extra security_content-style directory with macros/ and lookups/ (repeatable)', collect, [])
    .option('--state <dir>', 'where lookups and collections are kept (default ./.trailguard/)')
    .option('--format <format>', 'table | json | csv', 'table')
    .option('--limit <n>', 'print at most N rows')
    .option('--tz <zone>', 'time zone for snapping (@d) and time formatting', 'UTC')
    .option('--geoip <file>', 'MaxMind GeoLite2-City .mmdb for iplocation (or env TRAILGUARD_GEOIP)')
    .option('--threads <n>', 'worker threads for `search … | stats` and `tstats` over large inputs (default: env TRAILGUARD_THREADS, else the CPU cores; 1 = one thread)');
  addReadFlags(cmd);
  addEngineOptions(cmd)
    .addHelpText('after', HELP_AFTER)
    .action(async (spl: string, flags: Flags) => {
      try {
        process.exitCode = await searchAction(spl, flags);
      } catch (err) {
        process.exitCode = reportFatal(err);
      }
    });
}
