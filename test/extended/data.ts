/**
 * The extended suite (`npm run test:extended`) runs over a folder of real CloudTrail data kept
 * outside the repository (the project's shared corpus; see its SOURCES.md). The folder is given
 * by scripts/run-tests.mjs through TRAILGUARD_EXTENDED_DATA; when it is absent every extended
 * test is skipped with that reason. `npm test` never runs these files (they end in `.ext.ts`).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const DIR = process.env['TRAILGUARD_EXTENDED_DATA'];

/** Why the extended tests cannot run, or false when the data folder is there. */
export const skipReason: string | false =
  DIR === undefined || DIR === '' ? 'TRAILGUARD_EXTENDED_DATA is not set (run `npm run test:extended`)'
  : !existsSync(DIR) ? `the data folder ${DIR} does not exist`
  : false;

/** A path inside the extended data folder (only meaningful when skipReason is false). */
export function dataPath(...parts: string[]): string {
  return join(DIR ?? '', ...parts);
}
