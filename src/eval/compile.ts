/**
 * Compiles an eval/where expression tree (src/spl/ast.ts) into closures once, so a plan evaluates
 * each row without re-walking the tree. Semantics: SPL.md §3 (via ops.ts) and the function
 * registry (functions/). Errors found while compiling (unknown function, wrong argument count,
 * boolean assigned by eval) are TrailguardErrors located at the offending node.
 */
import { closest, distance } from 'fastest-levenshtein';
import type { BinaryOp, Expr } from '../spl/ast.js';
import { TrailguardError } from '../errors.js';
import type { Compiled, EvalContext, EvalResult, FieldGetter } from './context.js';
import { FUNCTIONS } from './functions/index.js';
import {
  and,
  arithmetic,
  asValue,
  compareValues,
  concat,
  like,
  numberOf,
  or,
  plus,
  truth,
  type ArithOp,
  type CompareOp,
} from './ops.js';
import type { Value } from './value.js';

type CallExpr = Extract<Expr, { kind: 'call' }>;

const COMPARE_OPS = new Set<BinaryOp>(['=', '==', '!=', '<', '<=', '>', '>=']);
const ARITH_OPS = new Set<BinaryOp>(['+', '-', '*', '/', '%']);

/** Names within edit distance 2 (or sharing a prefix), nearest first, at most three. */
export function nearFunctionNames(name: string): string[] {
  const lower = name.toLowerCase();
  const names = Object.keys(FUNCTIONS);
  const scored = names
    .map((n) => ({ n, d: distance(lower, n) }))
    .filter((x) => x.d <= 2 || (lower.length >= 3 && (x.n.startsWith(lower) || lower.startsWith(x.n) && x.n.length >= 3)))
    .sort((a, b) => a.d - b.d || a.n.localeCompare(b.n));
  const out = scored.slice(0, 3).map((x) => x.n);
  return out.length > 0 ? out : [closest(lower, names)];
}

function compileCall(e: CallExpr): Compiled {
  const name = e.name.toLowerCase();
  const def = Object.prototype.hasOwnProperty.call(FUNCTIONS, name) ? FUNCTIONS[name] : undefined;
  if (!def) {
    const near = nearFunctionNames(e.name);
    throw new TrailguardError({
      code: 'unknown-function',
      phase: 'eval',
      span: e.span,
      reason: `unknown function '${e.name}'`,
      hints: [`did you mean ${near.map((n) => `${n}()`).join(', ')}?`],
    });
  }
  const n = e.args.length;
  const extra = def.checkArgCount?.(n) ?? null;
  if (n < def.minArgs || n > def.maxArgs || extra !== null) {
    const expected =
      def.minArgs === def.maxArgs
        ? `${def.minArgs}`
        : def.maxArgs === Infinity
          ? `at least ${def.minArgs}`
          : `${def.minArgs} to ${def.maxArgs}`;
    throw new TrailguardError({
      code: 'function-arity',
      phase: 'eval',
      span: e.span,
      reason: `${name}() takes ${expected} argument${expected === '1' ? '' : 's'}, got ${n}${extra ? ` (${extra})` : ''}`,
      hints: [`usage: ${def.signature}`],
    });
  }
  const args = e.args.map(compileExpr);
  if (def.compile) return def.compile(args, e.args);
  const impl = def.impl!;
  const exprs = e.args;
  switch (args.length) {
    case 0:
      return (_row, ctx) => impl([], ctx, exprs);
    case 1: {
      const [a] = args as [Compiled];
      return (row, ctx) => impl([a(row, ctx)], ctx, exprs);
    }
    case 2: {
      const [a, b] = args as [Compiled, Compiled];
      return (row, ctx) => impl([a(row, ctx), b(row, ctx)], ctx, exprs);
    }
    default:
      return (row, ctx) => impl(args.map((a) => a(row, ctx)), ctx, exprs);
  }
}

function compileBinary(op: BinaryOp, l: Compiled, r: Compiled): Compiled {
  if (op === 'AND')
    return (row, ctx) => {
      const a = truth(l(row, ctx));
      if (a === false) return false;
      return and(a, truth(r(row, ctx)));
    };
  if (op === 'OR')
    return (row, ctx) => {
      const a = truth(l(row, ctx));
      if (a === true) return true;
      return or(a, truth(r(row, ctx)));
    };
  if (op === 'XOR')
    return (row, ctx) => {
      const a = truth(l(row, ctx));
      const b = truth(r(row, ctx));
      return a === null || b === null ? null : a !== b;
    };
  if (COMPARE_OPS.has(op)) {
    const cop = op as CompareOp;
    return (row, ctx) => compareValues(cop, l(row, ctx), r(row, ctx));
  }
  if (op === 'LIKE') return (row, ctx) => like(l(row, ctx), r(row, ctx));
  if (op === '.') return (row, ctx) => concat(l(row, ctx), r(row, ctx));
  if (op === '+') return (row, ctx) => plus(l(row, ctx), r(row, ctx));
  if (ARITH_OPS.has(op)) {
    const aop = op as ArithOp;
    return (row, ctx) => arithmetic(aop, l(row, ctx), r(row, ctx));
  }
  throw new Error(`unhandled operator ${op}`);
}

/** Compiles an expression; the result is evaluated per row with `(row, ctx)`. */
export function compileExpr(expr: Expr): Compiled {
  switch (expr.kind) {
    case 'string': {
      const v = expr.value;
      return () => v;
    }
    case 'number': {
      const v = expr.value;
      return () => v;
    }
    case 'field': {
      const name = expr.name;
      return (row) => row.get(name);
    }
    case 'call':
      return compileCall(expr);
    case 'binary':
      return compileBinary(expr.op, compileExpr(expr.left), compileExpr(expr.right));
    case 'unary': {
      const inner = compileExpr(expr.operand);
      if (expr.op === 'NOT')
        return (row, ctx) => {
          const t = truth(inner(row, ctx));
          return t === null ? null : !t;
        };
      if (expr.op === '-')
        return (row, ctx) => {
          const n = numberOf(inner(row, ctx));
          return n === null ? null : -n;
        };
      return (row, ctx) => numberOf(inner(row, ctx));
    }
    case 'in': {
      const operand = compileExpr(expr.operand);
      const values = expr.values.map(compileExpr);
      return (row, ctx) => {
        const x = operand(row, ctx);
        let unknown = false;
        for (const v of values) {
          const r = compareValues('=', x, v(row, ctx));
          if (r === true) return true;
          if (r === null) unknown = true;
        }
        return unknown ? null : false;
      };
    }
  }
}

/** `where` semantics (SPL.md §3.4): the row passes only when the expression is exactly true. */
export function compileCondition(expr: Expr): (row: FieldGetter, ctx: EvalContext) => boolean {
  const c = compileExpr(expr);
  return (row, ctx) => c(row, ctx) === true;
}

/** True when the expression is a condition by its shape (comparison, logic, boolean function). */
export function isBooleanExpr(expr: Expr): boolean {
  switch (expr.kind) {
    case 'binary':
      return expr.op === 'AND' || expr.op === 'OR' || expr.op === 'XOR' || expr.op === 'LIKE' || COMPARE_OPS.has(expr.op);
    case 'unary':
      return expr.op === 'NOT';
    case 'in':
      return true;
    case 'call':
      return FUNCTIONS[expr.name.toLowerCase()]?.returnsBoolean === true;
    default:
      return false;
  }
}

/**
 * The value `eval field = expr` stores. Like Splunk, assigning a condition is an error, found at
 * compile time ("eval x = a > b" → wrap it in if()). A boolean that reaches an assignment at run
 * time through a branch (`if(c, a>b, 0)`) is stored as the text "true"/"false". Null → the caller
 * removes the field (Row.set does that).
 */
export function compileAssignment(expr: Expr, field = '?'): (row: FieldGetter, ctx: EvalContext) => Value {
  if (isBooleanExpr(expr)) {
    throw new TrailguardError({
      code: 'boolean-assignment',
      phase: 'eval',
      span: expr.span,
      reason: `eval cannot assign a true/false condition to '${field}'`,
      hints: [`wrap the condition in if(), e.g. ${field}=if(<condition>, "true", "false")`],
    });
  }
  const c = compileExpr(expr);
  return (row, ctx) => asValue(c(row, ctx));
}

/** Anything eval can write to: Row satisfies it (set(null) removes the field). */
export interface WritableRow extends FieldGetter {
  set(name: string, value: Value): void;
}

/**
 * The `eval a=…, b=…` command body: assignments left to right, each seeing the earlier ones
 * (SPL.md §3.1). Compiles once; the returned function mutates the row in place.
 */
export function compileEvalAssignments(
  assignments: readonly { field: string; expr: Expr }[],
): (row: WritableRow, ctx: EvalContext) => void {
  const steps = assignments.map((a) => ({ field: a.field, fn: compileAssignment(a.expr, a.field) }));
  return (row, ctx) => {
    for (const s of steps) row.set(s.field, s.fn(row, ctx));
  };
}

export type { EvalResult };
