/**
 * Which pipelines may run their head in worker threads: a leading event `search` without a
 * subsearch, then streaming commands that look at one row at a time and touch nothing outside it,
 * then a `stats` whose aggregates are known before the data is seen (no wildcard arguments).
 * Order-sensitive aggregates (first, last, list) are fine: partials are merged in input order.
 */
import type { Command, Pipeline } from '../../spl/ast.js';
import { collectSubsearches } from '../subsearch.js';
import { hasWildcardAgg } from '../aggregation.js';

/** Per command: null when a worker can run it on its share of the rows, else why not. */
const STREAMING: Record<string, (cmd: Command) => string | null> = {
  search: (c) => (c.name === 'search' && collectSubsearches(c.expr).length > 0 ? 'a subsearch' : null),
  where: () => null,
  eval: () => null,
  rename: () => null,
  fields: () => null,
  convert: () => null,
  rex: () => null,
  spath: () => null,
  fillnull: (c) => (c.name === 'fillnull' && c.fields.length === 0 ? 'fillnull without a field list needs every row' : null),
  bin: (c) => (c.name === 'bin' && c.options['span'] === undefined ? 'bin without span= depends on all rows' : null),
  bucket: (c) => (c.name === 'bucket' && c.options['span'] === undefined ? 'bucket without span= depends on all rows' : null),
};

export type Eligibility = { ok: true; statsIndex: number } | { ok: false; reason: string };

/** Whether the pipeline has a head (`search … | stats`) that partial aggregation can run. */
export function parallelEligibility(p: Pipeline): Eligibility {
  const cmds = p.commands;
  const first = cmds[0];
  if (!first || first.name !== 'search') return { ok: false, reason: 'the pipeline does not start with a search' };
  if (collectSubsearches(first.expr).length > 0) return { ok: false, reason: 'the search has a subsearch' };
  for (let i = 1; i < cmds.length; i++) {
    const cmd = cmds[i]!;
    if (cmd.name === 'stats') {
      if (hasWildcardAgg(cmd.aggs)) return { ok: false, reason: 'stats has a wildcard aggregate' };
      return { ok: true, statsIndex: i };
    }
    const check = STREAMING[cmd.name];
    if (!check) return { ok: false, reason: `command ${i + 1} (${cmd.name}) is not a streaming per-row command` };
    const why = check(cmd);
    if (why !== null) return { ok: false, reason: `command ${i + 1} (${cmd.name}): ${why}` };
  }
  return { ok: false, reason: 'no stats follows the streaming commands' };
}
