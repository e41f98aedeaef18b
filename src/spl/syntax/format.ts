/** `format [maxresults=N emptystr=…] ["(" "(" "AND" ")" "OR" ")"]` (SPL.md §2.8). */
import type { FormatCommand } from '../ast.js';
import type { CommandSyntax } from './types.js';

export const format: CommandSyntax = (p, _name, start) => {
  const options: Record<string, string> = {};
  const positional: string[] = [];
  for (;;) {
    const t = p.peek();
    if (p.atCommandEnd(t)) break;
    if (p.tryOptionInto(options)) continue;
    if (t.kind !== 'string') p.expected('a quoted string or `key=value`', t);
    p.advance(t);
    positional.push(t.value);
  }
  if (positional.length !== 0 && positional.length !== 6) p.fail('SPL003', `\`format\` takes six quoted strings, found ${positional.length}`, p.spanFrom(start));
  const c: FormatCommand = { kind: 'command', name: 'format', options, positional, span: p.spanFrom(start) };
  return c;
};
