/** `search <expr>` — explicit or the implicit first command (SPL.md §2). */
import type { SearchCommand } from '../ast.js';
import type { CommandSyntax } from './types.js';

export const search: CommandSyntax = (p, _name, start) => {
  const expr = p.searchExpr();
  const t = p.peek();
  if (t.kind === 'rparen') p.fail('SPL002', 'unexpected `)`: no group is open here', t.span);
  const c: SearchCommand = { kind: 'command', name: 'search', expr, span: p.spanFrom(start) };
  return c;
};
