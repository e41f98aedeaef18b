/**
 * Evaluation of the field model's rules (the language is described in rules.ts). Each rule
 * object is compiled once into a closure: LIKE and regex patterns resolved to RegExp objects,
 * constants lowercased ahead for case-insensitive matching, `in` lists made into sets, a
 * raw_term list made into one regex, and a `case` on plain literal patterns looked up in a map.
 * Event types and data model constraints are evaluated for every event a search reads, so
 * an interpreter walking the rule tree (building pattern keys, lowercasing constants, per call)
 * cost a Change data model search more time than reading the events. The results are those of
 * the rules as written (rules.test.ts).
 */
import type { Scalar, Value } from '../eval/value.js';
import { mv, toText, valuesOf } from '../eval/value.js';
import { leadingWord, likeRegex, rawTermsRegex, type Cond, type Expr, type RuleEnv, type View } from './rules.js';

type CondFn = (view: View, env: RuleEnv) => boolean;
type ExprFn = (view: View, env: RuleEnv) => Value;

/** Compiled forms per rule object, per matching mode and tables (a model's are fixed). */
interface Compiled<F> {
  ci: boolean;
  tables: RuleEnv['tables'];
  sets: RuleEnv['sets'];
  fn: F;
}

const condCache = new WeakMap<object, Compiled<CondFn>[]>();
const exprCache = new WeakMap<object, Compiled<ExprFn>[]>();

function cached<F>(cache: WeakMap<object, Compiled<F>[]>, rule: object, env: RuleEnv, make: () => F): F {
  let list = cache.get(rule);
  if (list === undefined) cache.set(rule, (list = []));
  for (const c of list) if (c.ci === env.caseInsensitive && c.tables === env.tables && c.sets === env.sets) return c.fn;
  const fn = make();
  list.push({ ci: env.caseInsensitive, tables: env.tables, sets: env.sets, fn });
  return fn;
}

export function evalCond(c: Cond, view: View, env: RuleEnv): boolean {
  return cached(condCache, c, env, () => compileCond(c, env))(view, env);
}

export function evalExpr(e: Expr, view: View, env: RuleEnv): Value {
  if (typeof e === 'string') return view(e);
  return cached(exprCache, e, env, () => compileExpr(e, env))(view, env);
}

// ---------------------------------------------------------------------------------------------
// Conditions

/** Whether any value of `v` (as text) passes `test`; false when there is none. */
function anyValue(v: Value, test: (s: string) => boolean): boolean {
  if (v === null || v === undefined) return false;
  if (!Array.isArray(v)) return test(toText(v));
  for (const s of v) if (test(toText(s))) return true;
  return false;
}

function hasValue(v: Value): boolean {
  return v !== null && v !== undefined && (!Array.isArray(v) || v.length > 0);
}

/** A test of one value against constants: exact, or lowercased on both sides (search semantics). */
function equalsAny(targets: string[], ci: boolean): (v: string) => boolean {
  if (!ci) {
    if (targets.length === 1) {
      const t = targets[0]!;
      return (v) => v === t;
    }
    const set = new Set(targets);
    return (v) => set.has(v);
  }
  const set = new Set(targets.map((t) => t.toLowerCase()));
  return (v) => set.has(v.toLowerCase());
}

function compileCond(c: Cond, env: RuleEnv): CondFn {
  if ('all' in c) {
    const parts = c.all.map((x) => compileCond(x, env));
    return (view, e) => {
      for (const p of parts) if (!p(view, e)) return false;
      return true;
    };
  }
  if ('any' in c) {
    const parts = c.any.map((x) => compileCond(x, env));
    return (view, e) => {
      for (const p of parts) if (p(view, e)) return true;
      return false;
    };
  }
  if ('not' in c) {
    const inner = compileCond(c.not, env);
    return (view, e) => !inner(view, e);
  }
  if ('raw_term' in c) {
    if (c.raw_term.length === 0) return () => false;
    const re = rawTermsRegex(c.raw_term);
    return (_view, e) => re.test(e.raw?.() ?? '');
  }
  const field = c.field;
  const ci = env.caseInsensitive;
  if ('exists' in c) {
    const want = c.exists;
    return (view) => hasValue(view(field)) === want;
  }
  let test: (v: string) => boolean;
  if ('eq' in c || 'ne' in c) test = equalsAny([String('eq' in c ? c.eq : c.ne)], ci);
  else if ('in' in c) test = equalsAny(c.in.map(String), ci);
  else if ('in_set' in c) test = equalsAny(env.sets[c.in_set] ?? [], ci);
  else if ('like' in c) {
    const res = (Array.isArray(c.like) ? c.like : [c.like]).map((p) => likeRegex(p, ci));
    test = (v) => {
      for (const re of res) if (re.test(v)) return true;
      return false;
    };
  } else return () => false;
  if ('ne' in c) {
    return (view) => {
      const v = view(field);
      return hasValue(v) && !anyValue(v, test);
    };
  }
  return (view) => anyValue(view(field), test);
}

// ---------------------------------------------------------------------------------------------
// Expressions

/** Applies `f` to every value, dropping nulls, and normalises the result. */
function perValue(v: Value, f: (s: string) => string | null): Value {
  const out: Scalar[] = [];
  for (const s of valuesOf(v)) {
    const r = f(toText(s));
    if (r !== null) out.push(r);
  }
  return mv(out);
}

/**
 * The verb table is keyed by one or two leading CamelCase words (`BatchGet`, then `Batch`), the
 * longer one winning, so multi-word verbs can be listed.
 */
function verbOf(name: string, table: Record<string, string>): string | undefined {
  const first = leadingWord(name);
  if (first === '') return undefined;
  const second = leadingWord(name.slice(first.length));
  if (second !== '' && table[first + second] !== undefined) return table[first + second];
  return table[first];
}

const LIKE_WILDCARD = /[%_]/;

/**
 * The index of the first `case` branch one of whose patterns matches `v`, or -1. Case-sensitive
 * literal patterns (most of them: API names) are found in a map; the branches before that one
 * with wildcard patterns are tried in order, so the first matching branch still wins.
 */
function branchFinder(branches: Array<{ match: string | string[] }>, ci: boolean): (v: string) => number {
  const literal = new Map<string, number>();
  const wild: Array<{ index: number; res: RegExp[] }> = [];
  branches.forEach((b, index) => {
    const res: RegExp[] = [];
    for (const p of Array.isArray(b.match) ? b.match : [b.match]) {
      if (!ci && !LIKE_WILDCARD.test(p)) {
        if (!literal.has(p)) literal.set(p, index);
      } else res.push(likeRegex(p, ci));
    }
    if (res.length > 0) wild.push({ index, res });
  });
  return (v) => {
    const hit = literal.get(v);
    const before = hit ?? Infinity;
    for (const w of wild) {
      if (w.index >= before) break;
      for (const re of w.res) if (re.test(v)) return w.index;
    }
    return hit ?? -1;
  };
}

function compileExpr(e: Expr, env: RuleEnv): ExprFn {
  if (typeof e === 'string') return (view) => view(e);
  if ('path' in e) {
    const path = e.path;
    return (view) => view(path);
  }
  if ('const' in e) {
    const value = e.const;
    return () => value;
  }
  if ('absent' in e) return () => null;
  if ('coalesce' in e) {
    const parts = e.coalesce.map((x) => compileExpr(x, env));
    return (view, en) => {
      for (const p of parts) {
        const v = p(view, en);
        if (v !== null) return v;
      }
      return null;
    };
  }
  if ('case' in e) {
    const on = e.case.on ?? 'eventName';
    const find = branchFinder(e.case.when, env.caseInsensitive);
    const thens = e.case.when.map((b) => compileExpr(b.then, env));
    const otherwise = e.case.else === undefined ? null : compileExpr(e.case.else, env);
    return (view, en) => {
      let first = -1;
      for (const v of valuesOf(view(on))) {
        const i = find(toText(v));
        if (i >= 0 && (first < 0 || i < first)) first = i;
      }
      if (first >= 0) return thens[first]!(view, en);
      return otherwise === null ? null : otherwise(view, en);
    };
  }
  if ('if' in e) {
    const cond = compileCond(e.if, env);
    const then = compileExpr(e.then, env);
    const otherwise = e.else === undefined ? null : compileExpr(e.else, env);
    return (view, en) => (cond(view, en) ? then(view, en) : otherwise === null ? null : otherwise(view, en));
  }
  if ('regex' in e) {
    const { pattern, group = 1, flags } = e.regex;
    const re = new RegExp(pattern, flags ?? '');
    const from = compileExpr(e.regex.from, env);
    return (view, en) =>
      perValue(from(view, en), (s) => {
        const m = re.exec(s);
        if (!m) return null;
        const g = typeof group === 'number' ? m[group] : m.groups?.[group];
        return g === undefined ? null : g;
      });
  }
  if ('last_segment' in e) {
    const sep = e.last_segment.sep ?? '/';
    const from = compileExpr(e.last_segment.from, env);
    return (view, en) =>
      perValue(from(view, en), (s) => {
        const i = s.lastIndexOf(sep);
        return i === -1 ? s : s.slice(i + sep.length);
      });
  }
  if ('lookup' in e) {
    const table = env.tables[e.lookup.table] ?? {};
    const dflt = e.lookup.default;
    const key = compileExpr(e.lookup.key, env);
    return (view, en) => {
      const k = key(view, en);
      if (k === null) return dflt ?? null;
      return perValue(k, (s) => table[s] ?? dflt ?? null);
    };
  }
  if ('verb' in e) {
    const table = env.tables[e.verb.table] ?? {};
    const dflt = e.verb.default;
    const from = compileExpr(e.verb.from, env);
    return (view, en) => {
      const v = from(view, en);
      if (v === null) return null;
      return perValue(v, (s) => verbOf(s, table) ?? dflt ?? null);
    };
  }
  return () => null;
}
