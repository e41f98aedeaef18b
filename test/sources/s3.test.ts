/**
 * The S3 source against a local S3 server (s3rver on 127.0.0.1) holding a generated AWSLogs tree:
 * listing prunes date prefixes and file stamps exactly like the local tree walk, lists
 * incrementally on a second call, and fetches bytes unchanged; a GET that keeps failing fails
 * the read with the object's URL (never a silent skip).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { generate } from '../../src/generate/index.js';
import { fetchObjects, parseS3Url, S3Lister, s3ClientConfig } from '../../src/sources/s3.js';
import { PathExpander } from '../../src/sources/paths.js';
import { scratchDir } from '../state/tmp.js';
import { startS3, uploadTree } from './s3-server.js';

const END = Date.parse('2026-11-20T12:00:00Z');
const dir = scratchDir('tg-s3-');
const tree = join(dir, 'trail');
await generate({ events: 1000, seed: 's3', days: 4, end: END, out: tree, layout: 'awslogs', truth: join(dir, 't.json'), serviceAccounts: join(dir, 'sa.csv'), force: true });
const s3 = await startS3(['trail']);
const keys = await uploadTree(s3.client, 'trail', tree, 'logs/');

async function localFiles(window: { earliest?: number; latest?: number }): Promise<string[]> {
  const ex = new PathExpander(window);
  const out: string[] = [];
  for await (const i of ex.expand(tree)) if (i.kind === 'file') out.push(relative(tree, i.path).split(sep).join('/'));
  return out;
}

test('s3:// locations parse; a bad one is a usage error', () => {
  assert.deepEqual(parseS3Url('s3://trail/logs/AWSLogs/'), { bucket: 'trail', prefix: 'logs/AWSLogs/' });
  assert.deepEqual(parseS3Url('s3://trail'), { bucket: 'trail', prefix: '' });
  assert.throws(() => parseS3Url('s3:///x'), /not an S3 location/);
});

test('the SDK endpoint override selects path-style addressing', () => {
  assert.deepEqual(s3ClientConfig({ AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:9000' }), { region: 'us-east-1', endpoint: 'http://127.0.0.1:9000', forcePathStyle: true, maxAttempts: 4 });
  assert.equal(s3ClientConfig({ AWS_REGION: 'eu-west-1' }).forcePathStyle, undefined);
});

test('listing with a window picks exactly the objects the local walk opens, without listing pruned days', async () => {
  for (const window of [{}, { earliest: END / 1000 - 3 * 3600, latest: END / 1000 }, { earliest: END / 1000 - 2 * 86400, latest: END / 1000 - 86400 }]) {
    const lister = new S3Lister(s3.client);
    const listed = (await lister.list(parseS3Url('s3://trail/logs/'), window)).map((o) => o.key.slice('logs/'.length));
    assert.deepEqual(listed, await localFiles(window), JSON.stringify(window));
    if (window.earliest !== undefined) assert.ok(lister.stats.prefixesSkipped > 0, 'date prefixes outside the window are not listed');
  }
});

test('a lister kept across calls lists only keys after the last one seen, and finds new ones', async () => {
  const lister = new S3Lister(s3.client);
  const loc = parseS3Url('s3://trail/logs/');
  const first = await lister.list(loc, {});
  const calls = lister.stats.listCalls;
  const sample = keys.find((k) => k.includes('/CloudTrail/'))!;
  // A file delivered later in the same day directory: CloudTrail stamps names with the delivery
  // time, so new keys sort after the ones already listed.
  const fresh = sample.replace(/_(\d{8})T\d{4}Z_[^/]+$/, '_$1T2359Z_zzzzzzzzzzzzzzzz.json.gz');
  await s3.client.send(new PutObjectCommand({ Bucket: 'trail', Key: fresh, Body: readFileSync(join(tree, sample.slice('logs/'.length))) }));
  try {
    const second = await lister.list(loc, {});
    assert.equal(second.length, first.length + 1);
    assert.ok(second.some((o) => o.key === fresh));
    assert.ok(lister.stats.listCalls - calls <= calls, 'the second listing costs no more calls than the first');
  } finally {
    await s3.client.send(new DeleteObjectCommand({ Bucket: 'trail', Key: fresh }));
  }
});

test('objects are fetched in order with their bytes unchanged', async () => {
  const objects = (await new S3Lister(s3.client).list(parseS3Url('s3://trail/logs/'), { earliest: END / 1000 - 6 * 3600, latest: END / 1000 })).slice(0, 40);
  assert.ok(objects.length > 10);
  const got: string[] = [];
  for await (const { object, bytes } of fetchObjects(s3.client, objects, { concurrency: 5 })) {
    got.push(object.key);
    assert.ok(bytes.equals(readFileSync(join(tree, object.key.slice('logs/'.length)))), object.key);
  }
  assert.deepEqual(got, objects.map((o) => o.key));
});

test('a GET that keeps failing fails the read naming the object, after retries', async () => {
  const objects = [{ bucket: 'trail', key: 'logs/missing.json.gz', size: 1, url: 's3://trail/logs/missing.json.gz' }];
  await assert.rejects(async () => {
    for await (const _ of fetchObjects(s3.client, objects, { attempts: 2, backoffMs: 1 })) void _;
  }, /cannot read s3:\/\/trail\/logs\/missing\.json\.gz/);
});

test.after(() => s3.close());
