import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findElementBoundaries, ContainerScanner, type ContainerMode } from '../../src/sources/scanner.js';
import fc from 'fast-check';
import { topLevelSpans, parseCompactUtcAt, parseEventTime, stringAt } from '../../src/sources/toplevel.js';
import { classifyRecord } from '../../src/sources/event.js';

function texts(doc: string, mode: ContainerMode): string[] {
  const bytes = Buffer.from(doc, 'utf8');
  return findElementBoundaries(bytes, mode).map((b) => bytes.toString('utf8', b.start, b.end));
}

/** Feeds `doc` to a scanner in pieces of `size` bytes, reassembling records as the reader does. */
function textsChunked(doc: string, mode: ContainerMode, size: number): string[] {
  const bytes = Buffer.from(doc, 'utf8');
  const scanner = new ContainerScanner(mode);
  const out: string[] = [];
  for (let i = 0; i < bytes.length; i += size) {
    scanner.scan(bytes.subarray(i, i + size), { element: (s, e) => out.push(bytes.toString('utf8', s, e)) });
  }
  scanner.finish({ element: (s, e) => out.push(bytes.toString('utf8', s, e)) });
  return out;
}

const TRICKY = [
  { eventTime: '2023-07-10T11:42:13Z', msg: 'quote \\" and brace } ] { [ inside', n: { Records: [{ a: 1 }, 2] } },
  { eventTime: '2023-07-10T11:42:14Z', s: 'unicode é ☃ 𝄞 and \u0000 escapes \\u005c', arr: [[], {}, [[1]]] },
  { eventTime: '2023-07-10T11:42:15Z', 'key "Records"': '"Records":[', Records: 'not the top-level one' },
];

test('Records scanner: each top-level element, exact text, despite escapes, braces in strings, nested "Records" and unicode', () => {
  const elements = TRICKY.map((e) => JSON.stringify(e));
  const doc = `{"Records":[${elements.join(',')}]}`;
  assert.deepEqual(texts(doc, 'records'), elements);
  // Whatever the chunk size (1 byte splits multi-byte UTF-8 sequences and escapes), same result.
  for (const size of [1, 2, 3, 7, 64]) assert.deepEqual(textsChunked(doc, 'records', size), elements, `chunk ${size}`);
});

test('Records scanner: pretty-printed file, other top-level keys before and after Records, nested Records ignored', () => {
  const doc = `{\n  "Meta": {"Records": [{"decoy": true}]},\n  "Records" : [\n    {"eventTime": "2023-07-10T11:42:13Z"} ,\n    {"eventTime": "2023-07-10T11:42:14Z"}\n  ],\n  "After": [{"x": 1}]\n}\n`;
  assert.deepEqual(texts(doc, 'records'), ['{"eventTime": "2023-07-10T11:42:13Z"}', '{"eventTime": "2023-07-10T11:42:14Z"}']);
});

test('Records scanner: a key only ending in "Records" or escaped is not the Records array', () => {
  assert.deepEqual(texts('{"XRecords":[{"a":1}],"Recordsy":[{"b":2}]}', 'records'), []);
  assert.deepEqual(texts('{"Records":[],"x":1}', 'records'), []);
});

test('array and values scanners: scalars and objects are separate records with their lines', () => {
  assert.deepEqual(texts('[{"a":"]"}, 42 ,"s,t", null,[1,2]]', 'array'), ['{"a":"]"}', '42', '"s,t"', 'null', '[1,2]']);
  const doc = '{\n "a": 1\n}\n{"b": "}{"}\n';
  const bytes = Buffer.from(doc);
  const b = findElementBoundaries(bytes, 'values');
  assert.deepEqual(b.map((x) => [bytes.toString('utf8', x.start, x.end), x.line]), [['{\n "a": 1\n}', 1], ['{"b": "}{"}', 4]]);
});

test('scanner reports an unfinished record as still open', () => {
  const s = new ContainerScanner('records');
  const seen: number[] = [];
  s.scan(Buffer.from('{"Records":[{"a":1},{"b":"x}'), { element: (st) => seen.push(st) });
  assert.deepEqual(seen, [12]);
  assert.equal(s.complete, false);
  assert.equal(s.openElementStart, 20);
});

test('topLevelSpans finds only top-level keys (a nested eventTime does not count)', () => {
  const text = '{"a":{"eventTime":"1999-01-01T00:00:00Z"},"s":"\\"eventTime\\":","eventTime":"2023-07-10T11:42:13Z"}';
  const spans = topLevelSpans(text, ['eventTime']);
  assert.equal(stringAt(text, spans!.get('eventTime')!), '2023-07-10T11:42:13Z');
  assert.equal(topLevelSpans('[1]', ['x']), null);
  assert.equal(topLevelSpans('{"a" 1}', ['x']), null);
});

test('§1.6 _time comes from eventTime (UTC, milliseconds kept); impossible dates are rejected', () => {
  assert.equal(parseEventTime('2023-07-10T11:42:13Z'), Date.UTC(2023, 6, 10, 11, 42, 13) / 1000);
  assert.equal(parseEventTime('2020-09-14T00:44:13.123Z'), Date.UTC(2020, 8, 14, 0, 44, 13, 123) / 1000);
  assert.equal(parseEventTime('2023-07-10T13:42:13+02:00'), Date.UTC(2023, 6, 10, 11, 42, 13) / 1000);
  assert.equal(parseEventTime('2019-01-00T00:00:00Z'), null);
  assert.equal(parseEventTime('2019-02-30T00:00:00Z'), null);
  assert.equal(parseEventTime('redacted'), null);
  assert.equal(parseEventTime('...'), null);
});

test('§1.6 eventTime read in place equals Date.UTC to the bit, across days in any order (property)', () => {
  // Years from 100 (below, Date.UTC maps two digits to 19xx and the general path decides), across
  // 400-year eras and the century years that are and are not leap years.
  const year = fc.oneof(fc.integer({ min: 1970, max: 2100 }), fc.integer({ min: 100, max: 9999 }), fc.constantFrom(100, 399, 400, 1600, 1900, 2000, 2100, 2400, 9999));
  const stamp = fc.record({
    y: year, mo: fc.integer({ min: 1, max: 12 }), d: fc.integer({ min: 1, max: 28 }),
    h: fc.integer({ min: 0, max: 23 }), mi: fc.integer({ min: 0, max: 59 }), s: fc.integer({ min: 0, max: 60 }),
    frac: fc.oneof(fc.constant(''), fc.stringMatching(/^[0-9]{1,9}$/)),
  });
  const pad = (n: number, w: number) => String(n).padStart(w, '0');
  fc.assert(
    fc.property(fc.array(stamp, { minLength: 1, maxLength: 6 }), fc.string({ maxLength: 5 }), (stamps, around) => {
      for (const t of stamps) {
        const text = `${pad(t.y, 4)}-${pad(t.mo, 2)}-${pad(t.d, 2)}T${pad(t.h, 2)}:${pad(t.mi, 2)}:${pad(t.s, 2)}${t.frac ? '.' + t.frac : ''}Z`;
        const ms = t.frac ? Number((t.frac + '00').slice(0, 3)) : 0;
        const want = Date.UTC(t.y, t.mo - 1, t.d, t.h, t.mi, t.s, ms) / 1000;
        assert.equal(parseCompactUtcAt(around + text + around, around.length, around.length + text.length), want, text);
        assert.equal(parseEventTime(text), want, text);
      }
    }),
    { numRuns: 2000 },
  );
  // Every day of every month of a leap and a common year, and of a century that is not leap; a
  // leap second on a month's last day runs into the next day, as Date.UTC has it.
  for (const y of [1999, 2000, 2024, 2100]) {
    for (let mo = 1; mo <= 12; mo++) {
      const last = new Date(Date.UTC(y, mo, 0)).getUTCDate();
      for (let d = 1; d <= last; d++) {
        for (const [h, mi, s] of [[0, 0, 0], [23, 59, 60]] as const) {
          const text = `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}T${String(h).padStart(2, '0')}:${String(mi).padStart(2, '0')}:${String(s).padStart(2, '0')}Z`;
          assert.equal(parseCompactUtcAt(text, 0, text.length), Date.UTC(y, mo - 1, d, h, mi, s) / 1000, text);
        }
      }
    }
  }
});

test('classifyRecord: EventBridge envelope yields the detail object as _raw, @timestamp is a time field', () => {
  const detail = '{"eventVersion":"1.08","eventTime":"2023-07-10T11:42:13Z","eventName":"X"}';
  const env = `{"version":"0","id":"1","detail-type":"AWS API Call via CloudTrail","source":"aws.s3","time":"2023-07-10T11:43:00Z","detail":${detail}}`;
  assert.deepEqual(classifyRecord(env), { kind: 'event', raw: detail, time: Date.UTC(2023, 6, 10, 11, 42, 13) / 1000 });
  const stamped = '{"@timestamp":"2020-09-14T00:44:13.000Z","eventName":"Y"}';
  assert.deepEqual(classifyRecord(stamped), { kind: 'event', raw: stamped, time: Date.UTC(2020, 8, 14, 0, 44, 13) / 1000 });
  assert.equal((classifyRecord('{"eventName":"Z"}') as { issue: string }).issue, 'no-time');
  assert.equal((classifyRecord('[1,2') as { issue: string }).issue, 'unparsable');
  assert.equal((classifyRecord('"text"') as { issue: string }).issue, 'not-object');
  assert.equal((classifyRecord('{"a":1,,"eventTime":"2023-07-10T11:42:13Z"}') as { issue: string }).issue, 'unparsable');
  assert.equal((classifyRecord('{"eventTime":"2023-07-10T11:42:13Z","a":{"b":1') as { issue: string }).issue, 'unparsable');
  // Past eventTime the object is only checked with validateJson (the field model parses it anyway).
  assert.equal(classifyRecord('{"eventTime":"2023-07-10T11:42:13Z",}').kind, 'event');
  assert.equal((classifyRecord('{"eventTime":"2023-07-10T11:42:13Z",}', true) as { issue: string }).issue, 'unparsable');
});

test('property: for any JSON events and any chunking, the Records scanner yields exactly each event text', async () => {
  const fc = (await import('fast-check')).default;
  const str = fc.string({ unit: fc.constantFrom('a', '"', '\\', '{', '}', '[', ']', ',', ':', 'é', '☃', ' ', 'R') });
  const event = fc.dictionary(fc.oneof(str, fc.constant('Records')), fc.jsonValue({ maxDepth: 3 }).map((v) => v as unknown), { maxKeys: 4 })
    .chain((d) => fc.record({ eventTime: fc.constant('2023-07-10T11:42:13Z'), k: str }).map((r) => ({ ...r, ...d, nested: { Records: [d] } })));
  fc.assert(fc.property(fc.array(event, { maxLength: 5 }), fc.integer({ min: 1, max: 50 }), fc.boolean(), (events, size, pretty) => {
    const elements = events.map((e) => JSON.stringify(e));
    const doc = pretty ? `{\n "Records": [\n  ${elements.join(',\n  ')}\n ]\n}` : `{"Records":[${elements.join(',')}]}`;
    assert.deepEqual(textsChunked(doc, 'records', size), elements);
    assert.deepEqual(textsChunked(`[${elements.join(' , ')}]`, 'array', size), elements);
  }), { numRuns: 300 });
});
