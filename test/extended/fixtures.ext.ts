/**
 * The repository's copies of real data are what their READMEs say they are: each equals its
 * original in the shared corpus, byte for byte once unpacked. Runs only with the corpus present.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { fixturePath, repoPath, INVICTUS_NDJSON_GZ, INVICTUS_RECORDS_DIR } from '../helpers.js';
import { dataPath, skipReason } from './data.js';

const skip = skipReason;
const unpack = (file: string): Buffer => gunzipSync(readFileSync(file));
const lines = (buf: Buffer): string[] => buf.toString('utf8').split('\n');

test('test/fixtures/invictus-ir/CloudTrail holds the 55 original delivery files, each gzipped', { skip }, () => {
  const originals = readdirSync(dataPath('invictus-ir-aws_dataset', 'CloudTrail')).sort();
  const copies = readdirSync(INVICTUS_RECORDS_DIR).sort();
  assert.equal(originals.length, 55);
  assert.deepEqual(copies, originals.map((f) => `${f}.gz`));
  for (const f of originals) {
    assert.ok(unpack(join(INVICTUS_RECORDS_DIR, `${f}.gz`)).equals(readFileSync(dataPath('invictus-ir-aws_dataset', 'CloudTrail', f))), f);
  }
});

test('samples/invictus-ir/events.ndjson.gz is the data set\'s events.ndjson; both LICENSE copies are its LICENSE', { skip }, () => {
  assert.ok(unpack(INVICTUS_NDJSON_GZ).equals(readFileSync(dataPath('invictus-ir-aws_dataset', 'events.ndjson'))));
  const licence = readFileSync(dataPath('invictus-ir-aws_dataset', 'LICENSE'));
  assert.ok(readFileSync(repoPath('samples', 'invictus-ir', 'LICENSE')).equals(licence));
  assert.ok(readFileSync(fixturePath('invictus-ir', 'LICENSE')).equals(licence));
});

test('the panther and OTRF copies are their originals', { skip }, () => {
  for (const f of ['panther_cloudtrail_test_events.ndjson', 'panther_cloudtrail_test_events_history_only.ndjson', 'panther_cloudtrail_test_index.ndjson']) {
    assert.ok(unpack(fixturePath('panther-analysis', `${f}.gz`)).equals(readFileSync(dataPath('panther-analysis', f))), f);
  }
  assert.ok(unpack(fixturePath('otrf-security-datasets', 'events.ndjson.gz')).equals(readFileSync(dataPath('otrf-security-datasets', 'events.ndjson'))));
});

test('test/fixtures/sources: the first lines and the delivery files its README names', { skip }, () => {
  const invictus = lines(readFileSync(dataPath('invictus-ir-aws_dataset', 'events.ndjson')));
  const otrf = lines(readFileSync(dataPath('otrf-security-datasets', 'events.ndjson')));
  assert.deepEqual(lines(readFileSync(fixturePath('sources', 'invictus-5.ndjson'))), [...invictus.slice(0, 5), '']);
  assert.ok(unpack(fixturePath('sources', 'invictus-5.ndjson.gz')).equals(readFileSync(fixturePath('sources', 'invictus-5.ndjson'))));
  assert.deepEqual(lines(readFileSync(fixturePath('sources', 'otrf-3.ndjson'))), [...otrf.slice(0, 3), '']);
  const ct = (name: string) => readFileSync(dataPath('invictus-ir-aws_dataset', 'CloudTrail', `218007301253_CloudTrail_us-east-1_${name}.json`));
  assert.ok(readFileSync(fixturePath('sources', 'records-2.json')).equals(ct('20230710T1150Z_1vnLavRRp0ek1mP4')));
  assert.ok(unpack(fixturePath('sources', 'records-10.json.gz')).equals(ct('20230710T1205Z_nx9Yx1FyJdBaTqKj')));
});

test('every line of test/fixtures/cloudtrail/events.ndjson is the corpus line its README names', { skip }, () => {
  const fixture = lines(readFileSync(fixturePath('cloudtrail', 'events.ndjson'))).filter((l) => l !== '');
  // README rows: | fixture line | what it is | file under the corpus | line |
  const rows = readFileSync(fixturePath('cloudtrail', 'README.md'), 'utf8').split('\n')
    .map((l) => /^\| (\d+) \| .* \| ([\w./-]+\.ndjson) \| (\d+) \|$/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null);
  assert.equal(rows.length, fixture.length, 'one README row per fixture line');
  const cache = new Map<string, string[]>();
  for (const [, at, file, line] of rows) {
    if (!cache.has(file!)) cache.set(file!, lines(readFileSync(dataPath(file!))));
    assert.equal(fixture[Number(at) - 1], cache.get(file!)![Number(line) - 1], `fixture line ${at} = ${file}:${line}`);
  }
});
