/**
 * SPL value rules over typed SQL values (SPL.md §1.1, §2.3): presence, "any value matches",
 * per-value functions, multivalue conversion, and the search-semantics value match (case-insensitive,
 * `*` wildcard → LIKE with ESCAPE). Every helper keeps NULL meaning "absent".
 */
import { valueMatcher } from '../eval/index.js';
import { formatNumber, toNumber } from '../eval/value.js';
import {
  FALSE, NULL, bin, caseWhen, definite, fn, id, isNotNull, isNull, lit,
  type Ex, type Kind, type Typed,
} from './ir.js';

export class Unsupported extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

export function unsupported(reason: string): never {
  throw new Unsupported(reason);
}

let lambdaCounter = 0;
/** A fresh lambda variable name (nested lambdas must not shadow each other). */
export function freshVar(): string {
  lambdaCounter = (lambdaCounter + 1) % 1000;
  return `v${lambdaCounter}`;
}

export function isPresent(t: Typed): Ex {
  if (t.ex.k === 'lit') return lit(t.ex.v !== null);
  if (t.kind === 'mv') return bin('>', fn('coalesce', fn('cardinality', t.ex), lit(0)), lit(0));
  return isNotNull(t.ex);
}

/** A multivalue expression whose empty array reads as NULL. */
export function nullIfEmpty(ex: Ex): Ex {
  if (ex.k === 'lit') return ex;
  return caseWhen([[bin('>', fn('cardinality', ex), lit(0)), ex]], null);
}

/** Any value of the field satisfies `pred` (SPL's multivalue match, §2.3). */
export function anyValue(t: Typed, pred: (x: Ex) => Ex): Ex {
  if (t.ex.k === 'lit' && t.ex.v === null) return FALSE;
  if (t.kind === 'mv') {
    const v = freshVar();
    return { k: 'lambda', kind: 'any', arr: t.ex, v, body: definite(pred(id(v))) };
  }
  if (t.kind === 'num') return unsupported('a text match on a number made by eval is not compiled to SQL');
  return pred(t.ex);
}

/** `f(value)` for every value; nulls dropped (the field-model rules' per-value semantics). */
export function perValue(t: Typed, f: (x: Ex) => Ex): Typed {
  if (t.ex.k === 'lit' && t.ex.v === null) return t;
  if (t.kind === 'mv') {
    const v = freshVar();
    const w = freshVar();
    const mapped: Ex = { k: 'lambda', kind: 'map', arr: t.ex, v, body: f(id(v)) };
    return { ex: { k: 'lambda', kind: 'filter', arr: mapped, v: w, body: isNotNull(id(w)) }, kind: 'mv' };
  }
  if (t.kind === 'num') return unsupported('a text function applied to a number made by eval is not compiled to SQL');
  return { ex: f(t.ex), kind: 'text' };
}

/** As a multivalue (array) expression: text x → [x] (NULL stays NULL). */
export function toMv(t: Typed): Ex {
  if (t.kind === 'mv') return t.ex;
  if (t.kind === 'num') return unsupported('a number made by eval used as a multivalue is not compiled to SQL');
  if (t.ex.k === 'lit' && t.ex.v === null) return NULL;
  return caseWhen([[isNull(t.ex), NULL]], { k: 'array', items: [t.ex] });
}

/** One kind for several branch values (CASE/coalesce): text if all are text, else multivalue. */
export function unify(ts: Typed[]): { kind: Kind; exs: Ex[] } {
  const real = ts.filter((t) => !(t.ex.k === 'lit' && t.ex.v === null));
  const kinds = new Set(real.map((t) => t.kind));
  if (kinds.size === 0) return { kind: 'text', exs: ts.map((t) => t.ex) };
  if (kinds.size === 1) {
    const kind = [...kinds][0]!;
    return { kind, exs: ts.map((t) => (kind === 'mv' && t.kind === 'mv' ? nullIfEmpty(t.ex) : t.ex)) };
  }
  if (kinds.has('num') || kinds.has('bool')) return unsupported('a value that is a number in one branch and text in another is not compiled to SQL');
  return { kind: 'mv', exs: ts.map((t) => (t.kind === 'mv' ? nullIfEmpty(t.ex) : toMv(t))) };
}

/** SQL LIKE pattern (ESCAPE '\') for an SPL search value: `*` → `%`, the rest literal. */
export function likeFromWildcard(value: string): string {
  let out = '';
  for (const ch of value) {
    if (ch === '*') out += '%';
    else if (ch === '%' || ch === '_' || ch === '\\') out += '\\' + ch;
    else out += ch;
  }
  return out;
}

/** SQL LIKE pattern for a field-model LIKE pattern (`%`, `_` already wildcards; `\` literal). */
export function likeFromRule(pattern: string): string {
  return pattern.replace(/\\/g, '\\\\');
}

/**
 * `field=value` in search semantics for one text value `x` (SPL.md §2.3): case-insensitive,
 * `*` is a wildcard. The value is lower-cased here, at compile time.
 */
export function searchValueMatch(x: Ex, value: string): Ex {
  if (value === '*') return isNotNull(x);
  if (!value.includes('*')) return bin('=', fn('lower', x), lit(value.toLowerCase()));
  return { k: 'like', e: fn('lower', x), pat: lit(likeFromWildcard(value.toLowerCase())) };
}

/** `field=value` for a typed field: any value matches (number-typed fields compare their text). */
export function fieldMatches(t: Typed, value: string): Ex {
  if (t.ex.k === 'lit') {
    if (t.ex.v === null) return FALSE;
    return lit(valueMatcher(value)(t.ex.v as string | number));
  }
  if (value === '*') return isPresent(t);
  if (t.kind === 'num') {
    // A number's text is its canonical form (formatNumber): only a value written that way can equal it.
    if (value.includes('*')) return unsupported('a wildcard match on a number made by eval is not compiled to SQL');
    const n = toNumber(value);
    if (n === null || formatNumber(n) !== value.trim().toLowerCase()) return FALSE;
    return bin('=', t.ex, lit(n));
  }
  return anyValue(t, (x) => searchValueMatch(x, value));
}

export const NUMERIC_RE = '^[ \\t\\r\\n]*[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?[ \\t\\r\\n]*$';

/** The number a text denotes, NULL when it is not numeric (SPL.md §3.3, eval's toNumber). */
export function numberOf(x: Ex): Ex {
  return caseWhen([[fn('regexp_like', x, lit(NUMERIC_RE)), { k: 'cast', e: fn('trim', x), to: 'double', try: true }]], null);
}

