/**
 * The command registry: name → argument parser. Adding a command means adding its module and one
 * line here; the pipeline parser never switches on command names.
 */
import type { CommandSyntax } from './types.js';
import { anomalydetection } from './anomalydetection.js';
import { append } from './append.js';
import { apply } from './apply.js';
import { bin } from './bin.js';
import { convert } from './convert.js';
import { dedup } from './dedup.js';
import { evalCommand } from './eval.js';
import { fields } from './fields.js';
import { fit } from './fit.js';
import { fillnull } from './fillnull.js';
import { format } from './format.js';
import { head } from './head.js';
import { inputlookup } from './inputlookup.js';
import { iplocation } from './iplocation.js';
import { join } from './join.js';
import { lookup } from './lookup.js';
import { makecontinuous } from './makecontinuous.js';
import { makeresults } from './makeresults.js';
import { mvexpand } from './mvexpand.js';
import { outlier } from './outlier.js';
import { outputlookup } from './outputlookup.js';
import { rename } from './rename.js';
import { returnCommand } from './return.js';
import { rex } from './rex.js';
import { search } from './search.js';
import { sort } from './sort.js';
import { spath } from './spath.js';
import { stats } from './stats.js';
import { summary } from './summary.js';
import { table } from './table.js';
import { tail } from './tail.js';
import { tstats } from './tstats.js';
import { where } from './where.js';

export type { CommandSyntax } from './types.js';

export const COMMAND_SYNTAX: Readonly<Record<string, CommandSyntax>> = {
  anomalydetection,
  append,
  apply,
  bin,
  bucket: bin,
  convert,
  dedup,
  eval: evalCommand,
  eventstats: stats,
  fields,
  fit,
  fillnull,
  format,
  head,
  inputlookup,
  iplocation,
  join,
  lookup,
  makecontinuous,
  makeresults,
  mvexpand,
  outlier,
  outputlookup,
  rename,
  return: returnCommand,
  rex,
  search,
  sort,
  spath,
  stats,
  summary,
  streamstats: stats,
  table,
  tail,
  tstats,
  where,
};
