/** Paths for tests: they run from dist/test (compiled) or test/ (tsx), so resolve via the package root. */
import { join } from 'node:path';
import { packageRoot } from '../src/util/paths.js';

export function repoPath(...parts: string[]): string {
  return join(packageRoot(), ...parts);
}

/** The shared real CloudTrail data beside the repo (`../shared/data`). */
export function sharedDataPath(...parts: string[]): string {
  return join(packageRoot(), '..', 'shared', 'data', ...parts);
}

export function fixturePath(...parts: string[]): string {
  return join(packageRoot(), 'test', 'fixtures', ...parts);
}
