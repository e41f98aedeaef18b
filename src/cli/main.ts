#!/usr/bin/env node
/**
 * `trailguard <command>`: results go to stdout, messages to stderr.
 * Exit codes: 0 ok, 1 search/detection error, 2 usage or input error.
 */
import { Command, CommanderError } from 'commander';
import { COMMANDS } from './commands.js';
import { reportFatal, EXIT } from './output.js';

export async function main(argv: string[]): Promise<number> {
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
  for (const register of COMMANDS) register(program);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return process.exitCode === undefined ? EXIT.ok : Number(process.exitCode);
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return EXIT.ok;
      return EXIT.usage;
    }
    return reportFatal(err);
  }
}

const isEntry = process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/').split('/').pop()!);
if (isEntry) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => process.exit(reportFatal(err)),
  );
}
