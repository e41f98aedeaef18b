/**
 * A nested field read with the WebAssembly descent (JsonDoc.value over a mirrored event) must be
 * the value the level-by-level walk gives, and on valid JSON the value a full JSON.parse gives:
 * for any object whose keys repeat, hold dots (`a.b` is a key and also the path a → b), are
 * spelled with `\u` or `\/` escapes, and for the same text cut or corrupted.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { JsonDoc, jsonReading } from '../../src/cloudtrail/json.js';
import { MemberScan } from '../../src/sources/members.js';
import { mirror, resetIndexerForTests } from '../../src/sources/member-index.js';
import { EventView } from '../../src/sources/view.js';
import type { RawEvent } from '../../src/sources/types.js';

const KEYS = ['a', 'b', 'c', 'd', 'a.b', 'b.c', 'a.b.c', 'x/y', 'q'];
const PATHS = ['a.b', 'a.b.c', 'a.b.c.d', 'a.c', 'b.c', 'a.x/y.q', 'x/y.q', 'a.a.a', 'q.a', 'a'];

/** An object as a list of members, so keys can repeat. */
interface Obj {
  members: [string, Value][];
}
type Value = null | boolean | number | string | Obj | Value[];

const scalar = fc.oneof(fc.constantFrom('v', '', 'x\\y', 'say "hi"', 'a/b', 'é'), fc.integer(), fc.boolean(), fc.constant(null));
const tree = fc.letrec<{ value: Value; object: Obj }>((tie) => ({
  value: fc.oneof({ maxDepth: 4, depthSize: 'small' }, scalar, tie('object'), fc.array(tie('value'), { maxLength: 3 })),
  object: fc.array(fc.tuple(fc.constantFrom(...KEYS), tie('value')), { maxLength: 6 }).map((members) => ({ members })),
}));

/** How a key's characters are written: as themselves, or escaped the ways JSON allows. */
type Spelling = (key: string) => string;
const plainKey: Spelling = (k) => JSON.stringify(k);
const escapedKey = (which: number): Spelling => (k) => {
  const i = which % (k.length || 1);
  const c = k.charAt(i);
  if (c === '') return '""';
  const esc = c === '/' && which % 2 === 0 ? '\\/' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  return `"${JSON.stringify(k.slice(0, i)).slice(1, -1)}${esc}${JSON.stringify(k.slice(i + 1)).slice(1, -1)}"`;
};

function write(v: Value, spell: (depth: number) => Spelling, depth = 0): string {
  if (v !== null && typeof v === 'object' && 'members' in v && !Array.isArray(v)) {
    return `{${v.members.map(([k, x]) => `${spell(depth)(k)}:${write(x, spell, depth + 1)}`).join(',')}}`;
  }
  if (Array.isArray(v)) return `[${v.map((x) => write(x, spell, depth + 1)).join(',')}]`;
  // Non-ASCII as its UTF-8 bytes read as latin1 would make the reader skip the mirror; keep ASCII.
  return JSON.stringify(v).replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Some object repeats a key: the walks take its first member, JSON.parse the last (json.ts). */
function repeatsKey(v: Value): boolean {
  if (Array.isArray(v)) return v.some(repeatsKey);
  if (v === null || typeof v !== 'object') return false;
  const keys = (v as Obj).members.map(([k]) => k);
  return new Set(keys).size < keys.length || (v as Obj).members.some(([, x]) => repeatsKey(x));
}

const damage = fc.oneof(
  { weight: 3, arbitrary: fc.constant((t: string) => t) },
  fc.nat().map((n) => (t: string) => t.slice(0, n % (t.length + 1))),
  fc.tuple(fc.nat(), fc.constantFrom(',', '}', ']', '"', ':', 'tru', '{', '\\')).map(([n, junk]) => (t: string) => {
    const at = n % (t.length + 1);
    return t.slice(0, at) + junk + t.slice(at);
  }),
);

/** The event as the reader hands it over: its text, and a top-level scan over a mirror or not. */
function eventOf(text: string, mirrored: boolean): RawEvent {
  const m = mirrored ? mirror(Buffer.from(text, 'latin1')) : null;
  if (mirrored) assert.ok(m !== null);
  const ev: RawEvent = { raw: text, time: 0, source: 't', line: 1, byte: 0 };
  return EventView.attach(ev, text, 0, text.length, new MemberScan(text, 0, text.length, m));
}

/** The paths read in turn from one document (`each`: a fresh document for every path). */
function readAll(text: string, mirrored: boolean, paths: string[], each = false) {
  let doc = new JsonDoc(eventOf(text, mirrored));
  return paths.map((p) => {
    if (each) doc = new JsonDoc(eventOf(text, mirrored));
    return doc.value(p);
  });
}

/** readAll with one of jsonReading's switches turned off. */
function readWithout(what: 'descent' | 'selective', text: string, mirrored: boolean, paths: string[], each = false) {
  jsonReading[what] = false;
  try {
    return readAll(text, mirrored, paths, each);
  } finally {
    jsonReading[what] = true;
  }
}

test('a field read by the WebAssembly descent is the one the walk and JSON.parse give (property)', () => {
  assert.ok(resetIndexerForTests(), 'dist/member-index.wasm must load (npm run build)');
  fc.assert(
    fc.property(tree.object, fc.array(fc.nat(), { minLength: 4, maxLength: 4 }), damage, fc.shuffledSubarray(PATHS, { minLength: 1 }), (obj, picks, hurt, paths) => {
      // Each depth spells keys plainly or with one escape (so a dotted or plain key may be hidden).
      const spell = (depth: number): Spelling => (picks[depth % 4]! % 3 === 0 ? escapedKey(picks[depth % 4]!) : plainKey);
      const text = hurt(write(obj, spell));
      // One path at a time, on any text: the same answer with the descent as with the walk.
      assert.deepEqual(readAll(text, true, paths, true), readWithout('descent', text, true, paths, true), `descent vs walk: ${text}`);
      let valid = true;
      try {
        JSON.parse(text);
      } catch {
        valid = false;
      }
      // Several paths from one document agree on whole JSON. On damaged text they need not: a
      // walk that meets the damage tries a parse, and once that failed the document answers
      // nothing more (json.ts), while the descent may conclude "absent" before that. Whole JSON
      // is read alike by every reader, but for a repeated key (first member here, last for
      // JSON.parse).
      const fast = readAll(text, true, paths);
      if (valid) assert.deepEqual(fast, readWithout('descent', text, true, paths), `descent vs walk, one document: ${text}`);
      if (valid) assert.deepEqual(fast, readAll(text, false, paths), `descent vs walk without a mirror: ${text}`);
      if (valid && !repeatsKey(obj)) assert.deepEqual(fast, readWithout('selective', text, false, paths), `descent vs JSON.parse: ${text}`);
    }),
    { numRuns: 5000 },
  );
});

test('the descent answers for nested CloudTrail paths, and hands dotted keys and escapes back', () => {
  assert.ok(resetIndexerForTests());
  const cases: [string, string, string | null][] = [
    ['{"userIdentity":{"type":"AssumedRole","sessionContext":{"attributes":{"mfaAuthenticated":"false"}}}}', 'userIdentity.sessionContext.attributes.mfaAuthenticated', 'false'],
    ['{"userIdentity":{"type":"IAMUser"}}', 'userIdentity.sessionContext.attributes.mfaAuthenticated', null],
    // The plain path ends in an object; the longer key at the top level is the field.
    ['{"userIdentity":{"arn":{}},"userIdentity.arn":"x"}', 'userIdentity.arn', 'x'],
    // A key spelled with an escape is the same key.
    ['{"userIdentity":{"\\u0061rn":"y"}}', 'userIdentity.arn', 'y'],
    ['{"userIdentity":{"a":1},"userIdentity\\u002earn":"z"}', 'userIdentity.arn', 'z'],
    // First occurrence wins, as in the walk.
    ['{"userIdentity":{"arn":"first","arn":"second"}}', 'userIdentity.arn', 'first'],
    ['{"userIdentity":{"arn":12.50}}', 'userIdentity.arn', '12.50'],
  ];
  for (const [text, path, want] of cases) {
    assert.equal(new JsonDoc(eventOf(text, true)).value(path), want, `${path} in ${text}`);
    assert.equal(new JsonDoc(eventOf(text, false)).value(path), want, `${path} in ${text} (no mirror)`);
  }
});
