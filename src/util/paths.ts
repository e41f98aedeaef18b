import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cachedRoot: string | undefined;

/**
 * The directory holding Trailguard's package.json. Code runs both from `src/` (tsx) and from
 * `dist/src/` (compiled), so data files are found by walking up rather than by a fixed `../..`.
 */
export function packageRoot(): string {
  if (cachedRoot !== undefined) return cachedRoot;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'content'))) {
      cachedRoot = dir;
      return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('trailguard: cannot locate the package root (package.json + content/)');
    dir = parent;
  }
}

/** A path inside the package (e.g. `packagePath('content')`, `packagePath('data', 'fieldmodel.json')`). */
export function packagePath(...parts: string[]): string {
  return join(packageRoot(), ...parts);
}
