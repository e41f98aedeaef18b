/** `| makeresults [count=N annotate=t]`. */
import type { MakeresultsCommand } from '../ast.js';
import type { CommandSyntax } from './types.js';

export const makeresults: CommandSyntax = (p, _name, start) => {
  const options = p.options();
  const c: MakeresultsCommand = { kind: 'command', name: 'makeresults', options, span: p.spanFrom(start) };
  return c;
};
