import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type Obj, run } from '../engine/harness.js';

const input: Obj[] = [
  { _time: 100, user: 'bob', api: 'List', n: '10', 'rp.name': 'a', 'rp.size': 1 },
  { _time: 50, user: 'alice', api: ['Get', 'Put'], n: '9', 'rp.name': 'b' },
  { _time: 70, user: 'bob', api: 'Get', n: 'x' },
  { _time: 60, api: 'Get', n: '3' },
];

test('§4.1 stats groups by values, drops null by-fields, orders groups by by-values', async () => {
  const r = await run('search * | stats count by user', { input });
  assert.deepEqual(r.rows, [{ user: 'alice', count: 1 }, { user: 'bob', count: 2 }]);
});

test('§4.1 a multivalue by-field puts the row in one group per value', async () => {
  const r = await run('search * | stats count by api', { input });
  assert.deepEqual(r.rows, [{ api: 'Get', count: 3 }, { api: 'List', count: 1 }, { api: 'Put', count: 1 }]);
});

test('§4.1 with no by-clause exactly one row even for zero input', async () => {
  const r = await run('search nosuchfield=1 | stats count, max(n) as m', { input });
  assert.deepEqual(r.rows, [{ count: 0 }]);
});

test('§4.1 default output name is the call text; `as` renames', async () => {
  const r = await run('search * | stats values(api) dc(api) as kinds by user', { input });
  assert.deepEqual(r.rows, [
    { user: 'alice', 'values(api)': ['Get', 'Put'], kinds: 2 },
    { user: 'bob', 'values(api)': ['Get', 'List'], kinds: 2 },
  ]);
});

test('§4.1 wildcard aggregates: values(rp.*) as * and values(*) as *', async () => {
  const r = await run('search * | stats values(rp.*) as * by user', { input });
  assert.deepEqual(r.rows, [{ user: 'alice', name: 'b' }, { user: 'bob', name: 'a', size: '1' }]);
  const all = await run('search user=alice | stats values(*) as * by user', { input });
  assert.deepEqual(Object.keys(all.rows[0]!).sort(), ['_time', 'api', 'n', 'rp.name', 'user'].sort());
});

test('§4.2 aggregate paths: min/max numeric, earliest/latest by _time, sum/avg/stdev, range, median, perc, mode, first/last, list', async () => {
  const r = await run(
    'search * | stats min(n) as mn max(n) as mx earliest(api) as e latest(api) as l sum(n) as s avg(n) as a stdev(n) as sd range(n) as rg median(n) as md perc50(n) as p mode(api) as mo first(user) as f last(user) as la list(user) as li count(user) as cu',
    { input },
  );
  const row = r.rows[0]!;
  assert.equal(row.mn, 3);
  assert.equal(row.mx, 10);
  // _time 50 is alice's row, whose api is the multivalue Get,Put: earliest keeps the whole value.
  assert.deepEqual(row.e, ['Get', 'Put']);
  assert.equal(row.l, 'List');
  assert.equal(row.s, 22);
  assert.ok(Math.abs((row.a as number) - 22 / 3) < 1e-9);
  assert.equal(row.rg, 7);
  assert.equal(row.mo, 'Get');
  assert.equal(row.f, 'bob');
  assert.equal(row.la, 'bob');
  assert.deepEqual(row.li, ['bob', 'alice', 'bob']);
  assert.equal(row.cu, 3);
  // Numeric values 10, 9, 3 ("x" ignored): sample stdev = sqrt(((8/3)² + (5/3)² + (13/3)²) / 2).
  assert.ok(Math.abs((row.sd as number) - Math.sqrt((64 / 9 + 25 / 9 + 169 / 9) / 2)) < 1e-9);
  assert.equal(Number(row.md), 9);
  assert.equal(Number(row.p), 9);
});

test('§4.3 eventstats adds group aggregates to every row and skips rows with a null by-field', async () => {
  const r = await run('search * | eventstats count as c by user | table user c', { input });
  assert.deepEqual(r.rows, [{ user: 'bob', c: 2 }, { user: 'alice', c: 1 }, { user: 'bob', c: 2 }, {}]);
  const g = await run('search * | eval x = if(user="bob", 1, 0) | eventstats max(x) as x | table x', { input });
  assert.deepEqual(g.rows, [{ x: 1 }, { x: 1 }, { x: 1 }, { x: 1 }]);
});

test('streamstats: running count, window=, current=f', async () => {
  const r = await run('search * | streamstats count as c | table c', { input });
  assert.deepEqual(r.rows.map((x) => x.c), [1, 2, 3, 4]);
  const w = await run('search * | eval v = 1 | streamstats window=2 sum(v) as s | table s', { input });
  assert.deepEqual(w.rows.map((x) => x.s), [1, 2, 2, 2]);
  const p = await run('search * | streamstats current=f count as c by user | table user c', { input });
  assert.deepEqual(p.rows, [{ user: 'bob', c: 0 }, { user: 'alice', c: 0 }, { user: 'bob', c: 1 }, {}]);
});

test('§10.9 fillnull before stats keeps rows with missing by-fields', async () => {
  const r = await run('search * | fillnull | stats count by user', { input });
  // fillnull writes the text "0", which sorts first (numbers before strings).
  assert.deepEqual(r.rows, [{ user: '0', count: 1 }, { user: 'alice', count: 1 }, { user: 'bob', count: 2 }]);
});

test('stats with an unknown function fails at plan time with a hint', async () => {
  await assert.rejects(run('search * | stats cuont(x)', { input }), /unknown aggregate function `cuont`[\s\S]*/);
});
