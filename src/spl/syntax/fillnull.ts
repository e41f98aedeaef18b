/** `fillnull [value=v] [f…]` (SPL.md §5; default value 0, default fields: all). */
import type { FillnullCommand } from '../ast.js';
import type { CommandSyntax } from './types.js';

export const fillnull: CommandSyntax = (p, _name, start) => {
  const options = p.options();
  const fields = p.fieldList();
  const c: FillnullCommand = { kind: 'command', name: 'fillnull', value: options.value ?? '0', fields, span: p.spanFrom(start) };
  return c;
};
