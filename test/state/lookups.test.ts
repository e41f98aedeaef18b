import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LookupStore, StateStore } from '../../src/state/index.js';
import { TrailguardError } from '../../src/errors.js';
import { repoPath } from '../helpers.js';
import { scratchDir } from './tmp.js';

function store(stateDir: string, contentDirs: string[] = [], warnings: string[] = []): LookupStore {
  return new LookupStore({ stateDir, contentDirs, warn: (m) => warnings.push(m) });
}

test('§7.1 the shipped header-only aws_service_accounts.csv reads as zero rows with its column', () => {
  const warnings: string[] = [];
  const s = store(scratchDir(), [], warnings);
  assert.deepEqual(s.read('aws_service_accounts'), { columns: ['identity'], rows: [] });
  assert.deepEqual(s.read('aws_service_accounts.csv'), { columns: ['identity'], rows: [] });
  assert.deepEqual(warnings, []);
});

test('§7.2 a lookup that does not exist reads as an empty table with a warning', () => {
  const warnings: string[] = [];
  const s = store(scratchDir(), [], warnings);
  assert.deepEqual(s.read('identity_lookup_expanded'), { columns: [], rows: [] });
  assert.deepEqual(s.read('previously_seen_aws_regions.csv'), { columns: [], rows: [] });
  assert.equal(warnings.length, 2);
  assert.match(warnings[0]!, /identity_lookup_expanded/);
  assert.match(warnings[1]!, /previously_seen_aws_regions\.csv/);
});

test('§7.3 CSV outputlookup goes to the state dir, never into shipped content, and reads back', () => {
  const stateDir = scratchDir();
  const s = store(stateDir);
  const shipped = readFileSync(repoPath('content', 'lookups', 'aws_service_accounts.csv'), 'utf8');
  s.write('aws_service_accounts', { columns: ['identity'], rows: [{ identity: 'svc-backup' }] });
  assert.equal(readFileSync(repoPath('content', 'lookups', 'aws_service_accounts.csv'), 'utf8'), shipped);
  assert.ok(existsSync(join(stateDir, 'lookups', 'aws_service_accounts.csv')));
  assert.deepEqual(store(stateDir).read('aws_service_accounts'), { columns: ['identity'], rows: [{ identity: 'svc-backup' }] });
});

test('§7.3 CSV round trip keeps multivalues (newline-joined cells), numbers as text, nulls as empty', () => {
  const stateDir = scratchDir();
  const s = store(stateDir);
  s.write('seen.csv', {
    columns: ['user', 'cmds', 'firstTime', 'note'],
    rows: [
      { user: 'alice', cmds: ['RunInstances', 'StopInstances'], firstTime: 1700000000.5, note: null },
      { user: 'bob, "the builder"', cmds: 'ListBuckets', firstTime: 3, note: 'x' },
    ],
  });
  assert.deepEqual(s.read('seen.csv'), {
    columns: ['user', 'cmds', 'firstTime', 'note'],
    rows: [
      { user: 'alice', cmds: ['RunInstances', 'StopInstances'], firstTime: '1700000000.5' },
      { user: 'bob, "the builder"', cmds: 'ListBuckets', firstTime: '3', note: 'x' },
    ],
  });
});

test('§7.3 outputlookup append=true adds rows after the existing ones (CSV, new columns appended)', () => {
  const s = store(scratchDir());
  s.write('a.csv', { columns: ['k'], rows: [{ k: '1' }] });
  s.write('a.csv', { columns: ['k', 'v'], rows: [{ k: '2', v: 'x' }] }, { append: true });
  assert.deepEqual(s.read('a.csv'), { columns: ['k', 'v'], rows: [{ k: '1' }, { k: '2', v: 'x' }] });
  s.write('a.csv', { columns: ['k'], rows: [{ k: '3' }] });
  assert.deepEqual(s.read('a.csv'), { columns: ['k'], rows: [{ k: '3' }] });
});

test('§7.3 a CSV in the state dir shadows the one in content dirs (user edits win)', () => {
  const stateDir = scratchDir();
  mkdirSync(join(stateDir, 'lookups'));
  writeFileSync(join(stateDir, 'lookups', 'aws_service_accounts.csv'), 'identity\nci-bot\n');
  assert.deepEqual(store(stateDir).read('aws_service_accounts').rows, [{ identity: 'ci-bot' }]);
});

for (const [what, text, line] of [
  ['ragged row', 'a,b\n1,2\n3\n4,5\n', 3],
  ['unbalanced quote', 'a,b\n1,2\n3,"oops\n4,5\n', 3],
] as const) {
  test(`§7 malformed CSV (${what}) is an error naming the file and line`, () => {
    const stateDir = scratchDir();
    mkdirSync(join(stateDir, 'lookups'));
    const file = join(stateDir, 'lookups', 'bad.csv');
    writeFileSync(file, text);
    assert.throws(
      () => store(stateDir).read('bad.csv'),
      (e: unknown) => {
        assert.ok(e instanceof TrailguardError);
        assert.equal(e.phase, 'state');
        assert.deepEqual(e.location, { file, line });
        assert.match(e.reason, new RegExp(`bad\\.csv at line ${line}`));
        return true;
      },
    );
  });
}

test('§7.3 writing an undefined name without .csv is a search error (exit 1) with a hint', () => {
  assert.throws(
    () => store(scratchDir()).write('no_such_collection', { columns: ['a'], rows: [] }),
    (e: unknown) => e instanceof TrailguardError && e.phase === 'runtime' && /outputlookup no_such_collection\.csv/.test(e.hints.join(' ')),
  );
});

test('§7.1 collection round trip survives a new store (fields_list order, multivalues, _key ignored)', () => {
  const stateDir = scratchDir();
  const s = store(stateDir);
  const name = 'previously_seen_cloud_api_calls_per_user_role';
  assert.deepEqual(s.read(name), { columns: ['user', 'command', 'firstTimeSeen', 'lastTimeSeen', 'enough_data'], rows: [] });
  s.write(name, {
    columns: ['command', 'user', 'firstTimeSeen', 'lastTimeSeen', 'enough_data', 'extra'],
    rows: [
      { user: 'alice', command: ['a', 'b'], firstTimeSeen: 10, lastTimeSeen: 20, enough_data: 1, extra: 'hidden' },
      { user: 'bob', command: 'c', firstTimeSeen: 5, lastTimeSeen: 6, enough_data: null },
    ],
  });
  s.close();
  const again = store(stateDir);
  assert.deepEqual(again.read(name), {
    columns: ['user', 'command', 'firstTimeSeen', 'lastTimeSeen', 'enough_data'],
    rows: [
      { user: 'alice', command: ['a', 'b'], firstTimeSeen: '10', lastTimeSeen: '20', enough_data: '1' },
      { user: 'bob', command: 'c', firstTimeSeen: '5', lastTimeSeen: '6' },
    ],
  });
  again.write(name, { columns: ['user'], rows: [{ user: 'carol' }] }, { append: true });
  assert.deepEqual(
    again.read(name).rows.map((r) => r.user),
    ['alice', 'bob', 'carol'],
  );
  again.write(name, { columns: ['user'], rows: [{ user: 'dave' }] });
  assert.deepEqual(again.read(name).rows, [{ user: 'dave' }]);
  again.close();
  assert.ok(existsSync(join(stateDir, 'state.sqlite')));
});

test('reading state never creates the state dir (read-only searches leave no trace)', () => {
  const stateDir = join(scratchDir(), 'not-yet');
  const s = store(stateDir);
  s.read('previously_seen_api_calls_from_user_roles');
  s.read('aws_service_accounts');
  assert.equal(existsSync(stateDir), false);
});

test('stale temp files of dead writers are removed when a store opens; live ones are kept', () => {
  const stateDir = scratchDir();
  const dir = join(stateDir, 'lookups');
  mkdirSync(dir);
  writeFileSync(join(dir, '.x.csv.tmp-999999999-abcd'), 'partial');
  writeFileSync(join(dir, `.x.csv.tmp-${process.pid}-abcd`), 'in progress');
  store(stateDir);
  assert.deepEqual(readdirSync(dir), [`.x.csv.tmp-${process.pid}-abcd`]);
});

test('StateStore: run history newest first and findings dedup persist across instances', () => {
  const stateDir = scratchDir();
  const a = new StateStore({ stateDir, warn: () => {} });
  a.recordRun({ name: 'd1', started: 100, finished: 101, status: 'ok', rows: 2 });
  a.recordRun({ name: 'd1', started: 200, status: 'error', message: 'boom' });
  assert.equal(a.markFindingSeen('d1', 'k1', 100), true);
  a.close();
  const b = new StateStore({ stateDir, warn: () => {} });
  assert.deepEqual(
    b.runs('d1').map((r) => [r.started, r.status]),
    [
      [200, 'error'],
      [100, 'ok'],
    ],
  );
  assert.equal(b.markFindingSeen('d1', 'k1', 300), false);
  assert.equal(b.markFindingSeen('d1', 'k2', 300), true);
  b.lookups.write('previously_seen_api_calls_from_user_roles', { columns: ['userName'], rows: [{ userName: 'x' }] });
  assert.deepEqual(b.lookups.read('previously_seen_api_calls_from_user_roles').rows, [{ userName: 'x' }]);
  b.close();
});
