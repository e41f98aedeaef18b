/** `append [opt=v] [subsearch]` (SPL.md §5). */
import type { AppendCommand } from '../ast.js';
import type { CommandSyntax } from './types.js';

export const append: CommandSyntax = (p, _name, start) => {
  const options = p.options();
  if (p.peek().kind !== 'lbracket') p.expected('a `[subsearch]` to append');
  const subsearch = p.subsearch();
  const c: AppendCommand = { kind: 'command', name: 'append', options, subsearch, span: p.spanFrom(start) };
  return c;
};
