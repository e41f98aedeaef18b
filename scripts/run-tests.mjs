#!/usr/bin/env node
// Runs every compiled test file (dist/test/**/*.test.js) with Node's built-in test runner.
// Node 20's runner takes no globs, so the file list is collected here.
//
//   node scripts/run-tests.mjs [filter…]                       the suite `npm test` runs
//   node scripts/run-tests.mjs --extended --data DIR [filter…] the extended suite (*.ext.js) over a
//                                                              folder of real data outside the repository
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';

function collect(dir, suffix, out) {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) collect(p, suffix, out);
    else if (name.endsWith(suffix)) out.push(p);
  }
  return out;
}

const args = process.argv.slice(2);
const extended = args.includes('--extended');
const dataAt = args.indexOf('--data');
const data = dataAt >= 0 ? args[dataAt + 1] : undefined;
const filter = args.filter((a, i) => a !== '--extended' && i !== dataAt && !(dataAt >= 0 && i === dataAt + 1));

let files = collect('dist/test', extended ? '.ext.js' : '.test.js', []);
if (filter.length > 0) files = files.filter((f) => filter.some((s) => f.includes(s)));
if (files.length === 0) {
  console.error('run-tests: no test files found under dist/test (did the build run?)');
  process.exit(1);
}

const env = { ...process.env };
if (extended) {
  const dir = data === undefined ? undefined : resolve(data);
  if (dir !== undefined) env.TRAILGUARD_EXTENDED_DATA = dir;
  if (dir === undefined || !existsSync(dir)) {
    // Not a failure: the extended suite is optional. Say plainly what did not run.
    const why = dir === undefined ? 'no --data folder was given' : `the data folder ${dir} does not exist`;
    console.error(`test:extended: ${why}; every test in these files is SKIPPED:\n${files.map((f) => `  - ${f}`).join('\n')}`);
  } else {
    console.error(`test:extended: reading real data from ${dir}`);
  }
}
const result = spawnSync(process.execPath, ['--test', '--test-concurrency=2', ...files], { stdio: 'inherit', env });
process.exit(result.status ?? 1);
