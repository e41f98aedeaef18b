/** `| tstats [opt=v…] agg… [from datamodel=M[.D]] [where <search>] [by f… [_time span=1h]]` (SPL.md §4.5). */
import type { TstatsCommand } from '../ast.js';
import { SPL } from '../codes.js';
import type { CommandSyntax } from './types.js';
import { aggList } from './aggs.js';

export const tstats: CommandSyntax = (p, _name, start) => {
  const options = p.options();
  const aggs = aggList(p, ['from', 'where', 'by']);
  if (aggs.length === 0) p.expected('an aggregation after `tstats`');
  let from: TstatsCommand['from'] = null;
  if (p.isWordCI(p.peek(), 'from')) {
    p.next();
    const opt = p.tryOption();
    if (!opt || opt[0] !== 'datamodel') return p.expected('`datamodel=<name>` after `from`');
    const [datamodel, ...rest] = opt[1].split('.');
    if (!datamodel) p.fail(SPL.expected, 'expected a data model name after `datamodel=`', p.spanFrom(p.lastEnd));
    from = rest.length ? { datamodel, dataset: rest.join('.') } : { datamodel };
  }
  p.options(options);
  let where: TstatsCommand['where'] = null;
  if (p.isWordCI(p.peek(), 'where')) {
    p.next();
    where = p.searchExpr(['by']);
    if (!where) p.expected('a search expression after `where`');
  }
  const by: string[] = [];
  let timeSpan: string | undefined;
  if (p.isWordCI(p.peek(), 'by')) {
    p.next();
    p.listItems(() => {
      const opt = p.tryOption();
      if (opt) {
        if (opt[0] === 'span') timeSpan = opt[1];
        else options[opt[0]] = opt[1];
        return;
      }
      by.push(p.fieldName());
    });
    if (by.length === 0) p.expected('a field after `by`');
  }
  const c: TstatsCommand = { kind: 'command', name: 'tstats', options, aggs, from, where, by, span: p.spanFrom(start) };
  if (timeSpan !== undefined) c.timeSpan = timeSpan;
  return c;
};
