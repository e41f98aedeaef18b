/** `rename a as b, "x.*" as *` (SPL.md §5; wildcards substitute the `*` capture). */
import type { RenameCommand } from '../ast.js';
import type { CommandSyntax } from './types.js';

export const rename: CommandSyntax = (p, _name, start) => {
  const pairs: RenameCommand['pairs'] = [];
  p.listItems(() => {
    const from = p.fieldName('a field to rename');
    if (!p.isWordCI(p.peek(), 'as')) p.expected(`\`as\` after \`${from}\``);
    p.next();
    const to = p.fieldName('the new field name');
    pairs.push({ from, to });
  });
  if (pairs.length === 0) p.expected('`<field> as <new name>` after `rename`');
  const c: RenameCommand = { kind: 'command', name: 'rename', pairs, span: p.spanFrom(start) };
  return c;
};
