import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoPath } from '../helpers.js';
import { syntheticFindings } from './synthetic.js';

function cli(args: string[], opts: { cwd?: string; input?: string } = {}) {
  const dist = repoPath('dist', 'cli', 'main.js');
  // tsx by URL: these runs use a temp directory as the working directory, where `tsx` does not resolve.
  const argv = existsSync(dist) ? [dist, ...args] : ['--import', import.meta.resolve('tsx'), repoPath('src', 'cli', 'main.ts'), ...args];
  return spawnSync(process.execPath, argv, { encoding: 'utf8', cwd: opts.cwd ?? repoPath(), input: opts.input, env: { ...process.env, NO_COLOR: '1' } });
}

const reportData = (file: string) => JSON.parse(/id="report-data">([\s\S]*?)<\/script>/.exec(readFileSync(file, 'utf8'))![1]!);

test('report --findings writes the page (default name in the working directory) and prints its path', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tg-report-cli-'));
  try {
    const findings = syntheticFindings(30, { days: 2 });
    writeFileSync(join(dir, 'f.jsonl'), findings.map((f) => JSON.stringify(f)).join('\n') + '\n');
    const r = cli(['report', '--findings', 'f.jsonl'], { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    const out = join(dir, 'trailguard-report.html');
    assert.equal(r.stdout.trim(), out);
    assert.match(r.stderr, /30 findings from \d+ detections/);
    assert.equal(reportData(out).findings.length, 30);

    // A period keeps the findings inside it; stdin works as a source.
    const since = findings.map((f) => f.time).sort()[15]!;
    const r2 = cli(['report', '--findings', '-', '--since', since, '--out', 'later.html'], { cwd: dir, input: readFileSync(join(dir, 'f.jsonl'), 'utf8') });
    assert.equal(r2.status, 0, r2.stderr);
    const kept = reportData(join(dir, 'later.html'));
    assert.equal(kept.findings.length, findings.filter((f) => f.time >= since).length);
    assert.equal(kept.summary.period.start, since);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('report usage and input errors exit 2 and say what to do', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tg-report-cli-'));
  try {
    const none = cli(['report'], { cwd: dir });
    assert.equal(none.status, 2);
    assert.match(none.stderr, /--findings FILE\.jsonl/);

    writeFileSync(join(dir, 'bad.jsonl'), `${JSON.stringify(syntheticFindings(1)[0])}\n{"detection": {"id": "x", "name": "y"}, "time": "yesterday"}\n`);
    const bad = cli(['report', '--findings', 'bad.jsonl', '--out', 'x.html'], { cwd: dir });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /bad\.jsonl/);
    assert.match(bad.stderr, /line 2: findings member time must be an ISO-8601 time/);
    assert.ok(!existsSync(join(dir, 'x.html')));

    const order = cli(['report', '--findings', 'bad.jsonl', '--since', '2026-11-20T00:00:00Z', '--until', '2026-11-19T00:00:00Z'], { cwd: dir });
    assert.equal(order.status, 2);
    assert.match(order.stderr, /--since .* must be before --until/);

    assert.equal(cli(['report', '--findings', 'bad.jsonl', '--out', 'report.txt'], { cwd: dir }).status, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('report --help explains the input shape with examples', () => {
  const r = cli(['report', '--help']);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /--findings <file>/);
  assert.match(r.stdout, /"risk_objects": \[\{"field", "value", "type", "role"\}\]/);
  assert.match(r.stdout, /Examples:\n {2}trailguard report --state \.\/\.trailguard --since -7d@d\n {2}trailguard report --findings findings\.jsonl/);
});
