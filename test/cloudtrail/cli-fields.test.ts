/** `trailguard fields`: every field of one event with its rule, and data model membership. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { repoPath } from '../helpers.js';
import { FIXTURE_FILE } from './fixture-events.js';

/** The compiled CLI when this test runs compiled (npm test), else the sources through tsx. */
function cli(args: string[]) {
  const compiled = repoPath('dist', 'cli', 'main.js');
  const useDist = import.meta.url.includes('/dist/') && existsSync(compiled);
  const argv = useDist ? [compiled, ...args] : ['--import', 'tsx', repoPath('src', 'cli', 'main.ts'), ...args];
  return spawnSync(process.execPath, argv, { cwd: repoPath(), encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
}

interface FieldsJson {
  fieldModel: { version: string };
  fields: Array<{ field: string; value: null | string | string[]; rule: string }>;
  eventtypes: string[];
  tags: string[];
  datamodels: Record<string, string[]>;
}

test('§9/§12 trailguard fields --format json shows values, rules and data model membership (RunInstances)', () => {
  const r = cli(['fields', FIXTURE_FILE, '--index', '5', '--format', 'json']);
  assert.equal(r.status, 0, r.stderr);
  const doc = JSON.parse(r.stdout) as FieldsJson;
  assert.equal(doc.fieldModel.version, 'trailguard-ta-aws/1');
  const by = new Map(doc.fields.map((f) => [f.field, f]));
  assert.equal(by.get('eventName')?.rule, 'json');
  assert.equal(by.get('errorCode')?.value, 'success');
  assert.equal(by.get('errorCode')?.rule, 'eval:errorCode-default');
  assert.equal(by.get('src')?.rule, 'alias:src');
  assert.equal(by.get('action')?.value, 'created');
  assert.equal(by.get('action')?.rule, 'lookup:action-verb');
  assert.equal(by.get('_time')?.rule, 'internal');
  assert.equal(by.get('tag')?.rule, 'tag');
  assert.deepEqual(by.get('tag')?.value, ['change', 'cloud', 'instance']);
  assert.deepEqual(doc.datamodels, { Authentication: [], Change: ['All_Changes', 'All_Changes.Instance_Changes'] });
});

test('trailguard fields prints a table with the version, a multivalue and the memberships', () => {
  const r = cli(['fields', FIXTURE_FILE, '--index', '19']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /field model trailguard-ta-aws\/1/);
  assert.match(r.stdout, /^user\s+1641313043312360000\s+eval:user/m);
  assert.match(r.stdout, /^eventtype\s+\["aws_cloudtrail_console_login", "aws_cloudtrail_auth"\]\s+\(2 values\)\s+eventtype/m);
  assert.match(r.stdout, /Authentication: Authentication/);
  assert.match(r.stdout, /Change: \(not a member\)/);
});

test('trailguard fields with an index past the end exits 2 and says how many events there are', () => {
  const r = cli(['fields', FIXTURE_FILE, '--index', '999']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /has 28 readable event\(s\)/);
  assert.match(r.stderr, /--index between 1 and 28/);
});

test('trailguard fields --help has an example', () => {
  const r = cli(['fields', '--help']);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /Examples?:/);
});
