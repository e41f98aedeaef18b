/** `inputlookup [append=t …] T [append=t …] [where <search>]` (SPL.md §7.2; options before or after T). */
import type { InputlookupCommand } from '../ast.js';
import type { CommandSyntax } from './types.js';

export const inputlookup: CommandSyntax = (p, _name, start) => {
  const options = p.options();
  const table = p.fieldName('a lookup table name');
  p.options(options);
  let where: InputlookupCommand['where'] = null;
  if (p.isWordCI(p.peek(), 'where')) {
    p.next();
    where = p.searchExpr();
    if (!where) p.expected('a search expression after `where`');
  }
  const c: InputlookupCommand = { kind: 'command', name: 'inputlookup', table, options, where, span: p.spanFrom(start) };
  return c;
};
