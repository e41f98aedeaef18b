/**
 * The registry of CLI subcommands: one module per subcommand under src/cli/, each exporting
 * `register(program)`. Adding a subcommand means adding one line here.
 */
import type { Command } from 'commander';
import { register as baseline } from './baseline.js';
import { register as demo } from './demo.js';
import { register as detect } from './detect.js';
import { register as explain } from './explain.js';
import { register as fields } from './fields.js';
import { register as findings } from './findings.js';
import { register as generate } from './generate.js';
import { register as models } from './models.js';
import { register as risk } from './risk.js';
import { register as run } from './run.js';
import { register as report } from './report.js';
import { register as search } from './search.js';
import { register as state } from './state.js';
import { register as validate } from './validate.js';
import { register as test } from './test.js';
import { register as sql } from './sql.js';

export type RegisterCommand = (program: Command) => void;

export const COMMANDS: RegisterCommand[] = [
  baseline,
  demo,
  detect,
  explain,
  fields,
  findings,
  generate,
  models,
  risk,
  run,
  report,
  search,
  state,
  validate,
  test,
  sql,
];
