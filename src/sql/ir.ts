/**
 * The SQL IR: a small expression tree and a query made of named stages (CTEs). The planner builds
 * it from the logical plan; a dialect renderer (render.ts) turns it into Trino or DuckDB text.
 * Functions are named with their Trino spelling; the DuckDB renderer maps the few that differ.
 *
 * SPL values in SQL (SPL.md §1.1): a field is a column of one of these kinds —
 *   text  varchar, NULL = absent
 *   num   double (numbers made by eval, `_time`), NULL = absent
 *   mv    array(varchar), NULL or empty = absent (multivalue fields, arrays in the event)
 *   bool  a condition (only inside expressions; SPL cannot store one in a field)
 */

export type Kind = 'text' | 'num' | 'mv' | 'bool';

export type Ex =
  | { k: 'lit'; v: string | number | boolean | null }
  /** Quoted identifier path: ["t", "useridentity", "arn"] → "t"."useridentity"."arn". */
  | { k: 'id'; parts: string[] }
  | { k: 'fn'; name: string; args: Ex[] }
  | { k: 'bin'; op: BinOp; l: Ex; r: Ex }
  | { k: 'not'; e: Ex }
  | { k: 'isnull'; e: Ex; neg: boolean }
  /** `e LIKE pat ESCAPE '\'` (always with ESCAPE: SCALEOUT §2.1). */
  | { k: 'like'; e: Ex; pat: Ex }
  | { k: 'case'; whens: [Ex, Ex][]; else: Ex | null }
  | { k: 'cast'; e: Ex; to: CastType; try: boolean }
  /** Array lambdas: any element satisfies / map / keep elements. Rendered per dialect. */
  | { k: 'lambda'; kind: 'any' | 'map' | 'filter'; arr: Ex; v: string; body: Ex }
  | { k: 'array'; items: Ex[] }
  | { k: 'agg'; fn: AggName; args: Ex[]; distinct?: boolean; filter?: Ex }
  /**
   * EXISTS over inline VALUES rows (subsearch filters, SPL.md §2.8); `values: null` names a
   * relation instead (how `trailguard sql` shows a subsearch whose rows are only known at run time).
   */
  | { k: 'exists'; values: Ex[][] | null; alias: string; columns: string[]; where: Ex }
  /** Text kept verbatim: only for SQL the IR builds itself from constants (never user text). */
  | { k: 'verbatim'; sql: string };

export type BinOp = 'AND' | 'OR' | '=' | '<>' | '<' | '<=' | '>' | '>=' | '+' | '-' | '*' | '/' | '||';
export type CastType = 'double' | 'varchar' | 'bigint' | 'json_array' | 'varchar_array';
export type AggName =
  | 'count' | 'count_star' | 'sum' | 'min' | 'max' | 'avg' | 'array_agg' | 'min_by' | 'max_by' | 'bool_or';

export const lit = (v: string | number | boolean | null): Ex => ({ k: 'lit', v });
export const id = (...parts: string[]): Ex => ({ k: 'id', parts });
export const fn = (name: string, ...args: Ex[]): Ex => ({ k: 'fn', name, args });
export const bin = (op: BinOp, l: Ex, r: Ex): Ex => ({ k: 'bin', op, l, r });
export const not = (e: Ex): Ex => ({ k: 'not', e });
export const isNull = (e: Ex): Ex => ({ k: 'isnull', e, neg: false });
export const isNotNull = (e: Ex): Ex => ({ k: 'isnull', e, neg: true });
export const cast = (e: Ex, to: CastType, tryCast = false): Ex => ({ k: 'cast', e, to, try: tryCast });
export const caseWhen = (whens: [Ex, Ex][], otherwise: Ex | null = null): Ex => ({ k: 'case', whens, else: otherwise });
export const TRUE = lit(true);
export const FALSE = lit(false);
export const NULL = lit(null);

export function and(...es: Ex[]): Ex {
  const parts = es.filter((e) => !(e.k === 'lit' && e.v === true));
  if (parts.some((e) => e.k === 'lit' && e.v === false)) return FALSE;
  if (parts.length === 0) return TRUE;
  return parts.reduce((a, b) => bin('AND', a, b));
}

export function or(...es: Ex[]): Ex {
  const parts = es.filter((e) => !(e.k === 'lit' && e.v === false));
  if (parts.some((e) => e.k === 'lit' && e.v === true)) return TRUE;
  if (parts.length === 0) return FALSE;
  return parts.reduce((a, b) => bin('OR', a, b));
}

/** `coalesce(p, false)`: a condition that is never NULL (so NOT keeps rows lacking a field). */
export function definite(p: Ex): Ex {
  if (p.k === 'lit' || p.k === 'exists' || p.k === 'isnull') return p;
  if (p.k === 'not') return p;
  return fn('coalesce', p, FALSE);
}

export function negate(p: Ex): Ex {
  if (p.k === 'lit' && typeof p.v === 'boolean') return lit(!p.v);
  return not(definite(p));
}

/** A typed SQL value: the expression and what kind of SPL value it holds. */
export interface Typed {
  ex: Ex;
  kind: Kind;
}

/** One stage of a query: SELECT list FROM the previous stage (or the source) WHERE … GROUP BY …. */
export interface Stage {
  name: string;
  /** Comment lines put above the stage (which SPL command it comes from). */
  notes: string[];
  select: { ex: Ex; as: string }[];
  /** Previous stage name, or null for the source (the profile's table). */
  from: string | null;
  /** Alias of the previous stage (expressions over the source use "t"). */
  fromAlias?: string;
  /** `CROSS JOIN UNNEST(ex) AS u(col)` items (multivalue by-fields). */
  unnest?: { ex: Ex; alias: string; column: string }[];
  where: Ex[];
  groupBy?: Ex[];
}

export interface Query {
  stages: Stage[];
  /** Comment lines put above the whole statement. */
  header: string[];
  /** Output columns of the last stage, in order. */
  output: string[];
}
