/**
 * trailguard.yml: ${VAR} from the environment, paths relative to the file, unknown keys and bad
 * values as errors with file:line; flags override the file; secrets never printed. And the state
 * shared with a running service: `detect` and `search` work while `run` ticks on the same state.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readConfig, redact } from '../../src/service/config.js';
import { generate } from '../../src/generate/index.js';
import { TrailguardError } from '../../src/errors.js';
import { repoPath } from '../helpers.js';
import { scratchDir } from '../state/tmp.js';

const dir = scratchDir('tg-config-');

function configFile(name: string, text: string): string {
  const f = join(dir, name);
  writeFileSync(f, text);
  return f;
}

function cli(args: string[], env: Record<string, string> = {}) {
  const dist = repoPath('dist', 'cli', 'main.js');
  const argv = existsSync(dist) ? [dist] : ['--import', 'tsx', repoPath('src', 'cli', 'main.ts')];
  return spawnSync(process.execPath, [...argv, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env } });
}

test('a config file: ${VAR} expansion, paths relative to the file, defaults', () => {
  process.env.TG_TEST_TOKEN = 'sekret-token-123';
  try {
    const f = configFile('ok.yml', [
      'data: ["logs", "s3://trail/AWSLogs/"]',
      'state: ./st',
      'content: my-content',
      'timezone: Europe/Berlin',
      'catchup: { max_ticks: 5 }',
      'outputs:',
      '  - { type: jsonl, path: out/findings.jsonl }',
      '  - { type: webhook, url: "http://127.0.0.1:9/hook", headers: { Authorization: "Bearer ${TG_TEST_TOKEN}" } }',
      '',
    ].join('\n'));
    const c = readConfig(f);
    assert.deepEqual(c.data, [join(dir, 'logs'), 's3://trail/AWSLogs/']);
    assert.equal(c.state, join(dir, 'st'));
    assert.deepEqual(c.content, [join(dir, 'my-content')]);
    assert.equal(c.timezone, 'Europe/Berlin');
    assert.equal(c.catchupMaxTicks, 5);
    assert.equal(c.outputs[0]!.options.path, join(dir, 'out', 'findings.jsonl'));
    assert.deepEqual((c.outputs[1]!.options.headers as Record<string, string>).Authorization, 'Bearer sekret-token-123');
    assert.deepEqual(c.secrets, ['sekret-token-123']);
    assert.equal(redact('calling with Bearer sekret-token-123 failed', c.secrets), 'calling with Bearer *** failed');
  } finally {
    delete process.env.TG_TEST_TOKEN;
  }
});

test('config mistakes are errors with file and line', () => {
  const cases: [string, string, number, RegExp][] = [
    ['unknown.yml', 'data: logs\nstate: st\nschedule: hourly\n', 3, /unknown key `schedule`/],
    ['var.yml', 'data: logs\noutputs:\n  - { type: webhook, url: "http://x/${TG_NOT_SET_ANYWHERE}" }\n', 3, /\$\{TG_NOT_SET_ANYWHERE\} is not set/],
    ['tz.yml', 'timezone: Mars/Olympus\n', 1, /unknown time zone/],
    ['catchup.yml', 'catchup:\n  max_ticks: -3\n', 2, /max_ticks` must be a whole number/],
    ['outputs.yml', 'outputs:\n  - path: x.jsonl\n', 2, /needs a `type`/],
    ['yaml.yml', 'data: [logs\n', 2, /invalid YAML/], // the parser notices the unclosed list at the end
  ];
  for (const [name, text, line, reason] of cases) {
    const f = configFile(name, text);
    assert.throws(() => readConfig(f), (e: TrailguardError) => {
      assert.equal(e.location?.file, f, name);
      assert.equal(e.location?.line, line, `${name}: ${e.reason}`);
      assert.match(e.reason, reason, name);
      return true;
    });
  }
  // Through the CLI: exit 2, file:line, no secret and no stack trace.
  const r = cli(['run', '--once', '--config', join(dir, 'unknown.yml')]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /unknown\.yml:3: error\[E_CONFIG\]: unknown key `schedule`/);
});

test('an unknown output type in the config names the known ones', () => {
  const f = configFile('badout.yml', `data: ${JSON.stringify(dir)}\noutputs:\n  - { type: kafka, topic: x }\n`);
  const r = cli(['run', '--once', '--config', f, '--state', join(dir, 'badout-state')]);
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /badout\.yml:3: .*unknown output type `kafka` \(known: jsonl, webhook, ocsf\)/);
});

test('detect and search work on the state a running service is ticking on', async () => {
  const end = Date.parse('2026-11-20T12:00:00Z');
  const data = join(dir, 'trail');
  await generate({ events: 4000, seed: 'shared-state', days: 9, end, out: data, layout: 'awslogs', truth: join(dir, 'shared-truth.json'), serviceAccounts: join(dir, 'shared-sa.csv'), force: true });
  const state = join(dir, 'shared-state');
  mkdirSync(state, { recursive: true });
  const dist = repoPath('dist', 'cli', 'main.js');
  const argv = existsSync(dist) ? [dist] : ['--import', 'tsx', repoPath('src', 'cli', 'main.ts')];
  const service = spawn(process.execPath, [...argv, 'run', '--replay', '--from', new Date(end - 30 * 3600_000).toISOString(), '--to', new Date(end).toISOString(), '--data', data, '--state', state], { stdio: ['ignore', 'ignore', 'pipe'] });
  let serviceErr = '';
  service.stderr!.on('data', (b: Buffer) => (serviceErr += b.toString()));
  const done = new Promise<number | null>((resolve) => service.on('exit', (code) => resolve(code)));
  // Wait until the service has committed a few ticks, then work beside it.
  while (!/tick .* detection/.test(serviceErr)) await new Promise((r) => setTimeout(r, 100));
  let concurrent = 0;
  for (let i = 0; i < 3 && service.exitCode === null; i++) {
    const d = await new Promise<{ code: number | null; err: string }>((resolve) => {
      const c = spawn(process.execPath, [...argv, 'detect', 'Detect API activity from users without MFA', '--data', data, '--now', new Date(end - i * 3600_000).toISOString(), '--state', state], { stdio: ['ignore', 'ignore', 'pipe'] });
      let err = '';
      c.stderr!.on('data', (b: Buffer) => (err += b.toString()));
      c.on('exit', (code) => resolve({ code, err }));
    });
    assert.equal(d.code, 0, d.err);
    const s = cli(['search', '| inputlookup previously_seen_api_calls_from_user_roles | stats count', '--state', state, '--format', 'json']);
    assert.equal(s.status, 0, s.stderr);
    if (service.exitCode === null) concurrent++;
  }
  assert.equal(await done, 0, serviceErr);
  assert.ok(concurrent > 0, 'at least one detect ran while the service was ticking');
});

test('SIGTERM lets the tick in progress finish, then the service stops with a consistent ledger', async () => {
  const end = Date.parse('2026-11-20T12:00:00Z');
  const data = join(dir, 'trail');
  const state = join(dir, 'sigterm-state');
  if (!existsSync(data)) await generate({ events: 4000, seed: 'shared-state', days: 9, end, out: data, layout: 'awslogs', truth: join(dir, 'shared-truth.json'), serviceAccounts: join(dir, 'shared-sa.csv'), force: true });
  const dist = repoPath('dist', 'cli', 'main.js');
  const argv = existsSync(dist) ? [dist] : ['--import', 'tsx', repoPath('src', 'cli', 'main.ts')];
  const service = spawn(process.execPath, [...argv, 'run', '--replay', '--from', new Date(end - 48 * 3600_000).toISOString(), '--to', new Date(end).toISOString(), '--data', data, '--state', state], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  service.stderr!.on('data', (b: Buffer) => (err += b.toString()));
  const exited = new Promise<number | null>((resolve) => service.on('exit', (code) => resolve(code)));
  while (!/tick .* detection/.test(err)) await new Promise((r) => setTimeout(r, 50));
  service.kill('SIGTERM');
  assert.equal(await exited, 0, err);
  assert.match(err, /SIGTERM: finishing the tick in progress, then stopping/);
  // Stopped early: fewer ticks than the whole replay, each recorded once, and the lock released.
  const ticks = (err.match(/^tick /gm) ?? []).length;
  const { StateStore } = await import('../../src/state/index.js');
  const s = new StateStore({ stateDir: state });
  try {
    const ledger = s.ledger.entries();
    assert.equal(ledger.length, ticks);
    assert.ok(ledger.length < 48 * 5, 'the replay stopped before its end');
  } finally {
    s.close();
  }
  assert.ok(!existsSync(join(state, 'run.lock')));
});
