/**
 * Reading the shared corpus as it is, uncompressed: every data file, and the parallel scan over the
 * plain `{"Records":[…]}` delivery files (the repository carries them gzipped). Expected counts
 * come from a plain JSON.parse of each file. Runs only with the corpus present.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { readAllEvents } from '../../src/sources/index.js';
import { runSearch } from '../../src/engine/session.js';
import { MemoryLookups } from '../../src/engine/lookups.js';
import { PARALLEL_CACHE_KEY } from '../../src/engine/parallel/index.js';
import { INVICTUS_RECORDS_DIR } from '../helpers.js';
import { dataPath, skipReason } from './data.js';

const skip = skipReason;

function dataFiles(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) dataFiles(p, out);
    else if (/\.(json|ndjson)$/.test(e.name)) out.push(p);
  }
  return out;
}

/** Events a file holds by a plain reading: Records entries, or non-blank NDJSON lines. */
function plainCount(file: string): number {
  const text = readFileSync(file, 'utf8');
  if (file.endsWith('.json')) return (JSON.parse(text) as { Records: unknown[] }).Records.length;
  return text.split('\n').filter((l) => l.trim() !== '').length;
}

test('every data file of the corpus reads whole: events + reported issues = the records a plain parse finds', { skip }, async () => {
  const files = skipReason ? [] : dataFiles(dataPath());
  assert.ok(files.length >= 59, `${files.length} files`);
  for (const file of files) {
    const { events, stats } = await readAllEvents([file]);
    const issues = Object.values(stats.issues).reduce((a, b) => a + b, 0);
    assert.equal(events.length + issues, plainCount(file), relative(dataPath(), file));
  }
});

test('parallel stats over the plain Records files equal single-thread stats, and the gzipped copies give the same rows', { skip }, async () => {
  const q = '* | stats count dc(eventName) as names values(awsRegion) min(_time) max(_time) by eventSource';
  const run = async (data: string, threads: number) => {
    const r = await runSearch(q, { dataPaths: [data], now: Date.parse('2023-07-10T13:00:00Z') / 1000, lookups: new MemoryLookups(), threads, parallelMinBytes: 0 });
    return { rows: r.rows.map((x) => x.toObject()), workers: r.ctx.cache.get(PARALLEL_CACHE_KEY) };
  };
  const plain = dataPath('invictus-ir-aws_dataset', 'CloudTrail');
  const single = await run(plain, 1);
  const par = await run(plain, 2);
  assert.equal(par.workers, 2);
  assert.ok(single.rows.length > 5);
  assert.deepEqual(par.rows, single.rows);
  assert.deepEqual((await run(INVICTUS_RECORDS_DIR, 2)).rows, single.rows);
});
