/** Walking eval/where expressions (src/spl/ast.ts `Expr`) without a switch in every caller. */
import type { Expr } from './ast.js';

/** The direct sub-expressions of a node, left to right. */
export function childExprs(e: Expr): readonly Expr[] {
  switch (e.kind) {
    case 'call':
      return e.args;
    case 'binary':
      return [e.left, e.right];
    case 'unary':
      return [e.operand];
    case 'in':
      return [e.operand, ...e.values];
    default:
      return [];
  }
}

/** Names of the fields an expression reads, in the order they are first met. */
export function exprFieldNames(e: Expr, out: Set<string> = new Set()): Set<string> {
  if (e.kind === 'field') out.add(e.name);
  for (const c of childExprs(e)) exprFieldNames(c, out);
  return out;
}
