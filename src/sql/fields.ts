/**
 * SPL field → SQL expression over the profile's table, through the field model (SPL.md §9, the
 * rules of data/fieldmodel/cloudtrail.yml) and the CIM data models (§8). This mirrors the stages of
 * src/cloudtrail/event-row.ts exactly: internal fields, then lookups (which see post-eval values;
 * no match keeps the post-eval value), evals (which see JSON + aliases; null removes the field),
 * aliases (first present path, else the JSON field of that name), JSON paths (profile.ts). The
 * rule language (src/cloudtrail/rules.ts) is compiled case by case; a rule the compiler cannot
 * express makes the field unsupported, and the planner cuts before the command that needs it.
 */
import type { FieldModel, DataModel, Dataset } from '../cloudtrail/index.js';
import type { Cond, Expr as RuleExpr } from '../cloudtrail/rules.js';
import { FALSE, NULL, and, bin, caseWhen, definite, fn, id, isNull, lit, negate, or, type Ex, type Typed } from './ir.js';
import { SOURCE, resolvePath, textLeaves, type Profile } from './profile.js';
import { Level } from '../cloudtrail/levels.js';
import { anyValue, isPresent, likeFromRule, nullIfEmpty, perValue, unify, unsupported, Unsupported } from './values.js';
import { escapeRegExp } from '../util/regexp.js';

/** Column of the first stage holding `_time` (epoch seconds, double). */
export const TIME_COLUMN = '_time';
export const RAW_COLUMN = '_raw';

export interface FieldEnv {
  profile: Profile;
  model: FieldModel;
  /** Notes for the SQL comments (approximations said out loud, e.g. bare words over columns). */
  notes: Set<string>;
}

const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

/** Resolves event fields (not data-model fields) to typed SQL over the source table. */
/** A derived field computed once, as a column of a memo stage (keeps the SQL small). */
export interface Memo {
  column: string;
  ex: Ex;
  /** Stage number: 1 + the deepest memo it reads. */
  depth: number;
}

export class EventFields {
  private readonly cache = new Map<string, Typed | Unsupported>();
  readonly memos: Memo[] = [];
  private readonly memoByColumn = new Map<string, Memo>();

  constructor(readonly env: FieldEnv) {}

  /**
   * Makes a computed field a column of its own stage: every later use reads the column instead of
   * repeating the expression (field-model fields are used by several rules and by event types).
   */
  private memo(t: Typed, name: string, level: Level): Typed {
    if (t.ex.k === 'lit' || t.ex.k === 'id') return t;
    let depth = 1;
    const scan = (x: unknown): void => {
      if (!x || typeof x !== 'object') return;
      const o = x as Ex;
      if (o.k === 'id' && o.parts.length === 2 && o.parts[0] === SOURCE) {
        const m = this.memoByColumn.get(o.parts[1]!);
        if (m) depth = Math.max(depth, m.depth + 1);
        return;
      }
      for (const v of Object.values(o)) if (v && typeof v === 'object') scan(v);
    };
    scan(t.ex);
    // Distinct even case-insensitively (Trino and DuckDB fold identifiers).
    let column = `_tg_${name.replace(/[^A-Za-z0-9_]/g, '_')}_${level}`;
    for (let n = 2; this.memos.some((x) => x.column.toLowerCase() === column.toLowerCase()); n++) column = `_tg_${name.replace(/[^A-Za-z0-9_]/g, '_')}_${level}_${n}`;
    const m: Memo = { column, ex: t.ex, depth };
    this.memos.push(m);
    this.memoByColumn.set(column, m);
    return { ex: id(SOURCE, column), kind: t.kind };
  }

  /** The field as a search sees it (all stages), or throws Unsupported. */
  field(name: string): Typed {
    return this.at(name, Level.All);
  }

  /** `_raw`, or Unsupported when the table has none. */
  raw(): Ex {
    if (this.env.profile.raw !== 'source') unsupported(`_raw: the table of profile ${this.env.profile.name} has no record text (SCALEOUT.md §1.1)`);
    return id(SOURCE, RAW_COLUMN);
  }

  /** A bare word / raw_term test (SPL.md §2.7, field-model raw_term): regex over _raw or the columns. */
  rawTerm(regex: string, what: string): Ex {
    const p = this.env.profile;
    if (p.rawTerms === 'raw' || p.raw === 'source') return fn('regexp_like', this.raw(), lit(regex));
    if (p.rawTerms === 'columns') {
      this.env.notes.add(`${what}: ${p.table} has no _raw; the words are looked for in every text column of the table, each value bounded like a JSON string (keys and fields outside its schema are not searched)`);
      const leaves = textLeaves(p);
      const flat = leaves.filter((t) => t.kind === 'text').map((t) => t.ex);
      const arrays = leaves.filter((t) => t.kind === 'mv');
      return or(definite(fn('regexp_like', fn('concat_ws', lit(' '), ...flat), lit(regex))), ...arrays.map((t) => anyValue(t, (x) => definite(fn('regexp_like', x, lit(regex))))));
    }
    return unsupported(`${what}: the table of profile ${p.name} has no _raw`);
  }

  private at(name: string, level: Level): Typed {
    const key = `${level}\u0000${name}`;
    const hit = this.cache.get(key);
    if (hit instanceof Unsupported) throw hit;
    if (hit) return hit;
    try {
      const t = this.memo(this.compute(name, level), name, level);
      this.cache.set(key, t);
      return t;
    } catch (err) {
      if (err instanceof Unsupported) this.cache.set(key, err);
      throw err;
    }
  }

  private compute(name: string, level: Level): Typed {
    const m = this.env.model;
    const direct = this.env.profile.direct;
    if (direct) {
      const kind = direct[name];
      return kind ? { ex: id(SOURCE, this.env.profile.directColumns?.[name] ?? name), kind } : { ex: NULL, kind: 'text' };
    }
    switch (name) {
      case '_time':
        return { ex: id(SOURCE, TIME_COLUMN), kind: 'num' };
      case '_raw':
        return { ex: this.raw(), kind: 'text' };
      case 'sourcetype':
        return { ex: lit(m.sourcetype), kind: 'text' };
      case 'host':
        return { ex: lit(m.host), kind: 'text' };
      case 'index':
        return { ex: lit(m.index), kind: 'text' };
      case 'source':
        return unsupported('source: the file name of an event is not compiled to SQL');
      case 'date_hour':
      case 'date_minute':
      case 'date_second':
      case 'date_wday':
      case 'date_zone':
        return dateField(name);
    }
    if (name.startsWith('date_')) return unsupported(`${name}: not compiled to SQL (date_hour, date_minute, date_second, date_wday are)`);
    if (level >= Level.All && (name === 'eventtype' || name === 'tag')) {
      return unsupported(`${name} as a value is not compiled to SQL (only ${name}=… tests are)`);
    }
    if (level >= Level.Lookup) {
      const rule = m.lookupByField.get(name);
      if (rule) {
        const v = this.rule(rule.expr, Level.Eval, false);
        const below = this.at(name, Level.Eval);
        if (below.ex.k === 'lit' && below.ex.v === null) return v;
        const u = unify([v, below]);
        return { ex: fn('coalesce', ...u.exs), kind: u.kind };
      }
    }
    if (level >= Level.Eval) {
      const rule = m.evalByField.get(name);
      if (rule) return this.rule(rule.expr, Level.Alias, false);
    }
    if (level >= Level.Alias) {
      const rule = m.aliasByField.get(name);
      if (rule) {
        const parts = [...rule.from, name].map((p) => this.json(p));
        return coalesceTyped(parts);
      }
    }
    return this.json(name);
  }

  private json(path: string): Typed {
    const r = resolvePath(this.env.profile, path);
    if ('unsupported' in r) return unsupported(r.unsupported);
    const absent = (r as { absentKey?: string }).absentKey;
    if (absent !== undefined && !this.env.model.evalByField.has(path) && !this.env.model.lookupByField.has(path) && !this.env.model.aliasByField.has(path)) {
      this.env.notes.add(`\`${path}\` is not a CloudTrail record key (schema ${this.env.profile.schemaName}) nor a field-model field: it reads as absent`);
    }
    return { ex: r.ex, kind: r.kind };
  }

  /** A field-model expression, reading fields as seen at `level`. */
  rule(e: RuleExpr, level: Level, ci: boolean): Typed {
    const view = (n: string) => this.at(n, level);
    if (typeof e === 'string') return view(e);
    if ('path' in e) return view(e.path);
    if ('const' in e) return { ex: lit(e.const), kind: 'text' };
    if ('absent' in e) return { ex: NULL, kind: 'text' };
    if ('coalesce' in e) return coalesceTyped(e.coalesce.map((x) => this.rule(x, level, ci)));
    if ('case' in e) {
      const on = view(e.case.on ?? 'eventName');
      const conds = e.case.when.map((b) => {
        const pats = Array.isArray(b.match) ? b.match : [b.match];
        return or(...pats.map((p) => anyValue(on, (x) => likeRule(x, p, ci))));
      });
      const vals = [...e.case.when.map((b) => this.rule(b.then, level, ci)), e.case.else === undefined ? { ex: NULL, kind: 'text' as const } : this.rule(e.case.else, level, ci)];
      const u = unify(vals);
      const whens: [Ex, Ex][] = conds.map((c, i) => [c, u.exs[i]!]);
      return { ex: simplifyCase(whens, u.exs[u.exs.length - 1]!), kind: u.kind };
    }
    if ('if' in e) {
      const c = this.cond(e.if, level, ci);
      const u = unify([this.rule(e.then, level, ci), e.else === undefined ? { ex: NULL, kind: 'text' } : this.rule(e.else, level, ci)]);
      return { ex: simplifyCase([[c, u.exs[0]!]], u.exs[1]!), kind: u.kind };
    }
    if ('regex' in e) {
      const { pattern, group = 1, flags } = e.regex;
      const g = typeof group === 'number' ? group : namedGroupIndex(pattern, group);
      const re = (flags?.includes('i') ? '(?i)' : '') + stripNamedGroups(pattern);
      return perValue(this.rule(e.regex.from, level, ci), (x) => fn('regexp_extract', x, lit(re), lit(g)));
    }
    if ('last_segment' in e) {
      const sep = e.last_segment.sep ?? '/';
      if ([...sep].length !== 1) unsupported(`last_segment with a separator of ${sep.length} characters is not compiled to SQL`);
      const cls = sep.replace(/[\]\\^-]/g, '\\$&');
      return perValue(this.rule(e.last_segment.from, level, ci), (x) => fn('regexp_extract', x, lit(`[^${cls}]*$`), lit(0)));
    }
    if ('lookup' in e) {
      const table = this.env.model.tables[e.lookup.table] ?? {};
      const dflt = e.lookup.default;
      const key = this.rule(e.lookup.key, level, ci);
      if (key.ex.k === 'lit' && key.ex.v === null) return { ex: dflt === undefined ? NULL : lit(dflt), kind: 'text' };
      // tableCase's ELSE gives the default, also for a NULL text key (NULL = 'k' is never true).
      if (key.kind !== 'mv') return { ex: tableCase(key.ex, table, dflt), kind: 'text' };
      const mapped = perValue(key, (x) => tableCase(x, table, dflt));
      return dflt === undefined ? mapped : coalesceTyped([mapped, { ex: lit(dflt), kind: 'text' }]);
    }
    if ('verb' in e) {
      const table = this.env.model.tables[e.verb.table] ?? {};
      const dflt = e.verb.default;
      return perValue(this.rule(e.verb.from, level, ci), (x) => verbCase(x, table, dflt));
    }
    return unsupported('unknown field-model rule');
  }

  /** A field-model condition (evalCond): always TRUE/FALSE, never NULL. */
  cond(c: Cond, level: Level | 'all', ci: boolean): Ex {
    const lvl = level === 'all' ? Level.All : level;
    if ('all' in c) return and(...c.all.map((x) => this.cond(x, level, ci)));
    if ('any' in c) return or(...c.any.map((x) => this.cond(x, level, ci)));
    if ('not' in c) return negate(this.cond(c.not, level, ci));
    if ('raw_term' in c) {
      const re = `(?i)(^|[^A-Za-z0-9])(${c.raw_term.map(escapeRegExp).join('|')})($|[^A-Za-z0-9])`;
      return definite(this.rawTerm(re, `raw terms ${c.raw_term.join(', ')}`));
    }
    if ((c.field === 'tag' || c.field === 'eventtype') && lvl >= Level.All) return this.typeCond(c, ci);
    const t = this.at(c.field, lvl);
    const eq = (x: Ex, v: string) => (ci ? bin('=', fn('lower', x), lit(v.toLowerCase())) : bin('=', x, lit(v)));
    if ('exists' in c) return c.exists ? isPresent(t) : negate(isPresent(t));
    if ('eq' in c) return definite(anyValue(t, (x) => eq(x, String(c.eq))));
    if ('ne' in c) return and(isPresent(t), negate(anyValue(t, (x) => eq(x, String(c.ne)))));
    if ('in' in c) return definite(anyValue(t, (x) => or(...c.in.map((w) => eq(x, String(w))))));
    if ('in_set' in c) {
      const set = this.env.model.sets[c.in_set] ?? [];
      return definite(anyValue(t, (x) => or(...set.map((w) => eq(x, w)))));
    }
    if ('like' in c) {
      const pats = Array.isArray(c.like) ? c.like : [c.like];
      return definite(anyValue(t, (x) => or(...pats.map((p) => likeRule(x, p, ci)))));
    }
    return FALSE;
  }

  /**
   * `tag`/`eventtype` conditions: the OR of the event types that give the value (the field model
   * evaluates event types over the final fields, search semantics).
   */
  private typeCond(c: Extract<Cond, { field: string }>, ci: boolean): Ex {
    const types = this.env.model.eventtypes;
    const names = (t: (typeof types)[number]) => (c.field === 'tag' ? t.tags : [t.name]);
    const test = (v: string) => (w: string) => (ci ? v.toLowerCase() === w.toLowerCase() : v === w);
    const having = (pred: (w: string) => boolean) => or(...types.filter((t) => names(t).some(pred)).map((t) => this.cond(t.when, 'all', true)));
    if ('exists' in c) return c.exists ? having(() => true) : negate(having(() => true));
    if ('eq' in c) return having(test(String(c.eq)));
    if ('ne' in c) return and(having(() => true), negate(having(test(String(c.ne)))));
    if ('in' in c) return or(...c.in.map((v) => having(test(String(v)))));
    return unsupported(`${c.field} with this condition is not compiled to SQL`);
  }

  /**
   * `tag`/`eventtype` tested with search semantics by a value pattern (search `tag=change`): the
   * OR of the event types one of whose names matches.
   */
  typeMatch(field: 'tag' | 'eventtype', matches: (name: string) => boolean): Ex {
    const types = this.env.model.eventtypes;
    return or(...types.filter((t) => (field === 'tag' ? t.tags : [t.name]).some(matches)).map((t) => this.cond(t.when, 'all', true)));
  }
}

function dateField(name: string): Typed {
  const t = id(SOURCE, TIME_COLUMN);
  const secs = fn('floor', t);
  const mod = (a: Ex, m: number) => fn('mod', a, lit(m));
  switch (name) {
    case 'date_hour':
      return { ex: mod(fn('floor', bin('/', secs, lit(3600))), 24), kind: 'num' };
    case 'date_minute':
      return { ex: mod(fn('floor', bin('/', secs, lit(60))), 60), kind: 'num' };
    case 'date_second':
      return { ex: mod(secs, 60), kind: 'num' };
    case 'date_zone':
      return { ex: caseWhen([[isNull(t), NULL]], lit(0)), kind: 'num' };
    default: {
      // 1970-01-01 was a Thursday (index 4).
      const day = mod(bin('+', fn('floor', bin('/', secs, lit(86400))), lit(4)), 7);
      return { ex: caseWhen(WEEKDAYS.map((w, i) => [bin('=', day, lit(i)), lit(w)] as [Ex, Ex]), null), kind: 'text' };
    }
  }
}

function likeRule(x: Ex, pattern: string, ci: boolean): Ex {
  const pat = likeFromRule(ci ? pattern.toLowerCase() : pattern);
  if (!/[%_]/.test(pattern)) return bin('=', ci ? fn('lower', x) : x, lit(ci ? pattern.toLowerCase() : pattern));
  return { k: 'like', e: ci ? fn('lower', x) : x, pat: lit(pat) };
}

function coalesceTyped(parts: Typed[]): Typed {
  const live = parts.filter((t) => !(t.ex.k === 'lit' && t.ex.v === null));
  if (live.length === 0) return { ex: NULL, kind: 'text' };
  if (live.length === 1) return live[0]!.kind === 'mv' ? { ex: nullIfEmpty(live[0]!.ex), kind: 'mv' } : live[0]!;
  const u = unify(live);
  return { ex: fn('coalesce', ...u.exs), kind: u.kind };
}

function simplifyCase(whens: [Ex, Ex][], otherwise: Ex): Ex {
  const live = whens.filter(([c]) => !(c.k === 'lit' && c.v === false));
  const firstTrue = live.findIndex(([c]) => c.k === 'lit' && c.v === true);
  if (firstTrue === 0) return live[0]![1];
  const kept = firstTrue === -1 ? live : live.slice(0, firstTrue);
  const els = firstTrue === -1 ? otherwise : live[firstTrue]![1];
  if (kept.length === 0) return els;
  return caseWhen(kept, els.k === 'lit' && els.v === null ? null : els);
}

function tableCase(x: Ex, table: Record<string, string>, dflt: string | undefined): Ex {
  const entries = Object.entries(table);
  const whens: [Ex, Ex][] = entries.map(([k, v]) => [bin('=', x, lit(k)), lit(v)]);
  if (whens.length === 0) return dflt === undefined ? NULL : lit(dflt);
  return caseWhen(whens, dflt === undefined ? null : lit(dflt));
}

const WORD = '^[A-Z]?[a-z0-9]*';

/** Leading CamelCase verb (one word, or two when the table has the pair), as rules.ts verbOf. */
function verbCase(x: Ex, table: Record<string, string>, dflt: string | undefined): Ex {
  const w1 = fn('regexp_extract', x, lit(WORD), lit(0));
  const rest = fn('substr', x, bin('+', fn('length', w1), lit(1)));
  const w2 = fn('regexp_extract', rest, lit(WORD), lit(0));
  const two = Object.entries(table).filter(([k]) => /^[A-Z][a-z0-9]*[A-Z]/.test(k));
  const one = Object.entries(table).filter(([k]) => !/^[A-Z][a-z0-9]*[A-Z]/.test(k));
  const whens: [Ex, Ex][] = [];
  for (const [k, v] of two) whens.push([bin('=', bin('||', w1, w2), lit(k)), lit(v)]);
  for (const [k, v] of one) whens.push([bin('=', w1, lit(k)), lit(v)]);
  const fallback = dflt === undefined ? NULL : lit(dflt);
  // verbOf: no leading word at all → no verb → the default.
  return caseWhen([[bin('=', w1, lit('')), fallback], ...whens], dflt === undefined ? null : fallback);
}


function namedGroupIndex(pattern: string, name: string): number {
  let idx = 0;
  for (let i = 0; i < pattern.length; i++) {
    if (pattern[i] === '\\') {
      i++;
      continue;
    }
    if (pattern[i] !== '(') continue;
    if (pattern[i + 1] !== '?') idx++;
    else if (pattern[i + 2] === '<' && pattern[i + 3] !== '=' && pattern[i + 3] !== '!') {
      idx++;
      if (pattern.slice(i + 3).startsWith(name + '>')) return idx;
    }
  }
  return unsupported(`regex group ${name} not found`);
}

/** `(?<name>…)` → `(…)` (groups are addressed by number in SQL; RE2 has no `(?<…>` form). */
function stripNamedGroups(pattern: string): string {
  return pattern.replace(/\(\?<(?![=!])[A-Za-z_][A-Za-z0-9_]*>/g, '(');
}

// ───────────────────────── data models (tstats) ─────────────────────────

interface Slot {
  chain: Dataset[];
  field: Dataset['fields'][number];
}

/** Data-model fields (`All_Changes.user`) as SQL, per SPL.md §8 and src/cloudtrail/datamodel.ts. */
export class DataModelFields {
  private readonly slots = new Map<string, Slot>();

  constructor(
    readonly events: EventFields,
    readonly dm: DataModel,
  ) {
    const walk = (ds: Dataset, chain: Dataset[]) => {
      const here = [...chain, ds];
      for (const f of ds.fields) this.slots.set(`${ds.path}.${f.name}`, { chain: here, field: f });
      for (const c of ds.children) walk(c, here);
    };
    walk(dm.root, []);
  }

  /** The root dataset's constraint (events outside are not rows of the model). */
  membership(): Ex {
    return this.events.cond(this.dm.root.constraint, 'all', true);
  }

  field(name: string): Typed {
    if (name === '_time') return this.events.field('_time');
    const slot = this.slots.get(name);
    if (!slot) return { ex: NULL, kind: 'text' };
    // Child datasets: the field exists only on rows meeting every constraint down the chain.
    const inChain = and(...slot.chain.slice(1).map((ds) => this.events.cond(ds.constraint, 'all', true)));
    const f = slot.field;
    const sources = f.from.map((s) => this.events.field(s));
    let value: Typed;
    if (f.default === undefined) value = coalesceTyped(sources);
    else {
      // Calculated field: null and "" are skipped; the default fills in.
      const nonEmpty = sources.map((t): Typed => (t.kind === 'mv' ? { ex: nullIfEmptyStrings(t.ex), kind: 'mv' } : t.kind === 'text' ? { ex: fn('nullif', t.ex, lit('')), kind: 'text' } : t));
      const c = coalesceTyped([...nonEmpty, { ex: lit(f.default), kind: 'text' }]);
      value = c;
    }
    if (inChain.k === 'lit' && inChain.v === true) return value;
    return { ex: caseWhen([[inChain, value.ex]], null), kind: value.kind };
  }
}

/** A multivalue that is only one empty string counts as empty (datamodel.ts isEmpty). */
function nullIfEmptyStrings(ex: Ex): Ex {
  return caseWhen([[bin('AND', bin('=', fn('cardinality', ex), lit(1)), bin('=', { k: 'fn', name: 'element_at', args: [ex, lit(1)] }, lit(''))), NULL]], nullIfEmpty(ex));
}

