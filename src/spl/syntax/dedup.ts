/** `dedup [N] f… [keepempty=t …] [sortby -f]`. */
import type { DedupCommand, SortKey } from '../ast.js';
import type { CommandSyntax } from './types.js';
import { sortKeys } from './sortkeys.js';

export const dedup: CommandSyntax = (p, _name, start) => {
  let count = 1;
  const t = p.peek();
  if (t.kind === 'word' && /^\d+$/.test(t.text)) {
    p.advance(t);
    count = Number(t.text);
  }
  const options = p.options();
  const fields: string[] = [];
  let sortby: SortKey[] = [];
  for (;;) {
    const n = p.peek();
    if (p.atCommandEnd(n)) break;
    if (n.kind === 'comma') {
      p.advance(n);
      continue;
    }
    const opt = p.tryOption(); // options may follow the fields (`dedup user keepempty=true`)
    if (opt) {
      options[opt[0]] = opt[1];
      continue;
    }
    if (p.isWordCI(n, 'sortby')) {
      p.advance(n);
      sortby = sortKeys(p);
      break;
    }
    fields.push(p.fieldName());
  }
  if (fields.length === 0) p.expected('a field after `dedup`');
  const c: DedupCommand = { kind: 'command', name: 'dedup', count, fields, options, sortby, span: p.spanFrom(start) };
  return c;
};
