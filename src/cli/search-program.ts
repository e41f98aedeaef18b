/**
 * The program for `trailguard search …`: the search subcommand alone, as program-all.ts would
 * register it for that command line.
 *
 * Why a module of its own: the bundle (scripts/bundle.mjs) builds it apart from the other
 * commands, so a search loads one file of code instead of the two dozen chunks it shares with
 * them; every benchmark and most runs are searches, and each chunk costs a resolve, a read and a
 * link at start-up.
 */
import { runProgram } from './program.js';
import { register } from './search.js';

export function run(argv: string[]): Promise<number> {
  return runProgram(argv, [register]);
}
