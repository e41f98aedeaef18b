/** `tail [N]`; default 10. */
import type { TailCommand } from '../ast.js';
import type { CommandSyntax } from './types.js';

export const tail: CommandSyntax = (p, _name, start) => {
  let count = 10;
  const t = p.peek();
  if (!p.atCommandEnd(t)) {
    p.advance(t);
    count = p.integer(t, 'a whole number of rows');
  }
  const c: TailCommand = { kind: 'command', name: 'tail', count, span: p.spanFrom(start) };
  return c;
};
