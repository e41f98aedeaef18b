/** The shape of one eval function in the registry (SPL.md §3.6). */
import type { Expr } from '../../spl/ast.js';
import type { Compiled, EvalContext, EvalResult } from '../context.js';

export interface FunctionDef {
  minArgs: number;
  /** Infinity for variadic functions. */
  maxArgs: number;
  /** Short signature for error messages and `explain`: `if(cond, then, else)`. */
  signature: string;
  /** The result is a boolean (a condition): eval cannot assign it (see compileAssignment). */
  returnsBoolean?: boolean;
  /** Extra argument-count rule (case() needs pairs); returns a reason when violated. */
  checkArgCount?: (n: number) => string | null;
  /** Ordinary function: receives the evaluated arguments. */
  impl?: (args: EvalResult[], ctx: EvalContext, exprs: readonly Expr[]) => EvalResult;
  /** Special form (lazy or per-value evaluation): builds the compiled call from compiled arguments. */
  compile?: (args: Compiled[], exprs: readonly Expr[]) => Compiled;
}

export type FunctionTable = Record<string, FunctionDef>;
