import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type Obj, run } from '../engine/harness.js';

const input: Obj[] = [
  { _time: 1709640000.5, 'All_Changes.user': 'bob', 'All_Changes.Instance_Changes.image_id': 'ami-1', cmd: 'Run', n: '10' },
  { _time: 1709636399, 'All_Changes.user': 'alice', cmd: 'Stop', n: '9' },
  { _time: 1709640100, cmd: 'Run', n: 'b' },
];

test('§5 table keeps only the listed fields in order, wildcards allowed, and keeps row order', async () => {
  const r = await run('search * | table cmd, n', { input });
  assert.deepEqual(r.rows, [{ cmd: 'Run', n: '10' }, { cmd: 'Stop', n: '9' }, { cmd: 'Run', n: 'b' }]);
  const w = await run('search * | table All_Changes.*', { input });
  assert.deepEqual(Object.keys(w.rows[0]!), ['All_Changes.user', 'All_Changes.Instance_Changes.image_id']);
});

test('§5 fields keeps the listed (plus _time), fields - removes', async () => {
  const r = await run('search * | fields cmd', { input });
  assert.deepEqual(r.rows[1], { cmd: 'Stop', _time: 1709636399 });
  const m = await run('search * | fields - n, All_Changes.*', { input });
  assert.deepEqual(m.rows[1], { _time: 1709636399, cmd: 'Stop' });
});

test('§5 rename: plain, missing source leaves target, wildcard; §8.4 drop_dm_object_name twice', async () => {
  const r = await run('search * | rename cmd as command, nosuch as n', { input });
  assert.deepEqual(r.rows[1], { _time: 1709636399, 'All_Changes.user': 'alice', command: 'Stop', n: '9' });
  const d = await run('search * | `drop_dm_object_name("All_Changes")` | `drop_dm_object_name("Instance_Changes")` | table user image_id', { input });
  assert.deepEqual(d.rows[0], { user: 'bob', image_id: 'ami-1' });
});

test('dedup keeps the first row per value and drops rows lacking the field unless keepempty=t', async () => {
  const r = await run('search * | dedup cmd', { input });
  assert.deepEqual(r.rows.map((x) => x.n), ['10', '9']);
  const u = await run('search * | dedup All_Changes.user', { input });
  assert.equal(u.rows.length, 2);
  const k = await run('search * | dedup All_Changes.user keepempty=true', { input });
  assert.equal(k.rows.length, 3);
  const s = await run('search * | dedup cmd sortby -n', { input });
  assert.deepEqual(s.rows.map((x) => x.n), ['10', '9']);
});

test('§4.1 sort: numbers before strings, numerically; - for descending; num()/str()', async () => {
  const r = await run('search * | sort n', { input });
  assert.deepEqual(r.rows.map((x) => x.n), ['9', '10', 'b']);
  const d = await run('search * | sort -n', { input });
  assert.deepEqual(d.rows.map((x) => x.n), ['b', '10', '9']);
  const s = await run('search * | sort str(n)', { input });
  assert.deepEqual(s.rows.map((x) => x.n), ['10', '9', 'b']);
  const l = await run('search * | sort 1 n', { input });
  assert.deepEqual(l.rows.map((x) => x.n), ['9']);
});

test('head N / head (expr) and tail N (last-first)', async () => {
  assert.deepEqual((await run('search * | head 2', { input })).rows.map((x) => x.n), ['10', '9']);
  assert.deepEqual((await run('search * | head (cmd="Run")', { input })).rows.map((x) => x.n), ['10']);
  assert.deepEqual((await run('search * | tail 2', { input })).rows.map((x) => x.n), ['b', '9']);
});

test('§5 fillnull: default value 0 over every field seen in any row (not _ fields); listed fields only', async () => {
  const r = await run('search * | fields - _time | fillnull', { input });
  assert.equal(r.rows[2]!['All_Changes.user'], '0');
  assert.equal(r.rows[1]!['All_Changes.Instance_Changes.image_id'], '0');
  const v = await run('search * | fillnull value="m1.small" All_Changes.user', { input });
  assert.equal(v.rows[2]!['All_Changes.user'], 'm1.small');
  assert.equal(v.rows[2]!['All_Changes.Instance_Changes.image_id'], undefined);
});

test('§5 mvexpand: one row per value, rows lacking the field dropped', async () => {
  const r = await run('search * | eval m = split(n, "") | mvexpand m | table m', { input: input.slice(0, 1) });
  assert.deepEqual(r.rows, [{ m: '1' }, { m: '0' }]);
  const d = await run('search * | mvexpand All_Changes.user', { input });
  assert.equal(d.rows.length, 2);
});

test('§4.4 bin/bucket span aligns _time to epoch multiples; non-numeric values untouched', async () => {
  const r = await run('search * | bucket _time span=1h | table _time', { input });
  assert.deepEqual(r.rows.map((x) => x._time), [1709640000, 1709632800, 1709640000]);
  const b = await run('search * | bin n span=5 as nb | table nb', { input });
  assert.deepEqual(b.rows.map((x) => x.nb), [10, 5, 'b']);
});

test('§5 convert ctime with timeformat (security_content_ctime), missing field no-op, non-numeric unchanged', async () => {
  const r = await run('search * | `security_content_ctime(_time)` | `security_content_ctime(nosuch)` | convert ctime(cmd) | table _time cmd', { input });
  assert.deepEqual(r.rows[1], { _time: '2024-03-05T10:59:59', cmd: 'Stop' });
  const d = await run('search * | convert ctime(_time) as t | table t', { input: input.slice(1, 2) });
  assert.deepEqual(d.rows, [{ t: '03/05/2024 10:59:59' }]);
  const m = await run('search * | convert timeformat="%Y-%m-%d" mktime(d) | table d', { input: [{ d: '2024-03-05' }] });
  assert.deepEqual(m.rows, [{ d: 1709596800 }]);
});

test('§5 rex named groups, no match leaves fields, max_match=0 gives multivalues, regex not glob', async () => {
  const rows: Obj[] = [{ user_role: 'arn:aws:sts::123456789012:assumed-role/x', _raw: 'a=1 a=2' }];
  const r = await run('search * | rex field=user_role "arn:aws:sts:*:(?<dest_account>.*):" | table dest_account', { input: rows });
  assert.deepEqual(r.rows, [{ dest_account: '123456789012' }]);
  const m = await run('search * | rex max_match=0 "a=(?<v>\\d)" | table v', { input: rows });
  assert.deepEqual(m.rows, [{ v: ['1', '2'] }]);
  const n = await run('search * | eval v = "keep" | rex "zzz(?<v>\\d)" | table v', { input: rows });
  assert.deepEqual(n.rows, [{ v: 'keep' }]);
  const s = await run('search * | rex field=user_role mode=sed "s/\\d{12}/ACCOUNT/g" | table user_role', { input: rows });
  assert.deepEqual(s.rows, [{ user_role: 'arn:aws:sts::ACCOUNT:assumed-role/x' }]);
});

test('§5 spath: path with {} and {N}, objects as JSON text, no path flattens leaves, bad JSON creates nothing', async () => {
  const doc = JSON.stringify({ Statement: [{ Action: 's3:Get', Effect: 'Allow' }, { Action: ['kms:*', 'iam:*'], Effect: 'Deny' }], v: 1, ok: true, nul: null });
  const rows = [{ policy: doc }];
  const a = await run('search * | spath input=policy path=Statement{}.Action output=act | table act', { input: rows });
  assert.deepEqual(a.rows, [{ act: ['s3:Get', '["kms:*","iam:*"]'] }]);
  const b = await run('search * | spath input=policy path=Statement{2}.Effect | table Statement{2}.Effect', { input: rows });
  assert.deepEqual(b.rows, [{ 'Statement{2}.Effect': 'Deny' }]);
  const c = await run('search * | spath input=policy | table Statement{}.Action{} Statement{}.Effect v ok nul', { input: rows });
  assert.deepEqual(c.rows, [{ 'Statement{}.Action{}': ['kms:*', 'iam:*'], 'Statement{}.Effect': ['Allow', 'Deny'], v: 1, ok: 'true', nul: 'null' }]);
  const d = await run('search * | eval out = "old" | spath input=out path=x output=out | table out', { input: rows });
  assert.deepEqual(d.rows, [{ out: 'old' }]);
  const e = await run('search * | rex field=policy "(?<json_field>\\{.+\\})" | spath input=json_field path=v | table v', { input: rows });
  assert.deepEqual(e.rows, [{ v: 1 }]);
});

test('makeresults count=N gives rows holding _time = now()', async () => {
  const r = await run('| makeresults count=2 | eval x = 1');
  assert.deepEqual(r.rows, [{ _time: 1709640000, x: 1 }, { _time: 1709640000, x: 1 }]);
});

test('sort keeps 10 000 rows unless a count is given; sort 0 keeps every row (Splunk default)', async () => {
  const input: Obj[] = Array.from({ length: 10_003 }, (_, i) => ({ n: String(10_003 - i) }));
  const limited = await run('search * | sort n', { input });
  assert.equal(limited.rows.length, 10_000);
  assert.equal(limited.rows[0]!.n, '1');
  const all = await run('search * | sort 0 n', { input });
  assert.equal(all.rows.length, 10_003);
  const three = await run('search * | sort 3 -n', { input });
  assert.deepEqual(three.rows.map((r) => r.n), ['10003', '10002', '10001']);
});
