import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Row, type FieldSource } from '../src/engine/row.js';

function countingSource(fields: Record<string, string>): FieldSource & { reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    get(name) {
      reads.push(name);
      return fields[name] ?? null;
    },
    names: () => Object.keys(fields),
  };
}

test('Row resolves only the fields asked for (lazy field resolution)', () => {
  const src = countingSource({ a: '1', b: '2', c: '3' });
  const row = new Row(src);
  assert.equal(row.get('b'), '2');
  assert.deepEqual(src.reads, ['b']);
});

test('Row: assigning null removes a field, even one that comes from the source (SPL.md §3.4)', () => {
  const row = new Row(countingSource({ a: '1', b: '2' }));
  row.set('a', null);
  assert.equal(row.get('a'), null);
  assert.deepEqual(row.fieldNames(), ['b']);
});

test('Row: overlay fields follow source fields in fieldNames, clone is independent', () => {
  const row = new Row(countingSource({ a: '1' }));
  row.set('z', 'x');
  const copy = row.clone();
  copy.set('a', 'changed');
  assert.deepEqual(row.toObject(), { a: '1', z: 'x' });
  assert.deepEqual(copy.toObject(), { a: 'changed', z: 'x' });
});

test('Row: a one-element multivalue is stored as a single value (SPL.md §1.1)', () => {
  const row = Row.of({});
  row.set('x', ['only']);
  assert.equal(row.get('x'), 'only');
});
