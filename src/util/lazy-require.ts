/**
 * A CommonJS package loaded on first use instead of at start-up. Every run of the CLI is a fresh
 * process, so a package that only a few searches need (the MLTK distributions, the GeoIP reader,
 * SQLite) should not be compiled by every run: `const pkg = lazyRequire<typeof Pkg>('pkg')`, then
 * `pkg()` where it is used. Type the result with `import type`, which costs nothing at run time.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export function lazyRequire<T>(id: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= require(id) as T);
}

/** csv-parse and csv-stringify (their CommonJS builds), used by lookups, results and findings. */
export const csvParse = lazyRequire<typeof import('csv-parse/sync')>('csv-parse/sync');
export const csvStringify = lazyRequire<typeof import('csv-stringify/sync')>('csv-stringify/sync');

/**
 * re2js (its CommonJS build): about 260 KB of source that a search without a regular expression
 * or a non-ASCII wildcard never runs, so it is compiled only when a pattern needs RE2.
 */
export const re2js = lazyRequire<typeof import('re2js')>('re2js');

/**
 * node:crypto: the largest built-in module a search could load (about 4 ms, some twenty internal
 * modules), needed only to write state files (their temporary names) and by the hash functions
 * of eval, which most searches never call.
 */
export const nodeCrypto = lazyRequire<typeof import('node:crypto')>('node:crypto');

/** node:zlib, for gzipped input only: a search over plain NDJSON never inflates anything. */
export const nodeZlib = lazyRequire<typeof import('node:zlib')>('node:zlib');
