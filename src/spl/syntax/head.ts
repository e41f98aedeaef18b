/** `head [N | limit=N | (expr)] [null=… keeplast=…]`; default 10. */
import type { HeadCommand } from '../ast.js';
import type { CommandSyntax } from './types.js';

export const head: CommandSyntax = (p, _name, start) => {
  let count = 10;
  let expr: HeadCommand['expr'];
  const options = p.options();
  const t = p.peek();
  if (t.kind === 'word' && /^\d+$/.test(t.text)) {
    p.advance(t);
    count = Number(t.text);
  } else if (t.kind === 'lparen') {
    expr = p.expr();
  }
  p.options(options);
  if (options.limit !== undefined) count = p.integer({ ...t, text: options.limit }, 'a whole number for `limit`');
  const c: HeadCommand = { kind: 'command', name: 'head', count, options, span: p.spanFrom(start) };
  if (expr) c.expr = expr;
  return c;
};
