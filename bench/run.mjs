#!/usr/bin/env node
// Trailguard vs DuckDB on the same CloudTrail NDJSON, in the same run (a benchmark, not a test).
// `npm run bench` installs DuckDB into bench/node_modules (bench/package.json) and runs this file.
//
//   npm run bench -- [--events 300000] [--data PATH] [--reps 3] [--only NAME] [--profile]
//                    [--timeout 300] [--tsx] [--no-reference] [--out bench/results.json]
//                    [--threads N]   (passed to `trailguard search --threads`; default: its own)
//
// Data: without --data, `trailguard generate --events N --seed 7 --days 9` writes
// bench/data/events-N.ndjson (gitignored) unless it is there already. --data takes an NDJSON file
// (optionally .gz) or a directory of them (*.ndjson, *.jsonl); both engines read the same files.
//
// For every query in bench/queries.mjs each engine runs as a whole fresh process — Trailguard as
// `trailguard search '<spl>' --format json`, DuckDB as bench/duckdb-query.mjs (read_ndjson_auto,
// so DuckDB's own JSON parsing is inside its time) — --reps times, alternating which goes first;
// the median wall time is reported. Both answers are normalised (rows as sorted tuples, numbers
// compared numerically) and compared; a MISMATCH voids the ratio. A one-pass JSON.parse reference
// says which side is right. --profile re-runs the slowest Trailguard query under --cpu-prof and
// prints its hot spots. Results, with machine details, go to bench/results.json.
// `--engines`: in-process vs `--engine duckdb` on the seed detections, in bench/engines.mjs.
if (process.argv.includes('--engines')) await import('./engines.mjs').then(() => process.exit(process.exitCode ?? 0));
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, freemem, loadavg, platform, release, tmpdir, totalmem } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { QUERIES } from './queries.mjs';
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

const EVENTS = Number(option('events', '300000'));
const REPS = Math.max(1, Number(option('reps', '3')));
const TIMEOUT_S = Number(option('timeout', '300'));
const ONLY = option('only', null);
const OUT = resolve(root, option('out', 'bench/results.json'));
const THREADS = option('threads', null);
const GENERATE_END = '2026-01-10T12:00:00Z'; // fixed, so the same --events gives the same bytes

if (flag('help') || flag('h')) {
  const lines = readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(1);
  const header = lines.slice(0, lines.findIndex((l) => !l.startsWith('//')));
  process.stdout.write(header.map((l) => l.replace(/^\/\/ ?/, '')).join('\n') + '\n');
  process.exit(0);
}
if (!Number.isInteger(EVENTS) || EVENTS <= 0) {
  log(`--events must be a positive whole number, got ${option('events')}`);
  process.exit(2);
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
function trailguardCommand() {
  const dist = join(root, 'dist', 'src', 'cli', 'main.js');
  if (!flag('tsx') && existsSync(dist)) {
    const stale = newestMtime(join(root, 'src')) > statSync(dist).mtimeMs;
    if (stale) log('warning: dist/ is older than src/ — timing the last build; run `npm run build` first (or pass --tsx to run src/)');
    return { argv: [dist], how: `node dist/src/cli/main.js${stale ? ' (dist/ older than src/)' : ''}` };
  }
  if (!flag('tsx')) log('note: no dist/ build; running src/ through tsx (its start-up transpiling is inside the times)');
  return { argv: ['--import', 'tsx', join(root, 'src', 'cli', 'main.ts')], how: 'node --import tsx src/cli/main.ts (includes TypeScript transpile at start-up)' };
}

// ---- data ------------------------------------------------------------------------------------

const DATA_FILE = /\.(ndjson|jsonl)(\.gz)?$/i;

function dataFiles() {
  const given = option('data', null);
  if (given) {
    const p = resolve(given);
    if (!existsSync(p)) throw new Error(`--data ${given}: no such file or directory`);
    if (statSync(p).isFile()) return [p];
    const files = readdirSync(p).filter((f) => DATA_FILE.test(f)).sort().map((f) => join(p, f));
    if (files.length === 0) throw new Error(`--data ${given}: no *.ndjson / *.jsonl files in that directory`);
    return files;
  }
  const file = join(root, 'bench', 'data', `events-${EVENTS}.ndjson`);
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    const tg = trailguardCommand();
    log(`generating ${EVENTS} events into ${relative(root, file)} …`);
    const r = spawnSync(process.execPath, [...tg.argv, 'generate', '--events', String(EVENTS), '--out', file, '--layout', 'ndjson', '--seed', '7', '--days', '9', '--end', GENERATE_END, '--service-accounts', file.replace(/\.ndjson$/, '.accounts.csv')], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
    if (r.status !== 0) throw new Error(`trailguard generate failed (exit ${r.status})`);
  }
  return [file];
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

async function main() {
  const files = dataFiles();
  const bytes = files.reduce((a, f) => a + statSync(f).size, 0);
  const queries = ONLY ? QUERIES.filter((q) => q.name.toLowerCase().includes(ONLY.toLowerCase())) : QUERIES;
  if (queries.length === 0) throw new Error(`--only ${ONLY}: no query has that in its name (${QUERIES.map((q) => q.name).join(', ')})`);
  const tg = trailguardCommand();
  const duckVersion = duckdbVersion();
  const scratch = mkdtempSync(join(tmpdir(), 'tg-bench-run-'));
  const stateDir = join(scratch, 'state');
  const threadArgs = THREADS ? ['--threads', THREADS] : [];
  log(`data: ${files.map((f) => relative(root, f)).join(', ')} (${(bytes / 1e6).toFixed(1)} MB)`);
  log(`trailguard: ${tg.how}${THREADS ? ` --threads ${THREADS}` : ''}`);
  log(`duckdb: @duckdb/node-api ${duckVersion}, read_ndjson_auto`);

  // The reference pass also puts the file in the page cache, so no engine pays for the first read.
  let reference = null;
  let events = option('data', null) ? null : EVENTS;
  if (!flag('no-reference')) {
    log('reference pass (JSON.parse, one thread) …');
    reference = await referenceAnswers(files, queries);
    events = reference.events;
    log(`  ${reference.events} events in ${fmt(reference.seconds)} s${reference.badLines ? `, ${reference.badLines} unparsable lines skipped` : ''}`);
  } else {
    for (const f of files) readFileSync(f); // warm the page cache
  }

  const loadBefore = loadavg();
  const results = queries.map((q) => {
    const sqlFile = join(scratch, `${QUERIES.indexOf(q)}.sql`);
    writeFileSync(sqlFile, q.sql);
    return { q, sqlFile, runs: { trailguard: [], duckdb: [] }, failed: { trailguard: null, duckdb: null }, rows: {} };
  });
  const engines = {
    trailguard: (r) => [...tg.argv, 'search', r.q.spl, ...files.flatMap((f) => ['--data', f]), '--format', 'json', '--state', stateDir, ...threadArgs],
    duckdb: (r) => [join(root, 'bench', 'duckdb-query.mjs'), r.sqlFile, ...files],
  };

  for (let rep = 0; rep < REPS; rep++) {
    for (const r of results) {
      const order = rep % 2 === 0 ? ['trailguard', 'duckdb'] : ['duckdb', 'trailguard'];
      for (const engine of order) {
        if (r.failed[engine]) continue;
        const run = await timed(engines[engine](r));
        const ok = run.code === 0 && !run.timedOut;
        log(`  rep ${rep + 1}/${REPS}  ${r.q.name.padEnd(22)} ${engine.padEnd(10)} ${fmt(run.seconds)} s${run.cpu !== null ? ` (cpu ${fmt(run.cpu)} s, rss ${run.maxRssMB} MB)` : ''}${ok ? '' : '  FAILED'}`);
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

  // Fixed cost of a process (start-up, module loading, planning) with one event of input.
  const startup = {};
  if (!files[0].endsWith('.gz')) {
    const one = join(scratch, 'one.ndjson');
    writeFileSync(one, readFileSync(files[0], 'utf8').split('\n', 1)[0] + '\n');
    const probe = { ...results[0] };
    const argsFor = {
      trailguard: [...tg.argv, 'search', probe.q.spl, '--data', one, '--format', 'json', '--state', stateDir, ...threadArgs],
      duckdb: [join(root, 'bench', 'duckdb-query.mjs'), probe.sqlFile, one],
    };
    for (const engine of ['trailguard', 'duckdb']) {
      const times = [];
      for (let rep = 0; rep < REPS; rep++) {
        const run = await timed(argsFor[engine]);
        if (run.code === 0) times.push(run.seconds);
      }
      startup[engine] = times.length ? median(times) : null;
    }
  }

  // ---- checking and reporting ----
  const report = results.map((r, i) => {
    const t = r.runs.trailguard.length ? median(r.runs.trailguard.map((x) => x.seconds)) : null;
    const d = r.runs.duckdb.length ? median(r.runs.duckdb.map((x) => x.seconds)) : null;
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
    }
    if (refRows) {
      for (const e of ['trailguard', 'duckdb']) {
        if (!r.rows[e]) continue;
        const c = compareRowSets(r.rows[e], refRows);
        if (!c.same) check.details.push(`${e} differs from the JSON.parse reference (${c.onlyLeft.length} extra, ${c.onlyRight.length} missing; e.g. ${c.onlyRight[0] ?? c.onlyLeft[0]})`);
      }
    }
    const valid = check.status === 'same';
    return {
      name: r.q.name,
      about: r.q.about,
      spl: r.q.spl,
      sql: r.q.sql.replace(/\s+/g, ' ').trim(),
      rows: r.rows.duckdb?.length ?? r.rows.trailguard?.length ?? null,
      referenceRows: refRows?.length ?? null,
      trailguardSeconds: t,
      duckdbSeconds: d,
      ratio: valid && t && d ? d / t : null,
      trailguardEventsPerSecond: t && events ? events / t : null,
      duckdbEventsPerSecond: d && events ? events / d : null,
      check: check.status,
      checkDetails: check.details,
      runs: r.runs,
    };
  });

  const head = ['query', 'rows', 'trailguard s', 'duckdb s', 'ratio', 'TG events/s', 'check'];
  const body = report.map((x) => [
    x.name,
    x.rows === null ? '—' : String(x.rows),
    fmt(x.trailguardSeconds),
    fmt(x.duckdbSeconds),
    x.ratio === null ? (x.check === 'same' ? '—' : 'n/a') : fmt(x.ratio),
    x.trailguardEventsPerSecond === null ? '—' : Math.round(x.trailguardEventsPerSecond).toLocaleString('en'),
    x.check,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const line = (cells) => `| ${cells.map((c, i) => (i === 0 || i === cells.length - 1 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  const table = [line(head), `|${widths.map((w, i) => (i === 0 || i === head.length - 1 ? '-'.repeat(w + 2) : '-'.repeat(w + 1) + ':')).join('|')}|`, ...body.map(line)].join('\n');
  console.log(`\n${events ?? '?'} events, ${(bytes / 1e6).toFixed(0)} MB NDJSON, median of ${REPS} fresh-process runs each; ratio = duckdb s / trailguard s (>1: Trailguard faster)\n`);
  console.log(table);
  if (startup.trailguard !== undefined) console.log(`\nstart-up with a 1-event file (inside every time above): trailguard ${fmt(startup.trailguard)} s, duckdb ${fmt(startup.duckdb)} s`);
  for (const x of report) {
    if (x.check !== 'same' || x.checkDetails.length) {
      console.log(`\n${x.check === 'MISMATCH' ? '!!! MISMATCH' : x.check === 'FAILED' ? '!!! FAILED' : 'note'} — ${x.name}: the ratio is not valid`);
      for (const d of x.checkDetails) console.log(`    ${d}`);
    }
  }

  const cpu = cpus();
  const result = {
    when: new Date().toISOString(),
    machine: { cores: cpu.length, cpuModel: cpu[0]?.model ?? null, totalMemMB: Math.round(totalmem() / 2 ** 20), freeMemMB: Math.round(freemem() / 2 ** 20), platform: `${platform()} ${release()}`, loadavgBefore: loadBefore, loadavgAfter: loadAfter },
    node: process.version,
    duckdb: `@duckdb/node-api ${duckVersion}`,
    trailguard: { how: tg.how, commit: gitHead(), threads: THREADS ?? process.env.TRAILGUARD_THREADS ?? 'default' },
    events,
    files: files.map((f) => ({ path: relative(root, f), bytes: statSync(f).size })),
    bytes,
    reps: REPS,
    startupSeconds: startup,
    reference: reference ? { seconds: reference.seconds, events: reference.events } : null,
    queries: report,
  };

  if (flag('profile')) result.profile = await profileSlowest(report, engines, results, scratch);
  writeFileSync(OUT, JSON.stringify(result, null, 2) + '\n');
  log(`\nwrote ${relative(root, OUT)}`);
  rmSync(scratch, { recursive: true, force: true });
  return report.some((x) => x.check !== 'same') ? 1 : 0;
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
async function profileSlowest(report, engines, results, scratch) {
  const candidates = report.map((x, i) => ({ x, i })).filter(({ x }) => x.trailguardSeconds !== null);
  if (candidates.length === 0) {
    log('profile: no Trailguard query completed; nothing to profile');
    return null;
  }
  const { x, i } = candidates.sort((a, b) => b.x.trailguardSeconds - a.x.trailguardSeconds)[0];
  const dir = join(scratch, 'profile');
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
