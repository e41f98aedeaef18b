/** Lazy resolution: a search that reads a few fields must not flatten the whole event (issue 3). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dataModelRow, eventRow, jsonStats, loadFieldModel, resetJsonStats } from '../../src/cloudtrail/index.js';
import { JsonDoc } from '../../src/cloudtrail/json.js';
import { fixtureCount, fixtureEvent } from './fixture-events.js';

const model = loadFieldModel();

test('resolving 3 fields reads them selectively: no full parse, no enumeration of every leaf', () => {
  const row = eventRow(fixtureEvent(5), model);
  resetJsonStats();
  assert.equal(jsonStats.parses, 0, 'building the row does not parse');
  row.get('eventName');
  row.get('errorCode');
  row.get('user');
  row.get('user'); // cached
  assert.equal(jsonStats.parses, 0, 'paths without arrays are read without JSON.parse');
  assert.ok(jsonStats.scans >= 1 && jsonStats.scans <= 4, `objects indexed: ${jsonStats.scans}`);
  assert.equal(jsonStats.enumerations, 0);
  const lookupsAfterThree = jsonStats.pathLookups;
  row.get('user');
  assert.equal(jsonStats.pathLookups, lookupsAfterThree, 'a second read of a field is served from the cache');
});

test('the tstats fields of a data model row do not enumerate the event either', () => {
  resetJsonStats();
  const dm = dataModelRow(eventRow(fixtureEvent(21), model), 'Change', model);
  assert.ok(dm);
  for (const f of ['All_Changes.user_type', 'All_Changes.status', 'All_Changes.user', 'All_Changes.command', 'All_Changes.object']) dm.get(f);
  assert.ok(jsonStats.parses <= 1, 'at most one full parse (for paths through arrays)');
  assert.equal(jsonStats.enumerations, 0);
});

test('fieldNames() is what enumerates (once)', () => {
  const row = eventRow(fixtureEvent(5), model);
  resetJsonStats();
  row.fieldNames();
  row.fieldNames();
  assert.equal(jsonStats.enumerations, 1);
});

test('§1.5 selective reads give exactly what a full parse gives, for every array-free path of every fixture event', () => {
  let checked = 0;
  for (let i = 1; i <= fixtureCount(); i++) {
    const ev = fixtureEvent(i);
    const full = new JsonDoc(ev.raw).leaves();
    for (const [path, values] of full) {
      if (path.includes('{')) continue;
      assert.deepEqual(new JsonDoc(ev.raw).resolve(path), values, `event ${i} ${path}`);
      checked++;
    }
    // An object and a missing path are not fields either way.
    assert.deepEqual(new JsonDoc(ev.raw).resolve('userIdentity'), []);
    assert.deepEqual(new JsonDoc(ev.raw).resolve('no.such.path'), []);
  }
  assert.ok(checked > 500, `only ${checked} paths checked`);
});

test('§1.5 selective reads: escaped strings, number text as written, keys containing dots, cut-off text', () => {
  const raw = '{"a":{"b.c":{"d":"x\\"y\\u00e9"},"b":{"e":1}},"n":1.50,"t":true,"z":null}';
  const doc = new JsonDoc(raw);
  assert.deepEqual(doc.resolve('a.b.c.d'), ['x"y\u00e9'], 'dotted key found after the shorter key leads nowhere');
  assert.deepEqual(doc.resolve('a.b.e'), ['1']);
  assert.deepEqual(doc.resolve('n'), ['1.50'], 'numbers keep their JSON text');
  assert.deepEqual(doc.resolve('t'), ['true']);
  assert.deepEqual(doc.resolve('z'), ['null']);
  const cut = new JsonDoc('{"a":1,"b":{"c":');
  assert.deepEqual(cut.resolve('a'), ['1'], 'keys before the damage still read');
  assert.deepEqual(cut.resolve('b.c'), [], 'past the damage the parse decides (and fails: no value)');
});

test('§1.5 selective reads: a nested object lacking a key that occurs after it (in a sibling or at the top level) has no value', () => {
  // A nested object's lookups stop at its own end: a key it lacks must not be taken from text
  // after it, and a key already indexed is found again without searching.
  const raw = JSON.stringify({
    userIdentity: { type: 'AssumedRole', arn: 'arn:a', sessionContext: { attributes: { creationDate: 'd' } } },
    eventTime: '2024-01-01T00:00:00Z',
    other: { mfaAuthenticated: 'false', arn: 'arn:wrong', attributes: { mfaAuthenticated: 'false' } },
    mfaAuthenticated: 'true',
    sessionContext: { attributes: { mfaAuthenticated: 'false' } },
  });
  const paths = ['userIdentity.sessionContext.attributes.mfaAuthenticated', 'userIdentity.mfaAuthenticated', 'userIdentity.arn', 'userIdentity.type', 'userIdentity.attributes.mfaAuthenticated', 'mfaAuthenticated', 'other.arn'];
  const doc = new JsonDoc(raw);
  const full = new JsonDoc(raw).leaves();
  for (const round of [1, 2]) {
    for (const p of paths) assert.deepEqual(doc.resolve(p), full.get(p) ?? [], `${p} (read ${round})`);
  }
  assert.deepEqual(doc.resolve('userIdentity.sessionContext.attributes.mfaAuthenticated'), []);
  assert.deepEqual(doc.resolve('userIdentity.arn'), ['arn:a']);
});
