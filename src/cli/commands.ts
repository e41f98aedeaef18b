/**
 * The registry of CLI subcommands: one module per subcommand under src/cli/, each exporting
 * `register(program)`. Adding a subcommand means adding one line here.
 */
import type { Command } from 'commander';
import { register as demo } from './demo.js';
import { register as explain } from './explain.js';
import { register as fields } from './fields.js';
import { register as generate } from './generate.js';
import { register as search } from './search.js';
import { register as sql } from './sql.js';

export type RegisterCommand = (program: Command) => void;

export const COMMANDS: RegisterCommand[] = [
  demo,
  explain,
  fields,
  generate,
  search,
  sql,
];
