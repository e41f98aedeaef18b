/**
 * The registry of CLI subcommands: one module per subcommand under src/cli/, each exporting
 * `register(program)`. Adding a subcommand means adding one line here.
 */
import type { Command } from 'commander';
import { register as fields } from './fields.js';
import { register as generate } from './generate.js';

export type RegisterCommand = (program: Command) => void;

export const COMMANDS: RegisterCommand[] = [
  fields,
  generate,
];
