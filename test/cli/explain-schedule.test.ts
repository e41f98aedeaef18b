import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoPath } from '../helpers.js';

function cli(args: string[]) {
  const dist = repoPath('dist', 'cli', 'main.js');
  const argv = existsSync(dist) ? [dist, ...args] : ['--import', 'tsx', repoPath('src', 'cli', 'main.ts'), ...args];
  return spawnSync(process.execPath, argv, { encoding: 'utf8', cwd: repoPath(), env: { ...process.env, NO_COLOR: '1' } });
}

const ROLES = repoPath('content', 'detections', 'cloud_api_calls_from_previously_unseen_user_roles.yml');

test('explain of a shipped detection shows its schedule, window and needs on stderr; stdout is the stage output', () => {
  const r = cli(['explain', '@' + ROLES]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /^detection "Cloud API Calls From Previously Unseen User Roles"/m);
  assert.match(r.stderr, /schedule: 0 \* \* \* \* {3}window: -70m@m\.\.-10m@m {3}\(Trailguard's default: the YAML has no deployment\.scheduling\)/);
  assert.match(r.stderr, /run: scheduled {3}enabled: yes \(default\)/);
  assert.match(r.stderr, /needs baselines: Previously Seen Cloud API Calls Per User Role - Initial, Previously Seen Cloud API Calls Per User Role - Update/);
  assert.match(r.stdout, /^1\. tstats /m);
  assert.doesNotMatch(r.stdout, /schedule:/);
});

test('explain --json carries the same facts as the `search` key of the JSON object', () => {
  const r = cli(['explain', '--json', '@' + ROLES]);
  assert.equal(r.status, 0, r.stderr);
  const doc = JSON.parse(r.stdout) as { search: { schedule: Record<string, string>; kind: string; in_content: boolean }; commands: unknown[] };
  assert.deepEqual(doc.search.schedule, { cron: '0 * * * *', earliest: '-70m@m', latest: '-10m@m', origin: 'default' });
  assert.equal(doc.search.kind, 'detection');
  assert.equal(doc.search.in_content, true);
  assert.ok(Array.isArray(doc.commands));
  assert.equal(r.stderr, '');
});

test('a baseline scheduled by trailguard-settings.yml says so', () => {
  const r = cli(['explain', '--stage', 'plan', '@' + repoPath('content', 'baselines', 'previously_seen_cloud_api_calls_per_user_role___update.yml')]);
  assert.equal(r.status, 0, r.stderr);
  // content/trailguard-settings.yml: schedule { cron: "10 0 * * *", earliest: -1d@d, latest: "@d" }
  assert.match(r.stderr, /^baseline "Previously Seen Cloud API Calls Per User Role - Update"/m);
  assert.match(r.stderr, /schedule: 10 0 \* \* \* {3}window: -1d@d\.\.@d {3}\(from trailguard-settings\.yml\)/);
  assert.doesNotMatch(r.stderr, /needs baselines/);
});

test('a detection file outside the loaded content is read on its own and says so', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tg-explain-'));
  try {
    const copy = join(dir, 'copy.yml');
    copyFileSync(ROLES, copy);
    const r = cli(['explain', '@' + copy]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /not in the loaded content: settings not applied/);
    assert.match(r.stderr, /window: -70m@m\.\.-10m@m/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('explain of SPL text has no header', () => {
  const r = cli(['explain', 'x=1 | head 3']);
  assert.equal(r.status, 0);
  assert.equal(r.stderr, '');
});

test('explain --stage plan says whether the head is read by the fused stats scan, and why not', () => {
  const yes = cli(['explain', '--stage', 'plan', 'eventName=ConsoleLogin errorCode=success | stats count by sourceIPAddress']);
  assert.equal(yes.status, 0, yes.stderr);
  assert.match(yes.stdout, /^fused: commands 1-2 are read over NDJSON lines by the WebAssembly stats scan/m);
  const no = cli(['explain', '--stage', 'plan', '* | stats values(eventName) by awsRegion']);
  assert.match(no.stdout, /^fused: no \(values\(eventName\) is not count, dc\(field\), earliest\(_time\) or latest\(_time\)\)$/m);
  const json = cli(['explain', '--stage', 'plan', '--json', '* | stats count by user']);
  assert.deepEqual((JSON.parse(json.stdout) as { fused: unknown }).fused, { ok: false, reason: 'the by-field user is not a plain JSON field' });
});
