import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoPath } from '../helpers.js';
import type { FindingDoc } from '../../src/state/findings.js';

function cli(args: string[]) {
  const dist = repoPath('dist', 'cli', 'main.js');
  const argv = existsSync(dist) ? [dist, ...args] : ['--import', 'tsx', repoPath('src', 'cli', 'main.ts'), ...args];
  return spawnSync(process.execPath, argv, { encoding: 'utf8', cwd: repoPath(), env: { ...process.env, NO_COLOR: '1' } });
}

test('demo --format json prints one finding per line for each seed detection, with risk and ATT&CK', () => {
  const out = mkdtempSync(join(tmpdir(), 'tg-demo-'));
  try {
    const r = cli(['demo', '--events', '3000', '--end', '2026-11-20T12:00:00Z', '--out', out, '--format', 'json']);
    assert.equal(r.status, 0, r.stderr);
    const findings = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as FindingDoc);
    const names = new Set(findings.map((f) => f.detection.name));
    for (const seed of ['Cloud API Calls From Previously Unseen User Roles', 'Detect API activity from users without MFA', 'Detect new API calls from user roles']) {
      assert.ok(names.has(seed), `no finding of ${seed}`);
    }
    for (const f of findings) assert.deepEqual(Object.keys(f), ['detection', 'time', 'window', 'risk_score', 'risk_objects', 'message', 'mitre', 'stories', 'fields']);
    const roles = findings.filter((f) => f.detection.name === 'Detect new API calls from user roles');
    for (const f of roles) {
      assert.equal(f.risk_score, 25);
      assert.deepEqual(f.mitre.map((m) => m.id), ['T1078.004']);
      assert.equal(f.window.earliest, '2026-11-20T10:50:00Z');
      assert.equal(f.window.latest, '2026-11-20T11:50:00Z');
      assert.deepEqual(f.risk_objects.map((o) => o.field), ['user']);
    }
    assert.match(r.stderr, /baseline "Previously seen API call per user roles in CloudTrail"/);
    assert.ok(existsSync(join(out, 'truth.json')) && existsSync(join(out, 'state', 'lookups', 'aws_service_accounts.csv')));
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('demo with a bad --end exits 2 and points at its own help', () => {
  const r = cli(['demo', '--end', 'yesterday-ish']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--end must be ISO-8601/);
  assert.match(r.stderr, /trailguard demo --help/);
});
