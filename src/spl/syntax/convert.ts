/** `convert [timeformat=F] fn(field) [as y] …` (SPL.md §5). */
import type { ConvertCommand } from '../ast.js';
import type { CommandSyntax } from './types.js';

export const convert: CommandSyntax = (p, _name, start) => {
  const options = p.options();
  const conversions: ConvertCommand['conversions'] = [];
  p.listItems((t) => {
    if (p.tryOptionInto(options)) return;
    if (t.kind !== 'word') p.expected('a conversion such as `ctime(field)`', t);
    p.advance(t);
    const open = p.peek();
    if (open.kind !== 'lparen') p.expected(`\`(\` after \`${t.text}\``, open);
    p.advance(open);
    const field = p.parenText().text;
    conversions.push({ fn: t.text.toLowerCase(), field, as: p.optionalAs() });
  });
  if (conversions.length === 0) p.expected('a conversion such as `ctime(field)`');
  const c: ConvertCommand = { kind: 'command', name: 'convert', options, conversions, span: p.spanFrom(start) };
  return c;
};
