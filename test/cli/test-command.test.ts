/**
 * `trailguard test`: the shipped content's tests pass (the upstream attack_data test is skipped
 * with its reason), a failing test makes it exit 1, an unavailable dataset is skipped, and the
 * user's state directory is never touched.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoPath } from '../helpers.js';
import { Content } from '../../src/content/load.js';

function cli(args: string[], cwd = repoPath()) {
  const dist = repoPath('dist', 'cli', 'main.js');
  const argv = existsSync(dist) ? [dist, ...args] : ['--import', 'tsx', repoPath('src', 'cli', 'main.ts'), ...args];
  return spawnSync(process.execPath, argv, { encoding: 'utf8', cwd, env: { ...process.env, NO_COLOR: '1' } });
}

interface JsonResult {
  detection: { id: string; name: string };
  test: string;
  file: string;
  result: 'pass' | 'fail' | 'skip';
  reason: string;
  rows: number | null;
  now: string | null;
}
const parse = (stdout: string): JsonResult[] => stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as JsonResult);

const SHIPPED = ['Cloud API Calls From Previously Unseen User Roles', 'Cloud API Calls From Previously Unseen User Roles (per role)', 'Detect API activity from users without MFA', 'Detect API activity from users without MFA (per ARN)', 'Detect new API calls from user roles'];
const UPSTREAM_URL = 'https://media.githubusercontent.com/media/splunk/attack_data/master/datasets/suspicious_behaviour/abnormally_high_cloud_instances_launched/cloudtrail_behavioural_detections.json';

test('every shipped detection carries positive and negative tests', () => {
  const content = new Content();
  assert.deepEqual(content.detections.map((d) => d.name).sort(), SHIPPED);
  for (const d of content.detections) {
    assert.ok(d.tests.some((t) => t.expect.kind !== 'none'), `${d.name}: no positive test`);
    assert.ok(d.tests.some((t) => t.expect.kind === 'none'), `${d.name}: no negative test`);
    assert.ok(d.tests.every((t) => t.datasets.length > 0), `${d.name}: a test without data`);
  }
  assert.deepEqual(content.problems.filter((p) => p.severity === 'error'), []);
});

test('trailguard test over the shipped content: every test passes, the upstream attack_data test is skipped with its reason, the state is untouched', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'tg-test-cwd-'));
  try {
    const r = cli(['test', '--format', 'json'], cwd);
    assert.equal(r.status, 0, r.stderr);
    const results = parse(r.stdout);
    assert.deepEqual([...new Set(results.map((x) => x.detection.name))].sort(), SHIPPED);
    const skipped = results.filter((x) => x.result === 'skip');
    assert.deepEqual(skipped.map((x) => [x.detection.name, x.test]), [['Cloud API Calls From Previously Unseen User Roles', 'True Positive Test']]);
    assert.ok(skipped[0]!.reason.includes(`dataset not available: ${UPSTREAM_URL} maps to datasets/cloudtrail_behavioural_detections.json`), skipped[0]!.reason);
    for (const x of results.filter((y) => y.result !== 'skip')) {
      assert.equal(x.result, 'pass', `${x.detection.name} / ${x.test}: ${x.reason}`);
      assert.equal(x.now, '2030-01-01T12:00:00Z');
    }
    assert.ok(results.filter((x) => x.result === 'pass').length >= 10);
    assert.match(r.stderr, new RegExp(`${results.length} test\\(s\\): ${results.length - 1} passed, 0 failed, 1 skipped`));
    assert.ok(!existsSync(join(cwd, '.trailguard')), 'no state directory was created where the user runs it');
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
});

test('trailguard test: a failing test exits 1 and says why; a dataset URL without a local copy is skipped; a missing path fails', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tg-test-content-'));
  try {
    mkdirSync(join(dir, 'tests'));
    mkdirSync(join(dir, 'datasets'));
    copyFileSync(repoPath('content', 'datasets', 'generated_console_session_without_mfa.ndjson'), join(dir, 'datasets', 'console.ndjson'));
    const data = (path: string) => `  attack_data:\n  - data: ${path}\n    sourcetype: aws:cloudtrail\n    update_timestamp: true\n`;
    writeFileSync(
      join(dir, 'tests', 'mine.yml'),
      'detection: Detect API activity from users without MFA (per ARN)\ntests:\n' +
        `- name: Wrongly expects nothing\n${data('datasets/console.ndjson')}  expect: none\n` +
        `- name: Wrongly expects three\n${data('datasets/console.ndjson')}  expect: 3\n` +
        `- name: Needs a download\n${data('https://example.com/datasets/cloud/not_here.json')}  expect: some\n` +
        `- name: Points nowhere\n${data('datasets/missing.ndjson')}\n` +
        `- name: Passes\n${data('datasets/console.ndjson')}  expect: 1\n`,
    );
    writeFileSync(
      join(dir, 'tests', 'nobaseline.yml'),
      `detection: Cloud API Calls From Previously Unseen User Roles (per role)\ntests:\n- name: Without its baselines\n${data('datasets/console.ndjson')}  baselines: false\n  expect: none\n`,
    );
    const r = cli(['test', '--content', dir, 'Detect API activity from users without MFA (per ARN)', 'Cloud API Calls From Previously Unseen User Roles (per role)']);
    assert.equal(r.status, 1, r.stderr);
    const lines = r.stdout.split('\n');
    const verdict = (name: string) => lines.find((l) => l.includes(name))?.match(/\s(pass|fail|skip)\s/)?.[1];
    const reasonOf = (name: string) => lines[lines.findIndex((l) => l.includes(name)) + 1] ?? '';
    assert.equal(verdict('Wrongly expects nothing'), 'fail');
    assert.match(reasonOf('Wrongly expects nothing'), /expected no result, got 1 result\(s\): userIdentity\.arn=arn:aws:iam::\d+:user\/\S+ userIdentity\.type=IAMUser identity=/);
    assert.equal(verdict('Wrongly expects three'), 'fail');
    assert.match(reasonOf('Wrongly expects three'), /expected 3 result\(s\), got 1 result\(s\)/);
    assert.equal(verdict('Needs a download'), 'skip');
    assert.match(reasonOf('Needs a download'), /dataset not available: https:\/\/example\.com\/datasets\/cloud\/not_here\.json maps to datasets\/not_here\.json/);
    assert.equal(verdict('Points nowhere'), 'fail');
    assert.match(reasonOf('Points nowhere'), /dataset datasets\/missing\.ndjson not found/);
    assert.equal(verdict('Passes'), 'pass');
    assert.equal(verdict('Without its baselines'), 'fail');
    assert.match(r.stdout, /E_BASELINE_MISSING|has not been run/);
    // The shipped tests of the two detections still pass beside the failing ones.
    assert.ok(lines.filter((l) => /\spass\s/.test(l)).length >= 9, r.stdout);
    assert.match(r.stderr, /4 failed, 1 skipped/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('trailguard test --keep keeps each test\'s data and state; bad usage exits 2', () => {
  const r = cli(['test', 'Detect API activity from users without MFA', '--keep']);
  assert.equal(r.status, 0, r.stderr);
  const kept = [...r.stdout.matchAll(/kept: (\S+)/g)].map((m) => m[1]!);
  assert.equal(kept.length, 3);
  try {
    for (const k of kept) {
      assert.ok(existsSync(join(k, 'data')) && existsSync(join(k, 'state', 'state.sqlite')), k);
    }
  } finally {
    for (const k of kept) rmSync(k, { recursive: true, force: true });
  }
  assert.equal(cli(['test', '--format', 'xml']).status, 2);
  const unknown = cli(['test', 'No such detection']);
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /no detection named or with id "No such detection"/);
});
