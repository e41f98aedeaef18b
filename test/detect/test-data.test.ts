/**
 * The data side of `trailguard test`: where a dataset is found (local path, attack_data URL by
 * file name, unavailable), and how events are shifted into the detection's window.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Content } from '../../src/content/load.js';
import type { ContentTest, DatasetRef } from '../../src/content/model.js';
import { DEFAULT_TEST_NOW, locateDataset, prepareData, shiftEvent, shiftIso } from '../../src/detect/test-data.js';
import { TrailguardError } from '../../src/errors.js';

const content = new Content();
const mfa = content.find('Detect API activity from users without MFA')!;
const HOUR = 3600;
const at = (iso: string) => Date.parse(iso) / 1000;

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'tg-testdata-'));
}

function testIn(contentDir: string, over: Partial<ContentTest> = {}): ContentTest {
  return { name: 't', datasets: [], expect: { kind: 'some' }, baselines: true, file: join(contentDir, 'tests', 'x.yml'), contentDir, ...over };
}

const ref = (data: string, over: Partial<DatasetRef> = {}): DatasetRef => ({ data, sourcetype: 'aws:cloudtrail', updateTimestamp: true, ...over });

const event = (eventTime: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ eventVersion: '1.08', userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/a', sessionContext: { attributes: { creationDate: eventTime, mfaAuthenticated: 'false' } } }, eventTime, eventName: 'ListUsers', ...extra });

test('shiftIso moves ISO-8601 text by whole seconds, keeps millisecond precision only when present, leaves other text alone', () => {
  assert.equal(shiftIso('2023-07-10T11:42:18Z', HOUR), '2023-07-10T12:42:18Z');
  assert.equal(shiftIso('2023-07-10T11:42:18.250Z', 1), '2023-07-10T11:42:19.250Z');
  assert.equal(shiftIso('2023-07-10T13:42:18+02:00', HOUR), '2023-07-10T12:42:18Z');
  assert.equal(shiftIso('2023-12-31T23:59:30Z', 60), '2024-01-01T00:00:30Z');
  assert.equal(shiftIso('Jul 10, 2023, 12:09:47 PM', HOUR), 'Jul 10, 2023, 12:09:47 PM');
  assert.equal(shiftIso('not a time', HOUR), 'not a time');
});

test('shiftEvent moves eventTime, the session creation date and credential expiry, and nothing else', () => {
  const raw = event('2023-07-10T11:42:18Z', { requestParameters: { startTime: '2023-07-10T11:00:00Z' }, responseElements: { credentials: { expiration: '2023-07-10T12:42:18Z', accessKeyId: 'ASIA' } } });
  const out = JSON.parse(shiftEvent(raw, 2 * HOUR));
  assert.equal(out.eventTime, '2023-07-10T13:42:18Z');
  assert.equal(out.userIdentity.sessionContext.attributes.creationDate, '2023-07-10T13:42:18Z');
  assert.equal(out.responseElements.credentials.expiration, '2023-07-10T14:42:18Z');
  assert.equal(out.requestParameters.startTime, '2023-07-10T11:00:00Z');
  assert.deepEqual(Object.keys(out), Object.keys(JSON.parse(raw)), 'key order kept');
});

test('a URL maps by file name to datasets/ of the test\'s content directory, then of the other content directories', () => {
  const a = tmp();
  const b = tmp();
  const url = 'https://media.githubusercontent.com/media/splunk/attack_data/master/datasets/x/y/cloud%20trail.json';
  const missing = locateDataset(ref(url), testIn(a), [a, b]);
  assert.equal(missing.kind, 'unavailable');
  assert.match((missing as { reason: string }).reason, /dataset not available: https:\/\/media\.githubusercontent\.com\/.*cloud%20trail\.json maps to datasets\/cloud trail\.json/);
  assert.match((missing as { reason: string }).reason, /download it there/);
  mkdirSync(join(b, 'datasets'));
  writeFileSync(join(b, 'datasets', 'cloud trail.json'), event('2023-07-10T11:42:18Z') + '\n');
  assert.deepEqual(locateDataset(ref(url), testIn(a), [a, b]), { kind: 'found', ref: ref(url), path: join(b, 'datasets', 'cloud trail.json') });
  mkdirSync(join(a, 'datasets'));
  writeFileSync(join(a, 'datasets', 'cloud trail.json'), event('2023-07-10T11:42:18Z') + '\n');
  assert.equal((locateDataset(ref(url), testIn(a), [a, b]) as { path: string }).path, join(a, 'datasets', 'cloud trail.json'));
  for (const d of [a, b]) rmSync(d, { recursive: true, force: true });
});

test('a local path is relative to the content directory; a missing one is the test\'s error, another sourcetype is unavailable', () => {
  const a = tmp();
  mkdirSync(join(a, 'datasets'));
  writeFileSync(join(a, 'datasets', 'd.ndjson'), event('2023-07-10T11:42:18Z') + '\n');
  assert.equal(locateDataset(ref('datasets/d.ndjson'), testIn(a), [a]).kind, 'found');
  const gone = locateDataset(ref('datasets/nope.ndjson'), testIn(a), [a]);
  assert.equal(gone.kind, 'missing');
  assert.match((gone as { reason: string }).reason, /dataset datasets\/nope\.ndjson not found/);
  const other = locateDataset(ref('datasets/d.ndjson', { sourcetype: 'aws:cloudwatchlogs:vpcflow' }), testIn(a), [a]);
  assert.equal(other.kind, 'unavailable');
  assert.match((other as { reason: string }).reason, /sourcetype aws:cloudwatchlogs:vpcflow; Trailguard reads CloudTrail \(aws:cloudtrail\) only/);
  rmSync(a, { recursive: true, force: true });
});

/** The events prepareData wrote, in file order. */
function written(dataDir: string): Record<string, any>[] {
  return readdirSync(dataDir).sort().flatMap((f) => readFileSync(join(dataDir, f), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)));
}

test('update_timestamp: the latest event lands one minute before the window\'s end at the default now; spacing is kept', async () => {
  const dir = tmp();
  const file = join(dir, 'in.ndjson');
  const times = ['2023-07-01T09:15:00Z', '2023-07-10T11:00:30Z', '2023-07-10T11:42:18Z'];
  writeFileSync(file, times.map((t) => event(t)).join('\n') + '\n');
  const r = await prepareData(mfa, testIn(dir), [{ ref: ref(file), path: file }], join(dir, 'run'));
  assert.equal(r.now, at(DEFAULT_TEST_NOW));
  // -70m@m..-10m@m at 2030-01-01T12:00:00Z ends at 11:50:00 (exclusive); the latest event lands at 11:49:00.
  const out = written(r.dataDir).map((e) => e.eventTime);
  assert.equal(out[2], '2030-01-01T11:49:00Z');
  assert.equal(r.shiftSeconds, at('2030-01-01T11:49:00Z') - at(times[2]!));
  for (let i = 0; i < times.length; i++) assert.equal(at(out[i]!) - at(out[2]!), at(times[i]!) - at(times[2]!), 'relative spacing');
  assert.equal(r.events, 3);
  rmSync(dir, { recursive: true, force: true });
});

test('a test\'s own now is used; a dataset without update_timestamp is not shifted, and alone it sets now so its latest event is in the window', async () => {
  const dir = tmp();
  const a = join(dir, 'a.ndjson');
  const b = join(dir, 'b.json');
  writeFileSync(a, event('2023-07-10T11:42:18Z') + '\n');
  writeFileSync(b, JSON.stringify({ Records: [JSON.parse(event('2024-02-03T04:05:06Z'))] }));
  const both = await prepareData(mfa, testIn(dir, { now: '2025-06-01T08:00:00Z' }), [{ ref: ref(a), path: a }, { ref: ref(b, { updateTimestamp: false }), path: b }], join(dir, 'r1'));
  assert.equal(both.now, at('2025-06-01T08:00:00Z'));
  assert.deepEqual(written(both.dataDir).map((e) => e.eventTime), ['2025-06-01T07:49:00Z', '2024-02-03T04:05:06Z']);
  const asIs = await prepareData(mfa, testIn(dir), [{ ref: ref(b, { updateTimestamp: false }), path: b }], join(dir, 'r2'));
  assert.equal(asIs.shiftSeconds, null);
  const t = at('2024-02-03T04:05:06Z');
  // now = latest + 1 min + the window's 10-minute offset: the window -70m@m..-10m@m holds the event.
  assert.equal(asIs.now, t + 60 + 600);
  assert.ok(t >= Math.floor((asIs.now - 70 * 60) / 60) * 60 && t < Math.floor((asIs.now - 600) / 60) * 60);
  rmSync(dir, { recursive: true, force: true });
});

test('a record that is not a CloudTrail event is an error naming the file and line', async () => {
  const dir = tmp();
  const file = join(dir, 'bad.ndjson');
  writeFileSync(file, event('2023-07-10T11:42:18Z') + '\n{"eventTime": "2023-07-10T11:42:19Z", \n');
  await assert.rejects(prepareData(mfa, testIn(dir), [{ ref: ref(file), path: file }], join(dir, 'run')), (e: unknown) => {
    assert.ok(e instanceof TrailguardError);
    assert.match(`${e.location?.file}:${e.location?.line} ${e.reason}`, /bad\.ndjson:2 /);
    return true;
  });
  rmSync(dir, { recursive: true, force: true });
});
