/** `outputlookup [append=t …] T [opt=v …]` (SPL.md §7.3). */
import type { OutputlookupCommand } from '../ast.js';
import type { CommandSyntax } from './types.js';

export const outputlookup: CommandSyntax = (p, _name, start) => {
  const options = p.options();
  const table = p.fieldName('a lookup table name');
  p.options(options);
  const c: OutputlookupCommand = { kind: 'command', name: 'outputlookup', table, options, span: p.spanFrom(start) };
  return c;
};
