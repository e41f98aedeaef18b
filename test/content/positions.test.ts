import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SearchPositions } from '../../src/content/positions.js';
import { parseContentYaml } from '../../src/util/yaml.js';

/** The search value as the content model keeps it, and its positions. */
function positions(text: string): { search: string; at: SearchPositions } {
  const y = parseContentYaml(text, 'x.yml');
  const search = String((y.value as { search: string }).search).trim();
  return { search, at: new SearchPositions(y, 2, search) };
}

/** The character of the file (as written, before any normalisation) at a 1-based line and column. */
const charAt = (text: string, line: number, column: number) => text.split('\n')[line - 1]?.[column - 1];

const STYLES: Record<string, string> = {
  'single-quoted, folded over lines, with an empty line and a doubled quote':
    "name: a\nsearch: '`cloudtrail` userName=''bob''\n  | stats count by user\n\n  | where count > 1'\nother: 1\n",
  'double-quoted with escapes and trailing blanks': 'name: a\nsearch: "`cloudtrail` a=\\"q\\"\n  | stats count  \n   by user"\n',
  'block literal with a more-indented line': 'name: a\nsearch: |\n  `cloudtrail` a=1\n    | stats count by user\n  | where x > 1\n',
  'block folded, stripped': 'name: a\nsearch: >-\n  `cloudtrail` a=1\n  | stats count by user\n\n  | where x > 1\nz: 1\n',
  'plain, over two lines': 'name: a\nsearch: sourcetype=aws:cloudtrail\n  | stats count by user\n',
  'PyYAML-style: continuation in column 0': "name: a\nsearch: 'first\nsecond | stats count\n  third'\n",
};

describe('search positions in the YAML file', () => {
  for (const [style, text] of Object.entries(STYLES)) {
    test(`${style}: every character of the search maps to the same character in the file`, () => {
      const { search, at } = positions(text);
      for (let k = 0; k < search.length; k++) {
        const c = search[k]!;
        const p = at.locate(k);
        assert.ok(p.column !== undefined, `no column for offset ${k}`);
        const f = charAt(text, p.line, p.column);
        // Folded breaks become spaces; a double-quoted escape maps to its backslash.
        if (c === ' ' || c === '\n') continue;
        if (f === '\\') continue;
        assert.equal(f, c, `offset ${k} (${JSON.stringify(c)}) → ${p.line}:${p.column} is ${JSON.stringify(f)}`);
      }
    });
  }

  test('a word on the third line of a folded single-quoted search is found where it is written', () => {
    const { search, at } = positions(STYLES['single-quoted, folded over lines, with an empty line and a doubled quote']!);
    // Line 5 of the file is `  | where count > 1'`: `where` starts in column 5.
    assert.deepEqual(at.locate(search.indexOf('where')), { line: 5, column: 5 });
  });

  test('a value that no longer matches the search gives the line of `search:` and no column', () => {
    const y = parseContentYaml("name: a\nsearch: 'x | y'\n", 'x.yml');
    assert.deepEqual(new SearchPositions(y, 2, 'something else').locate(3), { line: 2 });
  });
});
