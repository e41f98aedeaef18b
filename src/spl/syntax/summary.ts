/** `summary <model>`: a generating command, so `[summary m]` works as a subsearch (MLTK.md §3.8). */
import type { SummaryCommand } from '../ast.js';
import type { CommandSyntax } from './types.js';
import { modelName } from './apply.js';

export const summary: CommandSyntax = (p, _name, start) => {
  const options = p.options();
  const model = modelName(p);
  p.options(options);
  const c: SummaryCommand = { kind: 'command', name: 'summary', model, options, span: p.spanFrom(start) };
  return c;
};
