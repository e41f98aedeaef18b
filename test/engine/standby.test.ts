import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, mkdirSync, mkdtempSync, openSync, ftruncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSearch } from '../../src/engine/session.js';
import { MemoryLookups } from '../../src/engine/lookups.js';
import { PARALLEL_CACHE_KEY } from '../../src/engine/parallel/index.js';
import { Command } from 'commander';
import { BOOLEAN_FLAGS, DEFAULT_MIN_BYTES, prestart, releaseStandby, standbyCount, standbyFor } from '../../src/engine/parallel/standby.js';
import { register as registerSearch } from '../../src/cli/search.js';
import { invictusNdjson } from '../helpers.js';
import { NOW } from './harness.js';

// A sparse file as large as the split threshold (no disk blocks): standbyFor only stats it.
const dir = mkdtempSync(join(tmpdir(), 'tg-standby-'));
const big = join(dir, 'big.ndjson');
const fd = openSync(big, 'w');
ftruncateSync(fd, DEFAULT_MIN_BYTES);
closeSync(fd);
const small = join(dir, 'small.ndjson');
writeFileSync(small, '{}\n');
const tree = join(dir, 'AWSLogs');
mkdirSync(tree);

const withThreads = <T>(value: string | undefined, fn: () => T): T => {
  const before = process.env['TRAILGUARD_THREADS'];
  if (value === undefined) delete process.env['TRAILGUARD_THREADS'];
  else process.env['TRAILGUARD_THREADS'] = value;
  try {
    return fn();
  } finally {
    if (before === undefined) delete process.env['TRAILGUARD_THREADS'];
    else process.env['TRAILGUARD_THREADS'] = before;
  }
};

test('standbyFor: workers are started ahead only for `search … stats` over large local files, in-process', () => {
  withThreads('2', () => {
    const q = '* | stats count by eventName';
    assert.equal(standbyFor(['search', '--data', big, q]), 1);
    assert.equal(standbyFor(['search', q, `--data=${big}`, '--format', 'json']), 1, '--data=… and flags after the search');
    assert.equal(standbyFor(['search', '--strict', '--data', big, '| tstats count from datamodel=Change by All_Changes.user']), 1, 'tstats');
    assert.equal(standbyFor(['search', '--data', big, '@detections/new_api.yml']), 1, 'a search read from a file may hold stats');
    assert.equal(standbyFor(['search', '--data', big, '--threads', '4', q]), 3, '--threads wins over the environment');
    assert.equal(standbyFor(['search', '--data', small, q]), 0, 'small input: the run stays in one thread');
    assert.equal(standbyFor(['search', '--data', big, '--data', small, q]), 1, 'sizes add up');
    assert.equal(standbyFor(['search', '--data', big, '--threads', '1', q]), 0);
    assert.equal(standbyFor(['search', '--data', big, '--engine', 'duckdb', q]), 0, 'SQL engines start no workers');
    assert.equal(standbyFor(['search', '--data', big, 'eventName=StopLogging | table eventTime']), 0, 'no stats: not eligible');
    assert.equal(standbyFor(['search', '--data', tree, q]), 0, 'a directory is sized by the split, not here');
    assert.equal(standbyFor(['search', '--data', join(dir, 'missing.ndjson'), q]), 0);
    assert.equal(standbyFor(['search', '--data', `${dir}/*.ndjson`, q]), 0, 'globs are not expanded here');
    assert.equal(standbyFor(['search', q]), 0, 'no data');
    assert.equal(standbyFor(['detect', '--data', big]), 0, 'only search');
  });
  withThreads('1', () => assert.equal(standbyFor(['search', '--data', big, '* | stats count']), 0, 'TRAILGUARD_THREADS=1'));
});

test('a worker started ahead takes the scan: same rows as one thread, and none is left waiting', async () => {
  const q = '* | stats count dc(eventName) as names by eventSource';
  const setup = { dataPaths: [invictusNdjson()], now: NOW, lookups: new MemoryLookups() };
  const single = await runSearch(q, { ...setup, threads: 1 });
  prestart(1);
  assert.equal(standbyCount(), 1);
  const par = await runSearch(q, { ...setup, threads: 2, parallelMinBytes: 0 });
  assert.equal(par.ctx.cache.get(PARALLEL_CACHE_KEY), 2);
  assert.equal(standbyCount(), 0, 'the waiting worker was given the share');
  assert.deepEqual(par.rows.map((r) => r.toObject()), single.rows.map((r) => r.toObject()));
  assert.ok(single.rows.length > 0);
});

test('workers nobody takes are ended with the command', async () => {
  prestart(2);
  assert.equal(standbyCount(), 2);
  releaseStandby();
  assert.equal(standbyCount(), 0);
  // The next parallel run starts its own workers.
  const r = await runSearch('* | stats count', { dataPaths: [invictusNdjson()], now: NOW, lookups: new MemoryLookups(), threads: 2, parallelMinBytes: 0 });
  assert.equal(r.ctx.cache.get(PARALLEL_CACHE_KEY), 2);
  assert.ok(Number(r.rows[0]!.toObject()['count']) > 0);
});

test('standbyFor knows every flag of `search` that takes no value (or it would misread the search argument)', () => {
  const program = new Command();
  registerSearch(program);
  const search = program.commands.find((c) => c.name() === 'search')!;
  const valueless = search.options.filter((o) => !o.required && !o.optional).flatMap((o) => [o.long, o.short]).filter((f): f is string => f !== undefined);
  assert.ok(valueless.includes('--strict'), 'the definition was read');
  for (const flag of valueless) assert.ok(BOOLEAN_FLAGS.has(flag), `${flag} takes no value: add it to standby.ts BOOLEAN_FLAGS`);
  // And the decision reads past each of them.
  withThreads('2', () => {
    for (const flag of valueless) assert.equal(standbyFor(['search', flag, '* | stats count', '--data', big]), 1, flag);
  });
});

test('a worker started ahead that fails before it takes its task: a fresh worker takes the share', async () => {
  const q = '* | stats count by eventName';
  const setup = { dataPaths: [invictusNdjson()], now: NOW, lookups: new MemoryLookups() };
  const single = await runSearch(q, { ...setup, threads: 1 });
  // The fault is read from the environment the worker starts with; the fresh one starts without it.
  process.env['TRAILGUARD_FAULTS'] = 'standby-task=throw';
  try {
    prestart(1);
  } finally {
    delete process.env['TRAILGUARD_FAULTS'];
  }
  const par = await runSearch(q, { ...setup, threads: 2, parallelMinBytes: 0 });
  assert.equal(par.ctx.cache.get(PARALLEL_CACHE_KEY), 2);
  assert.equal(standbyCount(), 0);
  assert.deepEqual(par.rows.map((r) => r.toObject()), single.rows.map((r) => r.toObject()));
});
