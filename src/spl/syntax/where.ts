/** `where <eval expression>` (SPL.md §3). */
import type { WhereCommand } from '../ast.js';
import type { CommandSyntax } from './types.js';

export const where: CommandSyntax = (p, _name, start) => {
  const expr = p.expr();
  const t = p.peekEval();
  if (!p.atCommandEnd(p.peek())) p.fail('SPL002', `unexpected ${p.describe(t)} after the \`where\` expression`, t.span);
  const c: WhereCommand = { kind: 'command', name: 'where', expr, span: p.spanFrom(start) };
  return c;
};
