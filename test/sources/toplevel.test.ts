import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { skipString, topLevelSpans } from '../../src/sources/toplevel.js';

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
