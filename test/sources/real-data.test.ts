import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readAllEvents } from '../../src/sources/index.js';
import type { SourceIssue } from '../../src/sources/types.js';
import { fixturePath, INVICTUS_NDJSON_GZ, INVICTUS_RECORDS_DIR, invictusNdjson } from '../helpers.js';

// Real data sets copied into the repository (each folder's README names origin, commit, licence).
const panther = fixturePath('panther-analysis');

test('invictus: the 55 Records delivery files hold 2900 events, none malformed', async () => {
  const files = readdirSync(INVICTUS_RECORDS_DIR);
  assert.equal(files.length, 55);
  const { events, stats } = await readAllEvents([INVICTUS_RECORDS_DIR]);
  assert.equal(events.length, 2900);
  assert.equal(stats.filesOpened, 55);
  assert.equal(stats.firstIssues.length, 0);
});

// The NDJSON form both plain (a byte-for-byte copy of the data set's file) and gzipped (as shipped).
for (const [name, ndjson] of [['events.ndjson', invictusNdjson], ['events.ndjson.gz', () => INVICTUS_NDJSON_GZ]] as const) {
  test(`invictus ${name} holds the same 2900 events as the Records files`, async () => {
    const nd = await readAllEvents([ndjson()]);
    const rec = await readAllEvents([INVICTUS_RECORDS_DIR]);
    assert.equal(nd.events.length, 2900);
    assert.equal(nd.stats.firstIssues.length, 0);
    const key = (raw: string): string => JSON.stringify(JSON.parse(raw));
    assert.deepEqual(nd.events.map((e) => key(e.raw)).sort(), rec.events.map((e) => key(e.raw)).sort());
    // Times agree with a full parse of every event.
    for (const e of nd.events) assert.equal(e.time, Date.parse((JSON.parse(e.raw) as { eventTime: string }).eventTime) / 1000);
  });
}

test('a directory argument reads its data files recursively (events.ndjson + CloudTrail/*.json.gz), skipping LICENSE and README.md', async () => {
  // The data set's own layout, rebuilt from the repository's copies.
  const dir = mkdtempSync(join(tmpdir(), 'tg-invictus-dir-'));
  try {
    copyFileSync(invictusNdjson(), join(dir, 'events.ndjson'));
    cpSync(fixturePath('invictus-ir'), dir, { recursive: true });
    assert.deepEqual(readdirSync(dir).sort(), ['CloudTrail', 'LICENSE', 'README.md', 'events.ndjson']);
    const { events, stats } = await readAllEvents([dir]);
    assert.equal(events.length, 5800);
    assert.equal(stats.filesSeen, 56);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('otrf events.ndjson: 103 events timed by @timestamp', async () => {
  const { events, stats } = await readAllEvents([fixturePath('otrf-security-datasets', 'events.ndjson.gz')]);
  assert.equal(events.length, 103);
  assert.equal(stats.firstIssues.length, 0);
  for (const e of events) assert.equal(e.time, Date.parse((JSON.parse(e.raw) as Record<string, string>)['@timestamp']!) / 1000);
});

// Counted independently with a full JSON.parse of each line: 464 lines; 17 lack eventTime
// (SOURCES.md's "7 lines lacking userIdentity/eventTime" are among them), and 2 have a
// placeholder that is not a time ("redacted", "...").
test('panther test events: 445 events; the 19 without a usable eventTime are issues with their line numbers, not fatal', async () => {
  const issues: SourceIssue[] = [];
  const { events, stats } = await readAllEvents([join(panther, 'panther_cloudtrail_test_events.ndjson.gz')], { onIssue: (i) => issues.push(i) });
  assert.equal(events.length, 445);
  assert.deepEqual(issues.map((i) => i.line), [32, 33, 34, 35, 72, 85, 306, 311, 312, 370, 371, 372, 373, 374, 422, 428, 430, 433, 434]);
  assert.ok(issues.every((i) => i.kind === 'no-time' && typeof i.byte === 'number'));
  assert.equal(stats.issues['no-time'], 19);
  assert.equal(stats.firstIssues.length, 10);
  assert.equal(events.length + issues.length, 464);
});

test('panther history-only events: 178 events, 11 issues (10 without eventTime, one impossible date 2019-01-00)', async () => {
  const issues: SourceIssue[] = [];
  const { events } = await readAllEvents([join(panther, 'panther_cloudtrail_test_events_history_only.ndjson.gz')], { onIssue: (i) => issues.push(i) });
  assert.equal(events.length, 178);
  assert.deepEqual(issues.map((i) => i.line), [14, 27, 37, 38, 39, 40, 41, 42, 43, 44, 155]);
  assert.match(issues[0]!.message, /2019-01-00/);
});

test('panther index file is not CloudTrail: every row is reported as an event without time', async () => {
  const { events, stats } = await readAllEvents([join(panther, 'panther_cloudtrail_test_index.ndjson.gz')]);
  assert.equal(events.length, 0);
  assert.equal(stats.issues['no-time'], 492);
});
