/** No import cycles under src/ (CONTRIBUTING rule: imports flow one way), and the checker works. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { importCycles, importGraph, relativeImports } from './import-graph.js';
import { repoPath } from '../helpers.js';

test('src/ has no import cycles (type-only imports included)', () => {
  const graph = importGraph(repoPath('src'));
  assert.ok(graph.size > 100, `read ${graph.size} modules`);
  // An edge to a module that does not exist would mean the resolver is wrong, not that all is well.
  for (const [from, deps] of graph) for (const d of deps) assert.ok(graph.has(d), `${from} imports ${d}, which is not a module under src/`);
  const cycles = importCycles(graph);
  assert.deepEqual(cycles.map((c) => c.join(' → ')), [], 'untie each loop: move the shared piece to a module both import, or invert the dependency');
});

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'tg-cycles-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, name)), { recursive: true });
    writeFileSync(join(root, name), text);
  }
  return root;
}

test('the checker reports a loop through a type-only import, a re-export and a dynamic import', () => {
  const root = tree({
    'a.ts': "import { b } from './sub/b.js';\nexport const a = b;\n",
    'sub/b.ts': "export { c as b } from '../c.js';\n",
    'c.ts': "import type { A } from './a.js';\nexport const c = 1;\nexport type C = A;\n",
    'd.ts': "export const d = () => import('./e.js');\n",
    'e.ts': "import { d } from './d.js';\nexport const e = d;\n",
    'leaf.ts': "import { a } from './a.js';\nimport { readFileSync } from 'node:fs';\nexport const leaf = [a, readFileSync];\n",
  });
  try {
    const cycles = importCycles(importGraph(root));
    assert.deepEqual(cycles.map((c) => c.join(' → ')).sort(), ['a.ts → sub/b.ts → c.ts → a.ts', 'd.ts → e.ts → d.ts']);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('an acyclic tree (a diamond) has no cycles; a module importing itself has one', () => {
  const root = tree({
    'top.ts': "import './l.js';\nimport './r.js';\n",
    'l.ts': "import './base.js';\n",
    'r.ts': "import './base.js';\n",
    'base.ts': 'export const x = 1;\n',
  });
  try {
    assert.deepEqual(importCycles(importGraph(root)), []);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  const self = new Map([['s.ts', ['s.ts']]]);
  assert.deepEqual(importCycles(self), [['s.ts', 's.ts']]);
});

test('imports are read from the syntax tree: text in comments and strings is not an import', () => {
  const text = [
    "// import { x } from './commented.js';",
    "const s = \"import { y } from './in-a-string.js'\";",
    "import { z } from './real.js';",
    "export * from './reexported.js';",
    "import 'node:fs';",
  ].join('\n');
  assert.deepEqual(relativeImports(text), ['./real.js', './reexported.js']);
});
