import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { spawn, spawnSync } from 'node:child_process';
import { Readable } from 'node:stream';
import { openSources, readAllEvents, type SourceStats } from '../../src/sources/index.js';
import type { RawEvent, SourceIssue } from '../../src/sources/types.js';
import { TrailguardError, renderError } from '../../src/errors.js';
import { fixturePath, repoPath } from '../helpers.js';

let dir: string;
const fx = (name: string): string => fixturePath('sources', name);
const tmp = (name: string): string => join(dir, name);
/** The 5 invictus events of the NDJSON fixture, as their own lines. */
let lines: string[];

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'tg-sources-'));
  lines = readFileSync(fx('invictus-5.ndjson'), 'utf8').trim().split('\n');
});
after(() => rmSync(dir, { recursive: true, force: true }));

async function read(paths: string[], opts = {}): Promise<{ events: RawEvent[]; stats: SourceStats; issues: SourceIssue[] }> {
  const issues: SourceIssue[] = [];
  const r = await readAllEvents(paths, { onIssue: (i) => issues.push(i), ...opts });
  return { ...r, issues };
}

function eventTimes(events: RawEvent[]): string[] {
  return events.map((e) => (JSON.parse(e.raw) as { eventTime: string }).eventTime);
}

test('Records .json delivery file: each event is its own _raw with line and byte of its first character', async () => {
  const { events, stats, issues } = await read([fx('records-2.json')]);
  const text = readFileSync(fx('records-2.json'));
  const expected = (JSON.parse(text.toString()) as { Records: unknown[] }).Records;
  assert.equal(events.length, 2);
  assert.deepEqual(events.map((e) => JSON.parse(e.raw)), expected);
  for (const e of events) {
    assert.equal(text.toString('utf8', e.byte, e.byte + Buffer.byteLength(e.raw)), e.raw);
    assert.equal(e.line, 1);
    assert.equal(e.source, fx('records-2.json'));
    assert.equal(e.time, Date.parse((JSON.parse(e.raw) as { eventTime: string }).eventTime) / 1000);
  }
  assert.deepEqual(issues, []);
  assert.equal(stats.filesOpened, 1);
  assert.equal(stats.events, 2);
});

test('Records .json.gz (gzip found by magic bytes, also under a misleading name)', async () => {
  const { events } = await read([fx('records-10.json.gz')]);
  assert.equal(events.length, 10);
  writeFileSync(tmp('gzipped-but-named.json'), readFileSync(fx('records-10.json.gz')));
  assert.equal((await read([tmp('gzipped-but-named.json')])).events.length, 10);
});

test('small files read one after another through one shared first-read buffer keep their own events, at any size around it', async () => {
  // Sizes around the 256 KiB first read: files that fit it, fill it exactly, and go past it (read
  // again whole), plain and gzipped (random request IDs keep the gzip near the plain size).
  const event = (i: number, pad: number) => JSON.stringify({ eventTime: `2024-01-01T00:00:${String(i % 60).padStart(2, '0')}Z`, eventName: `E${i}`, requestID: randomText(pad) });
  const files: { path: string; names: string[] }[] = [];
  const sizes = [1, 200_000, 262_144, 262_145, 700_000];
  sizes.forEach((size, f) => {
    const names: string[] = [];
    let text = '';
    for (let i = 0; text.length < size - 200; i++) {
      const line = event(f * 1000 + i, Math.min(4000, size - 200 - text.length)) + '\n';
      names.push(`E${f * 1000 + i}`);
      text += line;
    }
    text = text.padEnd(size, ' '); // blanks after the last line make the size exact
    assert.equal(Buffer.byteLength(text), size);
    writeFileSync(tmp(`size-${size}.ndjson`), text);
    files.push({ path: tmp(`size-${size}.ndjson`), names });
    writeFileSync(tmp(`size-${size}.ndjson.gz`), gzipSync(text, { level: 0 }));
    files.push({ path: tmp(`size-${size}.ndjson.gz`), names });
  });
  const { events, issues } = await read(files.map((f) => f.path));
  assert.deepEqual(issues, []);
  const bySource = new Map<string, string[]>();
  for (const e of events) bySource.set(e.source, [...(bySource.get(e.source) ?? []), (JSON.parse(e.raw) as { eventName: string }).eventName]);
  for (const f of files) assert.deepEqual(bySource.get(f.path) ?? [], f.names, f.path);
});

function randomText(n: number): string {
  let s = '';
  while (s.length < n) s += Math.random().toString(36).slice(2);
  return s.slice(0, n);
}

test('a pipe named as a source (`--data <(zcat …)`) is read to its end, plain or gzipped, and never split', async () => {
  const { splitInput } = await import('../../src/engine/parallel/split.js');
  for (const gz of [false, true]) {
    const fifo = tmp(`pipe-${gz}`);
    assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
    // The writer blocks until the reader opens the pipe; it sends the 5 events (gzipped or not).
    const writer = spawn('sh', ['-c', `${gz ? 'gzip -c' : 'cat'} ${JSON.stringify(fx('invictus-5.ndjson'))} > ${JSON.stringify(fifo)}`]);
    const written = new Promise((done) => writer.on('exit', done));
    const { events, issues } = await read([fifo]);
    await written;
    assert.deepEqual(issues, []);
    assert.deepEqual(events.map((e) => e.raw), lines, gz ? 'gzipped' : 'plain');
    const split = await splitInput([fifo], {}, 2);
    assert.ok('reason' in split && /not a regular file/.test(split.reason), JSON.stringify(split));
  }
});

test('NDJSON and gzipped NDJSON: one event per line, line numbers 1-based', async () => {
  const plain = await read([fx('invictus-5.ndjson')]);
  const gz = await read([fx('invictus-5.ndjson.gz')]);
  assert.deepEqual(plain.events.map((e) => e.line), [1, 2, 3, 4, 5]);
  assert.deepEqual(gz.events.map((e) => [e.raw, e.line, e.byte]), plain.events.map((e) => [e.raw, e.line, e.byte]));
  assert.deepEqual(plain.events.map((e) => e.raw), lines);
});

test('a JSON array of events, pretty-printed', async () => {
  const arr = lines.map((l) => JSON.parse(l) as unknown);
  writeFileSync(tmp('array.json'), JSON.stringify(arr, null, 2));
  const { events, issues } = await read([tmp('array.json')]);
  assert.deepEqual(issues, []);
  assert.deepEqual(events.map((e) => JSON.parse(e.raw)), arr);
  assert.equal(events[1]!.line, JSON.stringify(arr[0], null, 2).split('\n').length + 2);
});

test('concatenated pretty-printed objects (a single exported event, several in a row)', async () => {
  const arr = lines.slice(0, 2).map((l) => JSON.parse(l) as unknown);
  writeFileSync(tmp('pretty.json'), arr.map((o) => JSON.stringify(o, null, 2)).join('\n'));
  const { events, issues } = await read([tmp('pretty.json')]);
  assert.deepEqual(issues, []);
  assert.deepEqual(events.map((e) => JSON.parse(e.raw)), arr);
});

test('EventBridge envelopes: _raw is the detail object, its eventTime the time', async () => {
  const envelopes = lines.map((l, i) => `{"version":"0","id":"e${i}","detail-type":"AWS API Call via CloudTrail","source":"aws.iam","account":"218007301253","time":"2030-01-01T00:00:00Z","region":"us-east-1","resources":[],"detail":${l}}`);
  writeFileSync(tmp('eventbridge.ndjson'), envelopes.join('\n') + '\n');
  const { events, issues } = await read([tmp('eventbridge.ndjson')]);
  assert.deepEqual(issues, []);
  assert.deepEqual(events.map((e) => e.raw), lines);
  assert.deepEqual(eventTimes(events).map((t) => Date.parse(t) / 1000), events.map((e) => e.time));
});

test('@timestamp exports (OTRF Logstash): time from @timestamp', async () => {
  const { events, issues } = await read([fx('otrf-3.ndjson')]);
  assert.deepEqual(issues, []);
  assert.equal(events.length, 3);
  for (const e of events) assert.equal(e.time, Date.parse((JSON.parse(e.raw) as Record<string, string>)['@timestamp']!) / 1000);
});

test('an empty file, an empty Records array, an empty array and whitespace are not errors', async () => {
  writeFileSync(tmp('empty.json'), '');
  writeFileSync(tmp('empty-records.json'), '{"Records":[]}');
  writeFileSync(tmp('empty-array.json'), '[ ]\n');
  writeFileSync(tmp('blank.ndjson'), '\n\n  \n');
  writeFileSync(tmp('empty.json.gz'), gzipSync(Buffer.alloc(0)));
  const { events, issues, stats } = await read(['empty.json', 'empty-records.json', 'empty-array.json', 'blank.ndjson', 'empty.json.gz'].map(tmp));
  assert.equal(events.length, 0);
  assert.deepEqual(issues, []);
  assert.equal(stats.filesOpened, 5);
});


test('Records wrappers read whole (one walk) agree with the streaming scanner: keys around Records, escaped keys, a second Records, junk after', async () => {
  const ev = (n: number) => `{"eventTime":"2026-01-09T10:00:0${n}Z","eventName":"E${n}","userIdentity":{"type":"IAMUser","arn":"a\\"${n}"}}`;
  const shapes: Record<string, string> = {
    'before-after.json': `{"Meta":{"x":[1,{"Records":[]}]},"Records":[${ev(1)},${ev(2)}],"Digest":"d\\"q"}`,
    'spaced.json': ` {  "Records" : [ ${ev(1)} , ${ev(2)} ] , "n" : 1 } \n`,
    'escaped-key.json': `{"\\u0052ecords":[${ev(3)}],"Records":[${ev(1)}]}`,
    'escaped-other.json': `{"Re\\"c":1,"Records":[${ev(1)}]}`,
    'two-records.json': `{"Records":[${ev(1)}],"Records":[${ev(2)}]}`,
    'junk-after.json': `{"Records":[${ev(1)}]} x`,
    'not-array.json': `{"Records":{"a":1},"b":[${ev(1)}]}`,
  };
  for (const [name, text] of Object.entries(shapes)) {
    writeFileSync(tmp(name), text);
    // The same bytes, gzipped, go through the whole-file path; as a stream larger than the
    // whole-file limit they would go through the scanner: read them through readEvents directly.
    const whole = await read([tmp(name)]);
    const { readEvents } = await import('../../src/sources/reader.js');
    const streamed: RawEvent[] = [];
    const streamedIssues: SourceIssue[] = [];
    const ctx = { report: (i: SourceIssue) => streamedIssues.push(i), outside: () => undefined, bytes: () => undefined };
    for await (const list of readEvents(tmp(name), Readable.from([Buffer.from(text)]), ctx)) streamed.push(...list);
    assert.deepEqual(whole.events.map((e) => e.raw), streamed.map((e) => e.raw), name);
    assert.deepEqual(whole.issues.map((i) => [i.kind, i.line, i.byte]), streamedIssues.map((i) => [i.kind, i.line, i.byte]), name);
  }
});
test('standard input (`-`) in a child process: NDJSON, gzip, and empty', () => {
  const built = repoPath('dist', 'src', 'sources', 'index.js');
  const useDist = existsSync(built) && import.meta.url.includes('/dist/');
  const mod = useDist ? built : repoPath('src', 'sources', 'index.ts');
  const script = `import { readAllEvents } from ${JSON.stringify(mod)};
    const r = await readAllEvents(['-']);
    console.log(JSON.stringify({ n: r.events.length, src: r.events.map((e) => e.source), lines: r.events.map((e) => e.line), issues: r.stats.issues }));`;
  const args = useDist ? ['--input-type=module', '-e', script] : ['--import', 'tsx', '--input-type=module', '-e', script];
  const run = (input: Buffer): { n: number; src: string[]; lines: number[]; issues: Record<string, number> } => {
    const r = spawnSync(process.execPath, args, { input, cwd: repoPath(), encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout) as { n: number; src: string[]; lines: number[]; issues: Record<string, number> };
  };
  const ndjson = readFileSync(fx('invictus-5.ndjson'));
  const out = run(ndjson);
  assert.equal(out.n, 5);
  assert.deepEqual(out.src, ['-', '-', '-', '-', '-']);
  assert.deepEqual(out.lines, [1, 2, 3, 4, 5]);
  assert.equal(run(readFileSync(fx('records-10.json.gz'))).n, 10);
  const empty = run(Buffer.alloc(0));
  assert.equal(empty.n, 0);
  assert.equal(Object.values(empty.issues).reduce((a, b) => a + b, 0), 0);
});

test('stdin can be supplied as a stream (opts.stdin)', async () => {
  const { events } = await read(['-'], { stdin: Readable.from([Buffer.from(lines[0]!.slice(0, 10)), Buffer.from(lines[0]!.slice(10) + '\n' + lines[1])]) });
  assert.deepEqual(events.map((e) => e.raw), lines.slice(0, 2));
});

test('garbage lines, non-objects and time-less events are reported with file, line and byte; the good events still come', async () => {
  const content = [lines[0], 'this is not json', '[1, 2', '42', '{"eventName":"NoTime"}', '{"eventTime":"redacted"}', lines[1]].join('\n') + '\n';
  writeFileSync(tmp('mixed.ndjson'), content);
  const { events, issues, stats } = await read([tmp('mixed.ndjson')]);
  assert.deepEqual(events.map((e) => e.raw), [lines[0], lines[1]]);
  assert.deepEqual(events.map((e) => e.line), [1, 7]);
  const starts = content.split('\n').map((_, i, a) => Buffer.byteLength(a.slice(0, i).join('\n')) + (i > 0 ? 1 : 0));
  assert.deepEqual(issues.map((i) => [i.kind, i.file, i.line, i.byte]), [
    ['unparsable', tmp('mixed.ndjson'), 2, starts[1]],
    ['unparsable', tmp('mixed.ndjson'), 3, starts[2]],
    ['not-object', tmp('mixed.ndjson'), 4, starts[3]],
    ['no-time', tmp('mixed.ndjson'), 5, starts[4]],
    ['no-time', tmp('mixed.ndjson'), 6, starts[5]],
  ]);
  assert.deepEqual(stats.issues, { unparsable: 2, 'not-object': 1, 'no-time': 2, truncated: 0, oversized: 0, unreadable: 0 });
  assert.equal(stats.firstIssues.length, 5);
});

test('a truncated gzip keeps the events before the cut and reports a truncated issue with the byte offset', async () => {
  const gz = gzipSync(readFileSync(fx('invictus-5.ndjson')));
  writeFileSync(tmp('cut.ndjson.gz'), gz.subarray(0, Math.floor(gz.length * 0.7)));
  const { events, issues } = await read([tmp('cut.ndjson.gz')]);
  assert.ok(events.length < 5);
  assert.deepEqual(events.map((e) => e.raw), lines.slice(0, events.length));
  assert.equal(issues.length, 1);
  assert.equal(issues[0]!.kind, 'truncated');
  assert.equal(issues[0]!.file, tmp('cut.ndjson.gz'));
  assert.equal(typeof issues[0]!.byte, 'number');
  assert.equal(issues[0]!.line, events.length + 1);
});

test('a Records file cut mid-record reports where the lost record starts', async () => {
  const text = readFileSync(fx('records-2.json'), 'utf8');
  const secondStart = text.indexOf('{"eventVersion"', 20);
  writeFileSync(tmp('cut-records.json'), text.slice(0, secondStart + 100));
  const { events, issues } = await read([tmp('cut-records.json')]);
  assert.equal(events.length, 1);
  assert.deepEqual(issues.map((i) => [i.kind, i.line, i.byte]), [['truncated', 1, Buffer.byteLength(text.slice(0, secondStart))]]);
  // A truncated gzip of a Records file: same, through the decompressor.
  writeFileSync(tmp('cut-records.json.gz'), gzipSync(text).subarray(0, 600));
  const r = await read([tmp('cut-records.json.gz')]);
  assert.equal(r.issues.length, 1);
  assert.equal(r.issues[0]!.kind, 'truncated');
});

test('an unreadable path and a glob matching nothing are reported, and the run goes on', async () => {
  const { events, issues, stats } = await read([tmp('no-such-file.json'), join(dir, 'nothing-*.zzz'), fx('records-2.json')]);
  assert.equal(events.length, 2);
  assert.deepEqual(issues.map((i) => [i.kind, i.file]), [['unreadable', tmp('no-such-file.json')], ['unreadable', join(dir, 'nothing-*.zzz')]]);
  assert.equal(stats.issues.unreadable, 2);
});

test('strict mode: the first issue is a fatal TrailguardError (phase input) with file, line and byte', async () => {
  writeFileSync(tmp('strict.ndjson'), `${lines[0]}\n{"eventTime": oops}\n${lines[1]}\n`);
  const src = openSources([tmp('strict.ndjson')], { strict: true, batchSize: 1 });
  const seen: RawEvent[] = [];
  await assert.rejects(async () => {
    for await (const b of src.batches()) seen.push(...b);
  }, (e: unknown) => {
    assert.ok(e instanceof TrailguardError);
    assert.equal(e.phase, 'input');
    assert.equal(e.code, 'input-unparsable');
    assert.deepEqual(e.location, { file: tmp('strict.ndjson'), line: 2, byte: Buffer.byteLength(lines[0]!) + 1 });
    assert.match(renderError(e), /strict\.ndjson:2 \(byte \d+\): error\[input-unparsable\]/);
    return true;
  });
  assert.ok(seen.length <= 1); // nothing after the bad record is delivered
});

test('§2.9 time window: earliest inclusive, latest exclusive, applied to eventTime', async () => {
  const all = (await read([fx('invictus-5.ndjson')])).events;
  const times = all.map((e) => e.time);
  const earliest = times[1]!;
  const latest = times[3]!;
  const { events, stats } = await read([fx('invictus-5.ndjson')], { earliest, latest });
  assert.deepEqual(events.map((e) => e.time), times.filter((t) => t >= earliest && t < latest));
  assert.ok(events.length >= 2 && events.length < 5);
  assert.equal(stats.outsideWindow, 5 - events.length);
});

test('batches hold at most batchSize events and lose none', async () => {
  const src = openSources([fx('records-10.json.gz'), fx('invictus-5.ndjson')], { batchSize: 4 });
  const sizes: number[] = [];
  for await (const b of src.batches()) sizes.push(b.length);
  assert.deepEqual(sizes, [4, 4, 4, 3]);
  assert.equal(src.stats.events, 15);
});

test('a batch short of batchSize is handed out after four reads, so a selective scan holds no events for long', async () => {
  // Ten files of one event each: the batch (room for 256) goes out after every fourth file.
  const files = Array.from({ length: 10 }, (_, i) => {
    const f = tmp(`one-${i}.ndjson`);
    writeFileSync(f, lines[i % lines.length]! + '\n');
    return f;
  });
  const src = openSources(files, { batchSize: 256 });
  const sizes: number[] = [];
  for await (const b of src.batches()) sizes.push(b.length);
  assert.deepEqual(sizes, [4, 4, 2]);
  assert.equal(src.stats.events, 10);
});

test('a BOM, CRLF line ends and a final line without newline are handled', async () => {
  writeFileSync(tmp('crlf.ndjson'), '\ufeff' + lines.slice(0, 3).join('\r\n'));
  const { events, issues } = await read([tmp('crlf.ndjson')]);
  assert.deepEqual(issues, []);
  assert.deepEqual(events.map((e) => e.raw), lines.slice(0, 3));
  writeFileSync(tmp('bom-records.json'), '\ufeff' + readFileSync(fx('records-2.json'), 'utf8'));
  assert.equal((await read([tmp('bom-records.json')])).events.length, 2);
});

test('a pretty-printed Records file arriving in tiny pieces, and two delivery files concatenated', async () => {
  const doc = readFileSync(fx('records-2.json'), 'utf8');
  const expected = (JSON.parse(doc) as { Records: unknown[] }).Records;
  const pretty = Buffer.from(JSON.stringify({ Records: expected }, null, 2));
  const pieces = Array.from({ length: Math.ceil(pretty.length / 7) }, (_, i) => pretty.subarray(i * 7, i * 7 + 7));
  const r = await read(['-'], { stdin: Readable.from(pieces) });
  assert.deepEqual(r.issues, []);
  assert.deepEqual(r.events.map((e) => JSON.parse(e.raw)), expected);
  writeFileSync(tmp('two.json'), doc + '\n' + doc);
  const two = await read([tmp('two.json')]);
  assert.deepEqual(two.issues, []);
  assert.equal(two.events.length, 4);
  assert.equal(two.events[2]!.line, doc.split('\n').length + 1);
});
