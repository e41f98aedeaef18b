/**
 * The package's `bin` works the way `npx trailguard` runs it: the file is executed directly (its
 * `#!/usr/bin/env node` line), not passed to node, so the build must leave it executable. A clean
 * clone once built it without the executable bit and `npx trailguard demo` failed with
 * "Permission denied" while every test that ran `node dist/src/cli/main.js` passed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { repoPath } from '../helpers.js';

test('the bin named in package.json is executable and runs on its own', () => {
  const pkg = JSON.parse(readFileSync(repoPath('package.json'), 'utf8')) as { bin: Record<string, string>; version: string };
  const bin = repoPath(pkg.bin['trailguard']!);
  assert.equal(readFileSync(bin, 'utf8').split('\n')[0], '#!/usr/bin/env node');
  accessSync(bin, constants.X_OK);
  const out = execFileSync(bin, ['--version'], { encoding: 'utf8' });
  assert.equal(out.trim(), pkg.version);
});

test('the unbundled CLI at the bin path before the bundle (dist/src/cli/main.js) still runs on its own', () => {
  // An npx cache made before the bin moved to dist/cli/ links to this path: it must stay
  // executable, or `npx trailguard` fails with "Permission denied" on that machine.
  const pkg = JSON.parse(readFileSync(repoPath('package.json'), 'utf8')) as { version: string };
  const old = repoPath('dist', 'src', 'cli', 'main.js');
  accessSync(old, constants.X_OK);
  assert.equal(execFileSync(old, ['--version'], { encoding: 'utf8' }).trim(), pkg.version);
});
