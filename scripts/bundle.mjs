// Bundles the compiled CLI (dist/src, from tsc) into dist/cli: the package's bin.
//
// Why: a run of `trailguard` loads about 190 ES modules, and Node resolves, reads, compiles and
// links each one; the same code as one entry file plus a few shared chunks starts about 50 ms
// sooner (0.23 -> 0.18 s for a 1-event search on the benchmark machine), which every command and
// every benchmark ratio pays. Subcommands stay lazily loaded: their dynamic imports become chunks.
//
// Three builds, into one directory:
// - dist/cli/standby.js (engine/parallel/standby.ts alone): the workers the bin starts ahead and
//   the engine takes must be one module's, so both other builds import this file instead of
//   bundling a copy of their own.
// - dist/cli/main.js (the bin), dist/cli/worker.js (the parallel scan worker), and the chunks of
//   every subcommand (program-all.ts).
// - dist/cli/search-program.js, the program of `trailguard search`, which main.js imports for a
//   search: built on its own, a search loads this one file where, split with the other commands,
//   its code came in about two dozen chunks (each a resolve, a read and a link; about 20 ms more
//   for a 1-event search). Its own dynamic imports (S3, the SQL engines) are chunks beside it.
// All in one directory, because the engine starts its worker with
// new URL('./worker.js', import.meta.url) from standby.js. npm packages stay external (imported
// from node_modules as before). dist/src stays: tests import its modules.
import { build } from 'esbuild';
import { chmodSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const src = join(root, 'dist', 'src');
const outdir = join(root, 'dist', 'cli');

/** Modules of dist/src that a build imports from a file of another build, by that file's name. */
const ELSEWHERE = new Map([
  [join(src, 'engine', 'parallel', 'standby.js'), './standby.js'],
  [join(src, 'cli', 'search-program.js'), './search-program.js'],
]);

/** Leaves the imports of `names` (ELSEWHERE's files) to the file of that name beside the output. */
function importedFrom(names) {
  return {
    name: 'imported-from',
    setup(b) {
      b.onResolve({ filter: /^\.\.?\// }, (args) => {
        const at = join(args.resolveDir, args.path);
        const name = ELSEWHERE.get(at);
        return name !== undefined && names.includes(name) ? { path: name, external: true } : undefined;
      });
    },
  };
}

const common = { outdir, bundle: true, format: 'esm', platform: 'node', target: 'node20', packages: 'external', logLevel: 'warning' };

rmSync(outdir, { recursive: true, force: true });
await build({ ...common, entryPoints: { standby: join(src, 'engine', 'parallel', 'standby.js') } });
await build({
  ...common,
  entryPoints: { main: join(src, 'cli', 'main.js'), worker: join(src, 'engine', 'parallel', 'worker.js') },
  splitting: true,
  chunkNames: 'chunk-[hash]',
  plugins: [importedFrom(['./standby.js', './search-program.js'])],
});
await build({
  ...common,
  entryPoints: { 'search-program': join(src, 'cli', 'search-program.js') },
  splitting: true,
  chunkNames: 'search-chunk-[hash]',
  plugins: [importedFrom(['./standby.js'])],
});
chmodSync(join(outdir, 'main.js'), 0o755);
