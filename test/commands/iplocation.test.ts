import { test } from 'node:test';
import assert from 'node:assert/strict';
import { run } from '../engine/harness.js';

test('§5 iplocation without a configured GeoIP database adds no fields and warns once', async () => {
  const r = await run('search * | iplocation src', { input: [{ src: '8.8.8.8' }, { src: 'AWS Internal' }] });
  assert.deepEqual(r.rows, [{ src: '8.8.8.8' }, { src: 'AWS Internal' }]);
  assert.equal(r.warnings.filter((w) => /GeoIP/.test(w)).length, 1);
});

test('§5 iplocation with an unreadable database is an input error naming the file', async () => {
  await assert.rejects(run('search * | iplocation src', { input: [{ src: '8.8.8.8' }], setup: { geoipFile: '/nonexistent/GeoLite2-City.mmdb' } }), /GeoLite2-City\.mmdb/);
});
