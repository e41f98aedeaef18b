/** `stats|eventstats|streamstats [opt=v…] agg… [by f1, f2 f3]` (SPL.md §4.1, §4.3). */
import type { StatsCommand } from '../ast.js';
import type { CommandSyntax } from './types.js';
import { aggList } from './aggs.js';

export const stats: CommandSyntax = (p, name, start) => {
  const options = p.options();
  const aggs = aggList(p, ['by']);
  if (aggs.length === 0) p.expected(`an aggregation after \`${name}\``);
  let by: string[] = [];
  if (p.isWordCI(p.peek(), 'by')) {
    const kw = p.next();
    by = p.fieldList();
    if (by.length === 0) p.expected('a field after `by`');
    void kw;
  }
  const c: StatsCommand = { kind: 'command', name: name as StatsCommand['name'], options, aggs, by, span: p.spanFrom(start) };
  return c;
};
