/**
 * Issue 13: a regex from SPL runs over attacker-written fields, so one hostile event must not
 * stall a search. The fixture is 300 real events; one carries a 50 000-character user agent
 * (test/fixtures/engine/README.md). Each search must finish in about the time it takes over
 * the 299 other events, and give the rows a plain reading of the fixture gives. Expected values
 * come from JS RegExp over the ordinary user agents (all short) and, for the hostile one, by hand:
 * it ends in `!`, so `(a+)+$` does not match it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { runSearch } from '../../src/engine/session.js';
import { MemoryLookups } from '../../src/engine/lookups.js';
import { BACKTRACK_BUDGET_MS } from '../../src/eval/regex.js';
import { fixturePath } from '../helpers.js';

const FIXTURE = fixturePath('engine', 'runaway-useragent.ndjson.gz');
const HOSTILE_ID = '7445d04f-062d-4248-b930-1c5f53644f4d';
const lines = gunzipSync(readFileSync(FIXTURE)).toString('utf8').split('\n').filter((l) => l !== '');
const events = lines.map((l) => JSON.parse(l) as { eventID: string; userAgent?: string });
const ordinary = events.filter((e) => e.eventID !== HOSTILE_ID);

const dir = mkdtempSync(join(tmpdir(), 'tg-runaway-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const BASELINE = join(dir, 'without-hostile.ndjson');
writeFileSync(BASELINE, lines.filter((l) => !l.includes(HOSTILE_ID)).join('\n') + '\n');

test('the fixture holds 300 events, one with a 50 000-character user agent', () => {
  assert.equal(events.length, 300);
  assert.equal(ordinary.length, 299);
  const hostile = events.find((e) => e.eventID === HOSTILE_ID)!;
  assert.equal(hostile.userAgent, 'a'.repeat(50_000) + '!');
  assert.ok(ordinary.every((e) => (e.userAgent ?? '').length < 1000));
});

async function timed(spl: string, data: string) {
  const t0 = performance.now();
  const r = await runSearch(spl, { dataPaths: [data], now: Date.parse('2023-07-10T13:00:00Z') / 1000, lookups: new MemoryLookups(), threads: 1 });
  return { ms: performance.now() - t0, rows: r.rows.map((x) => x.toObject()), warnings: r.warnings };
}

/** Runs over the fixture and over the 299 ordinary events; the hostile event may cost a little, not a stall. */
async function bounded(spl: string) {
  await timed(spl, BASELINE); // warm caches and the JIT
  const base = await timed(spl, BASELINE);
  const full = await timed(spl, FIXTURE);
  // Generous: a loaded machine may be slow, but an unbounded `(a+)+$` on 50 000 characters
  // does not finish in a lifetime (on 30 characters it already takes minutes).
  const limit = 5 * base.ms + 5_000;
  assert.ok(full.ms < limit, `${spl}: ${full.ms.toFixed(0)} ms with the hostile event, ${base.ms.toFixed(0)} ms without`);
  return full;
}

// `(\w+\s?)+$` backtracks exponentially on the hostile agent (it ends in "!"). A suffix of word
// characters and single spaces that starts with a word character matches it, so by hand it
// finds a match exactly when the text ends in a word character, perhaps followed by one space.
const CATASTROPHIC = String.raw`(\w+\s?)+$`;
const endsInWord = (s: string) => /\w\s?$/.test(s);
const plainMatches = ordinary.filter((e) => endsInWord(e.userAgent!)).length;

test('every ordinary event has a user agent; some, not all, end in a word character', () => {
  assert.ok(ordinary.every((e) => typeof e.userAgent === 'string'));
  assert.ok(plainMatches > 50 && plainMatches < 299, `${plainMatches}`);
});

test('match() with a catastrophic pattern: linear time, and the same counts as a plain reading', async () => {
  const r = await bounded(`* | eval m = if(match(userAgent, "${CATASTROPHIC}"), 1, 0) | stats count by m | sort m`);
  // The hostile agent ends in "!": no match.
  assert.deepEqual(r.rows.map((x) => ({ m: Number(x['m']), count: Number(x['count']) })), [{ m: 0, count: 299 - plainMatches + 1 }, { m: 1, count: plainMatches }]);
  assert.deepEqual(r.warnings, []);
});

test('rex with a catastrophic group over userAgent, and an ordinary extraction beside it', async () => {
  const r = await bounded(`* | rex field=userAgent "(?<tail>${CATASTROPHIC})" | rex field=userAgent "^(?<tool>[^/ ]+)/" | stats count(tail) as tails dc(tool) as tools`);
  const tools = new Set(ordinary.map((e) => /^([^/ ]+)\//.exec(e.userAgent!)?.[1]).filter((t) => t !== undefined));
  assert.ok(tools.size > 3);
  assert.deepEqual(r.rows, [{ tails: plainMatches, tools: tools.size }]);
});

test('replace(), like() and search wildcards over the hostile user agent finish and agree with a plain reading', async () => {
  const r = await bounded(`* | eval r = replace(userAgent, "${CATASTROPHIC}", "X"), l = if(like(userAgent, "%a%a%b%"), 1, 0) | search userAgent=*a*a*b* | stats count count(eval(r!=userAgent)) as changed sum(l) as likes`);
  // `*a*a*b*` and `%a%a%b%`: an "a", later another "a", later a "b" (case-insensitive for search).
  const wild = (s: string, ci: boolean) => (ci ? /a[\s\S]*a[\s\S]*b/i : /a[\s\S]*a[\s\S]*b/).test(s);
  const searched = ordinary.filter((e) => wild(e.userAgent!, true));
  assert.ok(searched.length > 10);
  assert.deepEqual(r.rows, [{
    count: searched.length,
    changed: searched.filter((e) => endsInWord(e.userAgent!)).length,
    likes: searched.filter((e) => wild(e.userAgent!, false)).length,
  }]);
});

test('a pattern RE2 cannot run (lookahead) is cut off at its budget on the hostile event: no match there, one warning', async () => {
  const spl = '* | eval m = if(match(userAgent, "(a+)+(?=!)x"), 1, 0), ok = if(match(userAgent, "^Boto3(?=/)"), 1, 0) | stats sum(m) as m sum(ok) as ok';
  const r = await bounded(spl);
  const boto = ordinary.filter((e) => e.userAgent!.startsWith('Boto3/')).length;
  assert.ok(boto > 0);
  assert.deepEqual(r.rows, [{ m: 0, ok: boto }]);
  assert.equal(r.warnings.length, 1, r.warnings.join('\n'));
  assert.match(r.warnings[0]!, /match\(\): the regular expression "\(a\+\)\+\(\?=!\)x" ran longer than its \d+ ms budget/);
  assert.ok(BACKTRACK_BUDGET_MS <= 1000);
});
