/**
 * The parser's entry points: a pipeline, a bare search expression, an eval expression. They
 * hand the parser the command registry, which is what keeps parser.ts free of imports from the
 * command modules (those use the Parser class).
 */
import type { Expr, Pipeline, SearchExpr } from './ast.js';
import { SPL } from './codes.js';
import { ParseAbort, Parser, type ParseOptions } from './parser.js';
import { COMMAND_SYNTAX } from './syntax/index.js';

/** Parses a whole SPL pipeline (macros already expanded). Throws TrailguardErrors listing every syntax error. */
export function parsePipeline(text: string, opts: ParseOptions = {}): Pipeline {
  const p = new Parser(text, COMMAND_SYNTAX, opts);
  const pipeline = p.parseTop();
  p.finishErrors();
  return pipeline;
}

/** Parses a bare search expression (e.g. the text a subsearch formats to). Empty text → null. */
export function parseSearchExpression(text: string, opts: ParseOptions = {}): SearchExpr | null {
  const p = new Parser(text, COMMAND_SYNTAX, opts);
  let expr: SearchExpr | null = null;
  try {
    expr = p.searchExpr();
    const t = p.peek();
    if (t.kind !== 'eof') p.fail(SPL.unexpected, `unexpected ${p.describe(t)} in search expression`, t.span);
  } catch (err) {
    if (!(err instanceof ParseAbort)) throw err;
  }
  p.finishErrors();
  return expr;
}

/** Parses one eval/where expression. */
export function parseEvalExpression(text: string, opts: ParseOptions = {}): Expr {
  const p = new Parser(text, COMMAND_SYNTAX, opts);
  let expr: Expr | undefined;
  try {
    expr = p.expr();
    const t = p.peekEval();
    if (t.kind !== 'eof') p.fail(SPL.unexpected, `unexpected ${p.describe(t)} after expression`, t.span);
  } catch (err) {
    if (!(err instanceof ParseAbort)) throw err;
  }
  p.finishErrors();
  return expr!;
}
