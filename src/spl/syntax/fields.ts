/** `fields [+|-] f…` (SPL.md §5). */
import type { FieldsCommand } from '../ast.js';
import type { CommandSyntax } from './types.js';

export const fields: CommandSyntax = (p, _name, start) => {
  let mode: FieldsCommand['mode'] = '+';
  const t = p.peek();
  if (p.isWord(t, '-', '+')) {
    p.advance(t);
    mode = t.text as '+' | '-';
  }
  const list = p.fieldList();
  if (list.length === 0) p.expected('a field name after `fields`');
  const c: FieldsCommand = { kind: 'command', name: 'fields', mode, fields: list, span: p.spanFrom(start) };
  return c;
};
