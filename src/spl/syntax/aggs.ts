/** Aggregation calls shared by stats, eventstats, streamstats and tstats (SPL.md §4.1). */
import type { AggCall } from '../ast.js';
import { SPL } from '../codes.js';
import type { Parser } from '../parser.js';
import { printExpr } from '../printer.js';

/** `perc95`, `p90`, `exactperc99.5`, `upperperc75` → function and numeric parameter. */
const PERCENTILE = /^(perc|p|exactperc|upperperc)(\d+(?:\.\d+)?)$/i;

function splitPercentile(written: string): { fn: string; param?: number } {
  const m = PERCENTILE.exec(written);
  if (!m) return { fn: written.toLowerCase() };
  const base = m[1]!.toLowerCase();
  return { fn: base === 'p' ? 'perc' : base, param: Number(m[2]) };
}

/** One `fn[(arg)] [as name]`. The next token must be a word. */
export function aggCall(p: Parser): AggCall {
  const t = p.peek();
  if (t.kind !== 'word') p.expected('an aggregation such as `count` or `values(field)`', t);
  if (!/^[A-Za-z_][A-Za-z0-9_.]*$/.test(t.text)) p.expected('an aggregation such as `count` or `values(field)`', t);
  p.advance(t);
  const { fn, param } = splitPercentile(t.text);
  let field: string | null = null;
  let evalArg: AggCall['evalArg'];
  let text = t.text;
  const open = p.peek();
  if (open.kind === 'lparen' && !open.spaceBefore) {
    p.advance(open);
    const inner = p.peek();
    if (p.isWordCI(inner, 'eval') && p.peekAt(inner.span.end).kind === 'lparen') {
      p.advance(inner);
      p.next();
      evalArg = p.expr();
      const close1 = p.peekEval();
      if (close1.kind !== 'rparen') p.fail(SPL.unterminated, `expected \`)\` closing eval(, found ${p.describe(close1)}`, close1.span);
      p.advance(close1);
      p.expectKind('rparen', '`)`');
      text = `${t.text}(eval(${printExpr(evalArg)}))`;
    } else {
      const arg = p.parenText();
      if (arg.text === '') p.fail(SPL.expected, `expected a field inside \`${t.text}()\``, { start: open.span.start, end: p.lastEnd });
      field = arg.text;
      text = `${t.text}(${field})`;
    }
  }
  const as = p.optionalAs();
  const call: AggCall = { fn, field, as, text, span: p.spanFrom(t.span.start) };
  if (evalArg) call.evalArg = evalArg;
  if (param !== undefined) call.param = param;
  return call;
}

/** Aggregations (commas optional) up to `by`, `from`, or the end of the command. */
export function aggList(p: Parser, stopWords: string[]): AggCall[] {
  const aggs: AggCall[] = [];
  p.listItems(() => aggs.push(aggCall(p)), stopWords);
  return aggs;
}
