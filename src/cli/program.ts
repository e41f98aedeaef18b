/**
 * The `trailguard` program: commander set up with the subcommands given, run over one command
 * line. Both programs the bin can load (program-all.ts, search-program.ts) run it, each with its
 * own registrations; it reports every error itself, so a program's run never throws.
 */
import { Command, CommanderError } from 'commander';
import type { RegisterCommand } from './commands.js';
import { reportFatal, EXIT } from './output.js';

export async function runProgram(argv: string[], registrations: readonly RegisterCommand[]): Promise<number> {
  try {
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
    for (const register of registrations) register(program);
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
