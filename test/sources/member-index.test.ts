/**
 * The WebAssembly member index (src/sources/member-index.ts, wasm/member-index.ts) against the
 * JavaScript walk in MemberScan: for any text — well-formed objects with tricky strings and
 * nested values, and the same cut, corrupted or padded — a scan over a mirror of the bytes must
 * find the same members, the same state and the same end as a scan without one.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { MemberScan, ABSENT, UNREADABLE } from '../../src/sources/members.js';
import { LazyMirror, wasmReadBuffer, findFolded, fusedModule, mirror, resetIndexerForTests } from '../../src/sources/member-index.js';

/**
 * Everything a reader can learn from a scan: each key's lookup, the members, the end. A key
 * findOrSkip does not find is "none" whether it says ABSENT or UNREADABLE: its contract lets a
 * malformed rest read as either (the field model gives no value for both), and the WebAssembly
 * walk, which looks a few members ahead, meets the damage sooner.
 */
function observe(text: string, m: ReturnType<typeof mirror>, keys: string[]) {
  const scan = new MemberScan(text, 0, text.length, m);
  const found = keys.map((k) => {
    const i = scan.findOrSkip(k);
    return i < 0 ? 'none' : [scan.valueStart(i), scan.valueEnd(i)];
  });
  const exact = keys.map((k) => scan.find(k));
  const complete = scan.finish();
  const members = Array.from({ length: scan.count }, (_, k) => [scan.keyName(k), scan.valueStart(k), scan.valueEnd(k)]);
  return { found, exact, complete, end: scan.endOffset, members, occurrences: keys.map((k) => scan.occurrences(k)) };
}

const KEYS = ['eventTime', 'a', 'b\\"c', 'eventName', 'x', 'nested', 'é'];

const tricky = fc.oneof(fc.string({ unit: 'binary', maxLength: 12 }), fc.constantFrom('\\', '\\"', '"}', '\\\\"]', '{"a":"b"}', '', 'x'.repeat(70)));
const scalar = fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null), tricky);
const json = fc.letrec<{ value: unknown; object: Record<string, unknown> }>((tie) => ({
  value: fc.oneof({ maxDepth: 4 }, scalar, tie('object'), fc.array(tie('value'), { maxLength: 4 })),
  object: fc.dictionary(fc.oneof(fc.constantFrom(...KEYS), fc.string({ maxLength: 6 })), tie('value'), { maxKeys: 12 }),
}));

/** Latin1 text of an object: JSON with non-ASCII as raw UTF-8 bytes, as the reader's views are. */
function latin1(obj: unknown, spaced: boolean): string {
  const s = JSON.stringify(obj, null, spaced ? 1 : undefined);
  return Buffer.from(s, 'utf8').toString('latin1');
}

/** Damage that must make both walks stop at the same place. */
const damage = fc.oneof(
  fc.constant((t: string) => t),
  fc.nat().map((n) => (t: string) => t.slice(0, n % (t.length + 1))),
  fc.tuple(fc.nat(), fc.constantFrom(',', '}', ']', '"', '\\', ':', ' ', 'tru', '01', '-', '1e', '{', 'x')).map(([n, junk]) => (t: string) => {
    const at = n % (t.length + 1);
    return t.slice(0, at) + junk + t.slice(at);
  }),
  fc.constant((t: string) => t.replace(/,"/, ',}"')),
);

test('the WebAssembly member index finds what the JavaScript walk finds, on any object and any damage (property)', () => {
  assert.ok(resetIndexerForTests(), 'dist/member-index.wasm must load (npm run build)');
  fc.assert(
    fc.property(json.object, fc.boolean(), damage, (obj, spaced, hurt) => {
      const text = hurt(latin1(obj, spaced));
      const m = mirror(Buffer.from(text, 'latin1'));
      assert.ok(m !== null);
      assert.deepEqual(observe(text, m, KEYS), observe(text, null, KEYS), text);
    }),
    { numRuns: 4000 },
  );
});

test('CloudTrail-shaped events: keys found in one call or several, escaped keys handed back to JavaScript', () => {
  assert.ok(resetIndexerForTests());
  const ev = {
    eventVersion: '1.08',
    userIdentity: { type: 'AssumedRole', arn: 'arn:aws:sts::1:assumed-role/r/s', sessionContext: { sessionIssuer: {}, attributes: { mfaAuthenticated: 'false' } } },
    eventTime: '2026-01-01T00:00:00Z', eventSource: 's3.amazonaws.com', eventName: 'GetObject', awsRegion: 'us-east-1',
    sourceIPAddress: '10.0.0.1', userAgent: 'aws-cli/2 "quoted" {braces} \\ backslash', requestParameters: { policy: '{"Statement":[{"Effect":"Allow"}]}', n: [1, 2, { a: '}' }] },
    responseElements: null, requestID: 'r', eventID: 'e', readOnly: true, eventType: 'AwsApiCall', managementEvent: true,
    recipientAccountId: '1', eventCategory: 'Management', 'odd"key': 1, tlsDetails: { tlsVersion: 'TLSv1.3' }, last: -1.5e3,
  };
  const text = JSON.stringify(ev);
  const keys = ['eventTime', 'eventName', 'eventType', 'odd"key', 'tlsDetails', 'last', 'missing', 'errorCode'];
  assert.deepEqual(observe(text, mirror(Buffer.from(text, 'latin1')), keys), observe(text, null, keys));
  const scan = new MemberScan(text, 0, text.length, mirror(Buffer.from(text, 'latin1')));
  assert.equal(text.slice(scan.valueStart(scan.find('eventType')), scan.valueEnd(scan.find('eventType'))), '"AwsApiCall"');
  assert.equal(scan.keyName(scan.find('odd"key')), 'odd"key');
  assert.equal(scan.findOrSkip('missing'), ABSENT);
});

test('a mirror whose bytes were overwritten is not read: the walk goes on in JavaScript', () => {
  assert.ok(resetIndexerForTests(64 * 1024));
  const text = JSON.stringify({ a: { b: 1 }, eventTime: '2026-01-01T00:00:00Z', c: 'x'.repeat(100), eventName: 'Late' });
  const old = mirror(Buffer.from(text, 'latin1'))!;
  const scan = new MemberScan(text, 0, text.length, old);
  assert.equal(text.slice(scan.valueStart(scan.find('a')), scan.valueEnd(scan.find('a'))), '{"b":1}');
  // Later copies come round the 64 KiB arena and over the first one's bytes.
  const filler = Buffer.alloc(15 * 1024, 0x20);
  for (let i = 0; i < 8; i++) mirror(filler);
  const k = scan.find('eventName');
  assert.equal(text.slice(scan.valueStart(k), scan.valueEnd(k)), '"Late"');
  assert.equal(new MemberScan(text, 0, text.length, old).find('eventName'), k);
  assert.notEqual(scan.find('eventTime'), UNREADABLE);
  assert.ok(resetIndexerForTests());
});

test('containsText finds a pattern in a mirrored range exactly when String indexOf does (property)', async () => {
  const { containsText } = await import('../../src/sources/member-index.js');
  assert.ok(resetIndexerForTests());
  // Few distinct bytes, and patterns cut from the text with one byte changed (or not): near
  // misses at every position of the pattern, in the 16-byte steps and in the tail.
  const ascii = fc.string({ unit: fc.constantFrom('"', 'a', 'b', '.'), maxLength: 300, size: 'max' });
  fc.assert(
    fc.property(ascii, fc.boolean(), fc.nat(), fc.nat(), fc.nat(), fc.nat(), fc.integer({ min: -1, max: 40 }), (text, whole, a, b, from, len, flipAt) => {
      const m = mirror(Buffer.from(text, 'latin1'));
      assert.ok(m !== null);
      const start = whole ? 0 : a % (text.length + 1);
      const end = whole ? text.length : start + (b % (text.length - start + 1));
      const at = from % (text.length + 1);
      let pattern = text.slice(at, at + 1 + (len % 40)) || 'a';
      if (flipAt >= 0) {
        const i = flipAt % pattern.length;
        pattern = pattern.slice(0, i) + (pattern[i] === 'a' ? 'b' : 'a') + pattern.slice(i + 1);
      }
      const expected = text.slice(start, end).includes(pattern) ? 1 : 0;
      assert.equal(containsText(m, start, end, pattern), expected, JSON.stringify({ text, start, end, pattern }));
    }),
    { numRuns: 5000 },
  );
});

test('findFolded finds a term where a case-insensitive regex over the latin1 text does (property)', async () => {
  const { findFolded } = await import('../../src/sources/member-index.js');
  assert.ok(resetIndexerForTests());
  // Letters in both cases, the bytes one bit 0x20 away from letters (@ [ ` {), other ASCII and
  // latin1 bytes above 0x7f (which a non-Unicode case-insensitive regex never folds to ASCII).
  const unit = fc.constantFrom('a', 'A', 'z', 'Z', 'k', 'K', '@', '`', '[', '{', '.', '1', '"', 'é', 'ÿ', 'µ');
  const text = fc.string({ unit, maxLength: 300, size: 'max' });
  fc.assert(
    fc.property(text, fc.nat(), fc.nat(), fc.nat(), fc.nat(), fc.integer({ min: -1, max: 40 }), fc.boolean(), (t, a, from, len, pick, flipAt, upper) => {
      const m = mirror(Buffer.from(t, 'latin1'));
      assert.ok(m !== null);
      const start = a % (t.length + 1);
      const at = from % (t.length + 1);
      // Terms are ASCII (the chunk prefilter keeps others on the exact per-record test).
      let term = t.slice(at, at + 1 + (len % 40)).replace(/[^\x20-\x7e]/g, 'q') || 'k';
      if (flipAt >= 0) {
        const i = flipAt % term.length;
        term = term.slice(0, i) + String.fromCharCode(term.charCodeAt(i) ^ 0x20) + term.slice(i + 1);
        term = term.replace(/[^\x20-\x7e]/g, 'q');
      }
      if (upper) term = pick % 2 === 0 ? term.toUpperCase() : term.toLowerCase();
      const re = new RegExp(term.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi');
      re.lastIndex = start;
      const hit = re.exec(t);
      assert.equal(findFolded(m, start, t.length, term), hit === null ? -1 : hit.index, JSON.stringify({ t, start, term }));
    }),
    { numRuns: 5000 },
  );
});

/** What sparseLines should find, from the latin1 text: each line holding the term (regex, any case), the newlines, ASCII-ness. */
function sparseReference(t: string, from: number, term: string) {
  const re = new RegExp(term.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i');
  const lines: number[] = [];
  let index = 0;
  for (let ls = from; ls < t.length; ) {
    const le = t.indexOf('\n', ls);
    if (re.test(t.slice(ls, le))) lines.push(ls, le, index);
    index++;
    ls = le + 1;
  }
  return { lines, newlines: index, ascii: !/[^\x00-\x7f]/.test(t.slice(from)) };
}

test('sparseLines finds the lines a case-insensitive regex finds, counts newlines and tells ASCII from not (property)', async () => {
  const { sparseLines } = await import('../../src/sources/member-index.js');
  assert.ok(resetIndexerForTests());
  // Short lines (many in a view, some holding the term more than once, at their start or end),
  // blank lines, letters one bit from others, and now and then a byte above 0x7f.
  const unit = fc.constantFrom('a', 'A', 'b', 'B', 'k', 'K', '@', '`', '\n', '\n', '"', '.', 'x', 'é');
  const text = fc.string({ unit, maxLength: 2000, size: 'max' });
  fc.assert(
    fc.property(text, fc.constantFrom('a', 'ab', 'AB', 'kab', 'b@k', 'abab', 'x'.repeat(20), 'a\u0060'), fc.nat(), (body, term, cut) => {
      const t = body.replace(/é/g, (c, i: number) => (i % 3 === 0 ? c : 'x')) + '\n';
      const m = mirror(Buffer.from(t, 'latin1'));
      assert.ok(m !== null);
      // From a line's start, as the reader asks again after a full output.
      const nl = t.indexOf('\n', cut % t.length);
      const from = cut % 4 === 0 ? 0 : nl + 1 >= t.length ? 0 : nl + 1;
      const found = { lines: new Int32Array(0), newlines: 0, ascii: true, resume: -1 };
      assert.ok(sparseLines(m, from, t.length, term, found));
      const want = sparseReference(t, from, term);
      const got = [...found.lines];
      // A full output stops the list; the rest comes from a call at `resume`.
      let at = found.resume;
      let base = got.length > 0 ? got[got.length - 1]! + 1 : 0;
      while (at >= 0) {
        assert.ok(sparseLines(m, at, t.length, term, found));
        for (let k = 0; k < found.lines.length; k += 3) got.push(found.lines[k]!, found.lines[k + 1]!, base + found.lines[k + 2]!);
        base = got[got.length - 1]! + 1;
        at = found.resume;
      }
      assert.deepEqual(got, want.lines, JSON.stringify({ t, from, term }));
      assert.ok(sparseLines(m, from, t.length, term, found));
      assert.equal(found.newlines, want.newlines);
      assert.equal(found.ascii, want.ascii);
    }),
    { numRuns: 3000 },
  );
});

test('sparseLines over a view with more matching lines than one call can return: the rest from where it says', async () => {
  const { sparseLines } = await import('../../src/sources/member-index.js');
  assert.ok(resetIndexerForTests());
  const t = Array.from({ length: 1500 }, (_, i) => (i % 3 === 0 ? `{"n":${i},"Name":"Hit"}` : `{"n":${i}}`)).join('\n') + '\n';
  const m = mirror(Buffer.from(t, 'latin1'));
  assert.ok(m !== null);
  const found = { lines: new Int32Array(0), newlines: 0, ascii: true, resume: -1 };
  assert.ok(sparseLines(m, 0, t.length, 'hit', found));
  assert.equal(found.newlines, 1500);
  assert.ok(found.resume > 0 && found.lines.length / 3 < 500, 'the first call is full');
  const indexes: number[] = [];
  let base = 0;
  for (;;) {
    for (let k = 0; k < found.lines.length; k += 3) indexes.push(base + found.lines[k + 2]!);
    if (found.resume < 0) break;
    base = indexes.at(-1)! + 1;
    assert.ok(sparseLines(m, found.resume, t.length, 'hit', found));
  }
  assert.deepEqual(indexes, Array.from({ length: 500 }, (_, i) => i * 3));
});

test('findFolded cannot tell for a term with non-ASCII letters, even one whose lower case is ASCII', async () => {
  const { findFolded } = await import('../../src/sources/member-index.js');
  assert.ok(resetIndexerForTests());
  const m = mirror(Buffer.from('{"userName":"kate"}', 'latin1'));
  assert.ok(m !== null);
  // The Kelvin sign lower-cases to "k", but /\u212Aate/i does not match "kate".
  assert.equal(new RegExp('\u212Aate', 'gi').test('{"userName":"kate"}'), false);
  assert.equal(findFolded(m, 0, 19, '\u212Aate'), -2);
  assert.equal(findFolded(m, 0, 19, 'KATE'), 13);
});

test('a view of the read buffer is searched where it is, until the next read; a mirror taken to keep is a copy that outlives it', () => {
  assert.ok(resetIndexerForTests());
  const text = Buffer.from('{"eventName":"CreateUser"}\n{"eventName":"ListUsers"}\n', 'latin1');
  const buf = wasmReadBuffer(text.length);
  assert.ok(buf !== null);
  text.copy(buf);
  const view = buf.subarray(0, text.length);
  const passing = new LazyMirror(view).passing();
  assert.ok(passing !== null && passing.read !== undefined, 'not copied: a view of the read buffer');
  const kept = new LazyMirror(view);
  const durable = kept.get();
  assert.ok(durable !== null && durable.read === undefined, 'a copy in the arena');
  assert.equal(kept.passing(), durable, 'once copied, the copy serves both');
  assert.equal(findFolded(passing, 0, text.length, 'createuser'), 14);
  // The next read refills the buffer: the passing mirror is not read any more, the copy still is.
  Buffer.from('x'.repeat(text.length)).copy(wasmReadBuffer(text.length)!);
  assert.equal(findFolded(passing, 0, text.length, 'createuser'), -2, 'cannot tell: its bytes are gone');
  assert.equal(findFolded(durable, 0, text.length, 'createuser'), 14);
  // Bytes outside the read buffer are copied even when passing.
  const other = new LazyMirror(Buffer.from(text)).passing();
  assert.ok(other !== null && other.read === undefined);
});

test('memory that grows between reads (for a fused scan\'s tables) detaches the old read buffer, not the next one, and keeps the mirrors good', () => {
  assert.ok(resetIndexerForTests());
  const text = Buffer.from('{"eventName":"CreateUser"}\n', 'latin1');
  const before = wasmReadBuffer(text.length)!;
  text.copy(before);
  const passing = new LazyMirror(before).passing()!;
  const mod = fusedModule()!;
  mod.reserve(mod.exports.memory.buffer.byteLength + 4 * 65536);
  assert.equal(before.byteLength, 0, 'a view of the old memory is detached');
  assert.equal(findFolded(passing, 0, text.length, 'createuser'), 14, 'the bytes are where they were');
  const next = wasmReadBuffer(text.length)!;
  assert.equal(next.byteLength, text.length, 'the next read gets a buffer in the grown memory');
  assert.equal(findFolded(passing, 0, text.length, 'createuser'), -2, 'and the mirror of the last read is gone');
});
