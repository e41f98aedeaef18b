/** `eval f1 = expr, f2 = expr …`: left to right, later assignments see earlier ones (SPL.md §3.1). */
import type { EvalCommand } from '../ast.js';
import type { CommandSyntax } from './types.js';

export const evalCommand: CommandSyntax = (p, _name, start) => {
  const assignments: EvalCommand['assignments'] = [];
  for (;;) {
    const first = p.peekEval();
    let field: string;
    if (first.kind === 'field') {
      p.advance(first);
      field = first.value;
    } else {
      field = p.fieldName('a field name to assign');
    }
    const eq = p.peek();
    if (eq.kind !== 'op' || eq.text !== '=') p.expected('`=` after the field name', eq);
    p.advance(eq);
    const expr = p.expr();
    assignments.push({ field, expr, span: p.spanFrom(first.span.start) });
    const t = p.peekEval();
    if (t.kind === 'comma') {
      p.advance(t);
      continue;
    }
    if (!p.atCommandEnd(p.peek())) p.fail('SPL002', `expected \`,\` or the end of \`eval\`, found ${p.describe(t)}`, t.span, ['separate assignments with commas']);
    break;
  }
  const c: EvalCommand = { kind: 'command', name: 'eval', assignments, span: p.spanFrom(start) };
  return c;
};
