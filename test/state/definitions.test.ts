import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadLookupDefinitions } from '../../src/state/index.js';
import { TrailguardError } from '../../src/errors.js';
import { repoPath } from '../helpers.js';
import { scratchDir } from './tmp.js';

test('§7.1 definitions load from the shipped content/lookups YAML (CSV file and collections)', () => {
  const defs = loadLookupDefinitions([repoPath('content')]);
  assert.deepEqual(defs.get('aws_service_accounts'), {
    kind: 'csv',
    name: 'aws_service_accounts',
    filename: 'aws_service_accounts.csv',
    description: 'A lookup file that will contain AWS Service accounts',
    definedIn: repoPath('content', 'lookups', 'aws_service_accounts.yml'),
  });
  const coll = defs.get('previously_seen_cloud_api_calls_per_user_role');
  assert.equal(coll?.kind, 'collection');
  assert.ok(coll?.kind === 'collection');
  assert.equal(coll.collection, 'previously_seen_cloud_api_calls_per_user_role');
  // fields_list "_key, user, command, …" is split on commas and trimmed.
  assert.deepEqual(coll.fieldsList, ['_key', 'user', 'command', 'firstTimeSeen', 'lastTimeSeen', 'enough_data']);
  const other = defs.get('previously_seen_api_calls_from_user_roles');
  assert.ok(other?.kind === 'collection');
  assert.deepEqual(other.fieldsList, ['_key', 'earliest', 'latest', 'userName', 'eventName']);
});

test('§7.1 a later content dir overrides a definition of the same name', () => {
  const dir = scratchDir();
  mkdirSync(join(dir, 'lookups'));
  writeFileSync(join(dir, 'lookups', 'x.yml'), 'name: aws_service_accounts\nfilename: mine.csv\n');
  const defs = loadLookupDefinitions([repoPath('content'), dir]);
  const d = defs.get('aws_service_accounts');
  assert.ok(d?.kind === 'csv');
  assert.equal(d.filename, 'mine.csv');
});

test('§7.1 a definition without filename or collection is a content error naming the file', () => {
  const dir = scratchDir();
  mkdirSync(join(dir, 'lookups'));
  const file = join(dir, 'lookups', 'bad.yml');
  writeFileSync(file, 'name: nothing_here\ndescription: no target\n');
  assert.throws(
    () => loadLookupDefinitions([dir]),
    (e: unknown) => e instanceof TrailguardError && e.phase === 'content' && e.location?.file === file,
  );
});

test('§7.1 a CSV definition may not point outside lookups/ (filename with a directory)', () => {
  const dir = scratchDir();
  mkdirSync(join(dir, 'lookups'));
  writeFileSync(join(dir, 'lookups', 'evil.yml'), 'name: evil\nfilename: ../../etc/passwd\n');
  assert.throws(() => loadLookupDefinitions([dir]), TrailguardError);
});
