/**
 * The registry of CLI subcommands: one module per subcommand under src/cli/, each exporting
 * `register(program)`. Adding a subcommand means adding one line here.
 *
 * Modules are loaded on demand: a run of one subcommand imports only that module (and what it
 * imports), so `trailguard search` does not compile the service, the report or the SQL compiler.
 * The root help and anything that is not a subcommand name load them all.
 */
import type { Command } from 'commander';

export type RegisterCommand = (program: Command) => void;

type CommandModule = () => Promise<{ register: RegisterCommand }>;

/** Subcommand name → its module, in the order the root help lists them. */
export const COMMANDS: ReadonlyMap<string, CommandModule> = new Map<string, CommandModule>([
  ['baseline', () => import('./baseline.js')],
  ['demo', () => import('./demo.js')],
  ['detect', () => import('./detect.js')],
  ['explain', () => import('./explain.js')],
  ['fields', () => import('./fields.js')],
  ['findings', () => import('./findings.js')],
  ['generate', () => import('./generate.js')],
  ['models', () => import('./models.js')],
  ['risk', () => import('./risk.js')],
  ['run', () => import('./run.js')],
  ['report', () => import('./report.js')],
  ['search', () => import('./search.js')],
  ['state', () => import('./state.js')],
  ['validate', () => import('./validate.js')],
  ['test', () => import('./test.js')],
  ['sql', () => import('./sql.js')],
]);

/**
 * The registrations a command line needs: only the named subcommand's when the first argument
 * names one, else every subcommand's (root help, `help <cmd>`, an unknown name and its suggestion).
 * Modules are imported in parallel but registered in table order.
 */
export async function registrationsFor(argv: readonly string[]): Promise<RegisterCommand[]> {
  const one = argv[0] === undefined ? undefined : COMMANDS.get(argv[0]);
  const loaders = one !== undefined ? [one] : [...COMMANDS.values()];
  return (await Promise.all(loaders.map((load) => load()))).map((m) => m.register);
}
