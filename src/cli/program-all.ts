/** The program with every subcommand the command line may need (commands.ts decides which). */
import { registrationsFor } from './commands.js';
import { runProgram } from './program.js';

export async function run(argv: string[]): Promise<number> {
  return runProgram(argv, await registrationsFor(argv));
}
