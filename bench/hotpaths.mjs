#!/usr/bin/env node
// Costs of the per-event steps a Trailguard scan does today, and of the cheaper alternatives the
// profile suggests, measured one thread at a time on the benchmark's NDJSON (lines already in
// memory, so file reading is not in these numbers). Guides engine work; it is not a test.
//
//   node bench/hotpaths.mjs [--data bench/data/events-300000.ndjson]
//
// Needs the compiled build (dist/) for the Trailguard functions it times.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const i = process.argv.indexOf('--data');
const file = resolve(i > 0 ? process.argv[i + 1] : join(root, 'bench', 'data', 'events-300000.ndjson'));
if (!existsSync(file)) {
  console.error(`no data at ${file}: run \`npm run bench\` once (it generates it) or pass --data`);
  process.exit(2);
}
const dist = (p) => pathToFileURL(join(root, 'dist', 'src', p)).href;
const { topLevelSpans, parseEventTime, stringAt } = await import(dist('sources/toplevel.js'));
const { protectNumbers } = await import(dist('cloudtrail/json.js'));

const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l.length > 0);
const mb = lines.reduce((a, l) => a + l.length, 0) / 1e6;
console.log(`${lines.length} events, ${mb.toFixed(0)} MB of text, one thread\n`);

let sink = 0;
function time(label, fn) {
  fn(lines[0]); // warm the function up once
  const t0 = performance.now();
  let hits = 0;
  for (const l of lines) if (fn(l)) hits++;
  const s = (performance.now() - t0) / 1000;
  console.log(`${label.padEnd(58)} ${s.toFixed(2).padStart(6)} s  ${String(Math.round(lines.length / s / 1000)).padStart(6)}k ev/s  hit ${((100 * hits) / lines.length).toFixed(1).padStart(5)}%`);
  return s;
}

const LOSSY = /[:,[]\s*-?\d+(?:\.\d|[eE]|\d{15})/;
console.log('parsing');
time('JSON.parse (whole event)', (l) => (sink += JSON.parse(l) ? 1 : 0));
time('protectNumbers guard regex (hit = falls into char loop)', (l) => LOSSY.test(l));
time('protectNumbers + JSON.parse (what JsonDoc.root does)', (l) => (sink += JSON.parse(protectNumbers(l)) ? 1 : 0));
time('topLevelSpans(eventTime, stop at eventTime) + parseEventTime', (l) => {
  const s = topLevelSpans(l, ['eventTime'], 'eventTime');
  const t = s?.get('eventTime');
  return t ? parseEventTime(stringAt(l, t)) !== null : false;
});
time('topLevelSpans(eventSource, eventName) + stringAt', (l) => {
  const s = topLevelSpans(l, ['eventSource', 'eventName']);
  return s ? stringAt(l, s.get('eventSource')) !== null && stringAt(l, s.get('eventName')) !== null : false;
});
time('topLevelSpans(userIdentity) → nested topLevelSpans(arn)', (l) => {
  const s = topLevelSpans(l, ['userIdentity']);
  const u = s?.get('userIdentity');
  if (!u) return false;
  const inner = l.slice(u.start, u.end);
  const a = topLevelSpans(inner, ['arn'])?.get('arn');
  return a ? stringAt(inner, a) !== null : false;
});
const TIME_AT = /"eventTime":"([^"]+)"/;
time('regex "eventTime":"…" (NOT nesting-safe; lower bound)', (l) => TIME_AT.test(l));

console.log('\nprefilter (hit = event kept)');
for (const term of ['ConsoleLogin', 'AwsApiCall', 'AssumedRole', 'false']) {
  const lower = term.toLowerCase();
  const re = new RegExp(term.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i');
  time(`"${term}": raw.toLowerCase().includes (today)`, (l) => l.toLowerCase().includes(lower));
  time(`"${term}": /term/i.test(raw)`, (l) => re.test(l));
  time(`"${term}": raw.includes(exact case) (lower bound)`, (l) => l.includes(term));
}
if (sink < 0) console.log(sink);
