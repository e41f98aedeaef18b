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
// from node_modules as before) except commander and picocolors (BUNDLED, below). dist/src stays:
// tests import its modules.
import { build } from 'esbuild';
import { chmodSync, rmSync } from 'node:fs';
import { isBuiltin } from 'node:module';
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

/**
 * npm packages bundled into the CLI's files: the CommonJS ones every search loads. An ES module
 * imports CommonJS through Node's CommonJS loader, its export lexer and an ES module facade:
 * commander alone loaded in 13-18 ms from node_modules, 8-11 ms bundled, and fastest-levenshtein
 * (the SPL parser's suggestions), the last CommonJS a search then imported, still cost ~5 ms for
 * 4 KB (8 runs each).
 */
const BUNDLED = ['commander', 'picocolors', 'fastest-levenshtein'];

const packageOf = (id) => (id.startsWith('@') ? id.split('/').slice(0, 2).join('/') : id.split('/')[0]);

/**
 * Keeps npm packages external except BUNDLED, and serves the bundled packages' require() of Node
 * built-ins, which esbuild's ES module output cannot do itself: each through a require made by
 * createRequire, and node:child_process (commander's, for executable subcommands, which
 * Trailguard has none of) on its first use only.
 */
function bundledCommonJs() {
  const NS = 'node-require';
  const REQUIRE = 'tg:node-require';
  return {
    name: 'bundled-commonjs',
    setup(b) {
      b.onResolve({ filter: /^tg:node-require$/ }, (args) => ({ path: args.path, namespace: NS }));
      b.onResolve({ filter: /^[^./]/ }, (args) => {
        if (isBuiltin(args.path)) return args.kind === 'require-call' ? { path: args.path, namespace: NS } : { path: args.path, external: true };
        return BUNDLED.includes(packageOf(args.path)) ? undefined : { path: args.path, external: true };
      });
      b.onLoad({ filter: /.*/, namespace: NS }, ({ path }) => {
        if (path === REQUIRE) return { contents: "import { createRequire } from 'node:module';\nexport const nodeRequire = createRequire(import.meta.url);\n", loader: 'js' };
        const head = `const { nodeRequire } = require('${REQUIRE}');\n`;
        if (path.replace(/^node:/, '') === 'child_process') return { contents: `${head}let cp;\nmodule.exports = { spawn: (...args) => (cp ??= nodeRequire('node:child_process')).spawn(...args) };\n`, loader: 'js' };
        return { contents: `${head}module.exports = nodeRequire(${JSON.stringify(path)});\n`, loader: 'js' };
      });
    },
  };
}

const common = { outdir, bundle: true, format: 'esm', platform: 'node', target: 'node20', logLevel: 'warning' };

rmSync(outdir, { recursive: true, force: true });
await build({ ...common, packages: 'external', entryPoints: { standby: join(src, 'engine', 'parallel', 'standby.js') } });
await build({
  ...common,
  entryPoints: { main: join(src, 'cli', 'main.js'), worker: join(src, 'engine', 'parallel', 'worker.js') },
  splitting: true,
  chunkNames: 'chunk-[hash]',
  plugins: [importedFrom(['./standby.js', './search-program.js']), bundledCommonJs()],
});
await build({
  ...common,
  entryPoints: { 'search-program': join(src, 'cli', 'search-program.js') },
  splitting: true,
  chunkNames: 'search-chunk-[hash]',
  plugins: [importedFrom(['./standby.js']), bundledCommonJs()],
});
chmodSync(join(outdir, 'main.js'), 0o755);
