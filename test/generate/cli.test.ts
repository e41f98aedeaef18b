import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoPath } from '../helpers.js';

// Compiled tests (npm test) run the compiled CLI; tests run from source run the source CLI.
const fromDist = fileURLToPath(import.meta.url).includes(`${'/'}dist${'/'}test${'/'}`);
const cli = fromDist && existsSync(repoPath('dist', 'cli', 'main.js'))
  ? [repoPath('dist', 'cli', 'main.js')]
  : ['--import', 'tsx', repoPath('src', 'cli', 'main.ts')];

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [...cli, 'generate', ...args], { encoding: 'utf8', cwd: repoPath(), env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('generate --help shows the options and an example, exit 0', () => {
  const r = run('--help');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /--events <n>/);
  assert.match(r.stdout, /--layout <layout>/);
  assert.match(r.stdout, /Examples?:\n\s+trailguard generate --events/);
});

test('generate writes data, truth and the service-account CSV; summary on stderr, JSON summary with --format json', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tg-cli-'));
  const r = run('--events', '300', '--out', join(dir, 'ct.ndjson'), '--seed', 'cli', '--days', '1', '--end', '2026-01-05T12:00:00Z', '--truth', join(dir, 't.json'), '--format', 'json');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /300 events, 1 file/);
  assert.ok(!r.stderr.includes('\r'), 'no progress line when stderr is not a terminal');
  assert.equal(r.stderr.trim().split('\n').length, 1, 'one summary line');
  const summary = JSON.parse(r.stdout);
  assert.equal(summary.events, 300);
  assert.equal(summary.end, '2026-01-05T12:00:00Z');
  assert.equal(readFileSync(join(dir, 'ct.ndjson'), 'utf8').trim().split('\n').length, 300);
  // (a)-(c) for the seeds, (d)-(e) for the variants.
  assert.equal(JSON.parse(readFileSync(join(dir, 't.json'), 'utf8')).scenarios.length, 5);
  assert.match(readFileSync(join(dir, 'aws_service_accounts.csv'), 'utf8'), /^identity\n/);
});

test('--end accepts epoch seconds as well as ISO-8601', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tg-cli-'));
  const r = run('--events', '100', '--out', join(dir, 'e.ndjson'), '--days', '1', '--end', String(Date.UTC(2026, 0, 5, 12) / 1000), '--format', 'json');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).end, '2026-01-05T12:00:00Z');
});

test('usage errors exit 2 with a message naming the flag', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tg-cli-'));
  const out = join(dir, 'x.ndjson');
  const cases: [string[], RegExp][] = [
    [['--out', out], /--events/],
    [['--events', '100'], /--out/],
    [['--events', 'many', '--out', out], /--events/],
    [['--events', '100', '--out', out, '--layout', 'parquet'], /--layout/],
    [['--events', '100', '--out', out, '--end', 'yesterday'], /--end/],
    [['--events', '100', '--out', out, '--days', '-3'], /--days/],
    [['--events', '3', '--out', out], /too small/],
  ];
  for (const [args, msg] of cases) {
    const r = run(...args);
    assert.equal(r.code, 2, `${args.join(' ')}: exit ${r.code}\n${r.stderr}`);
    assert.match(r.stderr, msg, args.join(' '));
  }
});

test('existing output is not replaced without --force (exit 2)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tg-cli-'));
  const args = ['--events', '100', '--out', join(dir, 'e.ndjson'), '--days', '1', '--end', '2026-01-05T12:00:00Z'];
  assert.equal(run(...args).code, 0);
  const again = run(...args);
  assert.equal(again.code, 2);
  assert.match(again.stderr, /already exists[\s\S]*--force/);
  assert.equal(run(...args, '--force').code, 0);
});
