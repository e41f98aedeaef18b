/** `bin|bucket [span=5m …] f [as g]` (SPL.md §4.4). */
import type { BinCommand } from '../ast.js';
import type { CommandSyntax } from './types.js';

export const bin: CommandSyntax = (p, name, start) => {
  const options = p.options();
  const field = p.fieldName('the field to bin');
  p.options(options);
  const as = p.optionalAs();
  p.options(options);
  const c: BinCommand = { kind: 'command', name: name as BinCommand['name'], field, as, options, span: p.spanFrom(start) };
  return c;
};
