import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Obj, run } from '../engine/harness.js';
import type { LookupTable } from '../../src/state/table.js';

const seen: LookupTable = {
  columns: ['user', 'command', 'firstTimeSeen', 'enough_data'],
  rows: [
    { user: 'bob', command: 'List', firstTimeSeen: '100', enough_data: '1' },
    { user: 'bob', command: 'List', firstTimeSeen: '50', enough_data: '1' },
    { user: 'Bob', command: 'Get', firstTimeSeen: '70', enough_data: '1' },
  ],
};
const input: Obj[] = [
  { user: 'bob', command: 'List', firstTimeSeen: 'old' },
  { user: 'bob', command: 'Get' },
  { command: 'List' },
];

test('§7.4 lookup OUTPUT: exact case-sensitive match, several matches → multivalue, no match → null', async () => {
  const r = await run('search * | lookup seen user as user, command as command OUTPUT firstTimeSeen, enough_data', { input, tables: { seen } });
  assert.deepEqual(r.rows, [
    { user: 'bob', command: 'List', firstTimeSeen: ['100', '50'], enough_data: '1' },
    { user: 'bob', command: 'Get' },
    { command: 'List' },
  ]);
});

test('§7.4 lookup OUTPUTNEW never overwrites; no output clause outputs every non-key column', async () => {
  const r = await run('search * | lookup seen user command OUTPUTNEW firstTimeSeen', { input, tables: { seen } });
  assert.equal(r.rows[0]!.firstTimeSeen, 'old');
  const all = await run('search * | lookup seen user command', { input: input.slice(0, 1), tables: { seen } });
  assert.deepEqual(all.rows[0], { user: 'bob', command: 'List', firstTimeSeen: ['100', '50'], enough_data: '1' });
});

test('§10.20 lookup multivalue then eval min() collapses it', async () => {
  const r = await run('search * | lookup seen user command OUTPUT firstTimeSeen | eval f = min(firstTimeSeen) | table f', { input: input.slice(0, 1), tables: { seen } });
  assert.deepEqual(r.rows.map((x) => Number(x.f)), [50]);
});

test('§7.2 inputlookup returns table rows (empty cells absent); append=t keeps current rows first; where filters', async () => {
  const t: LookupTable = { columns: ['a', 'b'], rows: [{ a: '1' }, { a: '2', b: 'x' }] };
  const r = await run('| inputlookup t', { tables: { t } });
  assert.deepEqual(r.rows, [{ a: '1' }, { a: '2', b: 'x' }]);
  const ap = await run('| makeresults | eval a = "0" | fields - _time | inputlookup append=t t', { tables: { t } });
  assert.deepEqual(ap.rows, [{ a: '0' }, { a: '1' }, { a: '2', b: 'x' }]);
  const w = await run('| inputlookup t where b=X', { tables: { t } });
  assert.deepEqual(w.rows, [{ a: '2', b: 'x' }]);
});

test('§7.2 a missing lookup reads as empty with a warning', async () => {
  const r = await run('| inputlookup nosuch');
  assert.deepEqual(r.rows, []);
  assert.ok(r.warnings.some((w) => /nosuch/.test(w)));
  const l = await run('search * | lookup nosuch user OUTPUT x', { input: input.slice(0, 1) });
  assert.deepEqual(l.rows, [{ user: 'bob', command: 'List', firstTimeSeen: 'old' }]);
});

test('§7.3 outputlookup replaces the table (append=t appends) and passes rows through unchanged', async () => {
  const first = await run('| makeresults count=2 | streamstats count as n | outputlookup out.csv', {});
  assert.deepEqual(first.rows.map((r) => r.n), [1, 2]);
  assert.equal(first.rows[0]!._time, 1709640000);
  const lookups = first.lookups;
  assert.deepEqual(lookups.read('out.csv')!.rows, [{ n: '1' }, { n: '2' }]);
  await run('| makeresults | eval n = 3 | outputlookup append=t out.csv', { lookups });
  assert.deepEqual(lookups.read('out.csv')!.rows.map((r) => r.n), ['1', '2', '3']);
  await run('| makeresults | eval n = 9 | outputlookup out.csv', { lookups });
  assert.deepEqual(lookups.read('out.csv')!.rows.map((r) => r.n), ['9']);
});

test('§7 lookups through the state store: CSV from --content, collections in the state dir survive runs', async () => {
  const state = mkdtempSync(join(tmpdir(), 'tg-state-'));
  const content = mkdtempSync(join(tmpdir(), 'tg-content-'));
  mkdirSync(join(content, 'lookups'));
  writeFileSync(join(content, 'lookups', 'allow.yml'), 'name: allow\nfilename: allow.csv\ndescription: test\n');
  writeFileSync(join(content, 'lookups', 'allow.csv'), 'identity\nbob\n');
  const setup = { stateDir: state, contentDirs: [content] };
  const a = await run('| inputlookup allow', { setup });
  assert.deepEqual(a.rows, [{ identity: 'bob' }]);
  await run('| makeresults | eval user = "x", command = "y", firstTimeSeen = 5, enough_data = 1 | outputlookup previously_seen_cloud_api_calls_per_user_role', { setup });
  const b = await run('| inputlookup previously_seen_cloud_api_calls_per_user_role', { setup });
  assert.deepEqual(b.rows, [{ user: 'x', command: 'y', firstTimeSeen: '5', enough_data: '1' }]);
  await run('| inputlookup allow | eval identity = "carol" | outputlookup allow', { setup });
  assert.match(readFileSync(join(state, 'lookups', 'allow.csv'), 'utf8'), /carol/);
  assert.match(readFileSync(join(content, 'lookups', 'allow.csv'), 'utf8'), /bob/);
});
