/**
 * `npm test` must pass on a clone with nothing beside it: no code under src/, test/ or scripts/
 * may read a path outside the repository (issue 14). The checker itself is tested on snippets.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { outsidePathFindings, scanRepository } from './outside-paths.js';
import { repoPath } from '../helpers.js';

test('no file under src/, test/ or scripts/ reads a path outside the repository', () => {
  const { files, findings } = scanRepository(repoPath(), ['src', 'test', 'scripts']);
  assert.ok(files > 200, `scanned ${files} files`);
  assert.deepEqual(findings.map((f) => `${f.file}:${f.line}:${f.column} ${JSON.stringify(f.text)}: ${f.reason}`), []);
});

// Snippets are template literals spanning lines, so that this file does not flag itself.
const flagged: [title: string, code: string, line: number, reason: RegExp][] = [
  ['a join from the package root up to a sibling folder', `
import { join } from 'node:path';
export const p = join(packageRoot(), '..', 'shared', 'data');
`, 3, /`\.\.` path segment/],
  ['a relative path climbing out', `
const lines = readFileSync('../shared/data/events.ndjson', 'utf8');
`, 2, /`\.\.` path segment/],
  ['a climb hidden in a template', `
const file = \`\${root}/../shared/\${name}\`;
`, 2, /`\.\.` path segment/],
  ['an absolute path into the work area', `
const data = '/work/shared/data/invictus-ir-aws_dataset';
`, 2, /absolute path outside/],
  ['a home directory', `
spawnSync('node', ['~/bin/x.js']);
`, 2, /absolute path outside/],
  ['a bare .. in an argument array', `
const parts = [root, '..', 'x'];
`, 2, /`\.\.` path segment/],
  ['an import that leaves the repository', `
import { x } from '../../../outside/mod.js';
`, 2, /resolves to .*outside the repository/],
  ['a worker URL that leaves the repository', `
new Worker(new URL('../../../../w.js', import.meta.url));
`, 2, /resolves to .*outside the repository/],
];

for (const [title, code, line, reason] of flagged) {
  test(`the checker flags ${title}`, () => {
    const found = outsidePathFindings(code, 'test/engine/example.test.ts');
    assert.equal(found.length, 1, JSON.stringify(found));
    assert.equal(found[0]!.line, line);
    assert.match(found[0]!.reason, reason);
    // The finding points at the string itself.
    const at = code.split('\n')[line - 1]!.slice(found[0]!.column - 1);
    assert.ok(/^['"`]/.test(at) || at.startsWith('/') || at.startsWith('}'), at);
  });
}

test('the checker leaves alone imports inside the repository, comments, comparisons with .., and multi-line text', () => {
  const code = `
import { packageRoot } from '../../src/util/paths.js';
import fc from 'fast-check';
// Reading ../shared/data is what this comment is about, and '/work/shared' too.
/* join(packageRoot(), '..', 'shared') */
const worker = new URL('./worker.js', import.meta.url);
if (name === '..' || name === '.') throw new Error('bad name');
const yaml = 'name: evil\\nfilename: ../../etc/passwd\\n';
const fixtures = join(packageRoot(), 'test', 'fixtures', 'invictus-ir');
const tmp = '/tmp/scratch';
`;
  assert.deepEqual(outsidePathFindings(code, 'test/engine/example.test.ts'), []);
});

test('module specifiers are resolved from the file: one level more is allowed deeper in the tree', () => {
  const code = `
import { x } from '../../src/x.js';
`;
  assert.deepEqual(outsidePathFindings(code, 'test/engine/a.test.ts'), []);
  const out = outsidePathFindings(code, 'test/a.test.ts');
  assert.equal(out.length, 1);
  assert.match(out[0]!.reason, /resolves to \.\.\/src\/x\.js, outside the repository/);
});

test('plain .mjs scripts are read too', () => {
  const out = outsidePathFindings(`
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
`, 'scripts/x.mjs');
  assert.equal(out.length, 1);
  assert.equal(out[0]!.line, 2);
});
