#!/usr/bin/env node
// Memory benchmark for the sources reader (not a timed test).
//
//   node bench/memory.mjs [--gb 1] [--records-mb 250] [--events FILE.ndjson[.gz]] [--keep]
//
// Writes a ~1 GB NDJSON file (real events repeated, each repetition shifted by one hour so times
// keep increasing: by default the 2900 invictus events bundled in samples/, or those of --events
// FILE) and a single ~250 MB CloudTrail Records file to a temp dir, streaming them out. Each file
// is then read through openSources in a fresh child process that counts events and prints its
// peak RSS (process.resourceUsage().maxRSS) and throughput, so the figure covers reading only. The files are deleted afterwards (unless --keep).
// Last run (2026-11-23, 2 shared cores, src/ via tsx, page-cached file): 1.00 GB NDJSON,
// 794,600 events: 1.87 s (536 MB/s), peak RSS 128 MB; 253 MB single-line Records file, 200,100
// events: 0.79 s (321 MB/s), peak RSS 126 MB. From compiled dist/: 2.1 s (478 MB/s), peak RSS
// 110 MB; Records 0.93 s, 104 MB.
// Uses dist/src/sources/index.js when built, else src/ through tsx (`node --import tsx bench/memory.mjs`).
import { createWriteStream, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { spawnSync } from 'node:child_process';
import { gunzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : dflt;
};

/** The compiled module when it is at least as new as every source file, else src/ (needs tsx). */
function useDist() {
  const dist = join(root, 'dist', 'src', 'sources', 'index.js');
  if (!existsSync(dist)) return false;
  const built = statSync(dist).mtimeMs;
  const srcDir = join(root, 'src', 'sources');
  return readdirSync(srcDir).every((f) => statSync(join(srcDir, f)).mtimeMs <= built);
}

async function sourcesModule() {
  const file = useDist() ? join(root, 'dist', 'src', 'sources', 'index.js') : join(root, 'src', 'sources', 'index.ts');
  return import(pathToFileURL(file).href);
}

// Child mode: read one file, report.
if (process.argv[2] === '--read') {
  const { openSources } = await sourcesModule();
  const file = process.argv[3];
  const t0 = process.hrtime.bigint();
  const src = openSources([file], {});
  let events = 0;
  for await (const batch of src.batches()) events += batch.length;
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const bytes = statSync(file).size;
  const issues = Object.values(src.stats.issues).reduce((a, b) => a + b, 0);
  console.log(JSON.stringify({ file, bytes, events, issues, seconds: +seconds.toFixed(2), mbPerSecond: +(bytes / 1e6 / seconds).toFixed(1), eventsPerSecond: Math.round(events / seconds), maxRssMB: +(process.resourceUsage().maxRSS / 1024).toFixed(1) }));
  process.exit(0);
}

const eventsFile = arg('events', join(root, 'samples', 'invictus-ir', 'events.ndjson.gz'));
const eventsBytes = readFileSync(eventsFile);
// gzip magic 1f 8b: the bundled sample is gzipped; a given file may be either.
const lines = (eventsBytes[0] === 0x1f && eventsBytes[1] === 0x8b ? gunzipSync(eventsBytes) : eventsBytes).toString('utf8').trim().split('\n');
const TIME = /"eventTime":"([^"]+)"/;
const parts = lines.flatMap((l) => {
  const m = TIME.exec(l);
  // Lines without an eventTime cannot be shifted in time; they are left out.
  return m ? [{ before: l.slice(0, m.index), after: l.slice(m.index + m[0].length), t: Date.parse(m[1]) }] : [];
});
if (parts.length === 0) throw new Error(`${eventsFile}: no events with an eventTime`);

/** Streams repetitions of the events (times shifted by one hour each round) until `target` bytes. */
async function writeEvents(path, target, { prefix = '', sep = '\n', suffix = '\n' } = {}) {
  const out = createWriteStream(path);
  const write = (s) => (out.write(s) ? undefined : new Promise((r) => out.once('drain', r)));
  let written = 0;
  let n = 0;
  await write(prefix);
  for (let round = 0; written < target; round++) {
    const shift = round * 3600_000;
    let chunk = [];
    for (const p of parts) {
      const time = new Date(p.t + shift).toISOString().replace('.000Z', 'Z');
      chunk.push(`${p.before}"eventTime":"${time}"${p.after}`);
      if (chunk.length === 500) {
        const s = (n > 0 ? sep : '') + chunk.join(sep);
        n += chunk.length;
        written += Buffer.byteLength(s);
        await write(s);
        chunk = [];
      }
    }
    if (chunk.length) {
      const s = (n > 0 ? sep : '') + chunk.join(sep);
      n += chunk.length;
      written += Buffer.byteLength(s);
      await write(s);
    }
  }
  await write(suffix);
  await new Promise((r) => out.end(r));
  return n;
}

function readInChild(file) {
  const args = useDist() ? [] : ['--import', 'tsx'];
  const r = spawnSync(process.execPath, [...args, fileURLToPath(import.meta.url), '--read', file], { encoding: 'utf8', cwd: root });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

const dir = mkdtempSync(join(tmpdir(), 'tg-membench-'));
try {
  const gb = Number(arg('gb', '1'));
  const ndjson = join(dir, 'big.ndjson');
  const nWritten = await writeEvents(ndjson, gb * 1e9);
  const a = readInChild(ndjson);
  console.log(`NDJSON   ${(a.bytes / 1e9).toFixed(2)} GB, ${a.events} events (written ${nWritten}), ${a.issues} issues: ${a.seconds} s, ${a.mbPerSecond} MB/s, ${a.eventsPerSecond} events/s, peak RSS ${a.maxRssMB} MB`);
  rmSync(ndjson);
  const mb = Number(arg('records-mb', '250'));
  if (mb > 0) {
    const records = join(dir, 'big-records.json');
    const nRec = await writeEvents(records, mb * 1e6, { prefix: '{"Records":[', sep: ',', suffix: ']}' });
    const b = readInChild(records);
    console.log(`Records  ${(b.bytes / 1e6).toFixed(0)} MB single file, ${b.events} events (written ${nRec}), ${b.issues} issues: ${b.seconds} s, ${b.mbPerSecond} MB/s, ${b.eventsPerSecond} events/s, peak RSS ${b.maxRssMB} MB`);
    rmSync(records);
  }
} finally {
  if (!process.argv.includes('--keep')) rmSync(dir, { recursive: true, force: true });
}
