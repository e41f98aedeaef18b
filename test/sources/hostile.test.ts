// Hostile input (issue 13): the sources reader fed random bytes and mutations of real files never
// throws (only TrailguardError in strict mode), never hangs, and still reads every record the
// mutation left intact. Records larger than maxRecordBytes are reported and skipped. The heavy
// cases (gzip bomb, endless line, millions of tiny records, deep nesting) run in a child process
// that reports its peak RSS (hostile-child.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { constants, gunzipSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { TrailguardError } from '../../src/errors.js';
import { readAllEvents, readBuffer, readEvents } from '../../src/sources/index.js';
import type { ReaderContext } from '../../src/sources/reader.js';
import type { RawEvent, SourceIssue } from '../../src/sources/types.js';
import { fixturePath, repoPath } from '../helpers.js';

const NDJSON = readFileSync(fixturePath('sources', 'invictus-5.ndjson'));
const NDJSON_GZ = readFileSync(fixturePath('sources', 'invictus-5.ndjson.gz'));
const RECORDS = readFileSync(fixturePath('sources', 'records-2.json'));
const RECORDS_GZ = readFileSync(fixturePath('sources', 'records-10.json.gz'));
const OTRF = readFileSync(fixturePath('sources', 'otrf-3.ndjson'));
/** The original NDJSON lines, each a good event (a plain split; the reader is not used). */
const GOOD_LINES = new Set(NDJSON.toString('utf8').split('\n').filter((l) => l.trim() !== ''));

function ctxFor(issues: SourceIssue[], extra: Partial<ReaderContext> = {}): ReaderContext {
  return { report: (i) => { issues.push(i); }, outside: () => {}, bytes: () => {}, ...extra };
}

async function* chunked(buf: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size);
}

/** Reads `bytes` (as a file would be: gzip or not) through the streaming path in `size`-byte chunks. */
async function readStreamed(bytes: Buffer, size: number, extra: Partial<ReaderContext> = {}): Promise<{ events: RawEvent[]; issues: SourceIssue[] }> {
  const issues: SourceIssue[] = [];
  const events: RawEvent[] = [];
  for await (const batch of readEvents('mem', chunked(bytes, size), ctxFor(issues, extra))) events.push(...batch);
  return { events, issues };
}

/** The NDJSON lines of `text` that are byte for byte one of the original good lines (CR and a leading BOM aside). */
function intactLines(text: Buffer, lastLineComplete: boolean): string[] {
  const parts = text.toString('latin1').split('\n');
  if (!lastLineComplete) parts.pop();
  const out: string[] = [];
  parts.forEach((p, i) => {
    let line = Buffer.from(p.endsWith('\r') ? p.slice(0, -1) : p, 'latin1');
    if (i === 0 && line[0] === 0xef && line[1] === 0xbb && line[2] === 0xbf) line = line.subarray(3);
    const s = line.toString('utf8');
    if (GOOD_LINES.has(s) && Buffer.from(s, 'utf8').equals(line)) out.push(s);
  });
  return out;
}

function assertContains(events: RawEvent[], expected: string[]): void {
  const have = new Map<string, number>();
  for (const e of events) have.set(e.raw, (have.get(e.raw) ?? 0) + 1);
  for (const raw of expected) {
    const n = have.get(raw) ?? 0;
    assert.ok(n > 0, `an intact record was not read: ${raw.slice(0, 80)}`);
    have.set(raw, n - 1);
  }
}

// ---- mutations -------------------------------------------------------------------------------

type Mutation = (b: Buffer) => Buffer;
const mutation = fc.oneof(
  fc.nat().map((n): Mutation => (b) => b.subarray(0, n % (b.length + 1))), // truncation
  fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 7 })), { minLength: 1, maxLength: 4 }).map((flips): Mutation => (b) => {
    const c = Buffer.from(b);
    for (const [at, bit] of flips) if (c.length > 0) c[at % c.length]! ^= 1 << bit;
    return c;
  }),
  fc.constant<Mutation>((b) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), b])), // BOM
  fc.constant<Mutation>((b) => Buffer.from(b.toString('latin1').replace(/\n/g, '\r\n'), 'latin1')), // CRLF
  fc.constant<Mutation>((b) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(b.toString('utf8'), 'utf16le')])), // UTF-16
  fc.nat().map((n): Mutation => (b) => Buffer.concat([b.subarray(0, n % (b.length + 1)), Buffer.from([0]), b.subarray(n % (b.length + 1))])), // NUL
  fc.nat().map((n): Mutation => (b) => {
    // invalid UTF-8 inside a string: after the n-th quote
    const quotes: number[] = [];
    for (let i = 0; i < b.length; i++) if (b[i] === 0x22) quotes.push(i);
    if (quotes.length === 0) return b;
    const at = quotes[n % quotes.length]! + 1;
    return Buffer.concat([b.subarray(0, at), Buffer.from([0xc3, 0x28, 0xff]), b.subarray(at)]);
  }),
);

const SOURCES = [NDJSON, NDJSON_GZ, RECORDS, RECORDS_GZ, OTRF];

test('random bytes and mutations of real files: the reader never throws and keeps every intact NDJSON line (streamed, any chunking)', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.oneof(
        fc.tuple(fc.constantFrom(...SOURCES.keys()), mutation).map(([i, m]) => ({ bytes: m(SOURCES[i]!), from: i })),
        fc.uint8Array({ maxLength: 2000 }).map((a) => ({ bytes: Buffer.from(a), from: -1 })),
      ),
      fc.integer({ min: 1, max: 4096 }),
      async ({ bytes, from }, size) => {
        const started = Date.now();
        const { events } = await readStreamed(bytes, size);
        assert.ok(Date.now() - started < 5000, 'one small input took more than 5 s');
        if (from === 0) assertContains(events, intactLines(bytes, true));
      },
    ),
    { numRuns: 300, includeErrorInReport: true },
  );
});

test('mutations read whole (the small-file path) agree with the streamed path, and strict mode throws only TrailguardError', async () => {
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...SOURCES.keys()), mutation, async (i, m) => {
      const bytes = m(SOURCES[i]!);
      let plain = bytes;
      if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
        try {
          plain = gunzipSync(bytes);
        } catch {
          return; // only clean gzip is read whole; the rest streams
        }
      }
      const issues: SourceIssue[] = [];
      const whole = readBuffer('mem', plain, ctxFor(issues));
      const streamed = await readStreamed(plain, 97);
      assert.deepEqual(whole.map((e) => [e.raw, e.time, e.line, e.byte]), streamed.events.map((e) => [e.raw, e.time, e.line, e.byte]));
      assert.deepEqual(issues.map((x) => [x.kind, x.line, x.byte]), streamed.issues.map((x) => [x.kind, x.line, x.byte]));
      try {
        await readStreamed(bytes, 64, { report: (x) => { throw new TrailguardError({ code: `input-${x.kind}`, phase: 'input', reason: x.message }); } });
      } catch (e) {
        assert.ok(e instanceof TrailguardError, `strict mode threw ${String(e)}`);
      }
    }),
    { numRuns: 200, includeErrorInReport: true },
  );
});

test('gzip members concatenated, then cut: the events before the cut are read, the cut is reported as truncated', async () => {
  const twice = Buffer.concat([NDJSON_GZ, gzipSync(OTRF)]);
  const all = await readStreamed(twice, 1000);
  assert.equal(all.events.length, GOOD_LINES.size + 3);
  assert.deepEqual(all.issues, []);
  const dir = mkdtempSync(join(tmpdir(), 'tg-hostile-gz-'));
  try {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 2, max: twice.length - 1 }), async (cut) => {
        const part = twice.subarray(0, cut);
        // What zlib itself can inflate from the cut stream (independently of the reader).
        let inflated: Buffer;
        try {
          inflated = gunzipSync(part, { finishFlush: constants.Z_SYNC_FLUSH });
        } catch {
          inflated = Buffer.alloc(0);
        }
        const file = join(dir, `cut-${cut}.ndjson.gz`);
        writeFileSync(file, part);
        const issues: SourceIssue[] = [];
        const { events } = await readAllEvents([file], { onIssue: (i) => issues.push(i) });
        assertContains(events, intactLines(inflated.subarray(0, Math.min(inflated.length, NDJSON.length)), false));
        // A cut exactly at the end of the first member leaves a complete one-member gzip file.
        if (cut !== NDJSON_GZ.length) assert.ok(issues.some((x) => x.kind === 'truncated'), `cut at ${cut} not reported`);
        else assert.deepEqual(issues, []);
        // Streamed (stdin, large files), the reader never throws either.
        await readStreamed(part, 512);
      }),
      { numRuns: 60, includeErrorInReport: true },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a record longer than maxRecordBytes is reported as oversized with file, line and byte, and the records around it are read', async () => {
  const lines = [...GOOD_LINES];
  const big = `{"eventTime":"2023-07-10T11:42:13Z","x":"${'a'.repeat(5000)}"}`;
  const doc = Buffer.from(`${lines[0]}\n${big}\n${lines[1]}\n`);
  for (const size of [1, 100, 1 << 20]) {
    const { events, issues } = await readStreamed(doc, size, { maxRecordBytes: 4096 });
    assert.deepEqual(events.map((e) => e.raw), [lines[0], lines[1]]);
    assert.equal(issues.length, 1);
    assert.deepEqual([issues[0]!.kind, issues[0]!.line, issues[0]!.byte], ['oversized', 2, Buffer.byteLength(lines[0]!) + 1]);
  }
  // The same inside a Records file, and in a file read whole through openSources.
  const dir = mkdtempSync(join(tmpdir(), 'tg-hostile-'));
  try {
    const records = Buffer.from(`{"Records":[${lines[0]},${big},${lines[1]}]}`);
    writeFileSync(join(dir, 'r.json'), records);
    const issues: SourceIssue[] = [];
    const { events } = await readAllEvents([join(dir, 'r.json')], { maxRecordBytes: 4096, onIssue: (i) => issues.push(i) });
    assert.deepEqual(events.map((e) => e.raw), [lines[0], lines[1]]);
    assert.deepEqual(issues.map((i) => [i.kind, i.byte]), [['oversized', records.indexOf('{"eventTime":"2023-07-10T11:42:13Z","x"')]]);
    const streamed = await readStreamed(records, 333, { maxRecordBytes: 4096 });
    assert.deepEqual(streamed.events.map((e) => e.raw), [lines[0], lines[1]]);
    await assert.rejects(readAllEvents([join(dir, 'r.json')], { maxRecordBytes: 4096, strict: true }), (e: unknown) => e instanceof TrailguardError && e.code === 'input-oversized');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('empty files, blank files and a file cut off mid-record', async () => {
  assert.deepEqual((await readStreamed(Buffer.alloc(0), 10)).events, []);
  assert.deepEqual((await readStreamed(Buffer.from('\n\n  \r\n'), 2)).events, []);
  const lines = [...GOOD_LINES];
  const cut = Buffer.from(`{"Records":[${lines[0]},${lines[1]!.slice(0, 50)}`);
  const { events, issues } = await readStreamed(cut, 64);
  assert.deepEqual(events.map((e) => e.raw), [lines[0]]);
  assert.deepEqual(issues.map((i) => [i.kind, i.byte]), [['truncated', `{"Records":[${lines[0]},`.length]]);
});

test('heavy inputs (gzip bomb, endless line, a million tiny records, deep nesting): bounded memory, no stack trace', () => {
  const here = fileURLToPath(import.meta.url);
  const child = here.replace(/hostile\.test\.(ts|js)$/, 'hostile-child.$1');
  const loader = here.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const r = spawnSync(process.execPath, [...loader, child], { encoding: 'utf8', cwd: repoPath(), timeout: 120_000 });
  assert.equal(r.status, 0, `child failed: ${r.stderr}`);
  const report = JSON.parse(r.stdout.trim().split('\n').pop()!) as { cases: { name: string; events: number; issues: Record<string, number>; seconds: number }[]; maxRssMB: number; cli: { status: number; stderr: string } };
  const byName = new Map(report.cases.map((c) => [c.name, c]));
  assert.equal(byName.get('gzip bomb: one 200 MB record between two events')!.events, 2);
  assert.equal(byName.get('gzip bomb: one 200 MB record between two events')!.issues['oversized'], 1);
  assert.equal(byName.get('one endless 48 MB line')!.issues['oversized'], 1);
  assert.equal(byName.get('a JSON array of a million tiny records')!.issues['no-time'], 1_000_000);
  assert.equal(byName.get('deep nesting: an event 100k levels deep, then 10M open brackets')!.events, 1);
  assert.ok(report.maxRssMB < 300, `peak RSS ${report.maxRssMB} MB`);
  // The CLI over the same files: exit 0, warnings, no stack trace, no internal error.
  assert.equal(report.cli.status, 0, report.cli.stderr);
  assert.doesNotMatch(report.cli.stderr, /internal error|\n\s+at .+:\d+:\d+/);
  assert.match(report.cli.stderr, /oversized record\(s\) skipped/);
});
