import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { AGGREGATES, aggregateNames, getAggregate, LIST_CAP } from '../../src/engine/aggregates/index.js';
import { toText, type Value } from '../../src/eval/value.js';

interface In {
  v: Value;
  t?: number;
}

/** Aggregates `inputs` in one accumulator (t defaults to the index, i.e. time order = input order). */
function agg(name: string, inputs: Array<Value | In>, param?: number): Value {
  const fn = getAggregate(name, param);
  assert.ok(fn, `unknown aggregate ${name}`);
  const acc = fn.create(param);
  inputs.forEach((x, i) => {
    const inp: In = x !== null && typeof x === 'object' && !Array.isArray(x) ? x : { v: x };
    acc.add(inp.v, inp.t ?? i);
  });
  return acc.result();
}

test('§4.2 count with no field counts rows, including rows where every field is null', () => {
  const acc = getAggregate('count')!.create();
  acc.addRow!(1);
  acc.addRow!(2);
  acc.addRow!(NaN);
  assert.equal(acc.result(), 3);
});

test('§4.2 count(x) skips rows where x is null', () => {
  assert.equal(agg('count', ['a', null, 'b', null]), 2);
});

test('§4.2 [verify] assumption: count(x) counts each value of a multivalue row', () => {
  assert.equal(agg('count', [['a', 'b', 'c'], 'd']), 4);
});

test('§4.1 empty group: count and dc are 0, every other function is null', () => {
  for (const [name, fn] of AGGREGATES) {
    const acc = fn.create(fn.takesParam ? 95 : undefined);
    const expected = name === 'count' || name === 'dc' ? 0 : null;
    assert.deepEqual(acc.result(), expected, name);
  }
});

test('§4.2 nulls are skipped by every function', () => {
  for (const [name, fn] of AGGREGATES) {
    const a = fn.create(fn.takesParam ? 50 : undefined);
    const b = fn.create(fn.takesParam ? 50 : undefined);
    a.add('7', 1);
    b.add(null, 0);
    b.add('7', 1);
    b.add(null, 2);
    assert.deepEqual(b.result(), a.result(), name);
  }
});

test('§4.2 dc compares text: "1" and "1.0" are distinct; multivalues contribute each value', () => {
  assert.equal(agg('dc', ['1', '1.0', '1', ['1', 'x']]), 3);
});

test('§4.2 dc counts a number and its canonical text as one value', () => {
  assert.equal(agg('dc', [5, '5']), 1);
});

test('§4.2 values: distinct, lexicographic ("10" < "9"), multivalue inputs contribute each value', () => {
  assert.deepEqual(agg('values', ['9', '10', ['b', '9'], 'a', '10']), ['10', '9', 'a', 'b']);
  assert.equal(agg('values', ['x', 'x']), 'x');
});

test('§4.2 list keeps encounter order and duplicates, capped at 100', () => {
  assert.deepEqual(agg('list', ['b', 'a', ['b', 'c']]), ['b', 'a', 'b', 'c']);
  const many = Array.from({ length: 150 }, (_, i) => String(i));
  const out = agg('list', many) as string[];
  assert.equal(out.length, LIST_CAP);
  assert.equal(out[99], '99');
});

test('§4.2 min/max are numeric when values parse as numbers', () => {
  assert.equal(agg('max', ['9', '10', '2']), 10);
  assert.equal(agg('min', ['9', '10', '2', ' 1.5']), 1.5);
});

test('§4.2 min/max are lexicographic when no value is numeric', () => {
  assert.equal(agg('max', ['abc', 'abd', 'Z']), 'abd');
  assert.equal(agg('min', ['abc', 'abd', 'Z']), 'Z');
});

test('§4.2 min/max on mixed numeric and text values prefer the numbers', () => {
  assert.equal(agg('max', ['zzz', '3', '12']), 12);
  assert.equal(agg('min', ['aaa', '3', '12']), 3);
});

test('§4.2 min/max of multivalue inputs look at every value', () => {
  assert.equal(agg('max', [['1', '40'], '7']), 40);
});

test('§4.2 earliest/latest take the value from the row with the smallest/largest _time', () => {
  const rows: In[] = [
    { v: 'mid', t: 20 },
    { v: 'late', t: 30 },
    { v: null, t: 5 },
    { v: 'early', t: 10 },
  ];
  assert.equal(agg('earliest', rows), 'early');
  assert.equal(agg('latest', rows), 'late');
  assert.equal(agg('earliest_time', rows), 10);
  assert.equal(agg('latest_time', rows), 30);
});

test('§4.2 [verify] assumption: earliest/latest ties on _time go to the row encountered first', () => {
  const rows: In[] = [
    { v: 'a', t: 10 },
    { v: 'b', t: 10 },
    { v: 'c', t: 20 },
    { v: 'd', t: 20 },
  ];
  assert.equal(agg('earliest', rows), 'a');
  assert.equal(agg('latest', rows), 'c');
});

test('§4.2 earliest keeps a multivalue field whole; rows without _time are ignored', () => {
  assert.deepEqual(agg('earliest', [{ v: 'untimed', t: NaN }, { v: ['x', 'y'], t: 3 }]), ['x', 'y']);
});

test('§4.2 first/last follow encounter order, not _time', () => {
  const rows: In[] = [
    { v: 'b', t: 50 },
    { v: null, t: 1 },
    { v: 'a', t: 10 },
  ];
  assert.equal(agg('first', rows), 'b');
  assert.equal(agg('last', rows), 'a');
});

test('§4.2 sum/avg use numeric values only; non-numeric ignored', () => {
  assert.equal(agg('sum', ['1', '2', 'x', ['3', '4']]), 10);
  assert.equal(agg('avg', ['1', '2', 'x', '6']), 3);
  assert.equal(agg('avg', ['x', 'y']), null);
  assert.equal(agg('sum', [0.1, 0.2, 0.3]), 0.6);
});

test('§4.2 stdev is the sample deviation (n-1); stdevp/var/varp as defined', () => {
  const xs = ['2', '4', '4', '4', '5', '5', '7', '9'];
  assert.equal(agg('stdevp', xs), 2);
  assert.equal(agg('varp', xs), 4);
  assert.equal(agg('var', xs), 32 / 7);
  assert.equal(agg('stdev', xs), Math.sqrt(32 / 7));
});

test('§4.2 [verify] assumption: stdev and var of a single value are 0', () => {
  assert.equal(agg('stdev', ['42']), 0);
  assert.equal(agg('var', ['42']), 0);
});

test('§4.2 stdev of large epoch-sized values does not lose precision', () => {
  assert.equal(agg('stdevp', [1_700_000_000, 1_700_000_002]), 1);
});

test('§4.2 percentiles interpolate linearly at rank p/100*(n-1); upperperc takes the upper value', () => {
  const xs = ['1', '2', '3', '4'];
  assert.equal(agg('median', xs), 2.5);
  assert.equal(agg('perc50', xs), 2.5);
  assert.equal(agg('p50', xs), 2.5);
  assert.equal(agg('exactperc50', xs), 2.5);
  assert.equal(agg('upperperc50', xs), 3);
  assert.equal(agg('perc', xs, 100), 4);
  assert.equal(agg('perc0', xs), 1);
  assert.equal(agg('perc75', ['10', '20', '30', '40', '50']), 40);
  assert.equal(agg('median', ['3', 'x', '1', '2']), 2);
});

test('§4.2 range is max-min of the numeric values', () => {
  assert.equal(agg('range', ['5', 'x', '12', '7']), 7);
  assert.equal(agg('range', ['x']), null);
});

test('§4.2 mode returns the most frequent value; ties go to the value seen first', () => {
  assert.equal(agg('mode', ['a', 'b', 'b', 'a', 'c']), 'a');
  assert.equal(agg('mode', ['a', 'b', 'b']), 'b');
});

test('registry: perc95/p95 forms, aliases, case-insensitive names, unknown → undefined', () => {
  assert.equal(getAggregate('PERC95')?.name, 'perc');
  assert.equal(getAggregate('distinct_count')?.name, 'dc');
  assert.equal(getAggregate('mean')?.name, 'avg');
  assert.equal(getAggregate('nosuch'), undefined);
  assert.ok(aggregateNames().includes('earliest'));
});

// ---- merge property -------------------------------------------------------------------------

/**
 * Results compared as SPL sees them: by text. A JS -0 and 0 are the same SPL value "0", and JSON
 * (the state passed between workers) does not keep the sign of zero.
 */
function splText(v: Value): null | string | string[] {
  return v === null ? null : Array.isArray(v) ? v.map(toText) : toText(v);
}

const scalar = fc.oneof(
  fc.constantFrom('a', 'b', 'B', '10', '9', '1.0', '1', '', 'zz'),
  fc.integer({ min: -50, max: 50 }),
  fc.double({ min: -1e6, max: 1e6, noNaN: true }),
);
const value: fc.Arbitrary<Value> = fc.oneof(
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 4, arbitrary: scalar },
  { weight: 1, arbitrary: fc.array(scalar, { minLength: 2, maxLength: 3 }) },
);
const input = fc.array(fc.record({ v: value, t: fc.integer({ min: 0, max: 20 }) }), { maxLength: 60 });
const cuts = fc.array(fc.nat(), { maxLength: 6 });

/** Splits at the given cut points, aggregates each chunk, ships state through JSON, merges in chunk order. */
function chunked(name: string, param: number | undefined, rows: In[], cutPoints: number[]): Value {
  const fn = getAggregate(name, param)!;
  const bounds = [...new Set(cutPoints.map((c) => (rows.length === 0 ? 0 : c % (rows.length + 1))))].sort((a, b) => a - b);
  const edges = [0, ...bounds, rows.length];
  const parts = [];
  for (let i = 0; i + 1 < edges.length; i++) {
    const acc = fn.create(param);
    for (const r of rows.slice(edges[i], edges[i + 1])) acc.add(r.v, r.t!);
    // Round-trip through JSON as a worker thread would.
    parts.push(fn.fromJSON(JSON.parse(JSON.stringify(acc.toJSON())), param));
  }
  const total = fn.create(param);
  for (const p of parts) total.merge(p);
  return total.result();
}

for (const [name, fn] of AGGREGATES) {
  const param = fn.takesParam ? 90 : undefined;
  const how = fn.orderSensitive ? 'merged in chunk order' : 'merged';
  test(`merge: ${name} over random chunks ${how} equals single-pass aggregation`, () => {
    fc.assert(
      fc.property(input, cuts, (rows, cutPoints) => {
        const single = fn.create(param);
        for (const r of rows) single.add(r.v, r.t!);
        assert.deepEqual(splText(chunked(name, param, rows, cutPoints)), splText(single.result()));
      }),
      { numRuns: 150 },
    );
  });
}

test('merge: count with addRow over chunks equals the row count', () => {
  const fn = getAggregate('count')!;
  const a = fn.create();
  const b = fn.fromJSON(JSON.parse(JSON.stringify(fn.create().toJSON())));
  a.addRow!(0);
  b.addRow!(0);
  b.addRow!(0);
  a.merge(b);
  assert.equal(a.result(), 3);
});

test('merge: order-independent functions give the same result whichever chunk merges first', () => {
  const orderFree = [...AGGREGATES.values()].filter((f) => !f.orderSensitive);
  fc.assert(
    fc.property(input, input, (left, right) => {
      for (const fn of orderFree) {
        const param = fn.takesParam ? 90 : undefined;
        const mk = (rows: In[]) => {
          const acc = fn.create(param);
          for (const r of rows) acc.add(r.v, r.t!);
          return acc;
        };
        const ab = mk(left);
        ab.merge(mk(right));
        const ba = mk(right);
        ba.merge(mk(left));
        assert.deepEqual(splText(ab.result()), splText(ba.result()), fn.name);
      }
    }),
    { numRuns: 100 },
  );
});
