#!/usr/bin/env node
// Trailguard vs DuckDB on the same CloudTrail files, in the same run (a benchmark, not a test).
// `npm run bench` installs DuckDB into bench/node_modules (bench/package.json) and runs this file.
//
//   npm run bench -- [--suites ndjson-300k,ndjson-1m,awslogs-9d,awslogs-30d] [--reps 3]
//                    [--only NAME] [--events N] [--data PATH] [--profile] [--timeout 300]
//                    [--tsx] [--no-reference] [--out bench/results.json]
//                    [--threads N]   (passed to `trailguard search --threads`; default: its own)
//
// Suites (all by default; generated once into bench/data/, gitignored, same bytes every time):
//   ndjson-300k, ndjson-1m  one NDJSON file (`generate --layout ndjson --days 9`), the QUERIES;
//                           DuckDB reads it with read_ndjson_auto.
//   awslogs-9d, awslogs-30d the S3 delivery tree (`generate --layout awslogs`, 20k events over 9
//                           days, 60k over 30: thousands of small .json.gz {"Records":[…]} files),
//                           the AWS_QUERIES; DuckDB reads the same files through a glob with
//                           read_json(…, columns={Records: 'JSON[]'}) and unnest.
// --events N adds (or, with --suites, names) an ndjson-N suite; --data PATH benchmarks your own
// NDJSON file or directory of them with the QUERIES.
//
// For every query each engine runs as a whole fresh process — Trailguard as
// `trailguard search '<spl>' --format json`, DuckDB as bench/duckdb-query.mjs (its own JSON
// parsing inside its time) — --reps times, alternating which goes first; the median wall time is
// reported, with the peak RSS of the runs (GNU time). ratio = Trailguard s / DuckDB s (below 1:
// Trailguard faster); `target` is the issue's goal for that query. Both answers are normalised
// (rows as sorted tuples, numbers compared numerically) and compared; a MISMATCH voids the ratio.
// A one-pass JSON.parse reference says which side is right. --profile re-runs the slowest
// Trailguard query of each suite under --cpu-prof and prints its hot spots. Results, with machine
// details and load averages, go to bench/results.json.
// `--engines`: in-process vs `--engine duckdb` on the seed detections, in bench/engines.mjs.
if (process.argv.includes('--engines')) await import('./engines.mjs').then(() => process.exit(process.exitCode ?? 0));
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, freemem, loadavg, platform, release, tmpdir, totalmem } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AWS_QUERIES, QUERIES } from './queries.mjs';
import { canonicalRows, compareRowSets, parseJsonLines } from './rows.mjs';
import { referenceAnswers } from './reference.mjs';
import { printSummary, summariseProfile } from './profile-summary.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const flag = (name) => argv.includes(`--${name}`);
const option = (name, dflt) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : dflt;
};
const log = (msg) => process.stderr.write(msg + '\n');

const REPS = Math.max(1, Number(option('reps', '3')));
const TIMEOUT_S = Number(option('timeout', '300'));
const ONLY = option('only', null);
const OUT = resolve(root, option('out', 'bench/results.json'));
const THREADS = option('threads', null);
const GENERATE_END = '2026-01-10T12:00:00Z'; // fixed, so the same suite gives the same bytes

if (flag('help') || flag('h')) {
  const lines = readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(1);
  const header = lines.slice(0, lines.findIndex((l) => !l.startsWith('//')));
  process.stdout.write(header.map((l) => l.replace(/^\/\/ ?/, '')).join('\n') + '\n');
  process.exit(0);
}

const SUITES = {
  'ndjson-300k': { layout: 'ndjson', events: 300_000, days: 9 },
  'ndjson-1m': { layout: 'ndjson', events: 1_000_000, days: 9 },
  'awslogs-9d': { layout: 'awslogs', events: 20_000, days: 9 },
  'awslogs-30d': { layout: 'awslogs', events: 60_000, days: 30 },
};

function chosenSuites() {
  const events = option('events', null);
  if (events !== null) {
    if (!/^[1-9]\d*$/.test(events)) throw new Error(`--events must be a positive whole number, got ${events}`);
    SUITES[`ndjson-${events}`] = { layout: 'ndjson', events: Number(events), days: 9 };
  }
  if (option('data', null)) return [{ name: 'data', layout: 'ndjson', given: resolve(option('data')) }];
  const names = option('suites', null)?.split(',').map((s) => s.trim()).filter(Boolean) ?? (events !== null ? [`ndjson-${events}`] : Object.keys(SUITES).filter((n) => !/^ndjson-\d+$/.test(n)));
  return names.map((n) => {
    if (!SUITES[n]) throw new Error(`--suites: unknown suite ${n} (known: ${Object.keys(SUITES).join(', ')})`);
    return { name: n, ...SUITES[n] };
  });
}

// ---- how to run Trailguard -------------------------------------------------------------------

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** The compiled CLI (what users run) unless --tsx; a dist/ older than src/ is used but flagged. */
/** Reads a file once so both engines find it in the page cache (files over 2 GiB too). */
function warmPageCache(file) {
  const fd = openSync(file, 'r');
  const buf = Buffer.allocUnsafe(1 << 20);
  try {
    while (readSync(fd, buf, 0, buf.length, null) > 0);
  } finally {
    closeSync(fd);
  }
}

function trailguardCommand() {
  const dist = join(root, 'dist', 'cli', 'main.js');
  if (!flag('tsx') && existsSync(dist)) {
    const stale = newestMtime(join(root, 'src')) > statSync(dist).mtimeMs;
    if (stale) log('warning: dist/ is older than src/ — timing the last build; run `npm run build` first (or pass --tsx to run src/)');
    return { argv: [dist], how: `node dist/cli/main.js${stale ? ' (dist/ older than src/)' : ''}` };
  }
  if (!flag('tsx')) log('note: no dist/ build; running src/ through tsx (its start-up transpiling is inside the times)');
  return { argv: ['--import', 'tsx', join(root, 'src', 'cli', 'main.ts')], how: 'node --import tsx src/cli/main.ts (includes TypeScript transpile at start-up)' };
}

// ---- data ------------------------------------------------------------------------------------

const DATA_FILE = /\.(ndjson|jsonl)(\.gz)?$/i;

function listFiles(dir, re, out = []) {
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = join(dir, e.name);
    if (e.isDirectory()) listFiles(p, re, out);
    else if (re.test(e.name)) out.push(p);
  }
  return out;
}

function generate(tg, args) {
  log(`generating: trailguard generate ${args.join(' ')} …`);
  const r = spawnSync(process.execPath, [...tg.argv, 'generate', ...args], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error(`trailguard generate failed (exit ${r.status})`);
}

/** The suite's data, generated when missing: files for the reference and both engines' inputs. */
function suiteData(suite, tg) {
  if (suite.given) {
    const p = suite.given;
    if (!existsSync(p)) throw new Error(`--data ${p}: no such file or directory`);
    const files = statSync(p).isFile() ? [p] : readdirSync(p).filter((f) => DATA_FILE.test(f)).sort().map((f) => join(p, f));
    if (files.length === 0) throw new Error(`--data ${p}: no *.ndjson / *.jsonl files in that directory`);
    return { files, tgData: files, duck: () => files };
  }
  if (suite.layout === 'ndjson') {
    const file = join(root, 'bench', 'data', `events-${suite.events}.ndjson`);
    if (!existsSync(file)) {
      mkdirSync(dirname(file), { recursive: true });
      generate(tg, ['--events', String(suite.events), '--out', file, '--layout', 'ndjson', '--seed', '7', '--days', String(suite.days), '--end', GENERATE_END, '--service-accounts', file.replace(/\.ndjson$/, '.accounts.csv')]);
    }
    return { files: [file], tgData: [file], duck: () => [file] };
  }
  const dir = join(root, 'bench', 'data', `awslogs-${suite.events}-${suite.days}d`);
  if (!existsSync(join(dir, 'AWSLogs'))) {
    mkdirSync(dir, { recursive: true });
    generate(tg, ['--events', String(suite.events), '--out', dir, '--layout', 'awslogs', '--seed', '7', '--days', String(suite.days), '--end', GENERATE_END, '--force']);
  }
  const tree = join(dir, 'AWSLogs');
  return {
    files: listFiles(tree, /\.json\.gz$/),
    tgData: [tree],
    // DuckDB reads through globs: the whole tree, or only the day directories a window covers.
    duck: (q) => ['--records', ...(q.window ? q.window.days.map((d) => join(tree, '*', 'CloudTrail', '*', d, '*.json.gz')) : [join(tree, '*', 'CloudTrail', '*', '*', '*', '*', '*.json.gz')])],
  };
}

// ---- running one process ---------------------------------------------------------------------

const GNU_TIME = platform() === 'linux' && existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

/** Runs a command to completion; wall time from spawn to exit, CPU and peak RSS via GNU time. */
function timed(args, { env, cwd = root } = {}) {
  return new Promise((done) => {
    const scratch = mkdtempSync(join(tmpdir(), 'tg-bench-'));
    const timeFile = join(scratch, 'time');
    const [cmd, cmdArgs] = GNU_TIME ? [GNU_TIME, ['-f', '%U %S %M', '-o', timeFile, process.execPath, ...args]] : [process.execPath, args];
    const started = performance.now();
    const child = spawn(cmd, cmdArgs, { cwd, env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    child.stdout.on('data', (b) => out.push(b));
    child.stderr.on('data', (b) => err.push(b));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, TIMEOUT_S * 1000);
    child.on('close', (code, signal) => {
      const seconds = (performance.now() - started) / 1000;
      clearTimeout(timer);
      let cpu = null;
      let maxRssMB = null;
      if (GNU_TIME && existsSync(timeFile)) {
        const m = readFileSync(timeFile, 'utf8').trim().split('\n').pop().split(' ').map(Number);
        if (m.length === 3 && m.every(Number.isFinite)) {
          cpu = m[0] + m[1];
          maxRssMB = Math.round(m[2] / 1024);
        }
      }
      rmSync(scratch, { recursive: true, force: true });
      done({ code, signal, timedOut, seconds, cpu, maxRssMB, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
  });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const fmt = (x, d = 2) => (x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(d));
const firstLines = (text, n = 4) => text.trim().split('\n').slice(0, n).join(' / ');

// ---- main ------------------------------------------------------------------------------------

const MB = (bytes) => (bytes / 1e6).toFixed(0);

/** The issue's goal for a query: selective searches ≤ 0.5, everything else ≤ 1.0. */
function target(q) {
  return /^selective/.test(q.name) ? 0.5 : 1.0;
}

async function runSuite(suite, tg, stateDir, scratch) {
  const data = suiteData(suite, tg);
  const bytes = data.files.reduce((a, f) => a + statSync(f).size, 0);
  const all = suite.layout === 'awslogs' ? AWS_QUERIES : QUERIES;
  const queries = ONLY ? all.filter((q) => q.name.toLowerCase().includes(ONLY.toLowerCase())) : all;
  if (queries.length === 0) return null;
  const threadArgs = THREADS ? ['--threads', THREADS] : [];
  log(`\n== ${suite.name}: ${data.files.length} file(s), ${MB(bytes)} MB on disk`);

  // The reference pass also puts the files in the page cache, so no engine pays for the first read.
  let reference = null;
  let events = suite.events ?? null;
  if (!flag('no-reference')) {
    log('reference pass (JSON.parse, one thread) …');
    reference = await referenceAnswers(data.files, queries);
    events = reference.events;
    log(`  ${reference.events} events in ${fmt(reference.seconds)} s${reference.badLines ? `, ${reference.badLines} unparsable lines skipped` : ''}`);
  } else {
    for (const f of data.files) warmPageCache(f);
  }

  const loadBefore = loadavg();
  const results = queries.map((q, i) => {
    const sqlFile = join(scratch, `${suite.name}-${i}.sql`);
    writeFileSync(sqlFile, q.sql);
    return { q, sqlFile, runs: { trailguard: [], duckdb: [] }, failed: { trailguard: null, duckdb: null }, rows: {} };
  });
  const engines = {
    trailguard: (r) => [
      ...tg.argv, 'search', r.q.spl, ...data.tgData.flatMap((f) => ['--data', f]), '--format', 'json', '--state', stateDir, ...threadArgs,
      ...(r.q.window ? ['--earliest', r.q.window.earliest, '--now', r.q.window.now] : []),
    ],
    duckdb: (r) => [join(root, 'bench', 'duckdb-query.mjs'), r.sqlFile, ...data.duck(r.q)],
  };

  for (let rep = 0; rep < REPS; rep++) {
    for (const r of results) {
      const order = rep % 2 === 0 ? ['trailguard', 'duckdb'] : ['duckdb', 'trailguard'];
      for (const engine of order) {
        if (r.failed[engine]) continue;
        const run = await timed(engines[engine](r));
        const ok = run.code === 0 && !run.timedOut;
        log(`  rep ${rep + 1}/${REPS}  ${r.q.name.padEnd(34)} ${engine.padEnd(10)} ${fmt(run.seconds)} s${run.cpu !== null ? ` (cpu ${fmt(run.cpu)} s, rss ${run.maxRssMB} MB)` : ''}${ok ? '' : '  FAILED'}`);
        if (!ok) {
          r.failed[engine] = run.timedOut ? `timed out after ${TIMEOUT_S} s` : `exit ${run.code ?? run.signal}: ${firstLines(run.stderr) || '(no stderr)'}`;
          continue;
        }
        r.runs[engine].push({ seconds: run.seconds, cpu: run.cpu, maxRssMB: run.maxRssMB });
        if (r.rows[engine] === undefined) {
          try {
            r.rows[engine] = canonicalRows(parseJsonLines(run.stdout), r.q.columns);
          } catch (e) {
            r.failed[engine] = `output is not JSON lines: ${e.message}`;
          }
          if (run.stderr.trim()) log(`    ${engine} stderr: ${firstLines(run.stderr)}`);
        }
      }
    }
  }
  const loadAfter = loadavg();

  const report = results.map((r, i) => {
    const t = r.runs.trailguard.length ? median(r.runs.trailguard.map((x) => x.seconds)) : null;
    const d = r.runs.duckdb.length ? median(r.runs.duckdb.map((x) => x.seconds)) : null;
    const peak = (engine) => {
      const xs = r.runs[engine].map((x) => x.maxRssMB).filter((x) => x !== null);
      return xs.length ? Math.max(...xs) : null;
    };
    const refRows = reference ? canonicalRows(reference.answers[i], r.q.columns) : null;
    const check = { status: 'not compared', details: [] };
    if (r.failed.trailguard || r.failed.duckdb) {
      check.status = 'FAILED';
      for (const e of ['trailguard', 'duckdb']) if (r.failed[e]) check.details.push(`${e}: ${r.failed[e]}`);
    } else {
      const cmp = compareRowSets(r.rows.trailguard, r.rows.duckdb);
      check.status = cmp.same ? 'same' : 'MISMATCH';
      if (!cmp.same) {
        check.details.push(`${cmp.onlyLeft.length} row(s) only in Trailguard, ${cmp.onlyRight.length} only in DuckDB (of ${r.rows.trailguard.length} / ${r.rows.duckdb.length})`);
        for (const row of cmp.onlyLeft.slice(0, 5)) check.details.push(`  only trailguard: ${row}`);
        for (const row of cmp.onlyRight.slice(0, 5)) check.details.push(`  only duckdb:     ${row}`);
      }
      if (refRows) {
        for (const e of ['trailguard', 'duckdb']) {
          const c = compareRowSets(r.rows[e], refRows);
          if (!c.same) check.details.push(`${e} differs from the JSON.parse reference (${c.onlyLeft.length} extra, ${c.onlyRight.length} missing; e.g. ${c.onlyRight[0] ?? c.onlyLeft[0]})`);
        }
      }
    }
    const valid = check.status === 'same';
    return {
      name: r.q.name,
      about: r.q.about,
      spl: r.q.spl,
      window: r.q.window ?? null,
      sql: r.q.sql.replace(/\s+/g, ' ').trim(),
      rows: r.rows.duckdb?.length ?? r.rows.trailguard?.length ?? null,
      referenceRows: refRows?.length ?? null,
      trailguardSeconds: t,
      duckdbSeconds: d,
      ratio: valid && t && d ? t / d : null,
      target: target(r.q),
      met: valid && t && d ? t / d <= target(r.q) : null,
      trailguardPeakRssMB: peak('trailguard'),
      duckdbPeakRssMB: peak('duckdb'),
      trailguardEventsPerSecond: t && events ? events / t : null,
      check: check.status,
      checkDetails: check.details,
      runs: r.runs,
    };
  });

  const head = ['query', 'rows', 'trailguard s', 'duckdb s', 'ratio', 'target', 'TG rss MB', 'DuckDB rss MB', 'check'];
  const body = report.map((x) => [
    x.name,
    x.rows === null ? '—' : String(x.rows),
    fmt(x.trailguardSeconds),
    fmt(x.duckdbSeconds),
    x.ratio === null ? 'n/a' : fmt(x.ratio),
    `≤ ${fmt(x.target, 1)}${x.met === null ? '' : x.met ? ' ✓' : ' ✗'}`,
    x.trailguardPeakRssMB === null ? '—' : String(x.trailguardPeakRssMB),
    x.duckdbPeakRssMB === null ? '—' : String(x.duckdbPeakRssMB),
    x.check,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const line = (cells) => `| ${cells.map((c, i) => (i === 0 || i === cells.length - 1 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  const table = [line(head), `|${widths.map((w, i) => (i === 0 || i === head.length - 1 ? '-'.repeat(w + 2) : '-'.repeat(w + 1) + ':')).join('|')}|`, ...body.map(line)].join('\n');
  console.log(`\n${suite.name}: ${events ?? '?'} events, ${data.files.length} file(s), ${MB(bytes)} MB on disk; median of ${REPS} fresh-process runs each; ratio = trailguard s / duckdb s (below 1: Trailguard faster); rss = peak of the runs\n`);
  console.log(table);
  for (const x of report) {
    if (x.check !== 'same' || x.checkDetails.length) {
      console.log(`\n${x.check === 'MISMATCH' ? '!!! MISMATCH' : x.check === 'FAILED' ? '!!! FAILED' : 'note'} — ${x.name}: the ratio is not valid`);
      for (const d of x.checkDetails) console.log(`    ${d}`);
    }
  }
  const out = {
    suite: suite.name,
    layout: suite.layout,
    events,
    files: data.files.length,
    bytes,
    loadavgBefore: loadBefore,
    loadavgAfter: loadAfter,
    reference: reference ? { seconds: reference.seconds, events: reference.events } : null,
    queries: report,
  };
  if (flag('profile')) out.profile = await profileSlowest(report, engines, results, scratch, suite.name);
  return out;
}

async function main() {
  const suites = chosenSuites();
  const tg = trailguardCommand();
  const duckVersion = duckdbVersion();
  const scratch = mkdtempSync(join(tmpdir(), 'tg-bench-run-'));
  const stateDir = join(scratch, 'state');
  log(`trailguard: ${tg.how}${THREADS ? ` --threads ${THREADS}` : ''}`);
  log(`duckdb: @duckdb/node-api ${duckVersion}`);
  log(`load average before: ${loadavg().map((x) => x.toFixed(2)).join(' ')} (compare ratios from one run; a busy machine slows both engines unevenly)`);

  // Fixed cost of a process (start-up, module loading, planning) with one event of input.
  const startup = {};
  {
    const one = join(scratch, 'one.ndjson');
    writeFileSync(one, '{"eventTime":"2026-01-01T00:00:00Z","eventName":"X","eventSource":"s"}\n');
    const sql = join(scratch, 'one.sql');
    writeFileSync(sql, QUERIES[0].sql);
    const argsFor = {
      trailguard: [...tg.argv, 'search', QUERIES[0].spl, '--data', one, '--format', 'json', '--state', stateDir],
      duckdb: [join(root, 'bench', 'duckdb-query.mjs'), sql, one],
    };
    for (const engine of ['trailguard', 'duckdb']) {
      const times = [];
      for (let rep = 0; rep < REPS; rep++) {
        const run = await timed(argsFor[engine]);
        if (run.code === 0) times.push(run.seconds);
      }
      startup[engine] = times.length ? median(times) : null;
    }
    log(`start-up with a 1-event file: trailguard ${fmt(startup.trailguard)} s, duckdb ${fmt(startup.duckdb)} s`);
  }

  const suiteResults = [];
  for (const suite of suites) {
    const r = await runSuite(suite, tg, stateDir, scratch);
    if (r) suiteResults.push(r);
  }
  console.log(`\nstart-up with a 1-event file (inside every time above): trailguard ${fmt(startup.trailguard)} s, duckdb ${fmt(startup.duckdb)} s`);

  const cpu = cpus();
  const result = {
    when: new Date().toISOString(),
    machine: { cores: cpu.length, cpuModel: cpu[0]?.model ?? null, totalMemMB: Math.round(totalmem() / 2 ** 20), freeMemMB: Math.round(freemem() / 2 ** 20), platform: `${platform()} ${release()}` },
    node: process.version,
    duckdb: `@duckdb/node-api ${duckVersion}`,
    trailguard: { how: tg.how, commit: gitHead(), threads: THREADS ?? process.env.TRAILGUARD_THREADS ?? 'default' },
    reps: REPS,
    startupSeconds: startup,
    suites: suiteResults,
  };
  writeFileSync(OUT, JSON.stringify(result, null, 2) + '\n');
  log(`\nwrote ${relative(root, OUT)}`);
  rmSync(scratch, { recursive: true, force: true });
  return suiteResults.some((s) => s.queries.some((x) => x.check !== 'same')) ? 1 : 0;
}

/** DuckDB lives in bench/'s own package (bench/package.json), installed by `npm run bench`. */
function duckdbVersion() {
  const pkg = join(root, 'bench', 'node_modules', '@duckdb', 'node-api', 'package.json');
  if (!existsSync(pkg)) throw new Error('DuckDB is not installed for the benchmark: run `npm --prefix bench install` (or `npm run bench`, which does it)');
  return JSON.parse(readFileSync(pkg, 'utf8')).version;
}

function gitHead() {
  const r = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

/** Re-run the slowest working Trailguard query under --cpu-prof and summarise every thread's profile. */
async function profileSlowest(report, engines, results, scratch, suiteName) {
  const candidates = report.map((x, i) => ({ x, i })).filter(({ x }) => x.trailguardSeconds !== null);
  if (candidates.length === 0) {
    log('profile: no Trailguard query completed; nothing to profile');
    return null;
  }
  const { x, i } = candidates.sort((a, b) => b.x.trailguardSeconds - a.x.trailguardSeconds)[0];
  const dir = join(scratch, `profile-${suiteName}`);
  mkdirSync(dir);
  log(`\nprofiling "${x.name}" (node --cpu-prof) …`);
  const run = await timed(['--cpu-prof', '--cpu-prof-dir', dir, ...engines.trailguard(results[i])]);
  const summaries = readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => summariseProfile(join(dir, f), 15))
    .sort((a, b) => b.totalMs - a.totalMs);
  console.log(`\nprofile of "${x.name}" (${fmt(run.seconds)} s under the profiler; one profile per thread):`);
  for (const s of summaries) printSummary({ ...s, file: s.file.split('/').pop() });
  return { query: x.name, seconds: run.seconds, threads: summaries.map((s) => ({ ...s, file: s.file.split('/').pop() })) };
}

main().then(
  (code) => process.exit(code),
  (err) => {
    log(`bench: ${err.message}`);
    process.exit(2);
  },
);
