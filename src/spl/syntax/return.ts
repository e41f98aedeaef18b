/** `return [N] x alias=y $z` — subsearch output as search text. */
import type { ReturnCommand } from '../ast.js';
import type { CommandSyntax } from './types.js';

export const returnCommand: CommandSyntax = (p, _name, start) => {
  let count = 1;
  const items: ReturnCommand['items'] = [];
  const first = p.peek();
  if (first.kind === 'word' && /^\d+$/.test(first.text)) {
    p.advance(first);
    count = Number(first.text);
  }
  p.listItems((t) => {
    const opt = p.tryOption();
    if (opt) {
      items.push({ field: opt[1], as: opt[0], valueOnly: false });
      return;
    }
    const name = p.fieldName('a field to return');
    if (t.kind === 'word' && name.startsWith('$') && name.length > 1) items.push({ field: name.slice(1), as: null, valueOnly: true });
    else items.push({ field: name, as: null, valueOnly: false });
  });
  if (items.length === 0) p.expected('a field to return');
  const c: ReturnCommand = { kind: 'command', name: 'return', count, items, span: p.spanFrom(start) };
  return c;
};
