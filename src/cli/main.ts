#!/usr/bin/env node
/**
 * `trailguard <command>`: results go to stdout, messages to stderr.
 * Exit codes: 0 ok, 1 search/detection error, 2 usage or input error.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import { registrationsFor } from './commands.js';
import { reportFatal, EXIT } from './output.js';
import { prestart, releaseStandby, standbyFor } from '../engine/parallel/standby.js';

export async function main(argv: string[]): Promise<number> {
  // Scan workers load while the command's own modules do (engine/parallel/standby.ts).
  prestart(standbyFor(argv));
  const program = new Command();
  program
    .name('trailguard')
    .description('Run Splunk SPL security detections over AWS CloudTrail logs, without Splunk.')
    .version('0.1.0')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s), writeOut: (s) => process.stdout.write(s) })
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText(
      'after',
      '\nExit codes: 0 ok, 1 search or detection error, 2 usage or input error.\n' +
        'Example:\n  trailguard explain \'`cloudtrail` errorCode=success | stats count by eventName\'\n',
    );
  for (const register of await registrationsFor(argv)) register(program);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return process.exitCode === undefined ? EXIT.ok : Number(process.exitCode);
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return EXIT.ok;
      return EXIT.usage;
    }
    return reportFatal(err);
  } finally {
    releaseStandby();
  }
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
  main(process.argv.slice(2)).then(exitAfterFlush, (err) => exitAfterFlush(reportFatal(err)));
}
