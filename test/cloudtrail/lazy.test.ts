/** Lazy resolution: a search that reads a few fields must not flatten the whole event (issue 3). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dataModelRow, eventRow, jsonStats, loadFieldModel, resetJsonStats } from '../../src/cloudtrail/index.js';
import { fixtureEvent } from './fixture-events.js';

const model = loadFieldModel();

test('resolving 3 fields parses once and never enumerates every leaf', () => {
  const row = eventRow(fixtureEvent(5), model);
  resetJsonStats();
  assert.equal(jsonStats.parses, 0, 'building the row does not parse');
  row.get('eventName');
  row.get('errorCode');
  row.get('user');
  row.get('user'); // cached
  assert.equal(jsonStats.parses, 1);
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
  assert.equal(jsonStats.parses, 1);
  assert.equal(jsonStats.enumerations, 0);
});

test('fieldNames() is what enumerates (once)', () => {
  const row = eventRow(fixtureEvent(5), model);
  resetJsonStats();
  row.fieldNames();
  row.fieldNames();
  assert.equal(jsonStats.enumerations, 1);
});
