#!/usr/bin/env node
/**
 * `trailguard <command>`: results go to stdout, messages to stderr.
 * Exit codes: 0 ok, 1 search/detection error, 2 usage or input error.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { prestart, releaseStandby, standbyFor } from '../engine/parallel/standby.js';

/**
 * The program for this command line: `search` has one of its own (search-program.ts), which the
 * bundle builds apart so that a search loads as few files as it can. Imported after the scan
 * workers are started, so that they load while the program does.
 */
function programFor(argv: readonly string[]): Promise<{ run(argv: string[]): Promise<number> }> {
  return argv[0] === 'search' ? import('./search-program.js') : import('./program-all.js');
}

export async function main(argv: string[]): Promise<number> {
  // Scan workers load while the command's own modules do (engine/parallel/standby.ts).
  prestart(standbyFor(argv));
  try {
    const { run } = await programFor(argv);
    return await run(argv);
  } finally {
    releaseStandby();
  }
}

/** What escapes a program (which reports its own errors): a failure to load it. */
async function reportEscaped(err: unknown): Promise<number> {
  const { reportFatal } = await import('./output.js');
  return reportFatal(err);
}

/** True when this module is the program (run directly or through the npm bin symlink), not imported. */
function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  // Exit only once stdout has drained: process.exit() would cut off output still queued for a pipe.
  const exitAfterFlush = (code: number) => process.stdout.write('', () => process.exit(code));
  main(process.argv.slice(2)).then(exitAfterFlush, (err) => reportEscaped(err).then(exitAfterFlush));
}
