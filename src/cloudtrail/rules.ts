/**
 * The rule language of the field model files (data/fieldmodel/*.yml, data/datamodels/*.yml) and
 * its checks. Rules are data; rule-eval.ts compiles and evaluates them.
 *
 * Expressions (Expr) compute a value from a view of the event's fields:
 *   "a.b{}.c"                        shorthand for {path: "a.b{}.c"}
 *   {path: f}                        the field's value in the current view
 *   {const: "text"}                  a constant
 *   {absent: true}                   no value (the field is not created)
 *   {coalesce: [e1, e2, …]}          the first non-null value
 *   {case: {on: f, when: [{match: pattern | [patterns], then: e}], else: e}}
 *                                    first branch whose LIKE pattern(s) match field `on`
 *                                    (default eventName); `%` = any run, `_` = one character
 *   {if: cond, then: e, else: e}     conditional
 *   {regex: {from: e, pattern: re, group: n|name}}   first match per value (group default 1)
 *   {last_segment: {from: e, sep: "/"}}              text after the last separator, per value
 *   {lookup: {table: t, key: e, default: "text"}}    exact-match table lookup, per value
 *   {verb: {table: t, from: e, default: "text"}}     table keyed by the leading CamelCase verb(s)
 *
 * Conditions (Cond):
 *   {field: f, eq: v} | {field: f, ne: v} | {field: f, in: [v…]} | {field: f, in_set: name}
 *   {field: f, like: pattern | [patterns]} | {field: f, exists: true|false}
 *   {all: [c…]} | {any: [c…]} | {not: c} | {raw_term: [word…]}
 * A multivalue field satisfies eq/in/like when any value does. `ne` needs the field present and
 * no value equal (SPL.md §2.5). Matching is case-sensitive in eval-like rules and
 * case-insensitive in event types and data model constraints (search semantics, SPL.md §2.3).
 */
import type { Value } from '../eval/value.js';
import { escapeRegExp } from '../util/regexp.js';

export type Expr =
  | string
  | { path: string }
  | { const: string }
  | { absent: true }
  | { coalesce: Expr[] }
  | { case: { on?: string; when: Array<{ match: string | string[]; then: Expr }>; else?: Expr } }
  | { if: Cond; then: Expr; else?: Expr }
  | { regex: { from: Expr; pattern: string; group?: number | string; flags?: string } }
  | { last_segment: { from: Expr; sep?: string } }
  | { lookup: { table: string; key: Expr; default?: string } }
  | { verb: { table: string; from: Expr; default?: string } };

export type Cond =
  | { field: string; eq: string }
  | { field: string; ne: string }
  | { field: string; in: string[] }
  | { field: string; in_set: string }
  | { field: string; like: string | string[] }
  | { field: string; exists: boolean }
  | { all: Cond[] }
  | { any: Cond[] }
  | { not: Cond }
  | { raw_term: string[] };

/** Reads one field from the stage's view of the event. */
export type View = (name: string) => Value;

export interface RuleEnv {
  tables: Record<string, Record<string, string>>;
  sets: Record<string, string[]>;
  /** Case-insensitive value matching (search semantics) instead of eval's case-sensitive one. */
  caseInsensitive: boolean;
  /** The event text, for raw_term conditions. */
  raw?: () => string;
}

// ---------------------------------------------------------------------------------------------
// Pattern matching

const likeCache = new Map<string, RegExp>();

/** SQL LIKE as the add-on's eval uses it: `%` any run, `_` one char, the rest literal. */
export function likeRegex(pattern: string, caseInsensitive: boolean): RegExp {
  const key = (caseInsensitive ? 'i:' : 's:') + pattern;
  let re = likeCache.get(key);
  if (!re) {
    let src = '';
    for (const ch of pattern) {
      if (ch === '%') src += '[\\s\\S]*';
      else if (ch === '_') src += '[\\s\\S]';
      else src += escapeRegExp(ch);
    }
    re = new RegExp(`^${src}$`, caseInsensitive ? 'i' : '');
    likeCache.set(key, re);
  }
  return re;
}

/**
 * "One of these words is a term of the raw text" (SPL.md §2.7) as one regex: case-insensitive,
 * each word bounded by non-alphanumeric characters (an approximation of Splunk's breakers;
 * `DeleteBucket` does not contain the term `Delete`).
 */
export function rawTermsRegex(words: readonly string[]): RegExp {
  return new RegExp(`(?:^|[^A-Za-z0-9])(?:${words.map(escapeRegExp).join('|')})(?:$|[^A-Za-z0-9])`, 'i');
}

// ---------------------------------------------------------------------------------------------
// Helpers the evaluator (rule-eval.ts) and the lint share

/** Leading verb of a CamelCase API name: `TerminateInstances` → `Terminate`, `BatchGetItem` → `Batch`. */
export function leadingWord(name: string): string {
  const m = /^[A-Z]?[a-z0-9]*/.exec(name);
  return m ? m[0] : '';
}

// ---------------------------------------------------------------------------------------------
// Validation of rule data (so a typo in a YAML file fails at load time, with its location)

const EXPR_KINDS = ['path', 'const', 'absent', 'coalesce', 'case', 'if', 'regex', 'last_segment', 'lookup', 'verb'];
const COND_KINDS = ['all', 'any', 'not', 'raw_term', 'field'];
const FIELD_OPS = ['eq', 'ne', 'in', 'in_set', 'like', 'exists'];

/** Returns a list of problems (empty when the expression is well formed). */
export function checkExpr(e: unknown, where: string, env: Pick<RuleEnv, 'tables' | 'sets'>): string[] {
  if (typeof e === 'string') return [];
  if (e === null || typeof e !== 'object' || Array.isArray(e)) return [`${where}: expected a field path or a rule object`];
  const o = e as Record<string, unknown>;
  const kind = EXPR_KINDS.find((k) => k in o);
  if (!kind) return [`${where}: unknown rule kind (keys: ${Object.keys(o).join(', ')}); expected one of ${EXPR_KINDS.join(', ')}`];
  const probs: string[] = [];
  switch (kind) {
    case 'absent':
      break;
    case 'path':
    case 'const':
      if (typeof o[kind] !== 'string') probs.push(`${where}.${kind}: expected text`);
      break;
    case 'coalesce':
      if (!Array.isArray(o.coalesce)) probs.push(`${where}.coalesce: expected a list`);
      else o.coalesce.forEach((x, i) => probs.push(...checkExpr(x, `${where}.coalesce[${i}]`, env)));
      break;
    case 'case': {
      const c = o.case as Record<string, unknown>;
      if (!c || !Array.isArray(c.when)) {
        probs.push(`${where}.case: expected {on?, when: [...], else?}`);
        break;
      }
      c.when.forEach((b: unknown, i: number) => {
        const br = b as Record<string, unknown>;
        if (!br || (typeof br.match !== 'string' && !Array.isArray(br.match))) probs.push(`${where}.case.when[${i}]: needs match`);
        if (!br || !('then' in br)) probs.push(`${where}.case.when[${i}]: needs then`);
        else probs.push(...checkExpr(br.then, `${where}.case.when[${i}].then`, env));
      });
      if ('else' in c) probs.push(...checkExpr(c.else, `${where}.case.else`, env));
      break;
    }
    case 'if':
      probs.push(...checkCond(o.if, `${where}.if`, env));
      probs.push(...checkExpr(o.then, `${where}.then`, env));
      if ('else' in o) probs.push(...checkExpr(o.else, `${where}.else`, env));
      break;
    case 'regex': {
      const r = o.regex as Record<string, unknown>;
      if (!r || typeof r.pattern !== 'string') probs.push(`${where}.regex: needs pattern`);
      else {
        try {
          new RegExp(r.pattern, typeof r.flags === 'string' ? r.flags : '');
        } catch (err) {
          probs.push(`${where}.regex.pattern: ${(err as Error).message}`);
        }
        probs.push(...checkExpr(r.from, `${where}.regex.from`, env));
      }
      break;
    }
    case 'last_segment':
      probs.push(...checkExpr((o.last_segment as Record<string, unknown>)?.from, `${where}.last_segment.from`, env));
      break;
    case 'lookup':
    case 'verb': {
      const l = o[kind] as Record<string, unknown>;
      if (!l || typeof l.table !== 'string' || !(l.table in env.tables)) probs.push(`${where}.${kind}: unknown table ${String(l?.table)}`);
      probs.push(...checkExpr(kind === 'lookup' ? l?.key : l?.from, `${where}.${kind}.${kind === 'lookup' ? 'key' : 'from'}`, env));
      break;
    }
  }
  return probs;
}

export function checkCond(c: unknown, where: string, env: Pick<RuleEnv, 'tables' | 'sets'>): string[] {
  if (c === null || typeof c !== 'object' || Array.isArray(c)) return [`${where}: expected a condition object`];
  const o = c as Record<string, unknown>;
  const kind = COND_KINDS.find((k) => k in o);
  if (!kind) return [`${where}: unknown condition (keys: ${Object.keys(o).join(', ')}); expected one of ${COND_KINDS.join(', ')}`];
  if (kind === 'all' || kind === 'any') {
    const list = o[kind];
    if (!Array.isArray(list)) return [`${where}.${kind}: expected a list`];
    return list.flatMap((x, i) => checkCond(x, `${where}.${kind}[${i}]`, env));
  }
  if (kind === 'not') return checkCond(o.not, `${where}.not`, env);
  if (kind === 'raw_term') return Array.isArray(o.raw_term) ? [] : [`${where}.raw_term: expected a list of words`];
  const op = FIELD_OPS.find((k) => k in o);
  if (!op) return [`${where}: condition on ${String(o.field)} needs one of ${FIELD_OPS.join(', ')}`];
  if (op === 'in_set' && !(String(o.in_set) in env.sets)) return [`${where}: unknown set ${String(o.in_set)}`];
  return [];
}
