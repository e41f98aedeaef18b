/** `rex [field=f] [opt=v] "regex"` (SPL.md §5; default field `_raw`). */
import type { RexCommand } from '../ast.js';
import type { CommandSyntax } from './types.js';

export const rex: CommandSyntax = (p, _name, start) => {
  const options = p.options();
  const t = p.peek();
  if (t.kind !== 'string') p.expected('a double-quoted regular expression', t);
  p.advance(t);
  p.options(options);
  const field = options.field ?? '_raw';
  delete options.field;
  const c: RexCommand = { kind: 'command', name: 'rex', field, regex: t.value, options, span: p.spanFrom(start) };
  return c;
};
