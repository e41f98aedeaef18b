import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { readAllEvents } from '../../src/sources/index.js';
import { fileNameSpan, directorySpan } from '../../src/sources/pruning.js';
import { INVICTUS_RECORDS_DIR } from '../helpers.js';

/**
 * An AWSLogs/ tree of real invictus files, renamed so their name stamps spread over several days
 * (one file every 30 minutes from 2023-07-10 00:00Z), plus a few files in far-away day
 * directories and a digest directory. The events inside keep their real times; only names count
 * for pruning, which is what is asserted.
 */
let root: string;
const ACCOUNT = '218007301253';
const REGION = 'us-east-1';
const stamps: number[] = [];

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function place(src: Buffer, t: number, i: number): void {
  const d = new Date(t * 1000);
  const day = join(root, 'AWSLogs', ACCOUNT, 'CloudTrail', REGION, String(d.getUTCFullYear()), pad(d.getUTCMonth() + 1), pad(d.getUTCDate()));
  mkdirSync(day, { recursive: true });
  const stamp = `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}Z`;
  writeFileSync(join(day, `${ACCOUNT}_CloudTrail_${REGION}_${stamp}_f${String(i).padStart(3, '0')}.json.gz`), gzipSync(src));
  stamps.push(t);
}

const T0 = Date.UTC(2023, 6, 10) / 1000;
const HOUR = 3600;

before(() => {
  root = mkdtempSync(join(tmpdir(), 'tg-awslogs-'));
  const dir = INVICTUS_RECORDS_DIR;
  const files = readdirSync(dir).sort();
  const load = (f: string) => gunzipSync(readFileSync(join(dir, f)));
  files.forEach((f, i) => place(load(f), T0 + i * 1800, i));
  // Far-away days: 2023-07-01 and 2023-07-20.
  place(load(files[0]!), Date.UTC(2023, 6, 1, 12) / 1000, 100);
  place(load(files[1]!), Date.UTC(2023, 6, 20, 12) / 1000, 101);
  const digest = join(root, 'AWSLogs', ACCOUNT, 'CloudTrail-Digest', REGION, '2023', '07', '10');
  mkdirSync(digest, { recursive: true });
  writeFileSync(join(digest, `${ACCOUNT}_CloudTrail-Digest_${REGION}_AWSLogs_20230710T1200Z.json.gz`), gzipSync('{"awsAccountId":"1"}'));
});
after(() => rmSync(root, { recursive: true, force: true }));

/** Files whose name stamp T can hold events in [earliest, latest), given the documented ±1h. */
function expectedOpened(earliest: number, latest: number): number {
  return stamps.filter((t) => t - HOUR < latest && t + HOUR > earliest).length;
}

test('no window: every log file is opened, the digest directory is ignored', async () => {
  const { stats, events } = await readAllEvents([join(root, 'AWSLogs')]);
  assert.equal(stats.filesOpened, 57);
  assert.equal(stats.filesSkipped, 0);
  assert.equal(events.length, 2900 + 29 + 51);
});

test('a two-hour window opens only the files whose name stamps are within an hour of it', async () => {
  const earliest = T0 + 10 * HOUR;
  const latest = T0 + 12 * HOUR;
  const { stats, events } = await readAllEvents([join(root, 'AWSLogs')], { earliest, latest });
  const expected = expectedOpened(earliest, latest);
  assert.equal(expected, 7); // stamps 09:30 … 12:30 (open intervals at 09:00 and 13:00)
  assert.equal(stats.filesOpened, expected);
  // Day directories 07-01 and 07-20 are not even listed; 07-11 is listed (margin) but its files skipped by name.
  assert.equal(stats.dirsSkipped, 2);
  assert.equal(stats.filesSeen, 55);
  assert.equal(stats.filesSkipped, 55 - expected);
  for (const e of events) assert.ok(e.time >= earliest && e.time < latest);
});

test('a window on the next day prunes the first day by file name and the far days by directory', async () => {
  const earliest = T0 + 26 * HOUR; // 2023-07-11 02:00Z
  const latest = T0 + 27 * HOUR;
  const { stats } = await readAllEvents([join(root, 'AWSLogs')], { earliest, latest });
  assert.equal(stats.filesOpened, expectedOpened(earliest, latest));
  assert.equal(stats.filesOpened, 4); // 01:00 < T < 04:00: stamps 01:30, 02:00, 02:30, 03:00 (the last file)
  assert.equal(stats.dirsSkipped, 2);
});

test('a window far from every file opens nothing; globs prune too', async () => {
  const earliest = Date.UTC(2024, 0, 1) / 1000;
  const { stats, events } = await readAllEvents([join(root, 'AWSLogs')], { earliest });
  assert.equal(stats.filesOpened, 0);
  assert.equal(events.length, 0);
  const globbed = await readAllEvents([join(root, 'AWSLogs', '*', 'CloudTrail', '*', '2023', '**', '*.json.gz')], { earliest: T0 + 10 * HOUR, latest: T0 + 12 * HOUR });
  assert.equal(globbed.stats.filesOpened, 7);
});

test('file-name and directory spans carry the documented margins', () => {
  const t = Date.UTC(2023, 6, 10, 12, 5) / 1000;
  assert.deepEqual(fileNameSpan(`x/${ACCOUNT}_CloudTrail_${REGION}_20230710T1205Z_abc.json.gz`), { start: t - HOUR, end: t + HOUR });
  assert.equal(fileNameSpan('events.ndjson'), null);
  assert.deepEqual(directorySpan(`/a/AWSLogs/${ACCOUNT}/CloudTrail/${REGION}/2023/07/10`), { start: T0 - 24 * HOUR, end: T0 + 48 * HOUR });
  assert.deepEqual(directorySpan(`/a/AWSLogs/${ACCOUNT}/CloudTrail/${REGION}/2023/07`), { start: Date.UTC(2023, 6, 1) / 1000 - 24 * HOUR, end: Date.UTC(2023, 7, 1) / 1000 + 24 * HOUR });
  assert.equal(directorySpan('/a/b/2023/07/10'), null);
});
