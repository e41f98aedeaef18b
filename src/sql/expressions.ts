/**
 * `search` and `where`/`eval` expressions → SQL, with SPL's rules (SPL.md §2, §3):
 *  - search: case-insensitive values, `*` wildcards (LIKE … ESCAPE), any value of a multivalue,
 *    `f!=v` needs the field, `NOT` keeps rows lacking the field (`NOT coalesce(p, false)`),
 *    `<`/`>` numeric when both sides are numbers, bare words over `_raw`;
 *  - eval: typed values, comparisons numeric when both sides are numeric else case-sensitive text,
 *    null propagation, `if` taking the else branch on null, `.` concatenation with `||`.
 * Anything not listed raises Unsupported; the planner then cuts before the command.
 * Sub-expressions without field references are folded to constants by the in-process evaluator
 * itself (now(), relative_time(now(), "-24h@h"), …), so they are exact and replayable.
 */
import type { Expr, SearchExpr } from '../spl/ast.js';
import { childExprs, exprFieldNames } from '../spl/expr-walk.js';
import { compileExpr, type EvalContext } from '../eval/index.js';
import { RAW_BREAKERS } from '../eval/search-match.js';
import { formatNumber, toNumber, type Value } from '../eval/value.js';
import { Row } from '../engine/row.js';
import { FALSE, NULL, TRUE, and, bin, caseWhen, definite, fn, isNotNull, isNull, lit, negate, or, type Ex, type Typed } from './ir.js';
import { anyValue, fieldMatches, isPresent, numberOf, unsupported } from './values.js';
import { escapeRegExp } from '../util/regexp.js';

/** How expressions see fields: the current stage's columns. */
export interface Scope {
  field(name: string): Typed;
  /** `tag=…`/`eventtype=…` tests, when the scope can compile them (events), else undefined. */
  typeMatch?(field: 'tag' | 'eventtype', matches: (name: string) => boolean): Ex;
  rawTerm(regex: string, what: string): Ex;
  /** Constant time bounds for inline earliest=/latest= (already folded by the caller). */
  timeBound(which: 'earliest' | 'latest', value: string): number;
}

// ───────────────────────── search ─────────────────────────

const BREAKER = `[${RAW_BREAKERS.replace(/[\]\\^-]/g, '\\$&')}]`;

/** A bare word (SPL.md §2.7) as an RE2/Java regex: whole tokens bounded by Splunk's breakers. */
export function bareWordRegex(word: string): string {
  const body = word.split('*').map(escapeRegExp).join('.*?');
  return `(?is)(^|${BREAKER})${body}($|${BREAKER})`;
}

export function searchPredicate(e: SearchExpr, scope: Scope): Ex {
  switch (e.kind) {
    case 'and':
      return and(...e.terms.map((t) => definite(searchPredicate(t, scope))));
    case 'or':
      return or(...e.terms.map((t) => definite(searchPredicate(t, scope))));
    case 'not':
      return negate(searchPredicate(e.term, scope));
    case 'compare': {
      const text = e.value.text;
      if ((e.field === 'tag' || e.field === 'eventtype') && scope.typeMatch && (e.op === '=' || e.op === '!=')) {
        const m = text === '*' ? () => true : valueTest(text);
        const has = scope.typeMatch(e.field, m);
        if (e.op === '=') return has;
        return and(scope.typeMatch(e.field, () => true), negate(has));
      }
      const t = scope.field(e.field);
      if (e.op === '=') return fieldMatches(t, text);
      if (e.op === '!=') return and(isPresent(t), negate(fieldMatches(t, text)));
      return compareSearch(t, e.op, text);
    }
    case 'in': {
      if ((e.field === 'tag' || e.field === 'eventtype') && scope.typeMatch) {
        const tests = e.values.map((v) => valueTest(v.text));
        return scope.typeMatch(e.field, (n) => tests.some((f) => f(n)));
      }
      const t = scope.field(e.field);
      return or(...e.values.map((v) => definite(fieldMatches(t, v.text))));
    }
    case 'word':
      if (e.value.text === '*' || e.value.text === '') return TRUE;
      return scope.rawTerm(bareWordRegex(e.value.text), `bare word ${e.value.text}`);
    case 'time': {
      const bound = scope.timeBound(e.which, e.value);
      const time = scope.field('_time');
      return e.which === 'earliest' ? bin('>=', time.ex, lit(bound)) : bin('<', time.ex, lit(bound));
    }
    case 'subsearch':
      return unsupported('internal: a subsearch must be resolved before its search is compiled');
  }
}

/** Compile-time test of a search value against a known text (tag/eventtype names). */
function valueTest(text: string): (name: string) => boolean {
  if (text === '*') return () => true;
  if (!text.includes('*')) return (n) => n.toLowerCase() === text.toLowerCase();
  const re = new RegExp(`^${text.split('*').map(escapeRegExp).join('[\\s\\S]*')}$`, 'iu');
  return (n) => re.test(n);
}

/** `f<v`, `f>=v`… in search (§2.6): numeric when both are numbers, else text byte order. */
function compareSearch(t: Typed, op: '<' | '<=' | '>' | '>=', value: string): Ex {
  const n = toNumber(value);
  if (t.kind === 'num') {
    if (n === null) return unsupported('comparing a number made by eval with text is not compiled to SQL');
    return bin(op, t.ex, lit(n));
  }
  return anyValue(t, (x) => {
    if (n === null) return bin(op, x, lit(value));
    const num = numberOf(x);
    return caseWhen([[isNotNull(num), bin(op, num, lit(n))]], bin(op, x, lit(value)));
  });
}

// ───────────────────────── eval / where ─────────────────────────

/** Functions whose value changes between calls: never folded. */
const VOLATILE = new Set(['random']);

function hasVolatile(e: Expr): boolean {
  return (e.kind === 'call' && VOLATILE.has(e.name.toLowerCase())) || childExprs(e).some(hasVolatile);
}

function constant(v: Value | boolean): Typed {
  if (typeof v === 'boolean') return { ex: lit(v), kind: 'bool' };
  if (v === null) return { ex: NULL, kind: 'text' };
  if (typeof v === 'number') return { ex: lit(v), kind: 'num' };
  if (Array.isArray(v)) return { ex: { k: 'array', items: v.map((x) => lit(typeof x === 'number' ? formatNumber(x) : x)) }, kind: 'mv' };
  return { ex: lit(v), kind: 'text' };
}

export class EvalCompiler {
  constructor(
    private readonly scope: Scope,
    private readonly ctx: EvalContext,
  ) {}

  /** A condition for `where` (true keeps the row). */
  condition(e: Expr): Ex {
    const t = this.value(e);
    if (t.kind !== 'bool') return unsupported('where needs a condition');
    return t.ex;
  }

  value(e: Expr): Typed {
    if (e.kind !== 'field' && exprFieldNames(e).size === 0 && !hasVolatile(e)) {
      // No field: the in-process evaluator computes it once, exactly as a run would.
      const f = compileExpr(e);
      return constant(f(new Row(null), this.ctx) as Value | boolean);
    }
    switch (e.kind) {
      case 'string':
        return { ex: lit(e.value), kind: 'text' };
      case 'number':
        return { ex: lit(e.value), kind: 'num' };
      case 'field':
        return this.scope.field(e.name);
      case 'unary': {
        const x = this.value(e.operand);
        if (e.op === 'NOT') {
          if (x.kind !== 'bool') return unsupported('NOT of a non-condition');
          // SPL: NOT null is null.
          return { ex: { k: 'not', e: x.ex }, kind: 'bool' };
        }
        const n = this.num(x);
        return { ex: e.op === '-' ? bin('-', lit(0), n) : n, kind: 'num' };
      }
      case 'binary':
        return this.binary(e);
      case 'call':
        return this.call(e.name.toLowerCase(), e.args);
      case 'in':
        return unsupported('IN inside where/eval is not compiled to SQL');
    }
  }

  /** A numeric view of a value (SPL.md §3.3): text that parses as a number, else NULL. */
  private num(t: Typed): Ex {
    if (t.kind === 'num') return t.ex;
    if (t.kind === 'text') return numberOf(t.ex);
    return unsupported('arithmetic on a multivalue or a condition is not compiled to SQL');
  }

  private binary(e: Extract<Expr, { kind: 'binary' }>): Typed {
    const op = e.op;
    if (op === 'AND' || op === 'OR' || op === 'XOR') {
      const l = this.value(e.left);
      const r = this.value(e.right);
      if (l.kind !== 'bool' || r.kind !== 'bool') return unsupported(`${op} of non-conditions`);
      if (op === 'XOR') return unsupported('XOR is not compiled to SQL');
      // SQL's three-valued AND/OR are SPL's (false wins AND, true wins OR, else null).
      return { ex: bin(op, l.ex, r.ex), kind: 'bool' };
    }
    if (op === '=' || op === '==' || op === '!=' || op === '<' || op === '<=' || op === '>' || op === '>=') {
      return { ex: this.compare(op === '==' ? '=' : op === '!=' ? '<>' : op, this.value(e.left), this.value(e.right)), kind: 'bool' };
    }
    if (op === '.') {
      const l = this.value(e.left);
      const r = this.value(e.right);
      if (l.kind !== 'text' || r.kind !== 'text') return unsupported('`.` with a number or multivalue operand is not compiled to SQL (no exact number-to-text in Trino)');
      return { ex: bin('||', l.ex, r.ex), kind: 'text' };
    }
    if (op === 'LIKE') return unsupported('LIKE in eval is not compiled to SQL');
    const l = this.value(e.left);
    const r = this.value(e.right);
    if (op === '+' && (l.kind !== 'num' || r.kind !== 'num')) {
      // SPL's + concatenates two non-numeric strings: a value that may be text or number.
      return unsupported('+ on values that may be text is not compiled to SQL');
    }
    const a = this.num(l);
    const b = this.num(r);
    if (op === '/' || op === '%') {
      const q = op === '/' ? bin('/', a, b) : fn('mod', a, b);
      return { ex: caseWhen([[bin('=', b, lit(0)), NULL]], q), kind: 'num' };
    }
    return { ex: bin(op, a, b), kind: 'num' };
  }

  /** SPL comparison (§3.3): numeric when both sides are numbers, else case-sensitive text; any pair for multivalues. */
  private compare(op: '=' | '<>' | '<' | '<=' | '>' | '>=', l: Typed, r: Typed): Ex {
    if (l.kind === 'bool' || r.kind === 'bool') {
      if (l.kind === 'bool' && r.kind === 'bool' && (op === '=' || op === '<>')) return bin(op, l.ex, r.ex);
      return unsupported('comparing a condition with a value is not compiled to SQL');
    }
    if (l.kind === 'mv') return anyValue(l, (x) => this.compare(op, { ex: x, kind: 'text' }, r));
    if (r.kind === 'mv') return anyValue(r, (y) => this.compare(op, l, { ex: y, kind: 'text' }));
    if (l.kind === 'num' && r.kind === 'num') return bin(op, l.ex, r.ex);
    if (l.kind === 'num' || r.kind === 'num') {
      const [numSide, textSide, flip] = l.kind === 'num' ? [l, r, false] : [r, l, true];
      const tn = numberOf(textSide.ex);
      // A number against text that is not a number compares as text (formatNumber(n) vs text).
      const numeric = flip ? bin(op, tn, numSide.ex) : bin(op, numSide.ex, tn);
      if (numSide.ex.k === 'lit' && typeof numSide.ex.v === 'number') {
        const txt = lit(formatNumber(numSide.ex.v));
        const asText = flip ? bin(op, textSide.ex, txt) : bin(op, txt, textSide.ex);
        return caseWhen([[isNull(textSide.ex), NULL], [isNotNull(tn), numeric]], asText);
      }
      if (op === '=') return caseWhen([[isNull(textSide.ex), NULL], [isNull(numSide.ex), NULL], [isNotNull(tn), numeric]], FALSE);
      if (op === '<>') return caseWhen([[isNull(textSide.ex), NULL], [isNull(numSide.ex), NULL], [isNotNull(tn), numeric]], TRUE);
      return unsupported('ordering a number made by eval against text is not compiled to SQL');
    }
    const ln = numberOf(l.ex);
    const rn = numberOf(r.ex);
    return caseWhen([[and(isNotNull(ln), isNotNull(rn)), bin(op, ln, rn)]], bin(op, l.ex, r.ex));
  }

  private bool(e: Expr): Ex {
    const t = this.value(e);
    if (t.kind !== 'bool') return unsupported('a condition was expected');
    return t.ex;
  }

  private call(name: string, args: Expr[]): Typed {
    const arity = (n: number) => {
      if (args.length !== n) unsupported(`${name}() with ${args.length} arguments`);
    };
    switch (name) {
      case 'if': {
        arity(3);
        const c = this.bool(args[0]!);
        return this.branches([[c, this.value(args[1]!)]], this.value(args[2]!));
      }
      case 'case': {
        if (args.length % 2 !== 0) return unsupported('case() with an odd number of arguments');
        const pairs: [Ex, Typed][] = [];
        for (let i = 0; i < args.length; i += 2) pairs.push([this.bool(args[i]!), this.value(args[i + 1]!)]);
        return this.branches(pairs, { ex: NULL, kind: 'text' });
      }
      case 'coalesce': {
        const vals = args.map((a) => this.value(a));
        const kinds = new Set(vals.filter((v) => !(v.ex.k === 'lit' && v.ex.v === null)).map((v) => v.kind));
        if (kinds.size > 1 || kinds.has('mv') || kinds.has('bool')) return unsupported('coalesce() over mixed or multivalue arguments');
        return { ex: fn('coalesce', ...vals.map((v) => v.ex)), kind: kinds.size ? [...kinds][0]! : 'text' };
      }
      case 'isnull':
        arity(1);
        return { ex: negate(isPresent(this.value(args[0]!))), kind: 'bool' };
      case 'isnotnull':
        arity(1);
        return { ex: isPresent(this.value(args[0]!)), kind: 'bool' };
      case 'lower':
      case 'upper': {
        arity(1);
        const x = this.value(args[0]!);
        if (x.kind !== 'text') return unsupported(`${name}() of a number or multivalue`);
        return { ex: fn(name, x.ex), kind: 'text' };
      }
      case 'len': {
        arity(1);
        const x = this.value(args[0]!);
        if (x.kind !== 'text') return unsupported('len() of a number or multivalue');
        return { ex: fn('length', x.ex), kind: 'num' };
      }
      case 'match': {
        arity(2);
        const s = this.value(args[0]!);
        const re = args[1]!;
        if (re.kind !== 'string') return unsupported('match() with a computed regex');
        if (/\(\?<?[=!]/.test(re.value)) return unsupported('match() with lookaround (RE2, DuckDB) is not compiled to SQL');
        if (s.kind === 'num') return unsupported('match() on a number');
        return { ex: anyValue(s, (x) => fn('regexp_like', x, lit(re.value))), kind: 'bool' };
      }
      case 'tonumber': {
        if (args.length !== 1) return unsupported('tonumber() with a base');
        const x = this.value(args[0]!);
        return { ex: this.num(x), kind: 'num' };
      }
      case 'floor':
      case 'ceil':
      case 'ceiling':
      case 'abs': {
        arity(1);
        const f = name === 'ceiling' ? 'ceil' : name;
        return { ex: fn(f, this.num(this.value(args[0]!))), kind: 'num' };
      }
      case 'mvcount': {
        arity(1);
        const x = this.value(args[0]!);
        if (x.kind === 'mv') return { ex: fn('nullif', fn('coalesce', fn('cardinality', x.ex), lit(0)), lit(0)), kind: 'num' };
        return { ex: caseWhen([[isNotNull(x.ex), lit(1)]], null), kind: 'num' };
      }
      case 'null':
        return { ex: NULL, kind: 'text' };
      case 'true':
        return { ex: TRUE, kind: 'bool' };
      case 'false':
        return { ex: FALSE, kind: 'bool' };
      default:
        return unsupported(`eval function ${name}() is not compiled to SQL`);
    }
  }

  private branches(pairs: [Ex, Typed][], otherwise: Typed): Typed {
    const all = [...pairs.map((p) => p[1]), otherwise].filter((t) => !(t.ex.k === 'lit' && t.ex.v === null));
    const kinds = new Set(all.map((t) => t.kind));
    if (kinds.size > 1) return unsupported('if()/case() branches of different kinds (number and text) are not compiled to SQL');
    const kind = kinds.size ? [...kinds][0]! : 'text';
    if (kind === 'bool') return unsupported('eval cannot store a condition');
    return { ex: caseWhen(pairs.map(([c, v]) => [c, v.ex]), otherwise.ex.k === 'lit' && otherwise.ex.v === null ? null : otherwise.ex), kind };
  }
}
