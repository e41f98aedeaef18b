import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, copyFileSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { segmentRegex } from '../../src/sources/paths.js';
import { readAllEvents } from '../../src/sources/index.js';
import { fixturePath } from '../helpers.js';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'tg-paths-'));
  mkdirSync(join(dir, 'a', 'b'), { recursive: true });
  copyFileSync(fixturePath('sources', 'records-2.json'), join(dir, 'a', 'one.json'));
  copyFileSync(fixturePath('sources', 'records-10.json.gz'), join(dir, 'a', 'b', 'two.json.gz'));
  copyFileSync(fixturePath('sources', 'invictus-5.ndjson'), join(dir, 'a', 'b', 'three.ndjson'));
  writeFileSync(join(dir, 'a', 'README.md'), '# not data\n');
  writeFileSync(join(dir, 'a', '.hidden.json'), 'not read');
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('glob segments: *, ?, [..], {a,b}; dots are literal', () => {
  assert.ok(segmentRegex('*.json').test('x.json'));
  assert.ok(!segmentRegex('*.json').test('x.json.gz'));
  assert.ok(!segmentRegex('*.json').test('xjson'));
  assert.ok(segmentRegex('f?.{json,ndjson}').test('f1.ndjson'));
  assert.ok(segmentRegex('[ab]*').test('b.txt') && !segmentRegex('[ab]*').test('c.txt'));
  assert.ok(segmentRegex('[!ab]*').test('c.txt'));
});

test('directories are read recursively (data files only, hidden files skipped)', async () => {
  const { events, stats } = await readAllEvents([join(dir, 'a')]);
  assert.equal(stats.filesOpened, 3);
  assert.equal(events.length, 17);
});

test('globs: ** crosses directories, braces pick extensions; a matched directory is walked', async () => {
  assert.equal((await readAllEvents([join(dir, '**', '*.{gz,ndjson}')])).stats.filesOpened, 2);
  assert.equal((await readAllEvents([join(dir, 'a', '*.json')])).events.length, 2);
  assert.equal((await readAllEvents([join(dir, '*')])).stats.filesOpened, 3);
});

test('an unreadable file is an issue, not a crash', { skip: process.getuid?.() === 0 ? 'running as root: permissions are not enforced' : false }, async () => {
  const p = join(dir, 'locked.json');
  writeFileSync(p, '{}');
  chmodSync(p, 0);
  const { stats } = await readAllEvents([p]);
  assert.equal(stats.issues.unreadable, 1);
});

test('a file named explicitly is read whatever its name', async () => {
  const p = join(dir, 'events.data');
  copyFileSync(fixturePath('sources', 'invictus-5.ndjson'), p);
  assert.equal((await readAllEvents([p])).events.length, 5);
});
