/**
 * Operator semantics of where/eval (SPL.md §3.3–3.5): typed comparison, arithmetic with null
 * propagation, three-valued logic. Pure functions over EvalResults.
 */
import { compareText } from './compare.js';
import { formatNumber, toNumber, toText, type Scalar, type Value } from './value.js';
import type { EvalResult } from './context.js';
import { likeMatcher } from './glob.js';
import { escapeRegExp } from '../util/regexp.js';

/** Values of a result for multivalue-aware operators; booleans read as their text. */
export function scalarsOf(v: EvalResult): Scalar[] {
  if (v === null || v === undefined) return [];
  if (typeof v === 'boolean') return [v ? 'true' : 'false'];
  return Array.isArray(v) ? v : [v];
}

/** The single scalar of a result, or null when it is null or multivalue (scalar contexts). */
export function single(v: EvalResult): Scalar | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (Array.isArray(v)) return v.length === 1 ? v[0]! : null;
  return v;
}

/** Number of a result for arithmetic: null when null, multivalue, or not numeric (§3.3). */
export function numberOf(v: EvalResult): number | null {
  const s = single(v);
  return s === null ? null : toNumber(s);
}

/** Text of a single-valued result, or null. */
export function textOf(v: EvalResult): string | null {
  const s = single(v);
  return s === null ? null : toText(s);
}

export type CompareOp = '=' | '==' | '!=' | '<' | '<=' | '>' | '>=';

/** §3.3: numbers when both sides are numeric, otherwise case-sensitive byte order. */
export function compareScalars(a: Scalar, b: Scalar): number {
  const na = toNumber(a);
  const nb = toNumber(b);
  if (na !== null && nb !== null) return na < nb ? -1 : na > nb ? 1 : 0;
  return compareText(toText(a), toText(b));
}

const TEST: Record<CompareOp, (c: number) => boolean> = {
  '=': (c) => c === 0,
  '==': (c) => c === 0,
  '!=': (c) => c !== 0,
  '<': (c) => c < 0,
  '<=': (c) => c <= 0,
  '>': (c) => c > 0,
  '>=': (c) => c >= 0,
};

/** §3.4/§3.5: null if either side is null; true if any pair of values satisfies the operator. */
export function compareValues(op: CompareOp, left: EvalResult, right: EvalResult): boolean | null {
  if (typeof left === 'boolean' && typeof right === 'boolean') {
    if (op === '=' || op === '==') return left === right;
    if (op === '!=') return left !== right;
  }
  const ls = scalarsOf(left);
  const rs = scalarsOf(right);
  if (ls.length === 0 || rs.length === 0) return null;
  const test = TEST[op];
  for (const a of ls) for (const b of rs) if (test(compareScalars(a, b))) return true;
  return false;
}

export type ArithOp = '+' | '-' | '*' | '/' | '%';

const ARITH: Record<ArithOp, (a: number, b: number) => number | null> = {
  '+': (a, b) => a + b,
  '-': (a, b) => a - b,
  '*': (a, b) => a * b,
  '/': (a, b) => (b === 0 ? null : a / b),
  '%': (a, b) => (b === 0 ? null : a % b),
};

/** §3.3: non-numeric or null operand → null; division (or modulo) by zero → null. */
export function arithmetic(op: ArithOp, left: EvalResult, right: EvalResult): number | null {
  const a = numberOf(left);
  if (a === null) return null;
  const b = numberOf(right);
  if (b === null) return null;
  const r = ARITH[op](a, b);
  return r === null || !Number.isFinite(r) ? null : r;
}

/**
 * `+`: addition when both operands are numeric; when both are non-numeric strings Splunk
 * documents `+` as concatenation; a number mixed with non-numeric text (or a null) gives null.
 */
export function plus(left: EvalResult, right: EvalResult): Scalar | null {
  const sum = arithmetic('+', left, right);
  if (sum !== null) return sum;
  if (typeof left !== 'string' || typeof right !== 'string') return null;
  return numberOf(left) === null && numberOf(right) === null ? left + right : null;
}

/** `.` concatenation: null operand → null; numbers in their canonical text. */
export function concat(left: EvalResult, right: EvalResult): string | null {
  const a = textOf(left);
  if (a === null) return null;
  const b = textOf(right);
  return b === null ? null : a + b;
}

/** Three-valued truth of a condition: true, false, or null (unknown / not a boolean). */
export function truth(v: EvalResult): boolean | null {
  if (typeof v === 'boolean') return v;
  return null;
}

export function and(a: boolean | null, b: boolean | null): boolean | null {
  if (a === false || b === false) return false;
  if (a === null || b === null) return null;
  return true;
}

export function or(a: boolean | null, b: boolean | null): boolean | null {
  if (a === true || b === true) return true;
  if (a === null || b === null) return null;
  return false;
}

const likeCache = new Map<string, RegExp>();

/**
 * SQL LIKE: `%` any run, `_` one character, everything else literal; case-sensitive. The
 * definition of the language; `like` matches with glob.ts, the same answers in linear time.
 */
export function likeRegExp(pattern: string): RegExp {
  let re = likeCache.get(pattern);
  if (!re) {
    let body = '';
    for (const ch of pattern) {
      if (ch === '%') body += '[\\s\\S]*';
      else if (ch === '_') body += '[\\s\\S]';
      else body += escapeRegExp(ch);
    }
    re = new RegExp(`^${body}$`, 'u');
    if (likeCache.size > 10_000) likeCache.clear();
    likeCache.set(pattern, re);
  }
  return re;
}

const likeMatchers = new Map<string, (text: string) => boolean>();

/** LIKE over a possibly multivalue left side: any value matching; null side → null. */
export function like(left: EvalResult, pattern: EvalResult): boolean | null {
  const p = textOf(pattern);
  const vals = scalarsOf(left);
  if (p === null || vals.length === 0) return null;
  let match = likeMatchers.get(p);
  if (!match) {
    match = likeMatcher(p);
    if (likeMatchers.size > 10_000) likeMatchers.clear();
    likeMatchers.set(p, match);
  }
  return vals.some((v) => match(toText(v)));
}

/** Turns an EvalResult into a storable Value; booleans render as text (used by tostring etc.). */
export function asValue(v: EvalResult): Value {
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return v;
}

export { formatNumber };
