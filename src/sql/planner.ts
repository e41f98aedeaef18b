/**
 * The pushdown planner (SCALEOUT.md §5.1): one logical plan, cut in two. The longest prefix of the
 * pipeline that SQL can compute exactly — the leading search (or tstats), `| search`, `where`,
 * `eval`, `rename`, `bin _time`, up to and including the first `stats` — becomes a query in the SQL
 * IR; the rest runs in Trailguard over the rows it returns. A command that cannot be compiled
 * exactly moves the cut before it, with the reason (`explain --stage plan`, `trailguard sql`).
 *
 * Query shape (one statement; stages are CTEs):
 *   src    : the profile's table, with `_time`, pruned by partition and exact time predicates
 *   ev     : the SPL fields the search reads, resolved through the field model (fields.ts)
 *   events : the pushed filters and evals, each annotated with its SPL command
 *   agg    : the stats/tstats groups and their accumulator states (aggregates.ts)
 * Subsearch filters are resolved before the query is built (their rows become a VALUES semi-join).
 */
import type { Command, Pipeline, SearchExpr, StatsCommand, TstatsCommand } from '../spl/ast.js';
import type { FieldModel } from '../cloudtrail/index.js';
import type { Row } from '../engine/row.js';
import { resolveAggs, type ResolvedAgg } from '../engine/aggregation.js';
import { splitTimeTerms } from '../commands/search.js';
import { parseSpan } from '../commands/bin.js';
import { parseTimeBound, type EvalContext } from '../eval/index.js';
import { toText, valuesOf } from '../eval/value.js';
import { hasWildcard } from '../engine/wildcard.js';
import {
  NULL, and, bin, caseWhen, definite, fn, id, isNotNull, lit, negate, or,
  type Ex, type Query, type Stage, type Typed,
} from './ir.js';
import { DataModelFields, EventFields, RAW_COLUMN, TIME_COLUMN } from './fields.js';
import { EvalCompiler, searchPredicate, type Scope } from './expressions.js';
import { aggregatePlan, type AggPlan } from './aggregates.js';
import { SOURCE, columnName, type Profile } from './profile.js';
import { Unsupported, isPresent, likeFromWildcard, nullIfEmpty, unsupported } from './values.js';
import { quoteId } from './render.js';
import { printPipeline } from '../spl/printer.js';

export interface PlanContext {
  profile: Profile;
  model: FieldModel;
  now: number;
  tz: string;
  /** The run's time range (SPL.md §2.9 narrows it with inline earliest=/latest=). */
  earliest?: number;
  latest?: number;
  /**
   * Rows of the leading command's filter subsearches, in document order (run mode). Undefined:
   * print mode, where each subsearch is shown as a relation named `subsearch_N`.
   */
  subsearchRows?: Row[][];
}

export interface Placement {
  position: number;
  name: string;
  where: 'sql' | 'trailguard';
  detail: string;
}

export type OutputColumn = { name: string; kind: 'text' | 'num' | 'mv' };

export type Decode =
  | { kind: 'stats'; by: OutputColumn[]; aggs: ResolvedAgg[]; plans: AggPlan[]; fill?: string }
  | { kind: 'fields'; columns: OutputColumn[] }
  | { kind: 'events' };

export interface SqlPlan {
  /** null: nothing is pushed; the whole pipeline runs in Trailguard. */
  query: Query | null;
  /** Index of the first command that runs in Trailguard (commands.length: none). */
  cut: number;
  /** Why the cut is where it is (null when the whole pipeline is pushed or it ends at a stats). */
  cutReason: string | null;
  placements: Placement[];
  decode: Decode;
  /** Approximations and notes said in the SQL header (never silent). */
  notes: string[];
  /** The filter subsearches of the pushed leading command, with their own plans (print mode). */
  subsearches: Pipeline[];
  /** Output columns of the query, in order. */
  columns: OutputColumn[];
  /** Time bounds used for pruning (epoch seconds). */
  range: { earliest?: number; latest?: number };
}

/** Alias of the `ev` stage inside the events stage (every column reference is qualified). */
const EV = 'e';

const PUSHABLE_AFTER_LEAD = new Set(['search', 'where', 'eval', 'rename', 'bin', 'bucket', 'stats']);

/** Fields a run of commands needs from its input, or 'all' (SPL row semantics; conservative). */
export function neededFields(cmds: readonly Command[]): Set<string> | 'all' {
  const need = new Set<string>(['_time']);
  const addExprFields = (e: unknown) => {
    const walk = (x: unknown): void => {
      if (!x || typeof x !== 'object') return;
      const o = x as Record<string, unknown>;
      if (o.kind === 'field' && typeof o.name === 'string') need.add(o.name);
      for (const v of Object.values(o)) if (v && typeof v === 'object') walk(v);
    };
    walk(e);
  };
  for (const c of cmds) {
    switch (c.name) {
      case 'stats':
      case 'eventstats':
      case 'streamstats': {
        if (c.aggs.some((a) => a.field !== null && hasWildcard(a.field)) || c.by.some(hasWildcard)) return 'all';
        for (const a of c.aggs) {
          if (a.field) need.add(a.field);
          if (a.evalArg) addExprFields(a.evalArg);
        }
        c.by.forEach((b) => need.add(b));
        if (c.name === 'stats') return need;
        break;
      }
      case 'table':
        if (c.fields.some(hasWildcard)) return 'all';
        c.fields.forEach((f) => need.add(f));
        return need;
      case 'where':
        addExprFields(c.expr);
        break;
      case 'eval':
        c.assignments.forEach((a) => addExprFields(a.expr));
        break;
      case 'rename':
        if (c.pairs.some((p) => hasWildcard(p.from))) return 'all';
        c.pairs.forEach((p) => {
          need.add(p.from);
          need.add(p.to);
        });
        break;
      case 'lookup':
        c.keys.forEach((k) => need.add(k.as ?? k.field));
        c.outputs.forEach((o) => need.add(o.as ?? o.field));
        if (c.outputs.length === 0) return 'all';
        break;
      case 'convert':
        c.conversions.forEach((x) => {
          need.add(x.field);
          if (x.as) need.add(x.as);
        });
        break;
      case 'search': {
        const walk = (e: SearchExpr | null): boolean => {
          if (!e) return true;
          switch (e.kind) {
            case 'and':
            case 'or':
              return e.terms.every(walk);
            case 'not':
              return walk(e.term);
            case 'compare':
            case 'in':
              need.add(e.field);
              return true;
            case 'word':
              need.add('_raw');
              return true;
            case 'time':
              return true;
            case 'subsearch':
              return false;
          }
        };
        if (!walk(c.expr)) return 'all';
        break;
      }
      case 'dedup':
        c.fields.forEach((f) => need.add(f));
        c.sortby.forEach((k) => need.add(k.field));
        break;
      case 'sort':
        c.keys.forEach((k) => need.add(k.field));
        break;
      case 'head':
        if (c.expr) addExprFields(c.expr);
        break;
      case 'tail':
        break;
      case 'bin':
      case 'bucket':
        need.add(c.field);
        break;
      case 'iplocation':
        need.add(c.field);
        break;
      case 'rex':
        need.add(c.field);
        break;
      case 'spath':
        need.add(c.input ?? '_raw');
        break;
      case 'mvexpand':
        need.add(c.field);
        break;
      case 'fillnull':
        if (c.fields.length === 0) return 'all';
        c.fields.forEach((f) => need.add(f));
        break;
      default:
        // fields, outputlookup, inputlookup append, join, append, format, return …: every field.
        return 'all';
    }
  }
  // Rows that reach the end of the search are output with all their fields.
  return 'all';
}

/** Why a command SQL does not take runs in Trailguard (explain, `trailguard sql`). */
const CUT_REASONS: Record<string, string> = {
  lookup: 'it reads a lookup table, which lives in Trailguard\'s state store',
  inputlookup: 'it reads a lookup table, which lives in Trailguard\'s state store',
  outputlookup: 'it writes Trailguard\'s state store',
  eventstats: 'it runs on the (small) grouped rows in Trailguard',
  streamstats: 'it depends on row order, which SQL does not keep',
  iplocation: 'it needs the GeoIP database configured in Trailguard',
  convert: 'ctime formatting is done in Trailguard',
  table: 'it shapes the output rows in Trailguard',
  fields: 'it shapes the output rows in Trailguard',
  fit: 'MLTK models run in Trailguard',
  apply: 'MLTK models run in Trailguard',
  join: 'its subsearch runs in Trailguard',
  append: 'its subsearch runs in Trailguard',
  mvexpand: 'not compiled to SQL yet',
  dedup: 'it depends on row order, which SQL does not keep',
  sort: 'it runs on the (small) result in Trailguard',
  head: 'it depends on row order, which SQL does not keep',
  tail: 'it depends on row order, which SQL does not keep',
  rex: 'PCRE named groups are extracted in Trailguard',
};

function cutReasonOf(c: Command): string {
  if (c.name === 'spath') return c.path ? 'spath is not compiled to SQL yet' : 'spath without a path extracts every key of JSON whose keys SQL would need to know up front';
  return CUT_REASONS[c.name] ?? 'not compiled to SQL';
}

/** The static output columns of a subsearch, when its last shaping command names them. */
export function staticColumns(p: Pipeline): string[] | null {
  let cols: string[] | null = null;
  for (const c of p.commands) {
    if (c.name === 'table' || (c.name === 'fields' && c.mode === '+')) cols = c.fields.some(hasWildcard) ? null : [...c.fields];
    else if (c.name === 'stats' || c.name === 'tstats') cols = c.aggs.some((a) => a.field && hasWildcard(a.field)) ? null : [...c.by, ...c.aggs.map((a) => a.as ?? a.text)];
    else if (c.name === 'rename' && cols) {
      if (c.pairs.some((x) => hasWildcard(x.from))) cols = null;
      else for (const x of c.pairs) cols = cols.map((f) => (f === x.from ? x.to : f)).filter((f, i, all) => all.indexOf(f) === i);
    } else if (c.name === 'eval' && cols) {
      for (const a of c.assignments) if (!cols.includes(a.field)) cols.push(a.field);
    } else if (['search', 'where', 'sort', 'head', 'tail', 'dedup', 'outputlookup', 'convert'].includes(c.name)) continue;
    else cols = null;
  }
  return cols ? cols.filter((f) => !f.startsWith('_')) : null;
}

/**
 * Column names that stay distinct in Trino, which folds identifiers to lower case even when
 * quoted: `userName` and `username` would be one column there. A clash gets a `~N` suffix.
 */
export function columnNamer(): (name: string) => string {
  const byName = new Map<string, string>();
  const taken = new Set<string>();
  return (name) => {
    let col = byName.get(name);
    if (col === undefined) {
      col = name;
      for (let n = 2; taken.has(col.toLowerCase()); n++) col = `${name}~${n}`;
      byName.set(name, col);
      taken.add(col.toLowerCase());
    }
    return col;
  };
}

class Symbols implements Scope {
  /** SQL column of an `ev` field. */
  readonly col = columnNamer();
  /** Fields changed by pushed commands (null = removed), as expressions over `ev` columns. */
  readonly assigned = new Map<string, Typed | null>();
  /** Event fields read from `ev`, with their expressions over the source. */
  readonly base = new Map<string, Typed>();

  constructor(
    readonly events: EventFields,
    private readonly ctx: PlanContext,
  ) {}

  field(name: string): Typed {
    if (this.assigned.has(name)) return this.assigned.get(name) ?? { ex: NULL, kind: 'text' };
    let b = this.base.get(name);
    if (!b) {
      b = this.events.field(name);
      this.base.set(name, b);
    }
    if (b.ex.k === 'lit') return b;
    return { ex: id(EV, this.col(name)), kind: b.kind };
  }

  typeMatch(field: 'tag' | 'eventtype', matches: (n: string) => boolean): Ex {
    // Event types read the event's own fields: only before any pushed command changed one.
    if (this.assigned.size > 0) return unsupported(`${field}=… after eval/rename is not compiled to SQL`);
    return this.lift(this.events.typeMatch(field, matches));
  }

  rawTerm(regex: string, what: string): Ex {
    return this.lift(this.events.rawTerm(regex, what));
  }

  /** A condition over the source table (`t`) becomes a boolean column of `ev`. */
  lift(ex: Ex): Ex {
    if (ex.k === 'lit') return ex;
    const key = JSON.stringify(ex);
    const known = [...this.base.entries()].find(([, v]) => v.kind === 'bool' && JSON.stringify(v.ex) === key);
    if (known) return id(EV, known[0]);
    const name = `_tg_cond_${[...this.base.values()].filter((v) => v.kind === 'bool').length + 1}`;
    this.base.set(name, { ex, kind: 'bool' });
    return id(EV, name);
  }

  timeBound(_which: 'earliest' | 'latest', value: string): number {
    return parseTimeBound(value, this.ctx.now, this.ctx.tz);
  }
}

function evalContext(ctx: PlanContext): EvalContext {
  return { now: ctx.now, tz: ctx.tz, warn: () => {} } as unknown as EvalContext;
}

/** Rows of a subsearch → a predicate (SPL.md §2.8: rows OR-ed, fields AND-ed, values OR-ed). */
function subsearchPredicate(rows: Row[], scope: Scope, index: number): Ex {
  const groups = new Map<string, { fields: string[]; rows: string[][][] }>();
  const verbatim: string[] = [];
  for (const r of rows) {
    const fields: string[] = [];
    const vals: string[][] = [];
    for (const name of r.fieldNames()) {
      if (name.startsWith('_')) continue;
      const v = valuesOf(r.get(name)).map(toText);
      if (v.length === 0) continue;
      if (name === 'search' || name === 'query') {
        verbatim.push(v.join(' '));
        continue;
      }
      fields.push(name);
      vals.push(v);
    }
    if (verbatim.length) return unsupported(`subsearch ${index + 1} returns a search/query field (verbatim search text) — not compiled to SQL`);
    if (fields.length === 0) continue;
    const key = fields.join('\u0000');
    const g = groups.get(key) ?? { fields, rows: [] };
    g.rows.push(vals);
    groups.set(key, g);
  }
  if (groups.size === 0) return lit(false); // `NOT ()`: matches nothing (§2.8)
  const parts: Ex[] = [];
  let n = 0;
  for (const g of groups.values()) {
    const typed = g.fields.map((f) => scope.field(f));
    if (typed.some((t) => t.kind === 'num')) return unsupported(`subsearch ${index + 1} filters a number made by eval`);
    // Cartesian product of multivalue cells: (a AND (b1 OR b2)) = (a AND b1) OR (a AND b2).
    const valueRows: Ex[][] = [];
    for (const cells of g.rows) {
      let combos: string[][] = [[]];
      for (const cell of cells) combos = combos.flatMap((c) => cell.map((v) => [...c, v]));
      for (const c of combos) valueRows.push(c.map((v) => lit(v === '*' ? '%' : likeFromWildcard(v.toLowerCase()))));
    }
    const alias = `s${index + 1}${n++ ? `_${n}` : ''}`;
    const cols = g.fields.map((_, i) => `p${i + 1}`);
    const conds = typed.map((t, i) => {
      const pat = id(alias, cols[i]!);
      if (t.ex.k === 'lit') return t.ex.v === null ? lit(false) : { k: 'like', e: fn('lower', t.ex), pat } as Ex;
      if (t.kind === 'mv') return { k: 'lambda', kind: 'any', arr: t.ex, v: 'x', body: definite({ k: 'like', e: fn('lower', id('x')), pat }) } as Ex;
      return { k: 'like', e: fn('lower', t.ex), pat } as Ex;
    });
    parts.push({ k: 'exists', values: valueRows, alias, columns: cols, where: and(...conds) });
  }
  return or(...parts);
}

/** A placeholder relation for a subsearch in print mode (its rows are only known at run time). */
function subsearchPlaceholder(p: Pipeline, scope: Scope, index: number): Ex {
  const cols = staticColumns(p);
  if (!cols || cols.length === 0) return unsupported(`subsearch ${index + 1}: its output fields are only known at run time`);
  const alias = `subsearch_${index + 1}`;
  (scope as { note?: (n: string) => void }).note?.(`${alias}: the rows of subsearch ${index + 1} (it runs first), as lower-cased LIKE patterns; at run time they are inlined as VALUES`);
  const conds = cols.map((f) => {
    const t = scope.field(f);
    const pat = id(alias, f);
    if (t.kind === 'mv') return { k: 'lambda', kind: 'any', arr: t.ex, v: 'x', body: definite({ k: 'like', e: fn('lower', id('x')), pat }) } as Ex;
    return { k: 'like', e: fn('lower', t.ex), pat } as Ex;
  });
  return { k: 'exists', values: null, alias, columns: cols, where: and(...conds) };
}

function describeCommand(c: Command): string {
  return truncate(c);
}

interface Built {
  filters: { ex: Ex; note: string }[];
  /** Notes of pushed commands that filter nothing (eval, rename, bin), in order with the filters'. */
  notes: string[];
  /** Position of the stats/tstats command (1-based). */
  statsAt?: number;
  stats: { cmd: StatsCommand | TstatsCommand; aggs: ResolvedAgg[]; plans: AggPlan[]; by: Typed[] } | null;
}

export class Planner {
  constructor(private readonly ctx: PlanContext) {}

  plan(pipeline: Pipeline): SqlPlan {
    const cmds = pipeline.commands;
    const first = cmds[0];
    const none = (reason: string): SqlPlan => ({
      query: null, cut: 0, cutReason: reason, notes: [], subsearches: [], columns: [], range: {},
      decode: { kind: 'events' },
      placements: cmds.map((c, i) => ({ position: i + 1, name: c.name, where: 'trailguard', detail: i === 0 ? reason : '' })),
    });
    if (!first) return none('empty search');
    if (first.name !== 'search' && first.name !== 'tstats') return none(`\`${first.name}\` reads no events: nothing to push`);

    // Try successively shorter prefixes until one compiles and its suffix can be fed.
    let limit = cmds.length;
    let lastReason: string | null = null;
    for (;;) {
      const attempt = this.attempt(pipeline, limit);
      if ('plan' in attempt) {
        const p = attempt.plan;
        if (lastReason && p.cut < cmds.length && !p.cutReason) p.cutReason = lastReason;
        return p;
      }
      lastReason = attempt.reason;
      limit = attempt.cut;
      if (limit <= 0) return none(attempt.reason);
    }
  }

  /** Compiles commands [0, limit) as far as they go; returns the plan or a new, earlier cut. */
  private attempt(pipeline: Pipeline, limit: number): { plan: SqlPlan } | { cut: number; reason: string } {
    const { profile, model } = this.ctx;
    const cmds = pipeline.commands;
    const notes = new Set<string>();
    const events = new EventFields({ profile, model, notes });
    const sym = new Symbols(events, this.ctx);
    const built: Built = { filters: [], notes: [], stats: null };
    const placements: Placement[] = [];
    const subsearches: Pipeline[] = [];
    const ectx = evalContext(this.ctx);
    let range: { earliest?: number; latest?: number } = { earliest: this.ctx.earliest, latest: this.ctx.latest };
    let cut = limit;
    let cutReason: string | null = null;
    let pushedNonFilter = -1;

    const lead = cmds[0]!;
    try {
      if (lead.name === 'search') {
        const { expr, times } = splitTimeTerms(lead.expr);
        for (const t of times) {
          const b = parseTimeBound(t.value, this.ctx.now, this.ctx.tz);
          if (t.which === 'earliest') range.earliest = range.earliest === undefined ? b : Math.max(range.earliest, b);
          else range.latest = range.latest === undefined ? b : Math.min(range.latest, b);
        }
        if (expr) built.filters.push({ ex: this.searchWithSubs(expr, sym, subsearches), note: `1. ${truncate(lead)}` });
        built.notes.push(`1. ${truncate(lead)}${times.length ? ' (its earliest=/latest= bound the window)' : ''}`);
        placements.push({ position: 1, name: 'search', where: 'sql', detail: 'filter pushed (field model resolved in SQL)' });
      } else if (lead.name === 'tstats') {
        this.tstats(lead as TstatsCommand, sym, built, subsearches);
        placements.push({ position: 1, name: 'tstats', where: 'sql', detail: `data model ${lead.from?.datamodel} rows, where and groups in SQL` });
        cut = 1;
      }
    } catch (err) {
      if (err instanceof Unsupported) return { cut: 0, reason: `command 1 (${lead.name}): ${err.reason}` };
      throw err;
    }

    if (!built.stats) {
      for (let i = 1; i < limit; i++) {
        const c = cmds[i]!;
        if (!PUSHABLE_AFTER_LEAD.has(c.name)) {
          cut = i;
          cutReason = `command ${i + 1} (${c.name}) runs in Trailguard: ${cutReasonOf(c)}`;
          break;
        }
        const subsBefore = subsearches.length;
        try {
          this.push(c, i, sym, built, ectx, subsearches);
          if (c.name !== 'search' && c.name !== 'where' && pushedNonFilter < 0) pushedNonFilter = i;
          placements.push({ position: i + 1, name: c.name, where: 'sql', detail: c.name === 'stats' ? 'groups and accumulator states in SQL' : 'pushed' });
        } catch (err) {
          if (!(err instanceof Unsupported)) throw err;
          // Its subsearches run with it, in Trailguard.
          subsearches.length = subsBefore;
          cut = i;
          cutReason = `command ${i + 1} (${c.name}): ${err.reason}`;
          break;
        }
        if (c.name === 'stats') {
          cut = i + 1;
          break;
        }
      }
    }
    if (cut === limit && limit < cmds.length) cutReason = null;

    // What does the rest need?
    const suffix = cmds.slice(cut);
    let decode: Decode;
    let columns: OutputColumn[] = [];
    sym.base.set(TIME_COLUMN, { ex: id(SOURCE, TIME_COLUMN), kind: 'num' });
    if (built.stats) {
      const by = built.stats.cmd.by.map((name, i) => ({ name, kind: built.stats!.by[i]!.kind === 'mv' ? 'text' as const : built.stats!.by[i]!.kind as 'text' | 'num' }));
      decode = { kind: 'stats', by, aggs: built.stats.aggs, plans: built.stats.plans, fill: built.stats.cmd.name === 'tstats' ? built.stats.cmd.options['fillnull_value'] : undefined };
    } else {
      const need = neededFields(suffix);
      let fieldsOk = need !== 'all';
      let fieldError: string | null = null;
      if (need !== 'all') {
        try {
          columns = [...need].map((n) => {
            const t = sym.field(n);
            return { name: n, kind: t.kind === 'bool' ? 'text' : t.kind };
          });
        } catch (err) {
          if (!(err instanceof Unsupported)) throw err;
          fieldsOk = false;
          fieldError = err.reason;
        }
      }
      if (fieldsOk) decode = { kind: 'fields', columns };
      else if (fieldError && profile.raw !== 'source' && pushedNonFilter < 0) {
        return { cut: 0, reason: `the rest of the search (from command ${cut + 1}) reads a field SQL cannot give — ${fieldError} — and ${profile.table} (profile ${profile.name}) has no record text to rebuild events from` };
      }
      else {
        // Whole events: only the record text can carry every field; pushed evals would be lost.
        if (pushedNonFilter > 0) return { cut: pushedNonFilter, reason: `the rest of the search needs whole events, so command ${pushedNonFilter + 1} (${cmds[pushedNonFilter]!.name}) runs in Trailguard` };
        if (profile.raw !== 'source') {
          return { cut: 0, reason: `the rest of the search (from command ${cut + 1}) needs every field of each event, and ${profile.table} (profile ${profile.name}) has no record text; end the pushed part with stats, or table the fields you need` };
        }
        decode = { kind: 'events' };
        columns = [{ name: RAW_COLUMN, kind: 'text' }];
        sym.base.set(RAW_COLUMN, { ex: events.raw(), kind: 'text' });
      }
    }

    const query = this.build(sym, built, decode, columns, range, notes);
    for (let i = cut; i < cmds.length; i++) placements.push({ position: i + 1, name: cmds[i]!.name, where: 'trailguard', detail: i === cut && cutReason ? cutReason : '' });
    const outCols = query.output.map((n) => ({ name: n, kind: 'text' as const }));
    return {
      plan: {
        query, cut, cutReason, placements, decode, notes: [...notes], subsearches,
        columns: decode.kind === 'fields' ? columns : decode.kind === 'events' ? columns : outCols, range,
      },
    };
  }

  private searchWithSubs(expr: SearchExpr, sym: Symbols, subsearches: Pipeline[]): Ex {
    // Subsearch nodes are replaced by their rows' predicate (run) or a placeholder relation (print).
    const replaced = new Map<SearchExpr, Ex>();
    const visit = (e: SearchExpr): void => {
      if (e.kind === 'subsearch') {
        const index = subsearches.length;
        subsearches.push(e.pipeline);
        const rows = this.ctx.subsearchRows?.[index];
        replaced.set(e, rows ? subsearchPredicate(rows, sym, index) : subsearchPlaceholder(e.pipeline, sym, index));
      } else if (e.kind === 'and' || e.kind === 'or') e.terms.forEach(visit);
      else if (e.kind === 'not') visit(e.term);
    };
    visit(expr);
    const scope: Scope & { note: (n: string) => void } = {
      note: (n) => sym.events.env.notes.add(n),
      field: (n) => sym.field(n),
      typeMatch: this.ctx.profile.direct ? undefined : (f, m) => sym.typeMatch(f, m),
      rawTerm: (r, w) => sym.rawTerm(r, w),
      timeBound: (w, v) => sym.timeBound(w, v),
    };
    const compileWith = (e: SearchExpr): Ex => {
      if (e.kind === 'subsearch') return replaced.get(e)!;
      if (e.kind === 'and') return and(...e.terms.map((t) => definite(compileWith(t))));
      if (e.kind === 'or') return or(...e.terms.map((t) => definite(compileWith(t))));
      if (e.kind === 'not') return negate(compileWith(e.term));
      return searchPredicate(e, scope);
    };
    return compileWith(expr);
  }

  private push(c: Command, i: number, sym: Symbols, built: Built, ectx: EvalContext, subsearches: Pipeline[]): void {
    const note = `${i + 1}. ${describeCommand(c)}`;
    switch (c.name) {
      case 'search': {
        const { expr, times } = splitTimeTerms(c.expr);
        const parts: Ex[] = [];
        if (expr) parts.push(this.searchWithSubs(expr, sym, subsearches));
        for (const t of times) {
          const b = sym.timeBound(t.which, t.value);
          const time = sym.field('_time');
          parts.push(t.which === 'earliest' ? bin('>=', time.ex, lit(b)) : bin('<', time.ex, lit(b)));
        }
        built.filters.push({ ex: and(...parts.map(definite)), note });
        built.notes.push(note);
        return;
      }
      case 'where': {
        const ec = new EvalCompiler(sym, ectx);
        built.filters.push({ ex: ec.condition(c.expr), note });
        built.notes.push(note);
        return;
      }
      case 'eval': {
        built.notes.push(note);
        const ec = new EvalCompiler(sym, ectx);
        for (const a of c.assignments) {
          const t = ec.value(a.expr);
          if (t.kind === 'bool') unsupported('eval cannot assign a condition');
          sym.assigned.set(a.field, t.ex.k === 'lit' && t.ex.v === null ? null : t);
        }
        return;
      }
      case 'rename': {
        built.notes.push(note);
        for (const p of c.pairs) {
          if (hasWildcard(p.from) || hasWildcard(p.to)) unsupported('wildcard rename is not compiled to SQL');
          if (p.from === p.to) continue;
          const a = sym.field(p.from);
          const b = sym.field(p.to);
          let moved: Typed;
          if (a.ex.k === 'lit' && a.ex.v === null) moved = b;
          else if (b.ex.k === 'lit' && b.ex.v === null) moved = a;
          else if (a.kind === b.kind && a.kind !== 'mv') moved = { ex: caseWhen([[isPresent(a), a.ex]], b.ex), kind: a.kind };
          else if (a.kind === 'mv' && b.kind === 'mv') moved = { ex: caseWhen([[isPresent(a), a.ex]], b.ex), kind: 'mv' };
          else unsupported('rename onto a field of another kind is not compiled to SQL');
          sym.assigned.set(p.to, moved);
          sym.assigned.set(p.from, null);
        }
        return;
      }
      case 'bin':
      case 'bucket': {
        built.notes.push(note);
        const span = parseSpan(c.options['span'] ?? '');
        if (!span) unsupported('bin without span= is not compiled to SQL');
        if (span.days && this.ctx.tz !== 'UTC') unsupported('day bins in a time zone other than UTC are not compiled to SQL');
        const t = sym.field(c.field);
        if (t.kind !== 'num') unsupported(`bin of ${c.field}: only numbers made in SQL (_time, eval) are binned in SQL`);
        sym.assigned.set(c.as ?? c.field, { ex: bin('*', fn('floor', bin('/', t.ex, lit(span.seconds))), lit(span.seconds)), kind: 'num' });
        return;
      }
      case 'stats': {
        const s = c as StatsCommand;
        if (s.options && Object.keys(s.options).length > 0) unsupported(`stats options (${Object.keys(s.options).join(', ')}) are not compiled to SQL`);
        if (s.aggs.some((a) => a.field !== null && hasWildcard(a.field))) unsupported('wildcard aggregates need every field name: not compiled to SQL');
        const aggs = resolveAggs(s.aggs);
        const by = s.by.map((b) => sym.field(b));
        const time = sym.field('_time');
        const plans = aggs.map((a) => aggregatePlan(a, a.field === null ? null : sym.field(a.field), time));
        built.stats = { cmd: s, aggs, plans, by };
        built.statsAt = i + 1;
        return;
      }
      default:
        unsupported(`${c.name} is not compiled to SQL`);
    }
  }

  private tstats(c: TstatsCommand, sym: Symbols, built: Built, subsearches: Pipeline[]): DataModelFields {
    if (!c.from) unsupported('tstats without from datamodel=');
    const dm = this.ctx.model.datamodels.get(c.from.datamodel);
    if (!dm) unsupported(`unknown data model ${c.from.datamodel}`);
    if (c.from.dataset) unsupported('tstats on a child dataset is not compiled to SQL');
    if (c.options['append'] && /^(t|true|1)$/i.test(c.options['append'])) unsupported('tstats append=t is not compiled to SQL');
    const dmf = new DataModelFields(sym.events, dm);
    // Data-model fields become `ev` columns named as in the model (All_Changes.user…).
    const dmScope: Scope = {
      field: (n: string) => {
        if (n === '_time') return sym.field('_time');
        let b = sym.base.get(n);
        if (!b) {
          b = dmf.field(n);
          sym.base.set(n, b);
        }
        if (b.ex.k === 'lit') return b;
        return { ex: id(EV, sym.col(n)), kind: b.kind };
      },
      rawTerm: (r, w) => sym.rawTerm(r, w),
      timeBound: (w, v) => sym.timeBound(w, v),
    };
    const member = dmf.membership();
    built.filters.push({ ex: sym.lift(member), note: `1. tstats: rows of data model ${dm.name} (${dm.root.rule})` });
    built.notes.push(`1. tstats: rows of data model ${dm.name} (${dm.root.rule})`);
    if (c.where) {
      const ex = this.searchWithSubsScope(c.where, dmScope, subsearches);
      built.filters.push({ ex, note: `1. tstats where` });
      built.notes.push(`1. tstats where ${truncate({ ...c, aggs: [], by: [], where: c.where } as TstatsCommand).replace(/^tstats.*?where /, '')}`);
    }
    built.statsAt = 1;
    const span = c.timeSpan !== undefined ? parseSpan(c.timeSpan) : null;
    if (c.timeSpan !== undefined && (!span || (span.days && this.ctx.tz !== 'UTC'))) unsupported(`tstats span=${c.timeSpan} is not compiled to SQL`);
    const aggs = resolveAggs(c.aggs);
    let time = dmScope.field('_time');
    const by = c.by.map((b) => {
      if (b === '_time' && span) return { ex: bin('*', fn('floor', bin('/', time.ex, lit(span.seconds))), lit(span.seconds)), kind: 'num' as const };
      return dmScope.field(b);
    });
    const fill = c.options['fillnull_value'];
    const filled = fill === undefined ? by : by.map((t): Typed => (t.kind === 'mv' ? { ex: fn('coalesce', nullIfEmpty(t.ex), { k: 'array', items: [lit(fill)] }), kind: 'mv' } : t.kind === 'text' ? { ex: fn('coalesce', t.ex, lit(fill)), kind: 'text' } : t));
    time = dmScope.field('_time');
    const plans = aggs.map((a) => aggregatePlan(a, a.field === null ? null : dmScope.field(a.field), time));
    built.stats = { cmd: c, aggs, plans, by: filled };
    return dmf;
  }

  private searchWithSubsScope(expr: SearchExpr, scope: Scope, subsearches: Pipeline[]): Ex {
    const walk = (e: SearchExpr): Ex => {
      if (e.kind === 'subsearch') {
        const index = subsearches.length;
        subsearches.push(e.pipeline);
        const rows = this.ctx.subsearchRows?.[index];
        return rows ? subsearchPredicate(rows, scope, index) : subsearchPlaceholder(e.pipeline, scope, index);
      }
      if (e.kind === 'and') return and(...e.terms.map((t) => definite(walk(t))));
      if (e.kind === 'or') return or(...e.terms.map((t) => definite(walk(t))));
      if (e.kind === 'not') return negate(walk(e.term));
      return searchPredicate(e, scope);
    };
    return walk(expr);
  }

  private build(sym: Symbols, built: Built, decode: Decode, columns: OutputColumn[], range: { earliest?: number; latest?: number }, notes: Set<string>): Query {
    const { profile } = this.ctx;
    const t = (col: string) => id(SOURCE, columnName(profile, col));
    const direct = profile.direct;
    const timeText = profile.timeFallback ? fn('coalesce', t(profile.timeColumn), t(profile.timeFallback)) : t(profile.timeColumn);
    const timeExpr = direct ? (direct['_time'] ? id(SOURCE, '_time') : NULL) : fn('tg_iso_epoch', timeText);
    const srcWhere: Ex[] = [...partitionPredicates(profile, range)];
    // Records without a readable time are skipped, as the in-process reader skips them.
    if (!direct) srcWhere.push(isNotNull(timeExpr));
    if (range.earliest !== undefined) srcWhere.push(bin('>=', timeExpr, lit(range.earliest)));
    if (range.latest !== undefined) srcWhere.push(bin('<', timeExpr, lit(range.latest)));
    const src: Stage = {
      name: 'src',
      notes: [`the table (profile ${profile.name}), pruned to the search window${range.earliest !== undefined || range.latest !== undefined ? ` [${iso(range.earliest)}, ${iso(range.latest)})` : ''}`],
      select: [{ ex: { k: 'verbatim', sql: `${quoteId(SOURCE)}.*` }, as: '' }, ...(direct && direct['_time'] ? [] : [{ ex: timeExpr, as: TIME_COLUMN }])],
      from: null,
      where: srcWhere,
    };
    // Memo stages: derived fields computed once each, in dependency order (fields.ts Memo).
    const memoStages: Stage[] = [];
    const maxDepth = Math.max(0, ...sym.events.memos.map((m) => m.depth));
    for (let d = 1; d <= maxDepth; d++) {
      const here = sym.events.memos.filter((m) => m.depth === d);
      memoStages.push({
        name: `f${d}`,
        notes: d === 1 ? ['field-model fields, each computed once (stage by stage as they build on each other)'] : [],
        select: [{ ex: { k: 'verbatim', sql: `${quoteId(SOURCE)}.*` }, as: '' }, ...here.map((m) => ({ ex: m.ex, as: m.column }))],
        from: d === 1 ? 'src' : `f${d - 1}`,
        fromAlias: SOURCE,
        where: [],
      });
    }
    const evSel = [...sym.base.entries()]
      .filter(([n, v]) => n !== TIME_COLUMN && v.ex.k !== 'lit')
      .map(([n, v]) => ({ ex: v.ex, as: sym.col(n) }));
    evSel.unshift({ ex: id(SOURCE, TIME_COLUMN), as: TIME_COLUMN });
    const ev: Stage = { name: 'ev', notes: ['SPL fields the search reads, resolved through the field model (data/fieldmodel)'], select: evSel, from: maxDepth ? `f${maxDepth}` : 'src', fromAlias: SOURCE, where: [] };
    const filterStage: Stage = {
      name: 'events',
      notes: [...built.notes],
      select: [],
      from: 'ev',
      // Qualified: inside EXISTS an unqualified "user" is DuckDB's user() function, not the column.
      fromAlias: EV,
      where: built.filters.map((f) => f.ex),
    };
    const stages: Stage[] = [src, ...memoStages, ev, filterStage];
    let output: string[];
    if (decode.kind === 'stats') {
      const st = built.stats!;
      // Columns of the events stage: by-fields and aggregate inputs, by position.
      const inputs: { ex: Ex; as: string }[] = [];
      const byCols = st.by.map((b, i) => {
        const as = `by${i + 1}`;
        inputs.push({ ex: b.ex, as });
        return { t: b, as };
      });
      const remap = new Map<string, string>();
      const outCol = columnNamer();
      const lift = (e: Ex): Ex => liftExpr(e, inputs, remap);
      const aggSel: { ex: Ex; as: string }[] = [];
      const unnest: Stage['unnest'] = [];
      const groupBy: Ex[] = [];
      const byWhere: Ex[] = [];
      byCols.forEach((b, i) => {
        if (b.t.kind === 'mv') {
          unnest.push({ ex: fn('array_distinct', id(b.as)), alias: `u${i + 1}`, column: 'v' });
          aggSel.push({ ex: id(`u${i + 1}`, 'v'), as: outCol(decode.by[i]!.name) });
          groupBy.push(id(`u${i + 1}`, 'v'));
          byWhere.push(isNotNull(id(`u${i + 1}`, 'v')));
        } else {
          aggSel.push({ ex: id(b.as), as: outCol(decode.by[i]!.name) });
          groupBy.push(id(b.as));
          byWhere.push(isNotNull(id(b.as)));
        }
      });
      st.plans.forEach((p, i) => p.columns.forEach((c, j) => aggSel.push({ ex: lift(c.ex), as: `a${i + 1}_${j + 1}` })));
      // count(*) alone reads no column: the stage still needs one.
      filterStage.select = inputs.length ? inputs : [{ ex: lit(1), as: 'one' }];
      filterStage.notes.push(`${built.statsAt}. ${st.cmd.name} inputs: by-fields and aggregate arguments`);
      const agg: Stage = {
        name: 'agg',
        notes: [`${built.statsAt}. ${truncate(st.cmd)}`, `   a null by-field drops the row (SPL.md §4.1); the columns are the aggregates' accumulator states`],
        select: aggSel,
        from: 'events',
        unnest,
        where: byWhere,
        groupBy,
      };
      stages.push(agg);
      output = aggSel.map((s) => s.as);
    } else {
      const outCol = columnNamer();
      filterStage.select = columns.map((c) => ({ ex: sym.field(c.name).ex, as: outCol(c.name) }));
      if (decode.kind === 'events') filterStage.select = [{ ex: id(EV, RAW_COLUMN), as: RAW_COLUMN }];
      output = filterStage.select.map((s) => s.as);
    }
    const header = [
      `Trailguard: SPL compiled to ${profile.dialect === 'trino' ? 'Trino (Athena engine v3)' : 'DuckDB'} SQL, profile ${profile.name}`,
      ...[...notes].map((n) => `note: ${n}`),
    ];
    return { stages, header, output };
  }
}

/** Rewrites aggregate arguments (which reference `ev` columns) to the events stage's columns. */
function liftExpr(e: Ex, inputs: { ex: Ex; as: string }[], remap: Map<string, string>): Ex {
  if (e.k === 'agg') {
    const args = e.args.map((a) => liftArg(a, inputs, remap));
    return { ...e, args, filter: e.filter ? liftArg(e.filter, inputs, remap) : undefined };
  }
  if (e.k === 'fn') return { ...e, args: e.args.map((a) => liftExpr(a, inputs, remap)) };
  if (e.k === 'bin') return { ...e, l: liftExpr(e.l, inputs, remap), r: liftExpr(e.r, inputs, remap) };
  if (e.k === 'case') return { ...e, whens: e.whens.map(([c, v]) => [liftExpr(c, inputs, remap), liftExpr(v, inputs, remap)] as [Ex, Ex]), else: e.else ? liftExpr(e.else, inputs, remap) : null };
  return e;
}

/** An aggregate argument becomes a column of the events stage (computed once per row). */
function liftArg(a: Ex, inputs: { ex: Ex; as: string }[], remap: Map<string, string>): Ex {
  if (a.k === 'lit') return a;
  const key = JSON.stringify(a);
  let as = remap.get(key);
  if (!as) {
    as = `x${remap.size + 1}`;
    remap.set(key, as);
    inputs.push({ ex: a, as });
  }
  return id(as);
}

function truncate(c: Command): string {
  const text = printPipeline({ kind: 'pipeline', commands: [c], span: c.span }).replace(/\s+/g, ' ').replace(/^\| /, '');
  return text.length > 140 ? text.slice(0, 137) + '...' : text;
}

function iso(t: number | undefined): string {
  return t === undefined ? '…' : new Date(t * 1000).toISOString();
}

function dayString(t: number, sep: string): string {
  const d = new Date(Math.floor(t) * 1000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}${sep}${p(d.getUTCMonth() + 1)}${sep}${p(d.getUTCDate())}`;
}

/**
 * Partition predicates for [earliest, latest) (SCALEOUT.md §1.1): the S3 folder date is the
 * delivery day, so the upper day gets the profile's lag; the exact `_time` predicate follows.
 */
export function partitionPredicates(p: Profile, range: { earliest?: number; latest?: number }): Ex[] {
  const rule = p.partitions;
  if (rule.kind === 'none' || rule.kind === 'files') return [];
  const lo = range.earliest;
  const hi = range.latest === undefined ? undefined : range.latest - 0.001 + rule.lagDays * 86400;
  if (lo === undefined && hi === undefined) return [];
  if (rule.kind === 'day') {
    const sep = rule.format === 'yyyy/MM/dd' ? '/' : '-';
    const col = id(SOURCE, rule.column);
    const out: Ex[] = [];
    if (lo !== undefined) out.push(bin('>=', col, lit(dayString(lo, sep))));
    if (hi !== undefined) out.push(bin('<=', col, lit(dayString(hi, sep))));
    return out;
  }
  // year/month/day strings: one (year, month, day range) term per month of the span.
  if (lo === undefined || hi === undefined || hi - lo > 400 * 86400) {
    const y = id(SOURCE, rule.year);
    const out: Ex[] = [];
    if (lo !== undefined) out.push(bin('>=', y, lit(dayString(lo, '/').slice(0, 4))));
    if (hi !== undefined) out.push(bin('<=', y, lit(dayString(hi, '/').slice(0, 4))));
    return out;
  }
  const terms: Ex[] = [];
  let cur = Math.floor(lo / 86400) * 86400;
  const end = Math.floor(hi / 86400) * 86400;
  while (cur <= end) {
    const d = new Date(cur * 1000);
    const monthEnd = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) / 1000 - 86400;
    const last = Math.min(monthEnd, end);
    const [yy, mm, dd] = dayString(cur, '/').split('/');
    const lastDay = dayString(last, '/').split('/')[2]!;
    terms.push(and(bin('=', id(SOURCE, rule.year), lit(yy!)), bin('=', id(SOURCE, rule.month), lit(mm!)), dd === lastDay ? bin('=', id(SOURCE, rule.day), lit(dd!)) : and(bin('>=', id(SOURCE, rule.day), lit(dd!)), bin('<=', id(SOURCE, rule.day), lit(lastDay)))));
    cur = last + 86400;
  }
  return [or(...terms)];
}

