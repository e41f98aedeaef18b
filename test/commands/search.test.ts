import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type Obj, run, pick } from '../engine/harness.js';
import type { LookupTable } from '../../src/state/table.js';

const events: Obj[] = [
  { _raw: '{"eventName":"AssumeRoleWithSAML","x":"StartInstances"}', eventName: 'AssumeRoleWithSAML', userAgent: 'console.amazonaws.com', n: 5 },
  { _raw: '{"eventName":"DeleteTrail"}', eventName: 'DeleteTrail', userAgent: 'aws-cli/2.0', n: 20 },
  { _raw: '{"eventName":"ListBuckets"}', eventName: 'ListBuckets', n: 9 },
  { _raw: '{"eventName":"PutImage"}', eventName: 'PutImage', userAgent: ['a', 'b.amazonaws.com'], n: 'x' },
];

test('§2.3 search value match is case-insensitive and any value of a multivalue field matches', async () => {
  const r1 = await run('search eventName=assumerolewithsaml', { input: events });
  assert.deepEqual(pick(r1.rows, ['eventName']), [{ eventName: 'AssumeRoleWithSAML' }]);
  const r2 = await run('search userAgent=*.amazonaws.com', { input: events });
  assert.deepEqual(pick(r2.rows, ['eventName']), [{ eventName: 'AssumeRoleWithSAML' }, { eventName: 'PutImage' }]);
});

test('§2.5 field!=v drops rows lacking the field; NOT field=v keeps them', async () => {
  const neq = await run('search userAgent!=console.amazonaws.com', { input: events });
  assert.deepEqual(neq.rows.map((r) => r.eventName), ['DeleteTrail', 'PutImage']);
  const not = await run('search NOT userAgent=console.amazonaws.com', { input: events });
  assert.deepEqual(not.rows.map((r) => r.eventName), ['DeleteTrail', 'ListBuckets', 'PutImage']);
});

test('§2.2 OR binds tighter than AND in search', async () => {
  const r = await run('search n>=9 eventName=DeleteTrail OR eventName=ListBuckets', { input: events });
  assert.deepEqual(r.rows.map((x) => x.eventName), ['DeleteTrail', 'ListBuckets']);
});

test('§2.4 field=* requires the field; §2.1 IN lists with wildcards', async () => {
  const r = await run('search userAgent=*', { input: events });
  assert.equal(r.rows.length, 3);
  const i = await run('search eventName IN ("*trail", "list*")', { input: events });
  assert.deepEqual(i.rows.map((x) => x.eventName), ['DeleteTrail', 'ListBuckets']);
});

test('§2.6 numeric comparison when both sides are numeric, text otherwise', async () => {
  const r = await run('search n>8', { input: events });
  // 5 < 8, 20 > 8, 9 > 8, and "x" > "8" by byte order.
  assert.deepEqual(r.rows.map((x) => x.eventName), ['DeleteTrail', 'ListBuckets', 'PutImage']);
});

test('§2.7 bare words match tokens of _raw case-insensitively', async () => {
  const r = await run('search startinstances', { input: events });
  assert.deepEqual(r.rows.map((x) => x.eventName), ['AssumeRoleWithSAML']);
});

test('§2.8 a subsearch becomes a filter; NOT [ empty ] matches everything; [ empty ] matches nothing', async () => {
  const tables: Record<string, LookupTable> = { allow: { columns: ['identity'], rows: [{ identity: 'DeleteTrail' }, { identity: 'listbuckets' }] }, none: { columns: ['identity'], rows: [] } };
  const inc = await run('search [| inputlookup allow | rename identity as eventName]', { input: events, tables });
  assert.deepEqual(inc.rows.map((x) => x.eventName), ['DeleteTrail', 'ListBuckets']);
  const exc = await run('search NOT [| inputlookup allow | rename identity as eventName]', { input: events, tables });
  assert.deepEqual(exc.rows.map((x) => x.eventName), ['AssumeRoleWithSAML', 'PutImage']);
  const emptyNot = await run('search NOT [| inputlookup none | fields identity]', { input: events, tables });
  assert.equal(emptyNot.rows.length, 4);
  const empty = await run('search [| inputlookup none | fields identity]', { input: events, tables });
  assert.equal(empty.rows.length, 0);
});

test('§2.8 subsearch output beyond the row cap is truncated with a warning', async () => {
  const tables: Record<string, LookupTable> = { many: { columns: ['eventName'], rows: [{ eventName: 'DeleteTrail' }, { eventName: 'ListBuckets' }, { eventName: 'PutImage' }] } };
  const r = await run('search [| inputlookup many]', { input: events, tables, setup: { limits: { subsearchRows: 2 } } });
  assert.deepEqual(r.rows.map((x) => x.eventName), ['DeleteTrail', 'ListBuckets']);
  assert.ok(r.warnings.some((w) => /more than 2 rows/.test(w)), r.warnings.join('\n'));
});

test('§2.9 inline earliest= in a later search restricts _time', async () => {
  const input: Obj[] = [{ _time: 1709636400 - 10, a: 1 }, { _time: 1709636400 + 10, a: 2 }];
  const r = await run('search * | search earliest=-1h', { input });
  assert.deepEqual(r.rows.map((x) => x.a), [2]);
});

test('where keeps only rows where the expression is true (§3.4: null → dropped)', async () => {
  const r = await run('search * | where n > 8', { input: events });
  // where compares numerically only when both sides are numeric; "x" vs 8 compares as text ("x" > "8").
  assert.deepEqual(r.rows.map((x) => x.eventName), ['DeleteTrail', 'ListBuckets', 'PutImage']);
  const r2 = await run('search * | where isnull(userAgent)', { input: events });
  assert.deepEqual(r2.rows.map((x) => x.eventName), ['ListBuckets']);
});

test('eval assignments run left to right and null removes the field (§3.1, §3.4)', async () => {
  const r = await run('search * | eval a = 15, b = a * 2, userAgent = null()', { input: events.slice(0, 1) });
  assert.equal(r.rows[0]!.b, 30);
  assert.equal(r.rows[0]!.userAgent, undefined);
});
