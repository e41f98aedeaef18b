/**
 * AST → SPL text (canonical: one space between tokens, `search` spelled out, options first), such
 * that parse(print(ast)) equals ast ignoring spans. Also the indented tree used by `explain`.
 */
import { SORT_DEFAULT_LIMIT } from './syntax/sort.js';
import type { AggCall, Command, Expr, Options, Pipeline, SearchExpr, SearchValue, SortKey } from './ast.js';

// ───────────── names and values ─────────────

/** Words that mean something inside some command's arguments: printed quoted when used as names. */
const RESERVED = new Set(['as', 'by', 'output', 'outputnew', 'from', 'where', 'sortby', 'and', 'or', 'not', 'in', 'xor', 'like']);
const SAFE_WORD = /^[^\s"|[\](),=<>`!']+$/;

export function quoteString(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** A field or table name as a search-mode word, quoted when it would lex differently. */
export function printName(name: string): string {
  if (SAFE_WORD.test(name) && !RESERVED.has(name.toLowerCase()) && !/^[-+$]/.test(name) && !/^\d+$/.test(name)) return name;
  return quoteString(name);
}

/** A name inside fit/apply (ML-SPL): quoted also when it is a clause keyword or holds a comma. */
function printMlName(name: string): string {
  return ['into', '~'].includes(name.toLowerCase()) ? quoteString(name) : printName(name);
}

function printOptionValue(v: string): string {
  return SAFE_WORD.test(v) ? v : quoteString(v);
}

function printOptions(o: Options): string[] {
  return Object.entries(o).map(([k, v]) => `${k}=${printOptionValue(v)}`);
}

// ───────────── eval expressions ─────────────

const PREC: Record<string, number> = {
  OR: 1, XOR: 1, AND: 2, NOT: 3,
  '=': 4, '==': 4, '!=': 4, '<': 4, '<=': 4, '>': 4, '>=': 4, LIKE: 4, IN: 4,
  '.': 5, '+': 6, '-': 6, '*': 7, '/': 7, '%': 7,
};

function precOf(e: Expr): number {
  switch (e.kind) {
    case 'binary':
      return PREC[e.op]!;
    case 'unary':
      return e.op === 'NOT' ? 3 : 8;
    case 'in':
      return 4;
    default:
      return 9;
  }
}

const EVAL_IDENT = /^[A-Za-z_@$][A-Za-z0-9_@$]*$/;
const EVAL_KEYWORDS = new Set(['and', 'or', 'xor', 'not', 'like', 'in']);

export function printExpr(e: Expr): string {
  const wrap = (child: Expr, min: number) => (precOf(child) < min ? `(${printExpr(child)})` : printExpr(child));
  switch (e.kind) {
    case 'string':
      return quoteString(e.value);
    case 'number':
      return e.text;
    case 'field':
      if (!e.quoted && EVAL_IDENT.test(e.name) && !EVAL_KEYWORDS.has(e.name.toLowerCase())) return e.name;
      return `'${e.name.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
    case 'call':
      return `${e.name}(${e.args.map(printExpr).join(', ')})`;
    case 'binary': {
      const p = PREC[e.op]!;
      return `${wrap(e.left, p)} ${e.op} ${wrap(e.right, p + 1)}`;
    }
    case 'unary':
      return e.op === 'NOT' ? `NOT ${wrap(e.operand, 3)}` : `${e.op}${wrap(e.operand, 8)}`;
    case 'in':
      return `${wrap(e.operand, 4)} IN (${e.values.map(printExpr).join(', ')})`;
  }
}

// ───────────── search expressions ─────────────

function printValue(v: SearchValue): string {
  return v.quoted ? quoteString(v.text) : v.text;
}

function printSearchField(name: string): string {
  return SAFE_WORD.test(name) && !['AND', 'OR', 'NOT', 'IN', 'earliest', 'latest', 'by'].includes(name) && !/^[-+]/.test(name) ? name : quoteString(name);
}

export function printSearch(e: SearchExpr): string {
  const child = (c: SearchExpr) => ((c.kind === 'and' || c.kind === 'or') && c.terms.length > 0 ? `(${printSearch(c)})` : printSearch(c));
  switch (e.kind) {
    case 'and':
      return e.terms.length === 0 ? '()' : e.terms.map(child).join(' ');
    case 'or':
      return e.terms.map(child).join(' OR ');
    case 'not':
      return `NOT ${child(e.term)}`;
    case 'compare':
      return `${printSearchField(e.field)}${e.op}${printValue(e.value)}`;
    case 'in':
      return `${printSearchField(e.field)} IN (${e.values.map(printValue).join(', ')})`;
    case 'word':
      return printValue(e.value);
    case 'subsearch':
      return `[${printPipelineText(e.pipeline, true)}]`;
    case 'time':
      return `${e.which}=${printOptionValue(e.value)}`;
  }
}

// ───────────── commands ─────────────

function printAgg(a: AggCall): string {
  const call = a.text;
  return a.as === null ? call : `${call} as ${printName(a.as)}`;
}

function printSortKey(k: SortKey): string {
  const body = k.mode ? `${k.mode}(${k.field})` : printName(k.field);
  if (!k.desc) return body;
  return !k.mode && body === k.field ? `-${body}` : `- ${body}`;
}

function join(parts: (string | null | undefined | false)[]): string {
  return parts.filter((p): p is string => typeof p === 'string' && p !== '').join(' ');
}

type Printers = { [K in Command['name']]: (c: Extract<Command, { name: K }>) => string };

const fieldAs = (f: { field: string; as: string | null }) => (f.as === null ? printName(f.field) : `${printName(f.field)} as ${printName(f.as)}`);

const statsLike = (c: Extract<Command, { name: 'stats' | 'eventstats' | 'streamstats' }>) =>
  join([c.name, ...printOptions(c.options), c.aggs.map(printAgg).join(', '), c.by.length ? `by ${c.by.map(printName).join(', ')}` : null]);

const binLike = (c: Extract<Command, { name: 'bin' | 'bucket' }>) =>
  join([c.name, ...printOptions(c.options), printName(c.field), c.as === null ? null : `as ${printName(c.as)}`]);

const PRINTERS: Printers = {
  search: (c) => join(['search', c.expr ? printSearch(c.expr) : null]),
  where: (c) => `where ${printExpr(c.expr)}`,
  eval: (c) => `eval ${c.assignments.map((a) => `${SAFE_WORD.test(a.field) ? a.field : `'${a.field.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`}=${printExpr(a.expr)}`).join(', ')}`,
  stats: statsLike,
  eventstats: statsLike,
  streamstats: statsLike,
  tstats: (c) =>
    join([
      'tstats',
      ...printOptions(c.options),
      c.aggs.map(printAgg).join(', '),
      c.from ? `from datamodel=${printOptionValue(c.from.dataset ? `${c.from.datamodel}.${c.from.dataset}` : c.from.datamodel)}` : null,
      c.where ? `where ${printSearch(c.where)}` : null,
      c.by.length ? `by ${c.by.map(printName).join(', ')}` : null,
      c.timeSpan !== undefined ? `span=${printOptionValue(c.timeSpan)}` : null,
    ]),
  table: (c) => `table ${c.fields.map(printName).join(', ')}`,
  fields: (c) => join(['fields', c.mode === '-' ? '-' : null, c.fields.map(printName).join(', ')]),
  rename: (c) => `rename ${c.pairs.map((p) => `${printName(p.from)} as ${printName(p.to)}`).join(', ')}`,
  dedup: (c) =>
    join(['dedup', c.count !== 1 ? String(c.count) : null, ...printOptions(c.options), c.fields.map(printName).join(', '), c.sortby.length ? `sortby ${c.sortby.map(printSortKey).join(', ')}` : null]),
  sort: (c) => join(['sort', c.limit !== SORT_DEFAULT_LIMIT ? String(c.limit) : null, c.keys.map(printSortKey).join(', ')]),
  head: (c) => join(['head', ...printOptions(c.options), c.expr ? `(${printExpr(c.expr)})` : String(c.count)]),
  tail: (c) => `tail ${c.count}`,
  fillnull: (c) => join(['fillnull', c.value !== '0' ? `value=${printOptionValue(c.value)}` : null, c.fields.map(printName).join(' ')]),
  lookup: (c) =>
    join(['lookup', ...printOptions(c.options), printName(c.table), c.keys.map(fieldAs).join(', '), c.outputMode, c.outputs.map(fieldAs).join(', ')]),
  inputlookup: (c) => join(['inputlookup', ...printOptions(c.options), printName(c.table), c.where ? `where ${printSearch(c.where)}` : null]),
  outputlookup: (c) => join(['outputlookup', ...printOptions(c.options), printName(c.table)]),
  convert: (c) => join(['convert', ...printOptions(c.options), c.conversions.map((v) => `${v.fn}(${v.field})${v.as === null ? '' : ` as ${printName(v.as)}`}`).join(', ')]),
  spath: (c) =>
    join(['spath', c.input !== null ? `input=${printOptionValue(c.input)}` : null, c.output !== null ? `output=${printOptionValue(c.output)}` : null, c.path !== null ? `path=${printOptionValue(c.path)}` : null]),
  mvexpand: (c) => join(['mvexpand', ...printOptions(c.options), printName(c.field)]),
  bin: binLike,
  bucket: binLike,
  rex: (c) => join(['rex', `field=${printOptionValue(c.field)}`, ...printOptions(c.options), quoteString(c.regex)]),
  join: (c) => join(['join', ...printOptions(c.options), c.fields.map(printName).join(', '), `[${printPipelineText(c.subsearch, true)}]`]),
  append: (c) => join(['append', ...printOptions(c.options), `[${printPipelineText(c.subsearch, true)}]`]),
  iplocation: (c) => join(['iplocation', ...printOptions(c.options), printName(c.field)]),
  return: (c) =>
    join(['return', c.count !== 1 ? String(c.count) : null, ...c.items.map((i) => (i.valueOnly ? `$${i.field}` : i.as !== null ? `${i.as}=${printOptionValue(i.field)}` : printName(i.field)))]),
  format: (c) => join(['format', ...printOptions(c.options), ...c.positional.map(quoteString)]),
  makeresults: (c) => join(['makeresults', ...printOptions(c.options)]),
  fit: (c) =>
    join([
      'fit',
      c.algorithm,
      ...c.features.map(printMlName),
      c.by.length ? `by ${c.by.length === 1 ? printMlName(c.by[0]!) : quoteString(c.by.join(','))}` : null,
      c.into !== null ? `into ${c.into}` : null,
      c.as !== null ? `as ${printMlName(c.as)}` : null,
      ...printOptions(c.options),
    ]),
  apply: (c) => join(['apply', c.model, ...printOptions(c.options), c.as !== null ? `as ${printMlName(c.as)}` : null]),
  summary: (c) => join(['summary', ...printOptions(c.options), c.model]),
  anomalydetection: (c) => join(['anomalydetection', ...printOptions(c.options), ...c.fields.map(printName)]),
  outlier: (c) => join(['outlier', ...printOptions(c.options), ...c.fields.map(printName)]),
  makecontinuous: (c) => join(['makecontinuous', ...printOptions(c.options), c.field !== null ? printName(c.field) : null]),
};

export function printCommand(c: Command): string {
  return (PRINTERS[c.name] as (c: Command) => string)(c);
}

function printPipelineText(p: Pipeline, _subsearch: boolean): string {
  return p.commands
    .map((c, i) => (i === 0 && c.name !== 'search' ? `| ${printCommand(c)}` : printCommand(c)))
    .join(' | ');
}

/** Canonical SPL text of a pipeline. */
export function printPipeline(p: Pipeline): string {
  return printPipelineText(p, false);
}

// ───────────── the tree for `explain` ─────────────

function exprTree(e: Expr, depth: number, out: string[]): void {
  const pad = '  '.repeat(depth);
  switch (e.kind) {
    case 'string':
      out.push(`${pad}string ${quoteString(e.value)}`);
      return;
    case 'number':
      out.push(`${pad}number ${e.text}`);
      return;
    case 'field':
      out.push(`${pad}field ${e.name}${e.quoted ? ' (quoted)' : ''}`);
      return;
    case 'call':
      out.push(`${pad}call ${e.name}`);
      for (const a of e.args) exprTree(a, depth + 1, out);
      return;
    case 'binary':
      out.push(`${pad}binary ${e.op}`);
      exprTree(e.left, depth + 1, out);
      exprTree(e.right, depth + 1, out);
      return;
    case 'unary':
      out.push(`${pad}unary ${e.op}`);
      exprTree(e.operand, depth + 1, out);
      return;
    case 'in':
      out.push(`${pad}in`);
      exprTree(e.operand, depth + 1, out);
      for (const v of e.values) exprTree(v, depth + 2, out);
      return;
  }
}

function searchTree(e: SearchExpr, depth: number, out: string[]): void {
  const pad = '  '.repeat(depth);
  switch (e.kind) {
    case 'and':
    case 'or':
      out.push(`${pad}${e.kind}`);
      for (const t of e.terms) searchTree(t, depth + 1, out);
      return;
    case 'not':
      out.push(`${pad}not`);
      searchTree(e.term, depth + 1, out);
      return;
    case 'compare':
      out.push(`${pad}compare ${e.field} ${e.op} ${printValue(e.value)}`);
      return;
    case 'in':
      out.push(`${pad}in ${e.field} (${e.values.map(printValue).join(', ')})`);
      return;
    case 'word':
      out.push(`${pad}word ${printValue(e.value)}`);
      return;
    case 'time':
      out.push(`${pad}time ${e.which}=${e.value}`);
      return;
    case 'subsearch':
      out.push(`${pad}subsearch`);
      pipelineTree(e.pipeline, depth + 1, out);
      return;
  }
}

/** One-line forms of the small records inside commands (rename pairs, lookup fields, sort keys…). */
function briefItem(x: Record<string, unknown>): string {
  if ('from' in x && 'to' in x) return `${x.from} → ${x.to}`;
  if ('fn' in x && 'field' in x) return `${x.fn}(${x.field})${x.as ? ` as ${x.as}` : ''}`;
  if ('valueOnly' in x) return x.valueOnly ? `$${x.field}` : x.as ? `${x.as}=${x.field}` : String(x.field);
  if ('desc' in x) return `${x.desc ? '-' : ''}${x.mode ? `${x.mode}(${x.field})` : x.field}`;
  if ('field' in x && 'as' in x) return x.as ? `${x.field} as ${x.as}` : String(x.field);
  return JSON.stringify(x);
}

function commandTree(c: Command, n: number, depth: number, out: string[]): void {
  const pad = '  '.repeat(depth);
  const scalars: string[] = [];
  const nested: (() => void)[] = [];
  for (const [k, v] of Object.entries(c)) {
    if (k === 'kind' || k === 'name' || k === 'span') continue;
    if (v === null || v === undefined) continue;
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') scalars.push(`${k}=${JSON.stringify(v)}`);
    else if (Array.isArray(v) && v.every((x) => typeof x === 'string')) {
      if (v.length) scalars.push(`${k}=[${v.join(', ')}]`);
    } else if (k === 'options') {
      if (Object.keys(v).length) scalars.push(`options{${printOptions(v as Options).join(' ')}}`);
    } else if (k === 'from') {
      const f = v as { datamodel: string; dataset?: string };
      scalars.push(`from=${f.datamodel}${f.dataset ? `.${f.dataset}` : ''}`);
    } else if (k === 'expr' || (k === 'where' && c.name !== 'where')) {
      nested.push(() => {
        out.push(`${pad}    ${k}:`);
        // `search`'s expr and the `where` of tstats/inputlookup are search expressions; the rest are eval.
        if (c.name === 'search' || k === 'where') searchTree(v as SearchExpr, depth + 3, out);
        else exprTree(v as Expr, depth + 3, out);
      });
    } else if (k === 'subsearch') {
      nested.push(() => {
        out.push(`${pad}    subsearch:`);
        pipelineTree(v as Pipeline, depth + 3, out);
      });
    } else if (k === 'assignments') {
      for (const a of v as { field: string; expr: Expr }[]) {
        nested.push(() => {
          out.push(`${pad}    ${a.field} =`);
          exprTree(a.expr, depth + 3, out);
        });
      }
    } else if (k === 'aggs') {
      for (const a of v as AggCall[]) {
        nested.push(() => {
          out.push(`${pad}    agg ${a.fn}${a.param !== undefined ? ` param=${a.param}` : ''}${a.field !== null ? ` field=${a.field}` : ''} → ${a.as ?? a.text}`);
          if (a.evalArg) exprTree(a.evalArg, depth + 3, out);
        });
      }
    } else if (Array.isArray(v)) {
      if (v.length) scalars.push(`${k}=[${v.map((x) => briefItem(x as Record<string, unknown>)).join(', ')}]`);
    } else {
      scalars.push(`${k}=${JSON.stringify(v)}`);
    }
  }
  out.push(`${pad}${n}. ${c.name}${scalars.length ? ' ' + scalars.join(' ') : ''}`);
  for (const f of nested) f();
}

function pipelineTree(p: Pipeline, depth: number, out: string[]): void {
  p.commands.forEach((c, i) => commandTree(c, i + 1, depth, out));
}

/** Indented, numbered, one line per command and per expression node. */
export function printTree(p: Pipeline): string {
  const out: string[] = [];
  pipelineTree(p, 0, out);
  return out.join('\n');
}

/** The AST as JSON (spans included: offsets into the expanded text). */
export function printJson(p: Pipeline): string {
  return JSON.stringify(p, null, 2);
}
