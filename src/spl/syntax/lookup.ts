/** `lookup [opt=v] T k [as e], … [OUTPUT|OUTPUTNEW c [as e], …]` (SPL.md §7.4). */
import type { FieldAs, LookupCommand } from '../ast.js';
import type { Parser } from '../parser.js';
import type { CommandSyntax } from './types.js';

function fieldAsList(p: Parser, stop: string[]): FieldAs[] {
  const out: FieldAs[] = [];
  p.listItems(() => {
    const field = p.fieldName();
    out.push({ field, as: p.optionalAs() });
  }, stop);
  return out;
}

export const lookup: CommandSyntax = (p, _name, start) => {
  const options = p.options();
  const table = p.fieldName('a lookup table name');
  const keys = fieldAsList(p, ['output', 'outputnew']);
  if (keys.length === 0) p.expected('a lookup field after the table name');
  let outputMode: LookupCommand['outputMode'] = null;
  let outputs: FieldAs[] = [];
  const t = p.peek();
  if (t.kind === 'word' && (t.text.toUpperCase() === 'OUTPUT' || t.text.toUpperCase() === 'OUTPUTNEW')) {
    p.advance(t);
    outputMode = t.text.toUpperCase() as 'OUTPUT' | 'OUTPUTNEW';
    outputs = fieldAsList(p, []);
    if (outputs.length === 0) p.expected(`a field after \`${t.text}\``);
  }
  const c: LookupCommand = { kind: 'command', name: 'lookup', table, options, keys, outputMode, outputs, span: p.spanFrom(start) };
  return c;
};
