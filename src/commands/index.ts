/**
 * The command registry: SPL command name → plan factory. Each command lives in its own module;
 * adding one means adding one line here, never editing a central switch.
 */
import type { Command } from '../spl/ast.js';
import type { CommandFactory } from '../engine/operator.js';
import anomalydetection from './anomalydetection.js';
import append from './append.js';
import apply from './apply.js';
import bin from './bin.js';
import convert from './convert.js';
import dedup from './dedup.js';
import evalCmd from './eval.js';
import eventstats from './eventstats.js';
import fields from './fields.js';
import fit from './fit.js';
import fillnull from './fillnull.js';
import format from './format.js';
import head from './head.js';
import inputlookup from './inputlookup.js';
import iplocation from './iplocation.js';
import join from './join.js';
import lookup from './lookup.js';
import makecontinuous from './makecontinuous.js';
import makeresults from './makeresults.js';
import mvexpand from './mvexpand.js';
import outlier from './outlier.js';
import outputlookup from './outputlookup.js';
import rename from './rename.js';
import returnCmd from './return.js';
import rex from './rex.js';
import search from './search.js';
import sort from './sort.js';
import spath from './spath.js';
import stats from './stats.js';
import streamstats from './streamstats.js';
import summary from './summary.js';
import table from './table.js';
import tail from './tail.js';
import tstats from './tstats.js';
import where from './where.js';

type AnyFactory = CommandFactory<never>;

const REGISTRY: Record<string, AnyFactory> = {
  anomalydetection,
  append,
  apply,
  bin,
  bucket: bin,
  convert,
  dedup,
  eval: evalCmd,
  eventstats,
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
  return: returnCmd,
  rex,
  search,
  sort,
  spath,
  stats,
  streamstats,
  summary,
  table,
  tail,
  tstats,
  where,
};

/** The factory for a command name, or undefined when the engine does not implement it. */
export function commandFactory(name: string): CommandFactory<Command> | undefined {
  return REGISTRY[name] as unknown as CommandFactory<Command> | undefined;
}

export function commandNames(): string[] {
  return Object.keys(REGISTRY).sort();
}
