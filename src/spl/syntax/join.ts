/** `join [type=inner|outer|left max=N …] f, … [subsearch]` (SPL.md §5). */
import type { JoinCommand } from '../ast.js';
import type { CommandSyntax } from './types.js';

export const join: CommandSyntax = (p, _name, start) => {
  const options = p.options();
  const fields: string[] = [];
  for (;;) {
    const t = p.peek();
    if (t.kind === 'lbracket' || p.atCommandEnd(t)) break;
    if (t.kind === 'comma') {
      p.advance(t);
      continue;
    }
    if (p.tryOptionInto(options)) continue;
    fields.push(p.fieldName());
  }
  if (p.peek().kind !== 'lbracket') p.expected('a `[subsearch]` to join with');
  const subsearch = p.subsearch();
  const c: JoinCommand = { kind: 'command', name: 'join', options, fields, subsearch, span: p.spanFrom(start) };
  return c;
};
