/**
 * The registry of CLI subcommands: one module per subcommand under src/cli/, each exporting
 * `register(program)`. Adding a subcommand means adding one line here.
 */
import type { Command } from 'commander';

export type RegisterCommand = (program: Command) => void;

export const COMMANDS: RegisterCommand[] = [];
