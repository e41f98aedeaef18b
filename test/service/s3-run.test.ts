/**
 * `--data s3://…` end to end: a generated AWSLogs tree on a local S3 server (s3rver, 127.0.0.1)
 * gives the same `search` rows and the same `run --replay` findings, baselines and ledger as the
 * same tree on disk. The CLI reaches the server through the SDK's endpoint override.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { generate } from '../../src/generate/index.js';
import { Content } from '../../src/content/load.js';
import { StateStore } from '../../src/state/index.js';
import { repoPath } from '../helpers.js';
import { scratchDir } from '../state/tmp.js';
import { startS3, uploadTree } from '../sources/s3-server.js';

const END = Date.parse('2026-11-20T12:00:00Z') / 1000;
const iso = (t: number) => new Date(t * 1000).toISOString();
const dir = scratchDir('tg-s3-run-');
const tree = join(dir, 'trail');
await generate({ events: 1500, seed: 's3-run', days: 3, end: END * 1000, out: tree, layout: 'awslogs', truth: join(dir, 't.json'), serviceAccounts: join(dir, 'sa.csv'), force: true });
const s3 = await startS3(['trail']);
await uploadTree(s3.client, 'trail', tree, 'org/');
test.after(() => s3.close());

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const dist = repoPath('dist', 'cli', 'main.js');
  const argv = existsSync(dist) ? [dist] : ['--import', 'tsx', repoPath('src', 'cli', 'main.ts')];
  // Asynchronous: the S3 server runs in this process.
  const child = spawn(process.execPath, [...argv, ...args], { env: { ...process.env, ...s3.env, NO_COLOR: '1' } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}

function snapshot(stateDir: string) {
  const c = new Content();
  const s = new StateStore({ stateDir, contentDirs: [...c.dirs], includeProjectContent: false, definitions: c.lookups });
  try {
    return {
      findings: s.findings.list().map((f) => f.doc),
      ledger: s.ledger.entries().map(({ finished: _f, ...e }) => e),
      tables: ['previously_seen_api_calls_from_user_roles', 'previously_seen_cloud_api_calls_per_user_role', 'previously_seen_cloud_api_calls_per_role'].map((t) => s.lookups.read(t)),
    };
  } finally {
    s.close();
  }
}

test('search over s3:// gives the rows the same tree on disk gives', async () => {
  const spl = '`cloudtrail` errorCode=success | stats count dc(eventName) as apis by userIdentity.type';
  const window = ['--now', iso(END), '--earliest', '-2d@d', '--format', 'json'];
  const local = await cli(['search', spl, '--data', tree, ...window]);
  const remote = await cli(['search', spl, '--data', 's3://trail/org/', ...window]);
  assert.equal(local.code, 0, local.stderr);
  assert.equal(remote.code, 0, remote.stderr);
  assert.ok(local.stdout.trim().split('\n').length >= 2);
  assert.equal(remote.stdout, local.stdout);
});

test('run --replay over s3:// ends with the same findings, baselines and ledger as over the local tree', async () => {
  const args = ['run', '--replay', '--from', iso(END - 5 * 3600), '--to', iso(END), '--format', 'json'];
  const local = await cli([...args, '--data', tree, '--state', join(dir, 'local')]);
  const remote = await cli([...args, '--data', 's3://trail/org/AWSLogs/', '--state', join(dir, 'remote')]);
  assert.equal(local.code, 0, local.stderr);
  assert.equal(remote.code, 0, remote.stderr);
  const a = snapshot(join(dir, 'local'));
  const b = snapshot(join(dir, 'remote'));
  assert.ok(a.findings.length > 0 && a.ledger.length > 10, `${a.findings.length} findings, ${a.ledger.length} ticks`);
  assert.deepEqual(b.ledger, a.ledger);
  assert.deepEqual(b.tables, a.tables);
  assert.deepEqual(b.findings, a.findings);
  assert.equal(remote.stdout, local.stdout, 'the findings printed as raised');
});

test('an unreachable bucket fails the tick with the object or bucket named, and nothing is stored', async () => {
  const r = await cli(['detect', '--data', 's3://no-such-bucket/AWSLogs/', '--now', iso(END), '--state', join(dir, 'missing')]);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /no-such-bucket/);
  assert.doesNotMatch(r.stderr, /internal error|    at /);
});
