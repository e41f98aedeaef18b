/**
 * Paths for tests: they run from dist/test (compiled) or test/ (tsx), so resolve via the package
 * root. Everything `npm test` reads lives in the repository (test/fixtures/, samples/);
 * test/hygiene/outside-paths.test.ts fails if a test reaches outside it.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { packageRoot } from '../src/util/paths.js';

export function repoPath(...parts: string[]): string {
  return join(packageRoot(), ...parts);
}

export function fixturePath(...parts: string[]): string {
  return join(packageRoot(), 'test', 'fixtures', ...parts);
}

/** The bundled invictus-ir sample: its 2,900 real events, one per line, gzipped. */
export const INVICTUS_NDJSON_GZ = repoPath('samples', 'invictus-ir', 'events.ndjson.gz');

/** The same events as the 55 original `{"Records":[…]}` delivery files (each gzipped). */
export const INVICTUS_RECORDS_DIR = fixturePath('invictus-ir', 'CloudTrail');

let unpacked: string | undefined;

/**
 * The invictus sample unpacked to a plain `events.ndjson` in a temporary directory (removed when
 * the process exits), for tests of what only uncompressed NDJSON allows: byte ranges and worker
 * splits. The file is byte-for-byte the original `events.ndjson` of the data set.
 */
export function invictusNdjson(): string {
  if (unpacked !== undefined) return unpacked;
  const dir = mkdtempSync(join(tmpdir(), 'tg-invictus-'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'events.ndjson');
  writeFileSync(file, gunzipSync(readFileSync(INVICTUS_NDJSON_GZ)));
  unpacked = file;
  return file;
}
