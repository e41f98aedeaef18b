/**
 * Exactly-once ticks across crashes: `trailguard run --replay` killed with SIGKILL again and again
 * — at random moments, and deterministically inside a tick's commit (after its lookup writes,
 * before its findings) and right after a commit (before its CSV files reach the disk) — then
 * restarted until it completes, ends with the same findings, baselines, lookups and ledger as an
 * uninterrupted run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generate } from '../../src/generate/index.js';
import { Content } from '../../src/content/load.js';
import { StateStore } from '../../src/state/index.js';
import { repoPath } from '../helpers.js';
import { csvDetectionContent } from '../detect/csv-detection.js';
import { scratchDir } from '../state/tmp.js';

const END = Date.parse('2026-11-20T12:00:00Z') / 1000;
const FROM = END - 20 * 3600;
const iso = (t: number) => new Date(t * 1000).toISOString();
const dir = scratchDir('tg-crash-');
const data = join(dir, 'data');
await generate({ events: 4000, seed: 'crash', days: 9, end: END * 1000, out: data, layout: 'awslogs', truth: join(dir, 'truth.json'), serviceAccounts: join(dir, 'sa.csv'), force: true });

const content = csvDetectionContent(dir);

function run(stateDir: string, faults?: string, killAfterMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  const dist = repoPath('dist', 'cli', 'main.js');
  const argv = existsSync(dist) ? [dist] : ['--import', 'tsx', repoPath('src', 'cli', 'main.ts')];
  const child = spawn(process.execPath, [...argv, 'run', '--replay', '--from', iso(FROM), '--to', iso(END), '--data', data, '--content', content, '--state', stateDir, '--format', 'json'], {
    env: { ...process.env, NO_COLOR: '1', TRAILGUARD_THREADS: '1', ...(faults ? { TRAILGUARD_FAULTS: faults } : {}) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
  const timer = killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
  return new Promise((resolve) => child.on('exit', (code, signal) => {
    clearTimeout(timer);
    resolve({ code, signal, stderr });
  }));
}

function snapshot(stateDir: string) {
  const c = new Content({ dirs: [content] });
  const s = new StateStore({ stateDir, contentDirs: [...c.dirs], includeProjectContent: false, definitions: c.lookups });
  try {
    return {
      findings: s.findings.list().map((f) => ({ id: f.id, doc: f.doc })),
      ledger: s.ledger.entries().map(({ finished: _f, ...e }) => e),
      tables: ['previously_seen_api_calls_from_user_roles', 'previously_seen_cloud_api_calls_per_user_role'].map((t) => s.lookups.read(t)),
      csv: readFileSync(join(stateDir, 'lookups', 'console_seen.csv'), 'utf8'),
      risk: s.findings.riskEvents().length,
    };
  } finally {
    s.close();
  }
}

test('a service killed with SIGKILL at random moments and inside commits ends like an uninterrupted run', async () => {
  const reference = await run(join(dir, 'ref'));
  assert.equal(reference.code, 0, reference.stderr);
  const ref = snapshot(join(dir, 'ref'));
  assert.ok(ref.findings.length > 0 && ref.ledger.length > 20, `reference run: ${ref.findings.length} findings, ${ref.ledger.length} ticks`);

  const crashed = join(dir, 'crashed');
  // Seeded choices so a failure can be reproduced.
  let seed = 20261120;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  const points = ['in-commit', 'after-commit', 'before-commit', 'in-commit', 'after-commit'];
  let kills = 0;
  let finished = false;
  for (let attempt = 0; attempt < 12 && !finished; attempt++) {
    const deterministic = attempt < points.length;
    const r = deterministic ? await run(crashed, `${points[attempt]}:${1 + rand(12)}=kill`) : await run(crashed, undefined, 1500 + rand(4000));
    if (r.signal === 'SIGKILL') kills++;
    else {
      assert.equal(r.code, 0, r.stderr);
      finished = true;
    }
  }
  assert.ok(kills >= points.length, `only ${kills} kills happened`);
  if (!finished) {
    const last = await run(crashed);
    assert.equal(last.code, 0, last.stderr);
  }
  const got = snapshot(crashed);
  assert.deepEqual(got.ledger, ref.ledger);
  assert.deepEqual(got.findings, ref.findings);
  assert.deepEqual(got.tables, ref.tables);
  assert.equal(got.csv, ref.csv);
  assert.equal(got.risk, ref.risk);
});

test('a second `run` on the same state directory refuses, naming the process that holds it', async () => {
  const stateDir = join(dir, 'locked');
  mkdirSync(stateDir, { recursive: true });
  writeFileSync(join(stateDir, 'run.lock'), `${process.pid}\n`);
  const r = await run(stateDir);
  assert.equal(r.code, 2);
  assert.match(r.stderr, new RegExp(`another \`trailguard run\` \\(pid ${process.pid}\\) is using the state directory`));
  // A lock left by a dead process is taken over.
  writeFileSync(join(stateDir, 'run.lock'), '999999\n');
  const ok = await run(stateDir);
  assert.equal(ok.code, 0, ok.stderr);
  assert.ok(!existsSync(join(stateDir, 'run.lock')), 'the lock is released at exit');
});
