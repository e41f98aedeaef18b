/** `iplocation [prefix=… allfields=… lang=…] f` (SPL.md §5). */
import type { IplocationCommand } from '../ast.js';
import type { CommandSyntax } from './types.js';

export const iplocation: CommandSyntax = (p, _name, start) => {
  const options = p.options();
  const field = p.fieldName('the IP address field');
  p.options(options);
  const c: IplocationCommand = { kind: 'command', name: 'iplocation', field, options, span: p.spanFrom(start) };
  return c;
};
