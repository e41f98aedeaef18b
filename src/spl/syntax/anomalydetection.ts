/** `anomalydetection` and `outlier`: options and (optionally quoted) field names in any order (MLTK.md §4, §5). */
import type { AnomalydetectionCommand, OutlierCommand, Options } from '../ast.js';
import type { CommandSyntax } from './types.js';

export const anomalydetection: CommandSyntax = (p, name, start) => {
  const options: Options = {};
  const fields: string[] = [];
  p.listItems(() => {
    if (!p.tryOptionInto(options)) fields.push(p.fieldName());
  });
  const c: AnomalydetectionCommand | OutlierCommand = { kind: 'command', name: name as 'anomalydetection' | 'outlier', options, fields, span: p.spanFrom(start) };
  return c;
};
