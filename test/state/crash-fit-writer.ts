/**
 * Child process for models.test.ts: runs `fit … into crash_model` over and over, each time on data
 * whose every group's mean encodes the version number, and reports the start and end of each model
 * write on stdout. The test kills it with SIGKILL at random moments. Args: <stateDir> <groups>.
 */
import { runSearch } from '../../src/engine/session.js';
import { MemoryLookups } from '../../src/engine/lookups.js';
import { Row } from '../../src/engine/row.js';
import { ModelStore, type ModelWrite } from '../../src/state/models.js';

/** Rows of one version: group g holds v·1000 + g − 1, v·1000 + g, v·1000 + g + 1 (mean v·1000 + g). */
function versionRows(v: number, groups: number): Row[] {
  const rows: Row[] = [];
  for (let g = 0; g < groups; g++) for (const d of [-1, 0, 1]) rows.push(Row.of({ g: `g${g}`, x: v * 1000 + g + d }));
  return rows;
}

const [stateDir, groupsArg] = process.argv.slice(2) as [string, string];
const groups = Number(groupsArg);
{
  const store = new ModelStore({ stateDir });
  let version = 0;
  const models = {
    read: (name: string) => store.read(name),
    write: (m: ModelWrite) => {
      const t0 = performance.now();
      process.stdout.write(`start ${version}\n`);
      store.write(m);
      process.stdout.write(`wrote ${version} ${(performance.now() - t0).toFixed(1)}ms\n`);
    },
  };
  for (version = 1; ; version++) {
    await runSearch('search * | fit DensityFunction x by g dist=norm into crash_model', { models, lookups: new MemoryLookups(), now: 0 }, { input: versionRows(version, groups) });
  }
}
