/** `table f1, f2 f3*` (SPL.md §5). */
import type { TableCommand } from '../ast.js';
import type { CommandSyntax } from './types.js';

export const table: CommandSyntax = (p, _name, start) => {
  const fields = p.fieldList();
  if (fields.length === 0) p.expected('a field name after `table`');
  const c: TableCommand = { kind: 'command', name: 'table', fields, span: p.spanFrom(start) };
  return c;
};
