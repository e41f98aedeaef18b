import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoPath } from '../helpers.js';

function cli(args: string[]) {
  const dist = repoPath('dist', 'src', 'cli', 'main.js');
  const argv = existsSync(dist) ? [dist, ...args] : ['--import', 'tsx', repoPath('src', 'cli', 'main.ts'), ...args];
  return spawnSync(process.execPath, argv, { encoding: 'utf8', cwd: repoPath(), env: { ...process.env, NO_COLOR: '1' } });
}

test('demo --format json prints one finding per line for each seed detection, with risk and ATT&CK', () => {
  const out = mkdtempSync(join(tmpdir(), 'tg-demo-'));
  try {
    const r = cli(['demo', '--events', '3000', '--end', '2026-11-20T12:00:00Z', '--out', out, '--format', 'json']);
    assert.equal(r.status, 0, r.stderr);
    const findings = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { detection: string; riskScore: number; mitreAttackIds: string[]; message: string });
    const names = new Set(findings.map((f) => f.detection));
    assert.deepEqual([...names].sort(), [
      'Cloud API Calls From Previously Unseen User Roles',
      'Detect API activity from users without MFA',
      'Detect new API calls from user roles',
    ]);
    const roles = findings.filter((f) => f.detection === 'Detect new API calls from user roles');
    for (const f of roles) {
      assert.equal(f.riskScore, 25);
      assert.deepEqual(f.mitreAttackIds, ['T1078.004']);
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
