/** `trailguard baseline`, `detect` and `findings` as a user runs them. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { generate } from '../../src/generate/index.js';
import type { FindingDoc } from '../../src/state/findings.js';
import { repoPath } from '../helpers.js';
import { scratchDir } from '../state/tmp.js';

function cli(args: string[]) {
  const dist = repoPath('dist', 'cli', 'main.js');
  const argv = existsSync(dist) ? [dist, ...args] : ['--import', 'tsx', repoPath('src', 'cli', 'main.ts'), ...args];
  return spawnSync(process.execPath, argv, { encoding: 'utf8', cwd: repoPath(), env: { ...process.env, NO_COLOR: '1' } });
}

const dir = scratchDir('tg-cli-detect-');
const data = join(dir, 'events.ndjson');
await generate({ events: 3000, seed: 'cli-detect', days: 9, end: Date.parse('2026-11-20T12:00:00Z'), out: data, layout: 'ndjson', truth: join(dir, 'truth.json'), serviceAccounts: join(dir, 'sa.csv'), force: true });
const common = ['--data', data, '--now', '2026-11-20T12:00:00Z'];

test('detect before baseline exits 1 and names the baseline command to run', () => {
  const r = cli(['detect', 'Detect new API calls from user roles', ...common, '--state', join(dir, 'fresh')]);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /has not been run/);
  assert.match(r.stderr, /trailguard baseline "Detect new API calls from user roles"/);
});

test('baseline, then detect twice: the second run stores nothing new and says so; findings prints the same lines', () => {
  const state = join(dir, 'state');
  const b = cli(['baseline', ...common, '--state', state, '--format', 'json']);
  assert.equal(b.status, 0, b.stderr);
  const built = b.stdout.trim().split('\n').map((l) => JSON.parse(l) as { baseline: { name: string }; tables: Record<string, number> });
  const names = built.map((x) => x.baseline.name);
  for (const n of ['Previously seen API call per user roles in CloudTrail', 'Previously Seen Cloud API Calls Per User Role - Initial', 'Previously Seen Cloud API Calls Per User Role - Update']) {
    assert.ok(names.includes(n), `${n} was not run`);
  }
  assert.ok(!names.includes('Create a list of approved AWS service accounts'), 'the reviewed allow-list is only built when named');
  for (const x of built) assert.ok(Object.values(x.tables).every((n) => n > 0), `${x.baseline.name} wrote an empty table`);
  const initial = built.findIndex((x) => x.baseline.name.endsWith('- Initial'));
  const update = built.findIndex((x) => x.baseline.name.endsWith('- Update'));
  assert.ok(initial < update, 'Initial runs before Update');

  const first = cli(['detect', ...common, '--state', state, '--format', 'json']);
  assert.equal(first.status, 0, first.stderr);
  const lines = first.stdout.trim().split('\n');
  assert.ok(lines.length > 0);
  const docs = lines.map((l) => JSON.parse(l) as FindingDoc);
  for (const d of docs) assert.deepEqual(Object.keys(d), ['detection', 'time', 'window', 'risk_score', 'risk_objects', 'message', 'mitre', 'stories', 'fields']);
  assert.match(first.stderr, new RegExp(`${lines.length} new finding\\(s\\)`));

  const second = cli(['detect', ...common, '--state', state, '--format', 'json']);
  assert.equal(second.status, 0, second.stderr);
  assert.equal(second.stdout, '');
  assert.match(second.stderr, /0 new finding\(s\)/);
  assert.match(second.stderr, /already stored by an earlier run over the same window/);

  const listed = cli(['findings', '--state', state, '--format', 'json']);
  assert.equal(listed.status, 0, listed.stderr);
  assert.deepEqual(listed.stdout.trim().split('\n').sort(), lines.slice().sort());
});

test('detect, baseline and findings reject bad flags with exit 2', () => {
  assert.equal(cli(['detect', '--data', join(dir, 'missing'), '--now', '2026-11-20T12:00:00Z']).status, 2);
  assert.equal(cli(['detect', ...common, '--format', 'xml']).status, 2);
  const unknown = cli(['detect', 'Detect new API calls from usr roles', ...common, '--state', join(dir, 'fresh')]);
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /did you mean "Detect new API calls from user roles"/);
  assert.equal(cli(['findings', '--since', 'yesterday-ish', '--state', join(dir, 'fresh')]).status, 2);
});
