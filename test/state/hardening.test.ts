/**
 * State safety (issue 13): a damaged database is named with the way out; `state check`, `backup`
 * (online, while another connection writes) and `restore`; owner-only files; a full disk at any
 * write of a detection run leaves the previous state intact and says what failed and where.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { generate } from '../../src/generate/index.js';
import { StateStore } from '../../src/state/index.js';
import { backupState, checkState, restoreState } from '../../src/state/maintenance.js';
import { repoPath } from '../helpers.js';
import { csvDetectionContent } from '../detect/csv-detection.js';
import { scratchDir } from './tmp.js';

function cli(args: string[], env: Record<string, string> = {}) {
  const dist = repoPath('dist', 'cli', 'main.js');
  const argv = existsSync(dist) ? [dist, ...args] : ['--import', 'tsx', repoPath('src', 'cli', 'main.ts'), ...args];
  return spawnSync(process.execPath, argv, { encoding: 'utf8', cwd: repoPath(), env: { ...process.env, NO_COLOR: '1', ...env } });
}

const dir = scratchDir('tg-harden-');
const data = join(dir, 'events.ndjson');
await generate({ events: 2500, seed: 'harden', days: 9, end: Date.parse('2026-11-20T12:00:00Z'), out: data, layout: 'ndjson', truth: join(dir, 't.json'), serviceAccounts: join(dir, 'sa.csv'), force: true });
const NOW = ['--data', data, '--now', '2026-11-20T12:00:00Z'];

const content = csvDetectionContent(dir);

function snapshot(stateDir: string) {
  const s = new StateStore({ stateDir, contentDirs: [content] });
  try {
    const csv = join(stateDir, 'lookups', 'console_seen.csv');
    return {
      findings: s.findings.list().map((f) => f.id),
      roles: s.lookups.read('previously_seen_api_calls_from_user_roles').rows.length,
      rolesTable: JSON.stringify(s.lookups.read('previously_seen_api_calls_from_user_roles')),
      runs: s.runs('Console sign-ins kept in a CSV (test)').length,
      csv: existsSync(csv) ? readFileSync(csv, 'utf8') : null,
    };
  } finally {
    s.close();
  }
}

test('state files are readable by their owner only', () => {
  const stateDir = join(dir, 'perms');
  const r = cli(['baseline', ...NOW, '--state', stateDir]);
  assert.equal(r.status, 0, r.stderr);
  const d = cli(['detect', 'Console sign-ins kept in a CSV (test)', ...NOW, '--state', stateDir, '--content', content]);
  assert.equal(d.status, 0, d.stderr);
  assert.equal(statSync(stateDir).mode & 0o777, 0o700);
  assert.equal(statSync(join(stateDir, 'state.sqlite')).mode & 0o777, 0o600);
  assert.equal(statSync(join(stateDir, 'lookups', 'console_seen.csv')).mode & 0o777, 0o600);
});

test('a full disk at each write of a detection run leaves the previous state intact and says what failed', () => {
  const stateDir = join(dir, 'full');
  assert.equal(cli(['baseline', ...NOW, '--state', stateDir]).status, 0);
  const first = cli(['detect', ...NOW, '--state', stateDir, '--content', content]);
  assert.equal(first.status, 0, first.stderr);
  const before = snapshot(stateDir);
  // The next hour's tick of each detection writes: the roles detection its baseline collection
  // (outputlookup) and findings in one transaction; the test detection a CSV lookup, prepared
  // before its commit. Fail each write in turn.
  const later = ['--data', data, '--now', '2026-11-20T13:00:00Z'];
  const cases: [string, string, RegExp][] = [
    ['Detect new API calls from user roles', 'in-commit:1=full', /state\.sqlite/],
    ['Console sign-ins kept in a CSV (test)', 'in-commit:1=full', /state\.sqlite/],
    ['Console sign-ins kept in a CSV (test)', 'write-file:1=full', /console_seen\.csv/],
  ];
  for (const [detection, fault, where] of cases) {
    const r = cli(['detect', detection, ...later, '--state', stateDir, '--content', content], { TRAILGUARD_FAULTS: fault });
    assert.equal(r.status, 1, `${detection} ${fault}: the run must fail`);
    assert.doesNotMatch(r.stderr, /internal error|    at /, `${fault}: no stack trace`);
    assert.match(r.stderr, /disk is full/, `${fault}: ${r.stderr}`);
    assert.match(r.stderr, where, fault);
    assert.match(r.stderr, /previous (state|version of the file) is intact/, fault);
    assert.deepEqual(snapshot(stateDir), before, `${detection} ${fault}: the state changed`);
  }
  assert.ok(!readdirSync(join(stateDir, 'lookups')).some((f) => f.includes('.pending-') || f.includes('.tmp-')), 'no temp file is left behind');
  const ok = cli(['detect', ...later, '--state', stateDir, '--content', content]);
  assert.equal(ok.status, 0, ok.stderr);
  assert.notDeepEqual(snapshot(stateDir), before, 'without the fault the run commits');
});

test('a damaged state database: every command names the file and the way out; state check reports it', () => {
  const stateDir = join(dir, 'damaged');
  assert.equal(cli(['baseline', ...NOW, '--state', stateDir]).status, 0);
  assert.equal(cli(['detect', ...NOW, '--state', stateDir]).status, 0);
  assert.equal(cli(['state', 'check', '--state', stateDir]).status, 0);
  const db = join(stateDir, 'state.sqlite');
  // Scribble over everything after the header page, as a bad disk or a stray write would.
  const size = statSync(db).size;
  const fd = openSync(db, 'r+');
  for (let off = 4096; off < size; off += 4096) writeSync(fd, Buffer.alloc(512, 0xa5), 0, 512, off + 100);
  closeSync(fd);
  for (const args of [['findings'], ['detect', ...NOW], ['baseline', ...NOW]]) {
    const r = cli([...args, '--state', stateDir]);
    assert.equal(r.status, 2, `${args[0]}: ${r.stderr}`);
    assert.match(r.stderr, new RegExp(db.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')), args[0]);
    assert.match(r.stderr, /trailguard state (check|restore)/, args[0]);
    assert.doesNotMatch(r.stderr, /internal error|    at /, args[0]);
  }
  const check = cli(['state', 'check', '--state', stateDir]);
  assert.equal(check.status, 1, check.stderr);
  assert.match(check.stdout, /DAMAGED/);
  // A file that is not a database at all.
  writeFileSync(db, 'not a database, just text'.repeat(200));
  const r = cli(['findings', '--state', stateDir]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /is not a SQLite database/);
});

test('an online backup taken while another connection writes restores to a consistent state', async () => {
  const stateDir = join(dir, 'backup-src');
  assert.equal(cli(['baseline', ...NOW, '--state', stateDir]).status, 0);
  assert.equal(cli(['detect', ...NOW, '--state', stateDir, '--content', content]).status, 0);
  const writer = new StateStore({ stateDir, contentDirs: [content] });
  let writes = 0;
  let stop = false;
  const busy = (async () => {
    while (!stop) {
      writer.lookups.write('previously_seen_api_calls_from_user_roles', { columns: ['userName', 'eventName', 'earliest', 'latest'], rows: [{ userName: `writer-${writes}`, eventName: 'X', earliest: '1', latest: '2' }] }, { append: true });
      writes++;
      await new Promise((r) => setImmediate(r));
    }
  })();
  const target = join(dir, 'state-backup.sqlite');
  const b = await backupState(stateDir, target);
  stop = true;
  await busy;
  writer.close();
  assert.ok(writes > 0 && b.csvFiles === 1);
  await assert.rejects(backupState(stateDir, target), /already exists/);
  const restored = join(dir, 'backup-dst');
  restoreState(restored, target);
  assert.equal(checkState(restored).ok, true);
  const s = new StateStore({ stateDir: restored, contentDirs: [content] });
  try {
    const rows = s.lookups.read('previously_seen_api_calls_from_user_roles').rows.map((r) => String(r.userName)).filter((u) => u.startsWith('writer-'));
    // A prefix of the writes: writer-0 … writer-(k-1), nothing torn.
    assert.deepEqual(rows, rows.map((_, i) => `writer-${i}`));
    assert.ok(s.findings.list().length > 0);
    assert.equal(readFileSync(join(restored, 'lookups', 'console_seen.csv'), 'utf8'), readFileSync(join(stateDir, 'lookups', 'console_seen.csv'), 'utf8'));
  } finally {
    s.close();
  }
  // Restore refuses while a service holds the directory.
  writeFileSync(join(restored, 'run.lock'), `${process.ppid}\n`); // a live process that is not this one
  assert.throws(() => restoreState(restored, target), /another `trailguard run`/);
});
