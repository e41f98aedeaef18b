/** `makecontinuous [<field>] [span=… start=… end=… bins=…]`: options before or after the field (MLTK.md §6). */
import type { MakecontinuousCommand } from '../ast.js';
import type { CommandSyntax } from './types.js';

export const makecontinuous: CommandSyntax = (p, _name, start) => {
  const options = p.options();
  const t = p.peek();
  const field = p.atCommandEnd(t) ? null : p.fieldName('the field to make continuous');
  p.options(options);
  const c: MakecontinuousCommand = { kind: 'command', name: 'makecontinuous', field, options, span: p.spanFrom(start) };
  return c;
};
