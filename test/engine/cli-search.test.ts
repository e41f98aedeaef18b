import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoPath, fixturePath } from '../helpers.js';

// Compiled tests (npm test) run the compiled CLI; tests run from source run the source CLI.
const fromDist = fileURLToPath(import.meta.url).includes(`${'/'}dist${'/'}test${'/'}`);
const cli = fromDist && existsSync(repoPath('dist', 'cli', 'main.js'))
  ? [repoPath('dist', 'cli', 'main.js')]
  : ['--import', 'tsx', repoPath('src', 'cli', 'main.ts')];

const FIXTURE = fixturePath('engine', 'seed-events.ndjson');

function search(...args: string[]) {
  const state = mkdtempSync(join(tmpdir(), 'tg-cli-search-'));
  const r = spawnSync(process.execPath, [...cli, 'search', ...args, '--state', state], { encoding: 'utf8', cwd: repoPath(), env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('search --help shows an example, exit 0', () => {
  const r = search('--help');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Examples:\n\s+trailguard search/);
});

test('search --format json: one object per row, multivalues as arrays, exit 0', () => {
  const r = search('`cloudtrail` userIdentity.type=AssumedRole | stats count values(eventName) as names by user', '--data', FIXTURE, '--format', 'json', '--now', '2024-03-05T12:00:00Z');
  assert.equal(r.code, 0, r.stderr);
  // Events 4, 5, 6, 8 (test/fixtures/engine/README.md): all by deployer.
  assert.deepEqual(r.stdout.trim().split('\n').map((l) => JSON.parse(l)), [{ user: 'deployer', count: '4', names: ['CreateBucket', 'RunInstances'] }]);
});

test('search --earliest/--latest with --now bound the events; csv output; @file input', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tg-cli-spl-'));
  writeFileSync(join(dir, 'q.spl'), 'search * | stats count by eventName');
  const r = search(`@${join(dir, 'q.spl')}`, '--data', FIXTURE, '--earliest', '-1h', '--latest', '2024-03-05T11:42:00Z', '--now', '2024-03-05T12:00:00Z', '--format', 'csv');
  assert.equal(r.code, 0, r.stderr);
  // [11:00, 11:42): events 1 ListBuckets, 3 GetObject, 4 RunInstances, 7 PutObject.
  assert.equal(r.stdout, 'eventName,count\nGetObject,1\nListBuckets,1\nPutObject,1\nRunInstances,1\n');
});

test('search table output aligns columns; --limit caps rows', () => {
  const r = search('search * | table eventName user', '--data', FIXTURE, '--limit', '2');
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(r.stdout.split('\n'), ['eventName    user', '-----------  -----', 'ListBuckets  alice', 'GetObject    carol', '']);
});

test('a syntax error exits 1 with the SPL line and a caret', () => {
  const r = search('search * | stats count by', '--data', FIXTURE);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /error\[/);
  assert.match(r.stderr, /\| search \* \| stats count by\n\s+\|\s+\^/);
});

test('a runtime error names the command and position, exit 1; a bad flag exits 2', () => {
  const r = search('| makeresults | outputlookup not_a_defined_lookup');
  assert.equal(r.code, 1);
  assert.match(r.stderr, /command 2 \(outputlookup\)/);
  assert.match(r.stderr, /\^/);
  const u = search('search *', '--format', 'yaml');
  assert.equal(u.code, 2);
  assert.match(u.stderr, /--format must be one of table, json, csv/);
});

test('warnings go to stderr: a missing lookup', () => {
  const r = search('| inputlookup nothing_here', '--format', 'json');
  assert.equal(r.code, 0);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /warning: .*nothing_here/);
});

test('a --data path that does not exist is an input error, exit 2', () => {
  const r = search('search *', '--data', '/nonexistent/trail.json');
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--data \/nonexistent\/trail\.json: no such file or directory/);
});

test('table view of events shows _time (ISO-8601) and _raw', () => {
  const r = search('search eventName=ListBuckets', '--data', FIXTURE);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.split('\n');
  assert.match(lines[0]!, /^_time\s+_raw$/);
  assert.match(lines[2]!, /^2024-03-05T11:10:00\+0000\s+\{"eventVersion"/);
});
