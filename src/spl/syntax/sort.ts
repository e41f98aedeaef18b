/** `sort [N | limit=N] [-|+]f …`. */
import type { SortCommand } from '../ast.js';
import type { CommandSyntax } from './types.js';
import { sortKeys } from './sortkeys.js';

/** Splunk's `sort` keeps at most 10 000 rows unless a count is given (`sort 0 x` keeps all). */
export const SORT_DEFAULT_LIMIT = 10_000;

export const sort: CommandSyntax = (p, _name, start) => {
  let limit = SORT_DEFAULT_LIMIT;
  const t = p.peek();
  if (t.kind === 'word' && /^\d+$/.test(t.text)) {
    p.advance(t);
    limit = Number(t.text);
  }
  const opts = p.options();
  if (opts.limit !== undefined) limit = /^\d+$/.test(opts.limit) ? Number(opts.limit) : p.fail('SPL008', `\`limit\` must be a whole number, found \`${opts.limit}\``, p.spanFrom(start));
  const keys = sortKeys(p);
  if (keys.length === 0) p.expected('a sort field');
  const c: SortCommand = { kind: 'command', name: 'sort', limit, keys, span: p.spanFrom(start) };
  return c;
};
