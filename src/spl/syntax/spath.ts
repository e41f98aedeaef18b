/** `spath [input=f] [output=o] [path=]p` (SPL.md §5). */
import type { SpathCommand } from '../ast.js';
import type { CommandSyntax } from './types.js';

export const spath: CommandSyntax = (p, _name, start) => {
  const options: Record<string, string> = {};
  let path: string | null = null;
  for (;;) {
    const t = p.peek();
    if (p.atCommandEnd(t)) break;
    if (p.tryOptionInto(options)) continue;
    if (path !== null) p.fail('SPL002', `unexpected ${p.describe(t)}: \`spath\` takes one path`, t.span);
    path = p.fieldName('a path');
  }
  for (const k of Object.keys(options)) {
    if (k !== 'input' && k !== 'output' && k !== 'path') p.fail('SPL002', `unknown \`spath\` option \`${k}\``, p.spanFrom(start), ['options are input=, output=, path=']);
  }
  const c: SpathCommand = {
    kind: 'command',
    name: 'spath',
    input: options.input ?? null,
    output: options.output ?? null,
    path: options.path ?? path,
    span: p.spanFrom(start),
  };
  return c;
};
