/** `trailguard models` lists the stored models; `models rm NAME` removes one, with a hint when absent. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ModelStore } from '../../src/state/models.js';
import { repoPath } from '../helpers.js';

function cli(args: string[]) {
  const dist = repoPath('dist', 'cli', 'main.js');
  const argv = existsSync(dist) ? [dist, ...args] : ['--import', 'tsx', repoPath('src', 'cli', 'main.ts'), ...args];
  return spawnSync(process.execPath, argv, { encoding: 'utf8', cwd: repoPath(), env: { ...process.env, NO_COLOR: '1' } });
}

test('trailguard models: table and JSON listing, rm, and a clear error for an absent model', () => {
  const state = mkdtempSync(join(tmpdir(), 'tg-models-cli-'));
  const empty = cli(['models', '--state', state]);
  assert.equal(empty.status, 0, empty.stderr);
  assert.match(empty.stderr, /no models in/);

  const store = new ModelStore({ stateDir: state });
  store.write({ name: 'cloud_x_v1', format: 1, algorithm: 'DensityFunction', document: { groups: [{}, {}, {}] }, fittedBy: 'baselines/x.yml' }, Date.parse('2026-11-20T12:00:00Z') / 1000);
  store.write({ name: 'a_model', format: 1, algorithm: 'DensityFunction', document: { groups: [{}] }, fittedBy: null }, Date.parse('2026-11-21T00:00:00Z') / 1000);
  store.close();

  const table = cli(['models', '--state', state]);
  assert.equal(table.status, 0, table.stderr);
  const lines = table.stdout.trim().split('\n');
  assert.match(lines[0]!, /^name\s+algorithm\s+groups\s+fitted\s+fitted_by$/);
  assert.match(lines[2]!, /^a_model\s+DensityFunction\s+1\s+2026-11-21T00:00:00Z$/);
  assert.match(lines[3]!, /^cloud_x_v1\s+DensityFunction\s+3\s+2026-11-20T12:00:00Z\s+baselines\/x\.yml$/);

  const json = cli(['models', '--state', state, '--format', 'json']);
  assert.equal(json.status, 0, json.stderr);
  const parsed = json.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.deepEqual(parsed.map((m) => [m.name, m.groups, m.fitted, m.fitted_by]), [['a_model', 1, '2026-11-21T00:00:00Z', null], ['cloud_x_v1', 3, '2026-11-20T12:00:00Z', 'baselines/x.yml']]);

  const rm = cli(['models', 'rm', 'cloud_x_v1', '--state', state]);
  assert.equal(rm.status, 0, rm.stderr);
  assert.match(rm.stderr, /removed model cloud_x_v1/);
  const again = cli(['models', 'rm', 'cloud_x_v1', '--state', state]);
  assert.equal(again.status, 2);
  assert.match(again.stderr, /no model named "cloud_x_v1"/);
  assert.match(again.stderr, /models there: a_model/);

  const bad = cli(['models', '--state', state, '--format', 'xml']);
  assert.equal(bad.status, 2);
  for (const help of [['models', '--help'], ['models', 'rm', '--help']]) {
    const h = cli(help);
    assert.equal(h.status, 0);
    assert.match(h.stdout, /Example/);
  }
});
