import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileSearch, runSearch, type SearchSetup } from '../../src/engine/session.js';
import { MemoryLookups } from '../../src/engine/lookups.js';
import { TrailguardError } from '../../src/errors.js';
import { PARALLEL_CACHE_KEY, parallelEligibility, splitInput } from '../../src/engine/parallel/index.js';
import { sampledPassRate } from '../../src/engine/parallel/selectivity.js';
import { repoPath, invictusNdjson, INVICTUS_RECORDS_DIR } from '../helpers.js';
import { NOW } from './harness.js';

// One plain NDJSON file (split into byte ranges) and the same events as 55 Records files (split by file).
const NDJSON = invictusNdjson();
const RECORDS_DIR = INVICTUS_RECORDS_DIR;

/** Queries whose stats the workers compute partially; each must merge to the single-thread rows. */
const QUERIES: [string, string][] = [
  ['count by two fields', '* | stats count by eventSource eventName'],
  ['dc, values, min/max/earliest/latest of _time, avg, perc95',
    '* | stats count dc(eventName) as names values(awsRegion) min(_time) max(_time) earliest(_time) latest(_time) avg(_time) perc95(_time) by eventSource'],
  ['where + eval prefix, count(eval())', '`cloudtrail` | where isnotnull(\'userIdentity.type\') | eval kind = lower(\'userIdentity.type\'), failed = if(isnull(errorCode), 0, 1) | stats count sum(failed) as failures count(eval(failed=1)) as f2 by kind'],
  ['a by-field that is sometimes null (rows without it dropped)', '* | stats count by errorCode'],
  ['a multivalue by-field fans out', '* | stats count values(eventName) by resources{}.ARN'],
  ['first/last/list are merged in input order', '* | rename eventName as name | stats first(name) last(name) list(eventID) earliest(name) latest(name) by awsRegion'],
  ['no by-clause', 'eventName=ConsoleLogin OR eventName=GetCallerIdentity | fields eventName sourceIPAddress | stats count dc(sourceIPAddress) by eventName | sort - count'],
];

const plainRows = (rows: { toObject(): Record<string, unknown> }[]) => rows.map((r) => r.toObject());

async function run(q: string, data: string, setup: Partial<SearchSetup>) {
  const r = await runSearch(q, { dataPaths: [data], now: NOW, lookups: new MemoryLookups(), ...setup });
  return { rows: plainRows(r.rows), workers: r.ctx.cache.get(PARALLEL_CACHE_KEY), warnings: r.warnings, issues: r.ctx.sourceIssues };
}

for (const [title, q] of QUERIES) {
  test(`§4.1 parallel stats equals single-thread stats: ${title}`, async () => {
    const single = await run(q, NDJSON, { threads: 1 });
    assert.equal(single.workers, undefined);
    assert.ok(single.rows.length > 0);
    for (const threads of [2, 3]) {
      const par = await run(q, NDJSON, { threads, parallelMinBytes: 0 });
      assert.equal(par.workers, threads, `NDJSON in ${threads} byte ranges`);
      assert.deepEqual(par.rows, single.rows, `NDJSON in ${threads} byte ranges`);
    }
    const singleRecords = await run(q, RECORDS_DIR, { threads: 1 });
    const parRecords = await run(q, RECORDS_DIR, { threads: 3, parallelMinBytes: 0 });
    assert.equal(parRecords.workers, 3, 'Records files split by file');
    assert.deepEqual(parRecords.rows, singleRecords.rows);
  });
}

/** tstats data model scans split the same way; each must merge to the single-thread rows. */
const TSTATS: [string, string][] = [
  ['Change by user and command, first/last time', '| tstats earliest(_time) as firstTime latest(_time) as lastTime count from datamodel=Change where All_Changes.status=success by All_Changes.user All_Changes.command'],
  ['Authentication, values and dc, binned by hour with a fill value', '| tstats fillnull_value=NONE count values(Authentication.src) as src dc(Authentication.user) as users from datamodel=Authentication by Authentication.action _time span=1h'],
  ['a where clause with a subsearch (resolved before the workers start)', '| tstats count from datamodel=Change where All_Changes.user_type=AssumedRole [| makeresults | eval All_Changes.status="success" | fields All_Changes.status] by All_Changes.object_category'],
];

for (const [title, q] of TSTATS) {
  test(`§4.5 parallel tstats equals single-thread tstats: ${title}`, async () => {
    const single = await run(q, NDJSON, { threads: 1 });
    assert.equal(single.workers, undefined);
    assert.ok(single.rows.length > 0);
    const par = await run(q, NDJSON, { threads: 2, parallelMinBytes: 0 });
    assert.equal(par.workers, 2, 'NDJSON in 2 byte ranges');
    assert.deepEqual(par.rows, single.rows);
    const singleRecords = await run(q, RECORDS_DIR, { threads: 1 });
    const parRecords = await run(q, RECORDS_DIR, { threads: 3, parallelMinBytes: 0 });
    assert.equal(parRecords.workers, 3, 'Records files split by file');
    assert.deepEqual(parRecords.rows, singleRecords.rows);
  });
}

test('one NDJSON file is split into equal byte ranges that tile it', async () => {
  for (const parts of [2, 3, 4]) {
    const split = await splitInput([NDJSON], {}, parts);
    assert.ok(!('reason' in split));
    const ranges = split.shares.map((s) => s.range!);
    assert.equal(ranges.length, parts);
    assert.equal(ranges[0]!.start, 0);
    assert.equal(ranges.at(-1)!.end, split.bytes);
    for (let i = 1; i < parts; i++) assert.equal(ranges[i]!.start, ranges[i - 1]!.end, 'no gap, no overlap');
    const sizes = ranges.map((r) => r.end - r.start);
    assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, `equal: ${sizes.join(' ')}`);
  }
});

test('the pass rate of a search is sampled from four places of the file, as the prefilter compares terms', () => {
  // Of the 2,900 invictus events, AwsApiCall is in 2,855, Decrypt (any case) in 265, ConsoleLogin in 2.
  const size = statSync(NDJSON).size;
  const lines = readFileSync(NDJSON, 'utf8').split('\n').filter((l) => l.trim() !== '');
  const truth = (term: string) => lines.filter((l) => l.toLowerCase().includes(term.toLowerCase())).length / lines.length;
  for (const term of ['AwsApiCall', 'decrypt', 'CONSOLELOGIN']) {
    const rate = sampledPassRate(NDJSON, size, [term]);
    assert.ok(rate !== null && Math.abs(rate - truth(term)) < 0.05, `${term}: sampled ${rate}, in the file ${truth(term)}`);
  }
  assert.equal(sampledPassRate(NDJSON, size, []), 1);
  assert.ok(sampledPassRate(NDJSON, size, ['AwsApiCall', 'ConsoleLogin'])! < 0.01, 'every term must be there');
  const tiny = join(mkdtempSync(join(tmpdir(), 'tg-par-')), 'tiny.ndjson');
  writeFileSync(tiny, lines.slice(0, 10).join('\n'));
  assert.equal(sampledPassRate(tiny, statSync(tiny).size, ['Decrypt']), null, 'too few lines to tell');
});

test('a selective search counts its bytes for a third when deciding whether workers pay off', async () => {
  const work = async (terms: string[]) => {
    const split = await splitInput([NDJSON], {}, 2, terms);
    assert.ok(!('reason' in split));
    return split.work / split.bytes;
  };
  assert.ok(Math.abs((await work([])) - 1) < 0.01);
  assert.ok(Math.abs((await work(['AwsApiCall'])) - 1) < 0.01, 'a term in nearly every event');
  assert.ok(Math.abs((await work(['ConsoleLogin'])) - 1 / 3) < 0.01);
  // A threshold between the two: the full scan is split, the selective search stays in this
  // thread, and both give the single-thread rows.
  const parallelMinBytes = statSync(NDJSON).size / 2;
  for (const [q, workers] of [['* | stats count by eventName', 2], ['eventName=ConsoleLogin | stats count by sourceIPAddress', undefined]] as const) {
    const single = await run(q, NDJSON, { threads: 1 });
    const par = await run(q, NDJSON, { threads: 2, parallelMinBytes });
    assert.equal(par.workers, workers, q);
    assert.deepEqual(par.rows, single.rows, q);
    assert.ok(single.rows.length > 0);
  }
});

test('Records files are split into contiguous runs of whole files, in reading order', async () => {
  const split = await splitInput([RECORDS_DIR], {}, 3);
  assert.ok(!('reason' in split));
  assert.equal(split.shares.length, 3);
  const files = split.shares.flatMap((s) => s.files);
  assert.equal(files.length, 55);
  assert.deepEqual(files, [...files].sort());
  assert.ok(split.shares.every((s) => s.range === undefined && s.files.length > 0));
});

test('eligibility: search (no subsearch) + streaming per-row commands + stats without wildcards', () => {
  const eligible = [
    '* | stats count',
    'eventName=X | search errorCode=* | where x > 1 | eval y = 2 | rename y as z | fields z | fillnull value=0 z | convert ctime(z) | rex field=eventName "(?<v>Get)" | spath input=requestParameters | bin _time span=1h | stats count by z',
    '* | stats first(eventName) list(eventID) | sort - count | head 3',
  ];
  for (const q of eligible) assert.ok(parallelEligibility(compileSearch(q).pipeline).ok, q);
  const ineligible = [
    'eventName=X [ search eventName=Y | fields userIdentity.arn ] | stats count',
    '* | search [ search eventName=Y | fields userIdentity.arn ] | stats count',
    '* | head 10 | stats count',
    '* | stats values(requestParameters.*) as *',
    '* | outputlookup x.csv',
    '* | eval x = 1 | outputlookup x.csv | stats count',
    '* | fillnull | stats count by x',
    '* | eventstats count | stats count',
    '* | dedup eventName | stats count',
    '* | table eventName',
    '| makeresults | stats count',
  ];
  for (const q of ineligible) assert.equal(parallelEligibility(compileSearch(q).pipeline).ok, false, q);
});

test('ineligible pipelines and small inputs take the single-thread path', async () => {
  assert.equal((await run('* | head 5 | stats count', NDJSON, { threads: 2, parallelMinBytes: 0 })).workers, undefined);
  assert.equal((await run('* | stats values(*) as *', NDJSON, { threads: 2, parallelMinBytes: 0 })).workers, undefined);
  // Default threshold: the 3.6 MB invictus file is too small to be worth the workers.
  assert.equal((await run('* | stats count', NDJSON, { threads: 2 })).workers, undefined);
});

test('TRAILGUARD_THREADS=1 forces the single-thread path', async () => {
  const before = process.env['TRAILGUARD_THREADS'];
  process.env['TRAILGUARD_THREADS'] = '1';
  try {
    assert.equal((await run('* | stats count', NDJSON, { parallelMinBytes: 0 })).workers, undefined);
    process.env['TRAILGUARD_THREADS'] = '2';
    assert.equal((await run('* | stats count', NDJSON, { parallelMinBytes: 0 })).workers, 2);
  } finally {
    if (before === undefined) delete process.env['TRAILGUARD_THREADS'];
    else process.env['TRAILGUARD_THREADS'] = before;
  }
});

test('a worker error surfaces as the single-thread error (code, phase, reason, caret span)', async () => {
  const q = 'earliest=not-a-time | stats count';
  const caught = async (setup: Partial<SearchSetup>) => {
    try {
      await run(q, NDJSON, setup);
    } catch (e) {
      return e;
    }
    assert.fail('expected an error');
  };
  const single = await caught({ threads: 1 });
  const par = await caught({ threads: 2, parallelMinBytes: 0 });
  assert.ok(single instanceof TrailguardError && par instanceof TrailguardError);
  assert.match(par.reason, /^command 1 \(search\): /);
  for (const k of ['code', 'phase', 'reason', 'span', 'source', 'hints'] as const) assert.deepEqual(par[k], single[k], k);
});

test('warnings and source issues (with file line numbers) from workers equal the single-thread ones', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tg-par-'));
  const lines = readFileSync(NDJSON, 'utf8').split('\n');
  // Bad records spread over the file, so that each byte range holds some.
  for (const at of [3, Math.floor(lines.length / 3), Math.floor(lines.length / 2), lines.length - 5]) lines.splice(at, 0, '{"not json');
  const file = join(dir, 'events.ndjson');
  writeFileSync(file, lines.join('\n'));
  const q = '* | eval m = if(match(eventName, "(" . awsRegion), 1, 0) | stats count by m';
  const single = await run(q, file, { threads: 1 });
  const par = await run(q, file, { threads: 3, parallelMinBytes: 0 });
  assert.equal(par.workers, 3);
  assert.deepEqual(par.rows, single.rows);
  assert.ok(single.warnings.length > 0 && single.issues.length === 4);
  assert.deepEqual(par.warnings, single.warnings);
  assert.deepEqual(par.issues, single.issues);
});

test('trailguard search --threads: a whole number ≥ 1 (exit 2 otherwise); the rows do not depend on it', () => {
  const fromDist = fileURLToPath(import.meta.url).includes(`${'/'}dist${'/'}test${'/'}`);
  const cli = fromDist && existsSync(repoPath('dist', 'cli', 'main.js'))
    ? [repoPath('dist', 'cli', 'main.js')]
    : ['--import', 'tsx', repoPath('src', 'cli', 'main.ts')];
  const search = (threads: string) => spawnSync(process.execPath, [...cli, 'search', '* | stats count by eventSource', '--data', NDJSON, '--format', 'csv', '--threads', threads, '--state', mkdtempSync(join(tmpdir(), 'tg-par-cli-'))], { encoding: 'utf8', cwd: repoPath(), env: { ...process.env, NO_COLOR: '1' } });
  const bad = search('0');
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--threads must be a whole number/);
  const one = search('1');
  const two = search('2');
  assert.equal(one.status, 0, one.stderr);
  assert.equal(two.status, 0, two.stderr);
  assert.ok(one.stdout.split('\n').length > 5);
  assert.equal(two.stdout, one.stdout);
});
