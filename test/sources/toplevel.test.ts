import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { skipString, skipValue, topLevelSpans } from '../../src/sources/toplevel.js';

test('skipString: a quote closes the string unless an odd run of backslashes escapes it', () => {
  const cases: [string, number][] = [
    ['"abc" rest', 5],
    ['"a\\"b" rest', 6],
    ['"a\\\\" rest', 5],
    ['"a\\\\\\"b" rest', 8],
    ['"\\\\"', 4],
    ['"unterminated', -1],
    ['"ends with escaped quote\\"', -1],
  ];
  for (const [text, end] of cases) assert.equal(skipString(text, 0), end, text);
});

test('skipString agrees with JSON.stringify for any string (property)', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary' }), fc.string(), (s, tail) => {
      const lit = JSON.stringify(s);
      assert.equal(skipString(lit + tail, 0), lit.length);
    }),
    { numRuns: 2000 },
  );
});

test('topLevelSpans finds a top-level key after values holding quotes, backslashes and braces', () => {
  const text = JSON.stringify({ a: 'x"}{\\', b: { eventTime: 'nested' }, eventTime: '2024-01-01T00:00:00Z' });
  const spans = topLevelSpans(text, ['eventTime'])!;
  const span = spans.get('eventTime')!;
  assert.equal(text.slice(span.start, span.end), '"2024-01-01T00:00:00Z"');
});

test('skipValue ends a nested object or array exactly where JSON.stringify ended it (property)', () => {
  // Strings full of quotes, backslash runs and brackets, nested at any depth: the skip jumps from
  // quote to quote with a native search, so an escaped quote must never end a string early.
  const tricky = fc.oneof(fc.string({ unit: 'binary' }), fc.constantFrom('\\', '\\"', '"}', '\\\\"]', '{"a":"b"}', ''));
  const json = fc.letrec((tie) => ({
    value: fc.oneof({ depthSize: 'small' }, tricky, fc.integer(), fc.constant(null), tie('array'), tie('object')),
    array: fc.array(tie('value'), { maxLength: 4 }),
    object: fc.dictionary(tricky, tie('value'), { maxKeys: 4 }),
  }));
  fc.assert(
    fc.property(fc.oneof(json.object, json.array), fc.string(), (v, tail) => {
      const lit = JSON.stringify(v);
      assert.equal(skipValue(lit + tail, 0), lit.length);
      // Cut anywhere inside, it is not a whole value.
      assert.equal(skipValue(lit.slice(0, -1), 0), -1);
    }),
    { numRuns: 2000 },
  );
});
