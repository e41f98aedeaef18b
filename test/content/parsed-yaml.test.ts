/**
 * The build's cache of parsed package YAML (dist/parsed-yaml/, util/parsed-yaml): every entry
 * is what the loaders make of the file's current text, and an edited text is parsed again.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadMitreTable, mitreTableJson } from '../../src/content/mitre.js';
import { parsedYaml, parsedYamlPath, YAML_READERS, type ParsedYamlEntry, type ParsedYamlFile } from '../../src/util/parsed-yaml.js';
import { lineOf, parseContentYaml, readContentYaml } from '../../src/util/yaml.js';
import { repoPath } from '../helpers.js';

const cacheFiles = YAML_READERS.map((reader) => repoPath(...parsedYamlPath(reader)));
const skip = cacheFiles.every((f) => existsSync(f)) ? false : 'no dist/parsed-yaml/ (run npm run build)';

/** The same file's reading with the cache out of the way (a path outside the package). */
function outside<T>(text: string, read: (file: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'tg-parsed-yaml-'));
  try {
    writeFileSync(join(dir, 'f.yml'), text);
    return read(join(dir, 'f.yml'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('every cached file reads as its YAML does: value, normalised lines, node lines', { skip }, () => {
  const cached: Record<string, ParsedYamlEntry> = {};
  YAML_READERS.forEach((reader, i) => {
    const cache = JSON.parse(readFileSync(cacheFiles[i]!, 'utf8')) as ParsedYamlFile;
    for (const [rel, entry] of Object.entries(cache.files)) {
      assert.equal(entry.reader, reader, `${rel} is in ${reader}'s file`);
      cached[rel] = entry;
    }
  });
  const names = Object.keys(cached);
  for (const f of ['data/fieldmodel/cloudtrail.yml', 'data/mitre/enterprise-attack.yml', 'content/macros/cloudtrail.yml']) assert.ok(names.includes(f), names.join(', '));
  for (const [rel, entry] of Object.entries(cached)) {
    const file = repoPath(...rel.split('/'));
    const text = readFileSync(file, 'utf8');
    const built = parsedYaml(file, text, entry.reader);
    assert.ok(built, `${rel}: the cache is older than the file (rebuild)`);
    if (entry.reader === 'data') {
      assert.deepEqual(built.value, parse(text, { maxAliasCount: -1 }), rel);
      continue;
    }
    if (entry.reader === 'mitre') {
      assert.deepEqual(built.value, mitreTableJson(outside(text, loadMitreTable)), rel);
      assert.deepEqual(loadMitreTable(file).techniques, outside(text, loadMitreTable).techniques);
      continue;
    }
    const plain = outside(text, readContentYaml);
    assert.deepEqual(built.value, plain.value, rel);
    assert.deepEqual(built.normalisedLines, plain.normalisedLines, rel);
    const cached = parseContentYaml(text, file);
    assert.ok(cached.nodeLines && Object.keys(cached.nodeLines).length > 0, rel);
    for (const [path, line] of Object.entries(cached.nodeLines)) assert.equal(line, lineOf(plain, JSON.parse(path) as (string | number)[]), `${rel} ${path}`);
    assert.equal(lineOf(cached, ['no', 'such', 'key']), undefined);
  }
});

test('an edited package file is parsed from its YAML, not taken from the cache', { skip }, () => {
  const file = repoPath('content', 'macros', 'cloudtrail.yml');
  const text = readFileSync(file, 'utf8');
  assert.ok(parsedYaml(file, text, 'content'));
  const edited = text.replace(/definition: .*/, 'definition: sourcetype=edited');
  assert.notEqual(edited, text);
  assert.equal(parsedYaml(file, edited, 'content'), undefined);
  assert.equal(parsedYaml(file, text, 'data'), undefined, 'an entry is only for the loader that made it');
  const y = parseContentYaml(edited, file);
  assert.equal((y.value as { definition: string }).definition, 'sourcetype=edited');
  assert.equal(y.nodeLines, undefined);
  assert.equal(lineOf(y, ['definition']), text.split('\n').findIndex((l) => l.startsWith('definition:')) + 1);
});
