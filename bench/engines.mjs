#!/usr/bin/env node
// In-process vs `--engine duckdb` on the seed detections (a benchmark, not a test).
//
//   npm run bench -- --engines [--events 1000000,4000000] [--reps 3] [--out bench/results-engines.json]
//
// For each size, `trailguard generate --events N --seed 7 --days 9` writes bench/data/events-N.ndjson
// (gitignored) unless it is there. Each step below runs as a whole fresh `trailguard search` process
// (start-up, reading and JSON parsing included), --reps times per engine, alternating which engine
// goes first; the median wall time is reported. Each engine has its own state directory, so the
// baselines' lookups are written by the engine being timed and read by its detections. The two
// engines' outputs (JSON lines) must be byte-identical, else the row says MISMATCH.
// The machine is shared (2 cores, other jobs): compare numbers of the same run only.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir, cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const option = (name, dflt) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : dflt;
};
const log = (m) => process.stderr.write(m + '\n');
const SIZES = option('events', '1000000,4000000').split(',').map(Number);
const REPS = Math.max(1, Number(option('reps', '3')));
const OUT = resolve(root, option('out', 'bench/results-engines.json'));
const END = '2026-01-10T12:00:00Z';
const NOW = '2026-01-10T12:10:00Z';
const cli = join(root, 'dist', 'cli', 'main.js');
if (!existsSync(cli)) {
  log('bench/engines.mjs times the compiled CLI: run `npm run build` first');
  process.exit(2);
}

// Baselines first (their lookups feed the detections), each with the window the demo uses.
const STEPS = [
  { name: 'baseline: previously seen API calls (stats by userName, eventName)', file: 'content/baselines/previously_seen_api_call_per_user_roles_in_cloudtrail.yml', earliest: '-30d@d', latest: '-70m@m' },
  { name: 'baseline: Change tstats initial (tstats by user, command)', file: 'content/baselines/previously_seen_cloud_api_calls_per_user_role___initial.yml', earliest: '-90d@d', latest: '-1d@d' },
  { name: 'detection: API activity without MFA', file: 'content/detections/detect_api_activity_from_users_without_mfa.yml', earliest: '-70m@m', latest: '-10m@m' },
  { name: 'detection: new API calls from user roles (2 queries)', file: 'content/detections/detect_new_api_calls_from_user_roles.yml', earliest: '-70m@m', latest: '-10m@m' },
  { name: 'detection: API calls from previously unseen roles (tstats)', file: 'content/detections/cloud_api_calls_from_previously_unseen_user_roles.yml', earliest: '-70m@m', latest: '-10m@m' },
  { name: 'whole file: `cloudtrail` | stats count by eventSource eventName', spl: '`cloudtrail` | stats count by eventSource eventName' },
];

function dataFile(n) {
  const file = join(root, 'bench', 'data', `events-${n}.ndjson`);
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    log(`generating ${n} events → ${file}`);
    const r = spawnSync(process.execPath, [cli, 'generate', '--events', String(n), '--out', file, '--seed', '7', '--days', '9', '--end', END, '--service-accounts', file.replace(/\.ndjson$/, '.accounts.csv')], { stdio: ['ignore', 'ignore', 'inherit'] });
    if (r.status !== 0) throw new Error('trailguard generate failed');
  }
  return file;
}

function once(step, file, engine, state) {
  const args = [cli, 'search', step.spl ?? `@${join(root, step.file)}`, '--data', file, '--now', NOW, '--format', 'json', '--state', state, '--engine', engine];
  if (step.earliest) args.push('--earliest', step.earliest, '--latest', step.latest);
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 28, env: { ...process.env, NO_COLOR: '1' } });
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`${engine} ${step.name}: exit ${r.status}\n${r.stderr}`);
  return { secs, out: r.stdout };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const results = { when: new Date().toISOString(), cores: cpus().length, loadBefore: loadavg(), reps: REPS, sizes: [] };
for (const n of SIZES) {
  const file = dataFile(n);
  const mb = statSync(file).size / 1e6;
  log(`\n${n.toLocaleString('en')} events, ${mb.toFixed(0)} MB NDJSON, median of ${REPS}`);
  const rows = [];
  // Steps run in order per rep, so every detection reads lookups its engine's baselines wrote.
  const times = STEPS.map(() => ({ inprocess: [], duckdb: [], outs: {} }));
  for (let rep = 0; rep < REPS; rep++) {
    const order = rep % 2 === 0 ? ['inprocess', 'duckdb'] : ['duckdb', 'inprocess'];
    for (const engine of order) {
      const state = mkdtempSync(join(tmpdir(), `tg-bench-${engine}-`));
      STEPS.forEach((step, i) => {
        const { secs, out } = once(step, file, engine, state);
        times[i][engine].push(secs);
        times[i].outs[engine] = out;
      });
    }
  }
  STEPS.forEach((step, i) => {
    const t = times[i];
    const a = median(t.inprocess);
    const b = median(t.duckdb);
    const same = t.outs.inprocess === t.outs.duckdb;
    const lines = t.outs.inprocess.trim() ? t.outs.inprocess.trim().split('\n').length : 0;
    rows.push({ step: step.name, rows: lines, inprocessSeconds: a, duckdbSeconds: b, speedup: a / b, same });
    log(`${step.name.padEnd(72)} rows ${String(lines).padStart(4)}  in-process ${a.toFixed(2)} s  duckdb ${b.toFixed(2)} s  ×${(a / b).toFixed(2)}${same ? '' : '  MISMATCH'}`);
  });
  results.sizes.push({ events: n, megabytes: Math.round(mb), steps: rows });
}
results.loadAfter = loadavg();
writeFileSync(OUT, JSON.stringify(results, null, 2) + '\n');
log(`\nwrote ${OUT}`);
if (results.sizes.some((s) => s.steps.some((r) => !r.same))) process.exit(1);
