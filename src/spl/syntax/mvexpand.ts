/** `mvexpand f [limit=N]` (SPL.md §5). */
import type { MvexpandCommand } from '../ast.js';
import type { CommandSyntax } from './types.js';

export const mvexpand: CommandSyntax = (p, _name, start) => {
  const options = p.options();
  const field = p.fieldName('the multivalue field to expand');
  p.options(options);
  const c: MvexpandCommand = { kind: 'command', name: 'mvexpand', field, options, span: p.spanFrom(start) };
  return c;
};
