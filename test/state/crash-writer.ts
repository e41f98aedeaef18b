/**
 * Child process for crash.test.ts: rewrites one lookup over and over with large tables whose
 * every row carries the version number, and reports the start and end of each write on stdout. The test
 * kills it with SIGKILL at random moments. Args: <stateDir> <lookup name>.
 */
import { LookupStore } from '../../src/state/index.js';
import { crashTable } from './crash-table.js';

const [stateDir, name] = process.argv.slice(2) as [string, string];
const store = new LookupStore({ stateDir, includeProjectContent: true });
for (let version = 1; ; version++) {
  process.stdout.write(`start ${version}\n`);
  store.write(name, crashTable(version));
  process.stdout.write(`wrote ${version}\n`);
}
