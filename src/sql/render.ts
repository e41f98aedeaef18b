/**
 * SQL IR → text, per dialect. The IR names functions with their Trino spelling; a dialect maps the
 * handful of constructs that differ (SCALEOUT.md §2.2): lambdas, array types and literals, JSON
 * extraction, regex functions, ISO-8601 time parsing. Identifiers are always quoted and LIKE
 * always carries ESCAPE '\'.
 *
 * Dialects:
 *  - `trino`: Athena engine v3 / Trino text.
 *  - `duckdb`: DuckDB's own spelling.
 *  - `trino-on-duckdb`: the Trino text, except for the constructs DuckDB cannot take through
 *    macros (lambdas, ARRAY(...) types, array literals): what the differential tests run on
 *    DuckDB with the Trino shim loaded (SCALEOUT.md §2.3).
 */
import type { Ex, Query, Stage } from './ir.js';

export type DialectName = 'trino' | 'duckdb' | 'trino-on-duckdb';
export const DIALECTS: DialectName[] = ['trino', 'duckdb'];

interface Hooks {
  name: DialectName;
  lambda(kind: 'any' | 'map' | 'filter', arr: string, v: string, body: string): string;
  arrayLiteral(items: string[]): string;
  arrayType(elem: 'JSON' | 'VARCHAR'): string;
  /** Function spelled differently (args already rendered); undefined = Trino spelling. */
  fn(name: string, args: string[], raw: Ex[]): string | undefined;
}

export function quoteId(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function quoteString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

function numberLiteral(n: number): string {
  if (!Number.isFinite(n)) throw new Error(`cannot render the number ${n} in SQL`);
  if (Number.isInteger(n) && Math.abs(n) < 1e15) return String(n);
  // A double literal in both dialects (Trino reads 1.5 as DECIMAL, which compares fine too).
  const s = String(n);
  return /e/i.test(s) ? s.toUpperCase() : s;
}

/** JSON path text for a dotted key path (keys checked by the planner to be plain names). */
export function jsonPath(keys: readonly string[]): string {
  return keys.length === 0 ? '$' : '$.' + keys.join('.');
}

const trinoHooks: Hooks = {
  name: 'trino',
  lambda(kind, arr, v, body) {
    const f = kind === 'any' ? 'any_match' : kind === 'map' ? 'transform' : 'filter';
    return `${f}(${arr}, ${v} -> ${body})`;
  },
  arrayLiteral: (items) => `ARRAY[${items.join(', ')}]`,
  arrayType: (elem) => `ARRAY(${elem})`,
  fn(name, args) {
    switch (name) {
      // SPL leaf text of a JSON value at a path: strings as-is, numbers and booleans as text,
      // JSON null as the text "null" (SPL.md §1.5), objects and arrays absent.
      case 'tg_json_leaf':
        return `CASE WHEN json_extract_scalar(${args[0]}, ${args[1]}) IS NOT NULL THEN json_extract_scalar(${args[0]}, ${args[1]}) WHEN json_format(json_extract(${args[0]}, ${args[1]})) = 'null' THEN 'null' END`;
      case 'tg_json_array':
        return `TRY_CAST(json_extract(${args[0]}, ${args[1]}) AS ARRAY(JSON))`;
      case 'tg_iso_epoch':
        return `to_unixtime(try(from_iso8601_timestamp(${args[0]})))`;
      default:
        return undefined;
    }
  },
};

const duckLambda: Hooks['lambda'] = (kind, arr, v, body) => {
  if (kind === 'any') return `(len(list_filter(${arr}, lambda ${v}: ${body})) > 0)`;
  return `${kind === 'map' ? 'list_transform' : 'list_filter'}(${arr}, lambda ${v}: ${body})`;
};

const duckdbHooks: Hooks = {
  name: 'duckdb',
  lambda: duckLambda,
  arrayLiteral: (items) => `[${items.join(', ')}]`,
  arrayType: (elem) => `${elem}[]`,
  fn(name, args) {
    switch (name) {
      case 'tg_json_leaf':
        return `CASE json_type(${args[0]}, ${args[1]}) WHEN 'NULL' THEN 'null' WHEN 'OBJECT' THEN NULL WHEN 'ARRAY' THEN NULL ELSE json_extract_string(${args[0]}, ${args[1]}) END`;
      case 'tg_json_array':
        return `CASE WHEN json_type(${args[0]}, ${args[1]}) = 'ARRAY' THEN CAST(json_extract(${args[0]}, ${args[1]}) AS JSON[]) END`;
      case 'tg_iso_epoch':
        return `epoch(TRY_CAST(${args[0]} AS TIMESTAMPTZ))`;
      case 'regexp_like':
        return `regexp_matches(${args[0]}, ${args[1]})`;
      case 'regexp_extract':
        // Trino gives NULL when nothing matches; DuckDB's built-in gives ''.
        return `CASE WHEN regexp_matches(${args[0]}, ${args[1]}) THEN regexp_extract(${args[0]}, ${args[1]}, ${args[2] ?? '0'}) END`;
      case 'cardinality':
        return `len(${args[0]})`;
      case 'element_at':
        return `list_extract(${args[0]}, ${args[1]})`;
      case 'json_format':
        return `CAST(${args[0]} AS VARCHAR)`;
      default:
        return undefined;
    }
  },
};

/** Trino text where DuckDB can run it with the shim; DuckDB forms where no macro can help. */
const trinoOnDuckdbHooks: Hooks = {
  name: 'trino-on-duckdb',
  lambda: duckLambda,
  arrayLiteral: duckdbHooks.arrayLiteral,
  arrayType: duckdbHooks.arrayType,
  fn(name, args, raw) {
    if (name === 'tg_json_array') return `TRY_CAST(json_extract(${args[0]}, ${args[1]}) AS JSON[])`;
    return trinoHooks.fn(name, args, raw);
  },
};

const HOOKS: Record<DialectName, Hooks> = { trino: trinoHooks, duckdb: duckdbHooks, 'trino-on-duckdb': trinoOnDuckdbHooks };

const PREC: Record<string, number> = { OR: 1, AND: 2, '=': 4, '<>': 4, '<': 4, '<=': 4, '>': 4, '>=': 4, '||': 5, '+': 6, '-': 6, '*': 7, '/': 7 };

export class Renderer {
  private readonly h: Hooks;
  constructor(readonly dialect: DialectName) {
    this.h = HOOKS[dialect];
  }

  ex(e: Ex, parentPrec = 0): string {
    const h = this.h;
    switch (e.k) {
      case 'lit':
        if (e.v === null) return 'NULL';
        if (typeof e.v === 'boolean') return e.v ? 'TRUE' : 'FALSE';
        if (typeof e.v === 'number') return numberLiteral(e.v);
        return quoteString(e.v);
      case 'verbatim':
        return e.sql;
      case 'id':
        return e.parts.map(quoteId).join('.');
      case 'fn': {
        const args = e.args.map((a) => this.ex(a));
        return h.fn(e.name, args, e.args) ?? `${e.name}(${args.join(', ')})`;
      }
      case 'bin': {
        const p = PREC[e.op]!;
        const s = `${this.ex(e.l, p)} ${e.op} ${this.ex(e.r, p + 1)}`;
        return p < parentPrec ? `(${s})` : s;
      }
      case 'not':
        return `NOT (${this.ex(e.e)})`;
      case 'isnull':
        return `${this.ex(e.e, 8)} IS ${e.neg ? 'NOT ' : ''}NULL`;
      case 'like': {
        const s = `${this.ex(e.e, 5)} LIKE ${this.ex(e.pat, 5)} ESCAPE '\\'`;
        return parentPrec > 3 ? `(${s})` : s;
      }
      case 'case': {
        const whens = e.whens.map(([c, v]) => `WHEN ${this.ex(c)} THEN ${this.ex(v)}`).join(' ');
        return `CASE ${whens}${e.else ? ` ELSE ${this.ex(e.else)}` : ''} END`;
      }
      case 'cast': {
        const to = e.to === 'json_array' ? h.arrayType('JSON') : e.to === 'varchar_array' ? h.arrayType('VARCHAR') : e.to.toUpperCase();
        return `${e.try ? 'TRY_CAST' : 'CAST'}(${this.ex(e.e)} AS ${to})`;
      }
      case 'lambda':
        return h.lambda(e.kind, this.ex(e.arr), e.v, this.ex(e.body));
      case 'array':
        if (e.items.length === 0) return `CAST(${h.arrayLiteral([])} AS ${h.arrayType('VARCHAR')})`;
        return h.arrayLiteral(e.items.map((i) => this.ex(i)));
      case 'agg': {
        const name = e.fn === 'count_star' ? 'count' : e.fn;
        const args = e.fn === 'count_star' ? '*' : `${e.distinct ? 'DISTINCT ' : ''}${e.args.map((a) => this.ex(a)).join(', ')}`;
        return `${name}(${args})${e.filter ? ` FILTER (WHERE ${this.ex(e.filter)})` : ''}`;
      }
      case 'exists': {
        if (e.values === null) return `EXISTS (SELECT 1 FROM ${quoteId(e.alias)} WHERE ${this.ex(e.where)})`;
        const rows = e.values.map((r) => `(${r.map((c) => this.ex(c)).join(', ')})`).join(', ');
        return `EXISTS (SELECT 1 FROM (VALUES ${rows}) AS ${quoteId(e.alias)}(${e.columns.map(quoteId).join(', ')}) WHERE ${this.ex(e.where)})`;
      }
    }
  }

  private stage(s: Stage, source: string): string {
    const lines: string[] = [];
    const sel = s.select.map((c) => (c.as === '' ? this.ex(c.ex) : `${this.ex(c.ex)} AS ${quoteId(c.as)}`));
    lines.push(`  SELECT ${sel.join(',\n         ')}`);
    let from = s.from === null ? source : `${quoteId(s.from)}${s.fromAlias ? ` AS ${quoteId(s.fromAlias)}` : ''}`;
    for (const u of s.unnest ?? []) from += `\n  CROSS JOIN UNNEST(${this.ex(u.ex)}) AS ${quoteId(u.alias)}(${quoteId(u.column)})`;
    lines.push(`  FROM ${from}`);
    if (s.where.length) lines.push(`  WHERE ${s.where.map((w) => this.ex(w, 2)).join('\n    AND ')}`);
    if (s.groupBy && s.groupBy.length) lines.push(`  GROUP BY ${s.groupBy.map((g) => this.ex(g)).join(', ')}`);
    return lines.join('\n');
  }

  /**
   * The whole statement: a WITH chain whose last stage is the final SELECT. `jsonArrays` names
   * output columns to return as JSON text (Athena's result API renders arrays ambiguously).
   */
  query(q: Query, source: string, jsonArrays: string[] = []): string {
    const out: string[] = q.header.map((h) => `-- ${h}`);
    const wrap = jsonArrays.length > 0;
    const last = wrap ? q.stages.length : q.stages.length - 1;
    q.stages.forEach((s, i) => {
      const notes = s.notes.map((n) => `  -- ${n}`);
      if (i < last) {
        out.push(`${i === 0 ? 'WITH' : ','} ${quoteId(s.name)} AS (`, ...notes, this.stage(s, source), ')');
      } else {
        out.push(...notes.map((n) => n.slice(2)), this.stage(s, source).replace(/^ {2}/gm, ''));
      }
    });
    if (wrap) {
      const cols = q.output.map((c) => (jsonArrays.includes(c) ? `json_format(CAST(${quoteId(c)} AS JSON)) AS ${quoteId(c)}` : quoteId(c)));
      out.push('-- arrays as JSON text', `SELECT ${cols.join(', ')}`, `FROM ${quoteId(q.stages[q.stages.length - 1]!.name)}`);
    }
    return out.join('\n');
  }
}
