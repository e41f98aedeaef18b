import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildLookupIndex, outputValue, type LookupTable } from '../../src/state/index.js';

const table: LookupTable = {
  columns: ['City', 'user', 'firstTimeSeen'],
  rows: [
    { City: 'Paris', user: 'alice', firstTimeSeen: '300' },
    { City: 'Berlin', user: 'bob', firstTimeSeen: '100' },
    { City: 'Paris', user: 'carol', firstTimeSeen: '200' },
    { City: 'paris', user: 'dave', firstTimeSeen: '50' },
    { user: 'nocity', firstTimeSeen: '1' },
    { City: 'Paris', user: 'alice', firstTimeSeen: '300' },
  ],
};

test('§7.4 lookup matching is exact and case-sensitive by default', () => {
  const idx = buildLookupIndex(table, ['City']);
  assert.deepEqual(idx.match(['Paris']).map((r) => r.user), ['alice', 'carol', 'alice']);
  assert.deepEqual(idx.match(['PARIS']), []);
  assert.deepEqual(idx.match(['Par']), []);
});

test('§7.4 case-insensitive matching when asked', () => {
  const idx = buildLookupIndex(table, ['City'], { caseSensitive: false });
  assert.deepEqual(idx.match(['PARIS']).map((r) => r.user), ['alice', 'carol', 'dave', 'alice']);
});

test('§7.4 a null event key never matches; a table row lacking the key cell is never matched', () => {
  const idx = buildLookupIndex(table, ['City']);
  assert.deepEqual(idx.match([null]), []);
  assert.deepEqual(idx.match(['']), []);
});

test('§7.4 composite keys must all match; numbers match their text', () => {
  const idx = buildLookupIndex(table, ['City', 'firstTimeSeen']);
  assert.deepEqual(idx.match(['Paris', 200]).map((r) => r.user), ['carol']);
  assert.deepEqual(idx.match(['Paris', '100']), []);
});

test('§7.4 [verify] assumption: a multivalue event key matches rows for any of its values, each row once, table order', () => {
  const idx = buildLookupIndex(table, ['City']);
  assert.deepEqual(idx.match([['Berlin', 'Paris', 'Berlin']]).map((r) => r.user), ['alice', 'bob', 'carol', 'alice']);
});

test('§7.4 at most max_matches rows (default 1000), the first in table order', () => {
  const big: LookupTable = { columns: ['k', 'n'], rows: Array.from({ length: 1500 }, (_, i) => ({ k: 'x', n: String(i) })) };
  assert.equal(buildLookupIndex(big, ['k']).match(['x']).length, 1000);
  assert.deepEqual(buildLookupIndex(table, ['City'], { maxMatches: 1 }).match(['Paris']).map((r) => r.user), ['alice']);
});

test('§7.4 several matches make outputs multivalue in table order; [verify] assumption: duplicates removed', () => {
  const matches = buildLookupIndex(table, ['City']).match(['Paris']);
  assert.deepEqual(outputValue(matches, 'firstTimeSeen'), ['300', '200']);
  assert.deepEqual(outputValue(matches, 'user'), ['alice', 'carol']);
  assert.equal(outputValue(matches.slice(0, 1), 'user'), 'alice');
  assert.equal(outputValue([], 'user'), null);
  assert.equal(outputValue(matches, 'missing'), null);
});

test('§7.4 a multivalue table cell matches on any of its values', () => {
  const t: LookupTable = { columns: ['k', 'v'], rows: [{ k: ['a', 'b'], v: '1' }] };
  const idx = buildLookupIndex(t, ['k']);
  assert.deepEqual(idx.match(['b']).map((r) => r.v), ['1']);
  assert.deepEqual(idx.match([['a', 'b']]).map((r) => r.v), ['1']);
});
