import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixturePath } from '../helpers.js';
import { run } from '../engine/harness.js';

// Fixture events: test/fixtures/engine/README.md. Change rows (§12.1) with user_type AssumedRole:
// event 4 RunInstances 11:40 success, 5 CreateBucket 11:50 failure, 6 CreateBucket 2024-02-20
// success, 8 CreateBucket 11:45 success — all by user deployer.
const setup = { dataPaths: [fixturePath('engine', 'seed-events.ndjson')], stateDir: mkdtempSync(join(tmpdir(), 'tg-tstats-')) };

test('§4.5 tstats: where uses search semantics on prefixed fields; output named as in the by-clause', async () => {
  const r = await run('| tstats count min(_time) as first from datamodel=Change where All_Changes.user_type=assumedrole All_Changes.status!=failure by All_Changes.command', { setup });
  assert.deepEqual(r.rows, [
    { 'All_Changes.command': 'CreateBucket', count: 2, first: Date.parse('2024-02-20T10:00:00Z') / 1000 },
    { 'All_Changes.command': 'RunInstances', count: 1, first: Date.parse('2024-03-05T11:40:00Z') / 1000 },
  ]);
});

test('§4.5 tstats child-dataset fields are null outside the child; fillnull_value turns null by-fields into text', async () => {
  const plain = await run('| tstats count from datamodel=Change where All_Changes.user=deployer by All_Changes.Instance_Changes.image_id', { setup });
  assert.deepEqual(plain.rows, [{ 'All_Changes.Instance_Changes.image_id': 'ami-0123', count: 1 }]);
  const filled = await run('| tstats fillnull_value=null count from datamodel=Change where All_Changes.user=deployer by All_Changes.Instance_Changes.image_id', { setup });
  assert.deepEqual(filled.rows, [{ 'All_Changes.Instance_Changes.image_id': 'ami-0123', count: 1 }, { 'All_Changes.Instance_Changes.image_id': 'null', count: 3 }]);
});

test('§4.5 tstats by _time span=1h bins time; time range limits the events read', async () => {
  const r = await run('| tstats count from datamodel=Change where All_Changes.user=deployer by _time span=1h', { setup: { ...setup, earliest: '2024-03-01T00:00:00Z' } });
  assert.deepEqual(r.rows, [{ _time: Date.parse('2024-03-05T11:00:00Z') / 1000, count: 3 }]);
});

test('§9.3 tstats on Authentication: no ConsoleLogin in the fixture → one zero-count row without by-clause', async () => {
  const r = await run('| tstats count from datamodel=Authentication', { setup });
  assert.deepEqual(r.rows, [{ count: 0 }]);
  await assert.rejects(run('| tstats count from datamodel=Nope', { setup }), /unknown data model `Nope`/);
});

test('§2.8 a subsearch inside a tstats where clause is resolved first', async () => {
  const tables = { cmds: { columns: ['All_Changes.command'], rows: [{ 'All_Changes.command': 'RunInstances' }] } };
  const r = await run('| tstats count from datamodel=Change where [| inputlookup cmds] by All_Changes.command', { setup: { dataPaths: setup.dataPaths }, tables });
  assert.deepEqual(r.rows, [{ 'All_Changes.command': 'RunInstances', count: 1 }]);
});
