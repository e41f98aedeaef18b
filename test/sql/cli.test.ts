/** The CLI surface of the SQL engines: `trailguard sql`, `search --engine`, `explain --stage plan`. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoPath, fixturePath } from '../helpers.js';

const fromDist = fileURLToPath(import.meta.url).includes(`${'/'}dist${'/'}test${'/'}`);
const cli = fromDist && existsSync(repoPath('dist', 'cli', 'main.js'))
  ? [repoPath('dist', 'cli', 'main.js')]
  : ['--import', 'tsx', repoPath('src', 'cli', 'main.ts')];

const FIXTURE = fixturePath('engine', 'seed-events.ndjson');
const MFA = '@' + repoPath('content', 'detections', 'detect_api_activity_from_users_without_mfa.yml');
const NEW_CALLS = '@' + repoPath('content', 'detections', 'detect_new_api_calls_from_user_roles.yml');

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [...cli, ...args], { encoding: 'utf8', cwd: repoPath(), env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('sql: Trino text for a detection, annotated with its commands and where Trailguard takes over', () => {
  const r = run('sql', NEW_CALLS, '--now', '2026-11-20T12:10:00Z', '--earliest', '-70m@m', '--latest', '-10m@m');
  assert.equal(r.code, 0, r.stderr);
  // Two statements: the subsearch's stats first, then the search with its rows as subsearch_1.
  assert.match(r.stdout, /^-- query 1 of 2: subsearch_1 \(the search\): its rows are passed to the next query as VALUES; Trailguard runs commands 3–10/m);
  assert.match(r.stdout, /^-- query 2 of 2: the search; Trailguard runs commands 4–6 on its rows/m);
  assert.match(r.stdout, /-- 3\. stats values\(eventName\), earliest\(_time\) as earliest, latest\(_time\) as latest by user/);
  assert.match(r.stdout, /FROM "cloudtrail_logs_pp" AS "t"/);
  assert.match(r.stdout, /"t"\."timestamp" >= '2026\/11\/20'/);
  assert.match(r.stdout, /--\s+4\. \[Trailguard\] convert/);
});

test('sql --dialect duckdb --format json: the duckdb profile, machine-readable', () => {
  const r = run('sql', MFA, '--dialect', 'duckdb', '--format', 'json');
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { dialect: string; profile: string; queries: { sql: string }[]; cut: number };
  assert.equal(out.profile, 'duckdb-cloudtrail');
  assert.equal(out.cut, 4);
  assert.match(out.queries.find((q) => q.sql)!.sql, /lambda|FROM "files" AS "t"/);
});

test('sql: usage errors exit 2 with a hint', () => {
  const r = run('sql', MFA, '--dialect', 'mysql');
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--dialect must be trino or duckdb/);
  const p = run('sql', MFA, '--dialect', 'duckdb', '--profile', 'athena-cloudtrail-pp');
  assert.equal(p.code, 2);
  assert.match(p.stderr, /profile athena-cloudtrail-pp is a trino table/);
});

test('search --engine duckdb prints the same rows as in-process', () => {
  const state = mkdtempSync(join(tmpdir(), 'tg-sql-cli-'));
  const args = ['search', MFA, '--data', FIXTURE, '--now', '2024-03-05T12:00:00Z', '--format', 'json', '--state', state];
  const a = run(...args);
  const b = run(...args, '--engine', 'duckdb');
  assert.equal(a.code, 0, a.stderr);
  assert.equal(b.code, 0, b.stderr);
  assert.equal(b.stdout, a.stdout);
  assert.ok(a.stdout.trim().split('\n').length >= 2);
  const bad = run(...args, '--engine', 'spark');
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--engine must be one of inprocess, duckdb, athena/);
});

test('explain --stage plan shows the cut and its reason (spath without a path, _raw on Athena)', () => {
  const r = run('explain', '--stage', 'plan', '`cloudtrail` eventName=PutBucketPolicy | spath input=requestParameters.policy | stats count by Statement{}.Effect');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /pushdown to athena \(profile athena-cloudtrail-pp/);
  assert.match(r.stdout, /1\. \[SQL\] search/);
  assert.match(r.stdout, /2\. \[Trailguard\] spath/);
  assert.match(r.stdout, /↳ cut: command 2 \(spath\) runs in Trailguard: spath without a path extracts every key of JSON/);
  const raw = run('explain', '--stage', 'plan', '`cloudtrail` | stats dc(_raw) as n by eventName');
  assert.match(raw.stdout, /1\. \[Trailguard\] search[\s\S]*↳ cut: .*_raw: the table of profile athena-cloudtrail-pp has no record text/);
  const duck = run('explain', '--stage', 'plan', '--engine', 'duckdb', '`cloudtrail` | stats dc(_raw) as n by eventName');
  assert.match(duck.stdout, /2\. \[SQL\] stats dc\(_raw\)/);
});

test('search --engine duckdb reads @timestamp when a record has no eventTime, as in-process does (OTRF Logstash export)', () => {
  const otrf = fixturePath('otrf-security-datasets', 'events.ndjson.gz');
  const args = ['search', '* | stats count min(_time) as first max(_time) as last by eventName', '--data', otrf, '--format', 'json'];
  const a = run(...args);
  const b = run(...args, '--engine', 'duckdb');
  assert.equal(a.code, 0, a.stderr);
  assert.equal(b.code, 0, b.stderr);
  assert.equal(b.stdout, a.stdout);
  // The export's 103 events all carry @timestamp and none eventTime (test/fixtures/otrf-security-datasets/README.md).
  const total = a.stdout.trim().split('\n').reduce((n, l) => n + Number((JSON.parse(l) as { count: string }).count), 0);
  assert.equal(total, 103);
});

test('search --engine duckdb on a record that is not CloudTrail-shaped stops with file, line and the way out', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tg-sql-odd-'));
  const file = join(dir, 'odd.ndjson');
  // Test-data shape seen in public rule tests: `resources` as a list of Python-repr strings.
  const good = { eventTime: '2024-01-01T00:00:00Z', eventName: 'AssumeRole', resources: [{ ARN: 'arn:aws:iam::111122223333:role/A' }] };
  const odd = { eventTime: '2024-01-01T00:01:00Z', eventName: 'AssumeRole', resources: ["{'accountId': '111122223333'}"] };
  writeFileSync(file, `${JSON.stringify(good)}\n${JSON.stringify(odd)}\n`);
  const args = ['search', '* | stats count by resources{}.ARN', '--data', file];
  const inprocess = run(...args, '--format', 'json');
  assert.equal(inprocess.code, 0, inprocess.stderr);
  assert.match(inprocess.stdout, /"count":"1"/);
  const duck = run(...args, '--engine', 'duckdb');
  assert.equal(duck.code, 1);
  assert.match(duck.stderr, /odd\.ndjson/);
  assert.match(duck.stderr, /line 2/);
  assert.match(duck.stderr, /--engine inprocess/);
  assert.doesNotMatch(duck.stderr, /report a compiler error/);
});
