/** Small builders for AST nodes, so eval tests do not depend on the parser (spans are zero). */
import type { BinaryOp, Expr, Pipeline, SearchCompareOp, SearchExpr, SearchValue } from '../../src/spl/ast.js';
import { Row } from '../../src/engine/row.js';
import { compileCondition, compileExpr, type EvalContext, type EvalResult } from '../../src/eval/index.js';
import type { Value } from '../../src/eval/value.js';

const span = { start: 0, end: 0 };

export const str = (value: string): Expr => ({ kind: 'string', value, span });
export const num = (value: number, text = String(value)): Expr => ({ kind: 'number', value, text, span });
export const field = (name: string, quoted = false): Expr => ({ kind: 'field', name, quoted, span });
export const call = (name: string, ...args: Expr[]): Expr => ({ kind: 'call', name, args, span });
export const bin = (op: BinaryOp, left: Expr, right: Expr): Expr => ({ kind: 'binary', op, left, right, span });
export const not = (operand: Expr): Expr => ({ kind: 'unary', op: 'NOT', operand, span });
export const neg = (operand: Expr): Expr => ({ kind: 'unary', op: '-', operand, span });
export const inList = (operand: Expr, ...values: Expr[]): Expr => ({ kind: 'in', operand, values, span });

/** A literal: strings stay strings, numbers become number nodes. */
export const lit = (v: string | number): Expr => (typeof v === 'number' ? num(v) : str(v));

export const CTX: EvalContext = { now: Date.UTC(2024, 2, 5, 17, 2, 11) / 1000, tz: 'UTC' };

/** Evaluates `expr` on a row with `fields`. */
export function evalOn(expr: Expr, fields: Record<string, Value> = {}, ctx: EvalContext = CTX): EvalResult {
  return compileExpr(expr)(Row.of(fields), ctx);
}

/** `where` outcome of `expr` on a row with `fields`. */
export function whereOn(expr: Expr, fields: Record<string, Value> = {}, ctx: EvalContext = CTX): boolean {
  return compileCondition(expr)(Row.of(fields), ctx);
}

/** Shorthand: call a function by name with literal arguments. */
export function fn(name: string, ...args: (string | number | Expr)[]): EvalResult {
  return evalOn(call(name, ...args.map((a) => (typeof a === 'object' ? a : lit(a)))));
}

// ── search expressions ──
const sv = (text: string, quoted = false): SearchValue => ({ text, quoted, span });

export const s = {
  and: (...terms: SearchExpr[]): SearchExpr => ({ kind: 'and', terms, span }),
  or: (...terms: SearchExpr[]): SearchExpr => ({ kind: 'or', terms, span }),
  not: (term: SearchExpr): SearchExpr => ({ kind: 'not', term, span }),
  cmp: (f: string, op: SearchCompareOp, text: string, quoted = false): SearchExpr => ({
    kind: 'compare',
    field: f,
    op,
    value: sv(text, quoted),
    span,
  }),
  eq: (f: string, text: string, quoted = false): SearchExpr => s.cmp(f, '=', text, quoted),
  ne: (f: string, text: string, quoted = false): SearchExpr => s.cmp(f, '!=', text, quoted),
  in: (f: string, ...texts: string[]): SearchExpr => ({ kind: 'in', field: f, values: texts.map((t) => sv(t, true)), span }),
  word: (text: string, quoted = false): SearchExpr => ({ kind: 'word', value: sv(text, quoted), span }),
  time: (which: 'earliest' | 'latest', value: string): SearchExpr => ({ kind: 'time', which, value, span }),
  subsearch: (): SearchExpr => ({
    kind: 'subsearch',
    pipeline: { kind: 'pipeline', commands: [], span } as Pipeline,
    span: { start: 3, end: 9 },
  }),
};
