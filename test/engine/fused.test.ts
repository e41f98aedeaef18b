// Fused stats heads (src/engine/fused.ts, src/sources/fused-scan.ts, fusedScan in
// wasm/member-index.ts) give exactly the rows, warnings and source issues of the plain path
// (the same search with fused heads turned off): on real CloudTrail fixtures, on generated data,
// on hand-made edge cases aimed at every line the scan must hand back, and on random mixes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { runSearch } from '../../src/engine/session.js';
import { MemoryLookups } from '../../src/engine/lookups.js';
import { FUSED_CACHE_KEY, fusedEligibility, fusedReading, fusedScanStats } from '../../src/engine/fused.js';
import { fusedTableLimits } from '../../src/sources/fused-scan.js';
import { resetIndexerForTests } from '../../src/sources/member-index.js';
import { loadFieldModel } from '../../src/cloudtrail/index.js';
import { parsePipeline, type SearchCommand } from '../../src/spl/index.js';
import { prefilterTerms } from '../../src/engine/prefilter.js';
import { generate } from '../../src/generate/index.js';
import { seeded } from '../../src/eval/functions/math.js';
import { INVICTUS_RECORDS_DIR, fixturePath, repoPath } from '../helpers.js';

const NOW = Date.parse('2026-01-10T12:00:00Z') / 1000;

/** Queries a fused head takes (filters, by-fields and aggregates of every kind it reads). */
const FUSED_QUERIES = [
  '* | stats count by eventSource eventName',
  'userIdentity.sessionContext.attributes.mfaAuthenticated=false | stats count by userIdentity.arn',
  '* | stats dc(eventName) as apis count by userIdentity.arn',
  'eventName=consolelogin | stats count earliest(_time) as first latest(_time) as last by sourceIPAddress',
  'eventType=AwsApiCall userIdentity.type=AssumedRole | stats earliest(_time) as earliest latest(_time) as latest by eventName',
  'eventSource=S3.AMAZONAWS.COM | stats count dc(sourceIPAddress) dc(awsRegion) by eventName awsRegion',
  '* | stats count',
  'awsRegion=us-east-1 | stats count by requestParameters.bucketName',
  // errorCode is derived (the event's own, else failure for a failed console login, else success)
  'eventType=AwsApiCall userIdentity.type=AssumedRole errorCode=success | stats earliest(_time) as earliest latest(_time) as latest by eventName',
  'errorCode=failure | stats count by eventName sourceIPAddress',
  'msg=success | stats count by eventSource',
  'sourcetype=aws:cloudtrail errorCode=AccessDenied | stats dc(eventName) by userIdentity.arn',
];

interface Outcome {
  rows: unknown[];
  warnings: string[];
  issues: { line?: number }[];
  fused: boolean;
}

async function outcome(q: string, paths: string[], fused: boolean, opts: { threads?: number; earliest?: number; latest?: number } = {}): Promise<Outcome> {
  fusedReading.enabled = fused;
  try {
    const r = await runSearch(q, { dataPaths: paths, now: NOW, lookups: new MemoryLookups(), threads: opts.threads ?? 1, parallelMinBytes: 0, earliest: opts.earliest === undefined ? undefined : String(opts.earliest), latest: opts.latest === undefined ? undefined : String(opts.latest) });
    return { rows: r.rows.map((x) => x.toObject()), warnings: r.warnings, issues: r.ctx.sourceIssues, fused: r.ctx.cache.get(FUSED_CACHE_KEY) === true };
  } finally {
    fusedReading.enabled = true;
  }
}

/** Asserts fused and plain runs agree; returns whether the fused head ran (single thread). */
async function assertSame(q: string, paths: string[], label: string, opts: { threads?: number; earliest?: number; latest?: number } = {}): Promise<boolean> {
  const plain = await outcome(q, paths, false, opts);
  const fused = await outcome(q, paths, true, opts);
  assert.equal(plain.fused, false, `${label}: the plain run was fused`);
  assert.deepEqual(fused.rows, plain.rows, `${label}: rows of ${q}`);
  if (prefilterTerms((parsePipeline(q).commands[0] as SearchCommand).expr).length === 0) {
    assert.deepEqual(fused.warnings, plain.warnings, `${label}: warnings of ${q}`);
    assert.deepEqual(fused.issues, plain.issues, `${label}: source issues of ${q}`);
  } else {
    // With prefilter terms the reader checks a record for issues only when the prefilter lets it
    // through, and whether it tests at all adapts to its pass rate, which the lines read here do
    // not feed: the issues reported are then some of those a search without terms reports.
    const all = await outcome('* | stats count', paths, false, opts);
    for (const issue of fused.issues) assert.ok(all.issues.some((i) => JSON.stringify(i) === JSON.stringify(issue)), `${label}: ${JSON.stringify(issue)} is not an issue of the file ${JSON.stringify(all.issues.filter((i) => Math.abs((i.line ?? 0) - (issue.line ?? 0)) < 3))}`);
  }
  return fused.fused;
}

test('eligibility: plain JSON fields, field=value filters and count/dc/earliest/latest only', () => {
  const model = loadFieldModel();
  const ok = (q: string) => fusedEligibility(parsePipeline(q), model).ok;
  for (const q of FUSED_QUERIES) assert.ok(ok(q), q);
  assert.ok(ok('eventName=ListBuckets earliest=-1d | stats count by awsRegion'), 'inline time bounds are the scan\'s');
  assert.ok(ok('sourcetype=AWS:CloudTrail index=main | stats count by awsRegion'), 'constant internal fields are decided once');
  // Ruled fields (the field model derives them), other terms and aggregates go the plain way.
  for (const q of [
    '* | stats count by user',
    'action=success | stats count by eventName',
    'status=failure | stats count by eventName',
    'result=denied | stats count by eventName',
    'sourcetype=other | stats count by eventName',
    'eventName=Get* | stats count by awsRegion',
    'eventName!=GetObject | stats count by awsRegion',
    'NOT eventName=GetObject | stats count by awsRegion',
    'eventName=A OR eventName=B | stats count by awsRegion',
    'AccessDenied | stats count by eventName',
    '* | stats values(eventName) by awsRegion',
    '* | stats count(eventName) by awsRegion',
    '* | stats min(_time) by awsRegion',
    '* | stats count by resources{}.ARN',
    '* | where eventName="x" | stats count by awsRegion',
    '* | stats count by a.b.c.d.e.f.g',
    'eventName="caf\u00e9" | stats count by awsRegion',
  ]) assert.ok(!ok(q), q);
});

test('real fixtures: fused heads give the plain path\'s rows (NDJSON, gzip NDJSON)', async () => {
  const files = [
    fixturePath('sources', 'invictus-5.ndjson'),
    fixturePath('sources', 'invictus-5.ndjson.gz'),
    fixturePath('sources', 'otrf-3.ndjson'),
    fixturePath('cloudtrail', 'events.ndjson'),
    fixturePath('otrf-security-datasets', 'events.ndjson.gz'),
    repoPath('samples', 'invictus-ir', 'events.ndjson.gz'),
    fixturePath('sources', 'records-10.json.gz'),
    fixturePath('sources', 'records-2.json'),
  ];
  const before = fusedScanStats.events;
  for (const q of FUSED_QUERIES) {
    for (const f of files) assert.ok(await assertSame(q, [f], f), `${f}: ${q} was not fused`);
    await assertSame(q, files, 'all files together');
    assert.ok(await assertSame(q, [INVICTUS_RECORDS_DIR], 'invictus delivery files'), `invictus delivery files: ${q} was not fused`);
  }
  assert.ok(fusedScanStats.events > before, 'the fused scan read events');
});

test('generated data: one and two threads (byte ranges) give the plain path\'s rows; time windows cut the same events', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tg-fused-gen-'));
  try {
    const end = Date.parse('2026-01-10T12:00:00Z');
    const nd = join(dir, 'events.ndjson');
    await generate({ events: 4000, seed: 'fused', days: 3, end, out: nd, layout: 'ndjson' });
    const tree = join(dir, 'tree');
    await generate({ events: 4000, seed: 'fused', days: 3, end, out: tree, layout: 'awslogs' });
    for (const q of FUSED_QUERIES) {
      assert.ok(await assertSame(q, [nd], 'generated'), `generated: ${q} was not fused`);
      await assertSame(q, [nd], 'generated, two threads', { threads: 2 });
      assert.ok(await assertSame(q, [tree], 'generated delivery tree'), `generated delivery tree: ${q} was not fused`);
      await assertSame(q, [tree], 'generated delivery tree, two threads', { threads: 2 });
    }
    // A selective search reads its views as bytes: only the lines holding its term reach the scan.
    const selective = { ...fusedScanStats };
    const logins = await outcome('eventName=ConsoleLogin | stats count by sourceIPAddress', [nd], true);
    const read = fusedScanStats.events - selective.events;
    const total = (logins.rows as { count: number }[]).reduce((n, r) => n + r.count, 0);
    assert.ok(total > 0 && read >= total && read < 4000 / 4, `the scan read ${read} lines for ${total} logins`);
    const before = fusedScanStats.events;
    await outcome('* | stats count', [tree], true);
    assert.equal(fusedScanStats.events - before, 4000, 'the delivery files\' records were read by the fused scan');
    // Window edges on exact event times: earliest is inclusive, latest exclusive.
    const times = readFileSync(nd, 'utf8').split('\n').filter(Boolean).map((l) => Date.parse((JSON.parse(l) as { eventTime: string }).eventTime) / 1000);
    const a = times[Math.floor(times.length / 3)]!;
    const b = times[Math.floor((2 * times.length) / 3)]!;
    for (const q of FUSED_QUERIES.slice(0, 3)) await assertSame(q, [nd], 'window', { earliest: a, latest: b });
    const counted = await outcome('* | stats count', [nd], true, { earliest: a, latest: b });
    assert.deepEqual(counted.rows, [{ count: times.filter((t) => t >= a && t < b).length }]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** A compact CloudTrail-like event; `extra` is spliced in after eventTime. */
function ev(time: string, fields: Record<string, unknown>, extra = ''): string {
  const body = JSON.stringify(fields).slice(1, -1);
  return `{"eventVersion":"1.08","eventTime":"${time}"${extra ? `,${extra}` : ''}${body ? `,${body}` : ''}}`;
}

const BASE = { eventSource: 's3.amazonaws.com', eventName: 'GetObject', awsRegion: 'us-east-1', eventType: 'AwsApiCall', sourceIPAddress: '10.0.0.1', userIdentity: { type: 'AssumedRole', arn: 'arn:aws:sts::1:assumed-role/r/s', sessionContext: { attributes: { mfaAuthenticated: 'false' } } } };

/** Lines aimed at every hand-back of the scan, between ordinary ones. */
const EDGE_LINES = [
  ev('2026-01-09T10:00:00Z', BASE),
  // escaped keys: one spelling eventName, at the top and below
  ev('2026-01-09T10:00:01Z', { ...BASE, eventName: 'A' }, '"event\\u004eame":"B"'),
  ev('2026-01-09T10:00:02Z', { ...BASE, userIdentity: { type: 'AssumedRole' } }, '"x":{"\\"q":1}'),
  // escaped values (a quote, \u00e9, \/) in filters, by-fields and dc fields
  ev('2026-01-09T10:00:03Z', { ...BASE, eventName: 'Get"Quoted', sourceIPAddress: 'caf\u00e9' }).replace('caf\u00e9', 'caf\\u00e9'),
  ev('2026-01-09T10:00:04Z', { ...BASE }).replace('"s3.amazonaws.com"', '"s3.amazonaws.com\\/x"'),
  // a key twice, at the top and nested
  ev('2026-01-09T10:00:05Z', BASE, '"eventName":"First"'),
  ev('2026-01-09T10:00:06Z', { ...BASE, userIdentity: undefined }, '"userIdentity":{"type":"AssumedRole","arn":"a1","arn":"a2"}'),
  // keys repeated at other depths: a nested eventTime/eventName decoy
  ev('2026-01-09T10:00:07Z', { ...BASE, requestParameters: { eventName: 'Decoy', eventTime: '1999-01-01T00:00:00Z', bucketName: 'b1' } }),
  // dotted keys standing in for nested paths
  ev('2026-01-09T10:00:08Z', { ...BASE, userIdentity: undefined, 'userIdentity.arn': 'dotted-arn', 'userIdentity.type': 'AssumedRole' }),
  ev('2026-01-09T10:00:09Z', { ...BASE, userIdentity: { type: 'AssumedRole', 'sessionContext.attributes': { mfaAuthenticated: 'false' } } }),
  ev('2026-01-09T10:00:10Z', { ...BASE, 'requestParameters.bucketName': 'dotted-bucket' }),
  // dotted keys after the member a walk stops at (at the top, and below it)
  ev('2026-01-09T10:00:10Z', { ...BASE, userIdentity: { type: 'AssumedRole' }, 'userIdentity.arn': 'late-dotted' }),
  ev('2026-01-09T10:00:10Z', { ...BASE, userIdentity: { type: 'AssumedRole', sessionContext: { webIdFederationData: {} }, 'sessionContext.attributes': { mfaAuthenticated: 'false' } } }),
  ev('2026-01-09T10:00:10Z', { ...BASE, userIdentity: { type: 'AssumedRole', arn: 'arn-first', 'arn.x': 'y' }, 'userIdentity.arn': 'dotted-second' }),
  // a dotted stand-in spelled with an escape, after the member the walk stops at
  '{"eventTime":"2026-01-09T10:00:10Z","eventName":"EscDot","eventSource":"s3.amazonaws.com","awsRegion":"us-east-1","sourceIPAddress":"10.0.0.9","userIdentity":{"type":"AssumedRole"},"userIdentity\\u002earn":"escaped-dotted-arn"}',
  // a key twice with the first one not a plain string
  ev('2026-01-09T10:00:10Z', BASE, '"eventName":5,"sourceIPAddress":{"a":1}'),
  '{"eventTime":"yesterday","eventTime":"2026-01-09T10:00:27Z","eventName":"TimeTwice","eventSource":"s3.amazonaws.com"}',
  // errorCode as written, absent, or derived from a console login's result
  ev('2026-01-09T10:00:10Z', { ...BASE, eventName: 'ConsoleLogin', responseElements: { ConsoleLogin: 'Failure' } }),
  ev('2026-01-09T10:00:10Z', { ...BASE, eventName: 'ConsoleLogin', responseElements: { ConsoleLogin: 'failure' } }),
  ev('2026-01-09T10:00:10Z', { ...BASE, eventName: 'ConsoleLogin', responseElements: { ConsoleLogin: 'Success' } }),
  ev('2026-01-09T10:00:10Z', { ...BASE, eventName: 'ConsoleLogin', responseElements: { ConsoleLogin: 7 } }),
  ev('2026-01-09T10:00:10Z', { ...BASE, eventName: 'ConsoleLogin', responseElements: null }),
  ev('2026-01-09T10:00:10Z', { ...BASE, eventName: 'ConsoleLogin', responseElements: { 'ConsoleLogin.x': 1 }, errorCode: 'Failed authentication' }),
  ev('2026-01-09T10:00:10Z', { ...BASE, eventName: 'ConsoleLogin', 'responseElements.ConsoleLogin': 'Failure' }),
  ev('2026-01-09T10:00:10Z', { ...BASE, errorCode: 'AccessDenied', responseElements: { ConsoleLogin: 'Failure' } }),
  ev('2026-01-09T10:00:10Z', { ...BASE, errorCode: 'SUCCESS' }),
  ev('2026-01-09T10:00:10Z', { ...BASE, errorCode: '' }),
  ev('2026-01-09T10:00:10Z', { ...BASE, errorCode: null }),
  ev('2026-01-09T10:00:10Z', { ...BASE, errorCode: ['AccessDenied'] }),
  ev('2026-01-09T10:00:10Z', { ...BASE, errorCode: { code: 'x' } }),
  // values that are not plain strings: numbers, true, null, objects, arrays, empty strings
  ev('2026-01-09T10:00:11Z', { ...BASE, eventName: 5, sourceIPAddress: null }),
  ev('2026-01-09T10:00:12Z', { ...BASE, sourceIPAddress: true, awsRegion: '' }),
  ev('2026-01-09T10:00:13Z', { ...BASE, sourceIPAddress: { ip: '1' }, eventSource: ['a', 'b'] }),
  ev('2026-01-09T10:00:14Z', { ...BASE, userIdentity: 'not an object', eventName: '' }),
  ev('2026-01-09T10:00:15Z', { ...BASE, userIdentity: { type: 'AssumedRole', arn: ['x', 'y'] } }),
  // numeric by-values (refused groups), the same text as a number and as a string
  ev('2026-01-09T10:00:16Z', { ...BASE, sourceIPAddress: '123' }),
  ev('2026-01-09T10:00:17Z', { ...BASE, sourceIPAddress: 123 }),
  ev('2026-01-09T10:00:18Z', { ...BASE, sourceIPAddress: '123.0', eventName: '1e3' }),
  ev('2026-01-09T10:00:19Z', { ...BASE, sourceIPAddress: '0123', awsRegion: ' 5' }),
  // case: filters match without case, groups keep their spelling
  ev('2026-01-09T10:00:20Z', { ...BASE, eventName: 'CONSOLELOGIN', eventSource: 'S3.AmazonAWS.com', sourceIPAddress: 'Host-A' }),
  ev('2026-01-09T10:00:21Z', { ...BASE, eventName: 'ConsoleLogin', sourceIPAddress: 'host-a' }),
  ev('2026-01-09T10:00:21Z', { ...BASE, eventName: 'ConsoleLoginX', sourceIPAddress: 'host-a' }),
  // times in other forms: a fraction, an offset, a space, an impossible date, a leap second, none
  ev('2026-01-09T10:00:22.500Z', BASE),
  ev('2026-01-09T10:00:23+00:00', BASE),
  ev('2026-01-09 10:00:24Z', BASE),
  ev('2026-02-30T10:00:25Z', BASE),
  ev('2016-12-31T23:59:60Z', BASE),
  JSON.stringify(BASE),
  '{"eventTime":"2026-01-09T10:00:26Z","eventTime":"2026-01-09T10:00:27Z","eventName":"TwoTimes","eventSource":"s3.amazonaws.com"}',
  // blanks, CRLF, padding, malformed and cut-off records, non-objects
  '',
  `   ${ev('2026-01-09T10:00:28Z', BASE)}   `,
  `${ev('2026-01-09T10:00:29Z', BASE)}\r`,
  '{"eventTime":"2026-01-09T10:00:30Z","eventName":"Broken",',
  '{"eventTime":"2026-01-09T10:00:31Z","eventName":"Bad" "eventSource":"x"}',
  '{"eventTime":"2026-01-09T10:00:32Z","eventName":"Trailing"} junk}',
  '{"eventTime":"2026-01-09T10:00:33Z","eventName":"Wrong","n":tru}',
  '[1,2,3]',
  'not json at all',
  '{}',
  // huge nested requestParameters before the fields a query reads
  `{"eventTime":"2026-01-09T10:00:34Z","requestParameters":{"policy":"${'{\\"Statement\\":[{\\"Effect\\":\\"Allow\\"}]}'.repeat(400)}","bucketName":"big","deep":${'{"a":'.repeat(100)}1${'}'.repeat(100)},"items":[${Array.from({ length: 500 }, (_, i) => `{"k":${i},"eventName":"Nested${i}"}`).join(',')}]},"eventSource":"s3.amazonaws.com","eventName":"PutBucketPolicy","userIdentity":{"type":"AssumedRole","arn":"big-arn"},"sourceIPAddress":"10.0.0.3","awsRegion":"us-east-1","eventType":"AwsApiCall"}`,
  // an EventBridge-style envelope, and a Records wrapper on one line
  `{"version":"0","detail-type":"AWS API Call via CloudTrail","time":"2026-01-09T10:00:35Z","detail":${ev('2026-01-09T10:00:35Z', BASE)}}`,
  `{"Records":[${ev('2026-01-09T10:00:36Z', BASE)},${ev('2026-01-09T10:00:37Z', { ...BASE, eventName: 'InRecords' })}]}`,
  ev('2026-01-09T10:00:38Z', { ...BASE, eventName: 'Last' }),
];

test('edge cases: every line the scan is unsure of is read by the plain path, with the same rows and issues', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tg-fused-edge-'));
  try {
    const file = join(dir, 'edge.ndjson');
    // Ordinary lines around the edge cases, so views hold both.
    const ordinary = Array.from({ length: 300 }, (_, i) => ev(`2026-01-09T09:${String(Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}Z`, { ...BASE, eventName: `Op${i % 7}`, sourceIPAddress: `10.1.0.${i % 11}` }));
    writeFileSync(file, [...ordinary.slice(0, 150), ...EDGE_LINES, ...ordinary.slice(150)].join('\n') + '\n');
    const handedBack = fusedScanStats.fallbackLines;
    for (const q of [...FUSED_QUERIES, 'eventName=ConsoleLogin | stats count by sourceIPAddress', '* | stats count by sourceIPAddress awsRegion', '* | stats dc(sourceIPAddress) by eventName']) {
      assert.ok(await assertSame(q, [file], 'edge'), `edge: ${q} was not fused`);
    }
    assert.ok(fusedScanStats.fallbackLines > handedBack, 'lines were handed back');
    // The edge records as {"Records":[…]} documents: compact and pretty-printed (the elements the
    // scan hands back are read with their own line numbers), gzipped, with an element that is not
    // an object or has an escaped key (the reader walks those documents itself), and cut off.
    const objects = EDGE_LINES.filter((l) => {
      try {
        const v: unknown = JSON.parse(l);
        return v !== null && typeof v === 'object' && !Array.isArray(v);
      } catch {
        return false;
      }
    }).map((l) => l.trim());
    // (A key with an escape makes the reader walk the whole document itself: those go in escaped.json.)
    const plainKeys = objects.filter((l) => !/[{,]"[^"]*\\/.test(l));
    const docs: Record<string, string> = {
      'compact.json': `{"Records":[${[...ordinary.slice(0, 40), ...plainKeys, ...ordinary.slice(40, 80)].join(',')}]}`,
      'pretty.json': `{\n  "Records": [\n    ${[...ordinary.slice(0, 40), ...plainKeys].join(',\n    ')}\n  ],\n  "extra": {"k": [1, 2]}\n}\n`,
      'scalar.json': `{"Records":[${[...objects.slice(0, 10), '7', ...objects.slice(10)].join(',')}]}`,
      'escaped.json': `{"Records":[${[...objects.slice(0, 10), '{"eventTime":"2026-01-09T10:00:00Z","event\\u004eame":"Escaped"}', ...objects.slice(10)].join(',')}]}`,
      'cut.json': `{"Records":[${objects.join(',')}`.slice(0, -30),
      'bad.json': `{"Records":[${objects.slice(0, 5).join(',')},{"eventTime" "x"}]}`,
    };
    for (const [name, text] of Object.entries(docs)) writeFileSync(join(dir, name), text);
    writeFileSync(join(dir, 'compact.json.gz'), gzipSync(docs['compact.json']!));
    for (const q of FUSED_QUERIES) {
      for (const name of [...Object.keys(docs), 'compact.json.gz']) await assertSame(q, [join(dir, name)], `records ${name}`);
    }
    for (const name of ['compact.json', 'pretty.json', 'compact.json.gz']) {
      const before = { ...fusedScanStats };
      await outcome(FUSED_QUERIES[0]!, [join(dir, name)], true);
      assert.ok(fusedScanStats.events - before.events >= 40, `${name}: the scan read the document's records`);
      assert.ok(fusedScanStats.fallbackLines > before.fallbackLines, `${name}: and handed some back`);
    }
    // A file cut off mid-record (no final newline): the reader reports it the same way.
    const cut = join(dir, 'cut.ndjson');
    writeFileSync(cut, [...ordinary.slice(0, 50), EDGE_LINES[0]!.slice(0, 60)].join('\n'));
    await assertSame(FUSED_QUERIES[0]!, [cut], 'cut');
    // Views with other bytes than ASCII are read as text (the whole view).
    const utf8 = join(dir, 'utf8.ndjson');
    writeFileSync(utf8, [...ordinary.slice(0, 100), ev('2026-01-09T10:00:40Z', { ...BASE, sourceIPAddress: 'h\u00f4te ☃' }), ...ordinary.slice(100)].join('\n') + '\n');
    for (const q of FUSED_QUERIES.slice(0, 4)) await assertSame(q, [utf8], 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('random mixes of edge lines and real events give the plain path\'s rows', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tg-fused-mix-'));
  const real = gunzipSync(readFileSync(fixturePath('sources', 'invictus-5.ndjson.gz'))).toString('utf8').split('\n').filter((l) => l.trim() !== '');
  const pool = [...EDGE_LINES, ...real];
  try {
    for (const seed of [11, 12, 13]) {
      const next = seeded(seed);
      const lines = Array.from({ length: 3000 }, () => pool[Math.floor(next() * pool.length)]!);
      const file = join(dir, `mix-${seed}.ndjson`);
      writeFileSync(file, lines.join('\n') + '\n');
      for (const q of FUSED_QUERIES) await assertSame(q, [file], `mix ${seed}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('full tables: a scan whose groups outgrow the tables reads the rest through the plain path, with the same rows', async (t) => {
  const saved = { ...fusedTableLimits };
  if (!resetIndexerForTests()) {
    t.skip('WebAssembly is not available');
    return;
  }
  fusedTableLimits.maxIds = 64;
  fusedTableLimits.slotsLog2 = 8;
  fusedTableLimits.keyBytes = 4096;
  const dir = mkdtempSync(join(tmpdir(), 'tg-fused-full-'));
  try {
    const file = join(dir, 'many.ndjson');
    const lines = Array.from({ length: 2000 }, (_, i) => ev(`2026-01-09T10:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}Z`, { ...BASE, sourceIPAddress: `h${i % 150}`, eventName: `Op${i % 9}` }));
    writeFileSync(file, lines.join('\n') + '\n');
    const doc = join(dir, 'many.json');
    writeFileSync(doc, `{"Records":[${lines.join(',')}]}`);
    for (const q of ['* | stats count by sourceIPAddress', '* | stats dc(eventName) by sourceIPAddress', '* | stats dc(sourceIPAddress) by eventName']) {
      assert.ok(await assertSame(q, [file], 'full tables'), q);
      assert.ok(await assertSame(q, [doc], 'full tables, one Records document'), q);
    }
  } finally {
    Object.assign(fusedTableLimits, saved);
    resetIndexerForTests();
    rmSync(dir, { recursive: true, force: true });
  }
});
