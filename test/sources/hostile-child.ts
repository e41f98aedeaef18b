// Child process of hostile.test.ts (not a test file itself): writes heavy hostile inputs to a
// temporary directory, reads each through openSources (counting, not keeping, events), runs the
// CLI over them, and prints one JSON line with the counts and this process's peak RSS.
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { openSources } from '../../src/sources/index.js';
import { repoPath } from '../helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'tg-hostile-heavy-'));
const EVENT = (name: string, second: number) => `{"eventTime":"2024-01-01T00:00:0${second}Z","eventName":"${name}"}`;

function writeChunks(path: string, parts: Iterable<Buffer | string>): void {
  const fd = openSync(path, 'w');
  try {
    for (const p of parts) writeSync(fd, typeof p === 'string' ? Buffer.from(p) : p);
  } finally {
    closeSync(fd);
  }
}

const files: { name: string; path: string }[] = [];
function add(name: string, file: string, parts: Iterable<Buffer | string>): void {
  const path = join(dir, file);
  writeChunks(path, parts);
  files.push({ name, path });
}

// A 0.2 MB gzip file (concatenated members) that inflates to one 200 MB record between two events.
const mb = gzipSync(Buffer.alloc(1 << 20, 'a'), { level: 9 });
add('gzip bomb: one 200 MB record between two events', 'bomb.json.gz', (function* () {
  yield gzipSync(`${EVENT('Before', 1)}\n{"eventTime":"2024-01-01T00:00:02Z","x":"`);
  for (let i = 0; i < 200; i++) yield mb;
  yield gzipSync(`"}\n${EVENT('After', 3)}\n`);
})());
add('one endless 48 MB line', 'endless.ndjson', (function* () {
  const x = Buffer.alloc(1 << 20, 'x');
  for (let i = 0; i < 48; i++) yield x;
})());
add('a JSON array of a million tiny records', 'tiny.json', (function* () {
  yield '[{}';
  const block = ',{}'.repeat(10_000);
  for (let i = 0; i < 99; i++) yield block;
  yield ',{}'.repeat(9_999) + ']';
})());
add('deep nesting: an event 100k levels deep, then 10M open brackets', 'deep.ndjson', (function* () {
  yield `{"eventTime":"2024-01-01T00:00:04Z","eventName":"Deep","a":${'['.repeat(100_000)}${']'.repeat(100_000)}}\n`;
  const open = Buffer.alloc(1 << 20, '[');
  for (let i = 0; i < 10; i++) yield open;
  yield '\n';
})());

const cases: { name: string; events: number; issues: Record<string, number>; seconds: number }[] = [];
for (const f of files) {
  const started = performance.now();
  const src = openSources([f.path]);
  let events = 0;
  for await (const batch of src.batches()) events += batch.length;
  cases.push({ name: f.name, events, issues: src.stats.issues, seconds: (performance.now() - started) / 1000 });
}
const maxRssMB = Math.round(process.resourceUsage().maxRSS / 1024);

// The CLI, as a user would run it, over all of them at once.
const here = fileURLToPath(import.meta.url);
const cli = here.endsWith('.ts') ? ['--import', 'tsx', repoPath('src', 'cli', 'main.ts')] : [repoPath('dist', 'cli', 'main.js')];
const r = spawnSync(process.execPath, [...cli, 'search', '* | stats count by eventName', ...files.flatMap((f) => ['--data', f.path]), '--threads', '1', '--state', join(dir, 'state')], {
  encoding: 'utf8',
  env: { ...process.env, NO_COLOR: '1' },
});
rmSync(dir, { recursive: true, force: true });
process.stdout.write(JSON.stringify({ cases, maxRssMB, cli: { status: r.status, stderr: r.stderr, stdout: r.stdout } }) + '\n');
