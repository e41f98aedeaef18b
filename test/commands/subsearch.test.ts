import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type Obj, run } from '../engine/harness.js';
import type { LookupTable } from '../../src/state/table.js';
import { formatRows } from '../../src/engine/format.js';
import { Row } from '../../src/engine/row.js';

const left: Obj[] = [
  { k: 'a', v: 1 },
  { k: 'B', v: 2 },
  { v: 3 },
];
const tables: Record<string, LookupTable> = {
  right: { columns: ['k', 'w'], rows: [{ k: 'a', w: 'x1' }, { k: 'a', w: 'x2' }, { k: 'b', w: 'y' }] },
};

test('§5 join (inner, max=1 default): case-sensitive equality, first match only, right fields overwrite', async () => {
  const r = await run('search * | join k [| inputlookup right]', { input: left, tables });
  assert.deepEqual(r.rows, [{ k: 'a', v: 1, w: 'x1' }]);
});

test('§5 join type=outer/left keeps unmatched rows; max=0 uses every match', async () => {
  const o = await run('search * | join type=left k [| inputlookup right]', { input: left, tables });
  assert.deepEqual(o.rows, [{ k: 'a', v: 1, w: 'x1' }, { k: 'B', v: 2 }, { v: 3 }]);
  const m = await run('search * | join max=0 k [| inputlookup right]', { input: left, tables });
  assert.deepEqual(m.rows, [{ k: 'a', v: 1, w: 'x1' }, { k: 'a', v: 1, w: 'x2' }]);
});

test('§5 join subsearch rows beyond the cap are dropped with a warning', async () => {
  const r = await run('search * | join max=0 k [| inputlookup right]', { input: left, tables, setup: { limits: { joinRows: 1 } } });
  assert.deepEqual(r.rows, [{ k: 'a', v: 1, w: 'x1' }]);
  assert.ok(r.warnings.some((w) => /join/.test(w)));
});

test('§5 append adds the subsearch rows after the current ones', async () => {
  const r = await run('search v<3 | append [| inputlookup right | head 1]', { input: left, tables });
  assert.deepEqual(r.rows, [{ k: 'a', v: 1 }, { k: 'B', v: 2 }, { k: 'a', w: 'x1' }]);
});

test('§2.8 format: rows AND-ed inside, OR-ed across, multivalue OR-ed, _ fields skipped, empty → NOT ()', () => {
  const text = formatRows([Row.of({ a: '1', b: ['x', 'y'], _time: 5 }), Row.of({ a: 'say "hi"' })]);
  assert.equal(text, '( ( a="1" AND ( b="x" OR b="y" ) ) OR ( a="say \\"hi\\"" ) )');
  assert.equal(formatRows([]), 'NOT ()');
  assert.equal(formatRows([Row.of({ search: 'x=1 OR y=2' })]), '( ( x=1 OR y=2 ) )');
});

test('format command and return command produce a `search` field', async () => {
  const f = await run('| inputlookup right | head 2 | format', { tables });
  assert.deepEqual(f.rows, [{ search: '( ( k="a" AND w="x1" ) OR ( k="a" AND w="x2" ) )' }]);
  const r1 = await run('| inputlookup right | return w', { tables });
  assert.deepEqual(r1.rows, [{ search: 'w="x1"' }]);
  const r2 = await run('| inputlookup right | return 2 user=w $k', { tables });
  assert.deepEqual(r2.rows, [{ search: '(user="x1" a) OR (user="x2" a)' }]);
});

test('§2.8 a subsearch ending in return inserts its search text verbatim', async () => {
  const r = await run('search [| inputlookup right | search w=y | return k]', { input: left, tables });
  // k="b" matches "B" case-insensitively in search.
  assert.deepEqual(r.rows, [{ k: 'B', v: 2 }]);
});
