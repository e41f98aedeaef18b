/**
 * Data-driven SPL cases (test/cases/engine.json): each case runs `spl` with `input` rows fed to
 * its leading search and compares the rows with `expected`, written by hand from the SPL.md rule
 * named in the title.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { repoPath } from '../helpers.js';
import { run, type Obj } from './harness.js';

interface Case {
  title: string;
  spl: string;
  input: Obj[];
  expected: Obj[];
}

const cases = JSON.parse(readFileSync(repoPath('test', 'cases', 'engine.json'), 'utf8')) as Case[];

for (const c of cases) {
  test(c.title, async () => {
    const r = await run(c.spl, { input: c.input });
    assert.deepEqual(r.rows, c.expected);
  });
}
