import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChunkPrefilter, FILTER_SAMPLE, UNFILTERED_VIEWS } from '../../src/sources/chunk-prefilter.js';
import { runSearch } from '../../src/engine/session.js';
import { MemoryLookups } from '../../src/engine/lookups.js';

/** A chunk view of `n` records, and each record's span; `kind(i)` says which terms record i holds. */
function view(n: number, kind: (i: number) => { call: boolean; role: boolean }): { text: string; spans: [number, number][] } {
  let text = '';
  const spans: [number, number][] = [];
  for (let i = 0; i < n; i++) {
    const k = kind(i);
    const rec = `{"i":${i},"type":"${k.role ? 'assumedrole' : 'IAMUser'}","eventType":"${k.call ? 'AwsApiCall' : 'AwsConsoleSignIn'}"}`;
    spans.push([text.length, text.length + rec.length]);
    text += rec + '\n';
  }
  return { text, spans };
}

const has = (text: string, s: number, e: number, term: string) => text.slice(s, e).toLowerCase().includes(term.toLowerCase());

test('chunk prefilter: a term nearly every record holds sits out, the selective one is tested first, and no record holding every term is dropped', () => {
  const f = new ChunkPrefilter(['AwsApiCall', 'AssumedRole']);
  assert.deepEqual(f.active, ['AwsApiCall', 'AssumedRole'], 'before anything is measured: the search order');
  // 98 in 100 are API calls, 1 in 5 by an assumed role (case differs from the term's).
  const kind = (i: number) => ({ call: i % 50 !== 7, role: i % 5 === 0 });
  const orders: string[][] = [];
  for (let v = 0; v < UNFILTERED_VIEWS + 4; v++) {
    // A new string per view, as the reader makes one per chunk.
    const { text, spans } = view(FILTER_SAMPLE * 2, kind);
    for (const [s, e] of spans) {
      f.begins(text, s);
      const kept = f.holds(text, s, e);
      const both = has(text, s, e, 'AwsApiCall') && has(text, s, e, 'AssumedRole');
      if (both) assert.ok(kept, `record ${text.slice(s, e)} holds every term: kept`);
      if (!has(text, s, e, 'AssumedRole')) assert.ok(!kept, 'the selective term is always tested');
    }
    orders.push(f.active);
  }
  assert.deepEqual(orders[1], ['AssumedRole'], 'after one measured view: AwsApiCall (98 %) sits out');
  assert.ok(orders.slice(2).some((o) => o.length === 2), 'it comes back to be measured again');
  assert.deepEqual(orders.slice(2).find((o) => o.length === 2), ['AssumedRole', 'AwsApiCall'], 'and is then tested after the selective term');
});

test('chunk prefilter: with both terms selective, the rarer is tested first and both stay', () => {
  const f = new ChunkPrefilter(['AwsApiCall', 'AssumedRole']);
  const kind = (i: number) => ({ call: i % 2 === 0, role: i % 10 === 0 });
  for (let v = 0; v < 3; v++) {
    const { text, spans } = view(FILTER_SAMPLE * 2, kind);
    for (const [s, e] of spans) {
      f.begins(text, s);
      assert.equal(f.holds(text, s, e), kind(Number(/"i":(\d+)/.exec(text.slice(s, e))![1])).role);
    }
  }
  assert.deepEqual(f.active, ['AssumedRole', 'AwsApiCall']);
});

test('a file that repeats one record: every view is the same text, and the prefilter keeps every record of each', async () => {
  // Views are cut at line ends every ~96 KiB: with one record repeated, consecutive views are
  // equal strings. The prefilter once took them for one view and dropped most of each later one.
  const record = JSON.stringify({
    eventVersion: '1.08', userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/ana' },
    eventTime: '2026-01-01T00:00:00Z', eventSource: 'iam.amazonaws.com', eventName: 'CreateUser',
    awsRegion: 'us-east-1', requestParameters: { userName: 'x'.repeat(800) },
  });
  const file = join(mkdtempSync(join(tmpdir(), 'tg-repeat-')), 'repeat.ndjson');
  const n = 1500;
  writeFileSync(file, `${record}\n`.repeat(n));
  for (const q of ['eventName=CreateUser | stats count', 'createuser awsRegion=US-EAST-1 | stats count', '* | stats count']) {
    const r = await runSearch(q, { dataPaths: [file], lookups: new MemoryLookups(), threads: 1 });
    assert.equal(r.rows[0]!.toObject()['count'], n, q);
  }
});

test('a selective search reads views from their bytes: the same events, any case, CRLF and blank lines, and issue lines counted across the skipped lines', async () => {
  const filler = (i: number) => JSON.stringify({ eventTime: '2026-01-01T00:00:00Z', eventSource: 'ec2.amazonaws.com', eventName: 'DescribeInstances', n: i, pad: 'p'.repeat(300) });
  const hit = (name: string) => JSON.stringify({ eventTime: '2026-01-01T00:00:01Z', eventSource: 'iam.amazonaws.com', eventName: name, pad: 'q'.repeat(300) });
  const lines: string[] = [];
  const want = new Map<number, string>();
  for (let i = 0; i < 6000; i++) {
    if (i === 2500) lines.push('{"eventName":"CreateUser", cut off');
    else if (i % 997 === 3) lines.push(hit(['CreateUser', 'CREATEUSER', 'createuser'][i % 3]!));
    else if (i % 1499 === 5) lines.push(`   ${hit('CreateUser')}\r`);
    else if (i % 401 === 0) lines.push('');
    else lines.push(filler(i));
    if (lines.at(-1)!.toLowerCase().includes('createuser')) want.set(i + 1, lines.at(-1)!);
  }
  const file = join(mkdtempSync(join(tmpdir(), 'tg-sparse-')), 'sparse.ndjson');
  writeFileSync(file, lines.join('\n') + '\n');
  const r = await runSearch('createuser | stats count by eventName', { dataPaths: [file], lookups: new MemoryLookups(), threads: 1 });
  const counts = Object.fromEntries(r.rows.map((row) => [row.toObject()['eventName'], row.toObject()['count']]));
  const expected: Record<string, number> = {};
  for (const [line, text] of want) {
    if (line === 2501) continue; // the cut-off record: reported, not counted
    const name = (JSON.parse(text.trim()) as { eventName: string }).eventName;
    expected[name] = (expected[name] ?? 0) + 1;
  }
  assert.deepEqual(counts, expected);
  assert.equal(r.ctx.sourceIssues.length, 1);
  assert.equal(r.ctx.sourceIssues[0]!.line, 2501, 'the cut-off record is reported at its own line');
  assert.equal(r.ctx.sourceIssues[0]!.byte, lines.slice(0, 2500).reduce((n, l) => n + l.length + 1, 0), 'and at its own byte');
});

test('a term too long for the byte search (over 4 KiB) still finds its events', async () => {
  const long = 'x'.repeat(5000);
  const lines = Array.from({ length: 400 }, (_, i) => JSON.stringify({ eventTime: '2026-01-01T00:00:00Z', eventName: i % 100 === 7 ? long : 'Miss' }));
  const file = join(mkdtempSync(join(tmpdir(), 'tg-longterm-')), 'long.ndjson');
  writeFileSync(file, lines.join('\n') + '\n');
  const r = await runSearch(`eventName=${long} | stats count`, { dataPaths: [file], lookups: new MemoryLookups(), threads: 1 });
  assert.deepEqual(r.rows.map((row) => row.toObject()), [{ count: 4 }]);
});

test('a byte-read view whose every line is a candidate (a term over 4 KiB) counts a blank line once: later issues keep their line', async () => {
  // The candidate is then each line's first byte, which on a blank line is its newline; that
  // newline was once counted both as the line before the candidate and as the candidate's own.
  const long = 'x'.repeat(5000);
  const lines = Array.from({ length: 400 }, (_, i) => (i % 50 === 10 ? '' : JSON.stringify({ eventTime: '2026-01-01T00:00:00Z', eventName: i % 100 === 7 ? long : 'Miss' })));
  lines.push(`{"eventName":"${long}", cut off`);
  const file = join(mkdtempSync(join(tmpdir(), 'tg-longterm-blank-')), 'long.ndjson');
  writeFileSync(file, lines.join('\n') + '\n');
  const r = await runSearch(`eventName=${long} | stats count`, { dataPaths: [file], lookups: new MemoryLookups(), threads: 1 });
  assert.deepEqual(r.rows.map((row) => row.toObject()), [{ count: 4 }]);
  assert.deepEqual(r.ctx.sourceIssues.map((i) => i.line), [lines.length]);
});

test('a selective search over views with UTF-8 text: those views are read as text, the rest from their bytes, and lines stay counted', async () => {
  const names = ['José', 'Zoë', 'ana', 'Ørsted'];
  const lines: string[] = [];
  const expected: Record<string, number> = {};
  for (let i = 0; i < 5000; i++) {
    // Non-ASCII text in a few stretches of the file only: some views hold it, most do not.
    const utf8 = Math.floor(i / 250) % 5 === 1;
    const name = utf8 ? names[i % names.length]! : 'ana';
    const hit = i % 37 === 0;
    lines.push(JSON.stringify({ eventTime: '2026-01-01T00:00:00Z', eventName: hit ? 'CreateUser' : 'ListUsers', userIdentity: { userName: name }, pad: 'p'.repeat(200) }));
    if (hit) expected[name] = (expected[name] ?? 0) + 1;
  }
  lines.push('{"eventName":"CreateUser", cut off');
  const file = join(mkdtempSync(join(tmpdir(), 'tg-sparse-utf8-')), 'utf8.ndjson');
  writeFileSync(file, lines.join('\n') + '\n');
  const r = await runSearch('eventName=CreateUser | stats count by userIdentity.userName', { dataPaths: [file], lookups: new MemoryLookups(), threads: 1 });
  assert.deepEqual(Object.fromEntries(r.rows.map((row) => [row.toObject()['userIdentity.userName'], row.toObject()['count']])), expected);
  assert.deepEqual(r.ctx.sourceIssues.map((i) => i.line), [lines.length], 'the cut-off record is reported at its own line');
});
