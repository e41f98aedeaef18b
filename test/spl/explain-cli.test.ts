import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { repoPath } from '../helpers.js';

function cli(args: string[]) {
  const dist = repoPath('dist', 'cli', 'main.js');
  const argv = existsSync(dist) ? [dist, ...args] : ['--import', 'tsx', repoPath('src', 'cli', 'main.ts'), ...args];
  return spawnSync(process.execPath, argv, { encoding: 'utf8', cwd: repoPath(), env: { ...process.env, NO_COLOR: '1' } });
}

test('explain: prints the indented tree of a seed detection (@yaml) and exits 0', () => {
  const r = cli(['explain', '@' + repoPath('content', 'detections', 'cloud_api_calls_from_previously_unseen_user_roles.yml')]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^1\. tstats .*from=Change/m);
  assert.match(r.stdout, /^2\. rename pairs=.*All_Changes\.\*/m);
  assert.match(r.stdout, /canonical: \| tstats/);
});

test('explain --stage expanded shows macros expanded', () => {
  const r = cli(['explain', '--stage', 'expanded', '`cloudtrail` a=1 | `security_content_ctime(firstTime)`']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), 'sourcetype=aws:cloudtrail a=1 | convert timeformat="%Y-%m-%dT%H:%M:%S" ctime(firstTime)');
});

test('explain --stage tokens lists tokens with offsets', () => {
  const r = cli(['explain', '--stage', 'tokens', 'a!=b | stats count']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /op\s+!=/);
  assert.match(r.stdout, /pipe\s+\|/);
});

test('explain --stage plan numbers the operators and shows the byte prefilter terms', () => {
  const r = cli(['explain', '--stage', 'plan', '@' + repoPath('content', 'detections', 'detect_new_api_calls_from_user_roles.yml')]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^1\. search prefilter=\["AwsApiCall", "AssumedRole"\] \(1 subsearch\)$/m);
  assert.match(r.stdout, /^3\. stats values\(eventName\), earliest\(_time\) as earliest/m);
});

test('explain --json prints the AST as JSON', () => {
  const r = cli(['explain', '--json', 'x=1 | head 3']);
  assert.equal(r.status, 0, r.stderr);
  const ast = JSON.parse(r.stdout);
  assert.deepEqual(ast.commands.map((c: { name: string }) => c.name), ['search', 'head']);
});

test('explain: bad SPL exits 1 (a search error) with every error rendered with a caret', () => {
  const r = cli(['explain', 'x=1 | stat count | where a >']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /error\[SPL004\]: unknown command `stat`/);
  assert.match(r.stderr, /\n\s*\|\s+\^\^\^\^\n/);
  assert.match(r.stderr, /did you mean `stats`/);
  assert.match(r.stderr, /error\[SPL003\]/);
  assert.equal(r.stdout, '');
});

test('explain: a missing macro exits 1 and names it', () => {
  const r = cli(['explain', '`no_such_macro` | stats count']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /macro `no_such_macro` is not defined/);
});

test('explain --help shows an example', () => {
  const r = cli(['explain', '--help']);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /Examples:\n\s+trailguard explain/);
});
