/**
 * One CloudTrail event as a lazy SPL row (SPL.md §1.4-1.7, §9).
 *
 * A field is resolved only when asked for, through the stages of the field model, in Splunk's
 * order: internal fields, then lookups (which see post-eval values), evals (which see JSON +
 * aliases only), aliases, JSON paths; event types and tags see everything else. Each resolved
 * value is cached with the rule that produced it, so `trailguard fields` can show provenance.
 * Only `names()` flattens the whole event.
 */
import { Row, type FieldSource } from '../engine/row.js';
import type { Value } from '../eval/value.js';
import { mv, toText, valuesOf } from '../eval/value.js';
import type { RawEvent } from '../sources/types.js';
import { JsonDoc } from './json.js';
import type { FieldModel } from './model.js';
import type { RuleEnv, View } from './rules.js';
import { evalCond, evalExpr } from './rule-eval.js';
import { Level } from './levels.js';

export interface EventRowOptions {
  /** Default: the model's `index` (main). */
  index?: string;
  /** Default: the model's `host`. */
  host?: string;
}

/** Which stage produced a field: `json`, `internal`, `alias:<id>`, `eval:<id>`, `lookup:<id>`, `eventtype`, `tag`. */
export type FieldOrigin = string;

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const DATE_FIELDS = ['date_hour', 'date_mday', 'date_minute', 'date_month', 'date_second', 'date_wday', 'date_year', 'date_zone'];
const INTERNAL_FIELDS = ['_time', '_raw', 'sourcetype', 'source', 'host', 'index', ...DATE_FIELDS];

interface Resolved {
  value: Value;
  origin: FieldOrigin;
}

const NONE: Resolved = { value: null, origin: 'none' };

/** Resolutions an event keeps in its list before the rest go to maps. */
const RESOLVED_LISTED = 16;

export class EventFieldSource implements FieldSource {
  private readonly doc: JsonDoc;
  /** JSON values read so far, as [path, value, path, value, …]: a row reads a handful of fields,
   *  for which a linear search beats a Map (and a Map per event is what the collector pays for). */
  private jsonCache: (string | Value)[] | undefined;
  /** Names the field model has a rule for (anything else is plain JSON). */
  private readonly ruled: Set<string>;
  /**
   * Resolutions so far, as [name, level, resolved, name, level, resolved, …]: a row resolves a
   * handful of ruled fields (errorCode at two levels, say), for which a linear search beats a Map
   * per level and event.
   */
  private resolved: (string | Level | Resolved)[] | undefined;
  /** Resolutions past the first RESOLVED_LISTED (names() asks for every field), per level. */
  private resolvedMore: Array<Map<string, Resolved> | undefined> | undefined;
  private dateParts: Record<string, Value> | undefined;
  private matchedTypes: { eventtype: string[]; tag: string[] } | undefined;
  private envCache: RuleEnv | undefined;
  private searchEnvCache: RuleEnv | undefined;
  private readonly index: string;
  private readonly host: string;

  constructor(
    readonly event: RawEvent,
    readonly model: FieldModel,
    opts: EventRowOptions = {},
  ) {
    this.doc = new JsonDoc(event);
    this.ruled = ruledNames(model);
    this.index = opts.index ?? model.index;
    this.host = opts.host ?? model.host;
  }

  /** Rule environments (eval-like: case-sensitive; event types: search semantics), built on first use. */
  private get env(): RuleEnv {
    return (this.envCache ??= { tables: this.model.tables, sets: this.model.sets, caseInsensitive: false, raw: () => this.event.raw });
  }

  private get searchEnv(): RuleEnv {
    return (this.searchEnvCache ??= { tables: this.model.tables, sets: this.model.sets, caseInsensitive: true, raw: () => this.event.raw });
  }

  get(name: string): Value {
    // A field no rule touches is its JSON value: no per-level resolution, no cache entry per stage.
    if (!this.ruled.has(name)) return this.json(name);
    // Internal fields come first at every level; _time is read for every row by earliest/latest.
    if (name === '_time') return this.event.time;
    return this.resolve(name).value;
  }

  /** The stage that produced `name` (or 'none' when the event has no such field). */
  origin(name: string): FieldOrigin {
    return this.resolve(name).origin;
  }

  names(): string[] {
    const out = new Set<string>();
    const consider = (n: string) => {
      if (!out.has(n) && this.get(n) !== null) out.add(n);
    };
    for (const n of INTERNAL_FIELDS) consider(n);
    for (const n of this.doc.leaves().keys()) consider(n);
    for (const r of this.model.aliases) consider(r.field);
    for (const r of this.model.evals) consider(r.field);
    for (const r of this.model.lookups) consider(r.field);
    consider('eventtype');
    consider('tag');
    return [...out];
  }

  /** The event types matched, in model order, and their tags (deduplicated, first-seen order). */
  eventTypes(): { eventtype: string[]; tag: string[] } {
    if (!this.matchedTypes) {
      const view: View = (n) => this.at(n, Level.Lookup);
      const eventtype: string[] = [];
      const tag: string[] = [];
      for (const t of this.model.eventtypes) {
        if (!evalCond(t.when, view, this.searchEnv)) continue;
        eventtype.push(t.name);
        for (const g of t.tags) if (!tag.includes(g)) tag.push(g);
      }
      this.matchedTypes = { eventtype, tag };
    }
    return this.matchedTypes;
  }

  private resolve(name: string): Resolved {
    return this.resolvedAt(name, Level.All);
  }

  /** The value of `name` as seen by a stage at `level`. */
  private at(name: string, level: Level): Value {
    return this.resolvedAt(name, level).value;
  }

  /**
   * Resolution at a level, cached per level. A field no rule of the higher stages writes goes
   * straight to the lowest stage that has a rule for it (usually JSON), so a plain field like
   * eventName costs one cache entry, not one per stage.
   */
  private resolvedAt(name: string, level: Level): Resolved {
    const listed = (this.resolved ??= []);
    for (let i = 0; i < listed.length; i += 3) if (listed[i] === name && listed[i + 1] === level) return listed[i + 2] as Resolved;
    const more = this.resolvedMore?.[level]?.get(name);
    if (more !== undefined) return more;
    const r = this.compute(name, level);
    if (listed.length < 3 * RESOLVED_LISTED) listed.push(name, level, r);
    else ((this.resolvedMore ??= [])[level] ??= new Map()).set(name, r);
    return r;
  }

  private compute(name: string, level: Level): Resolved {
    const internal = this.internal(name);
    if (internal !== undefined) return internal === null ? NONE : { value: internal, origin: 'internal' };
    const m = this.model;
    if (level >= Level.All && (name === 'eventtype' || name === 'tag')) {
      const v = mv(this.eventTypes()[name]);
      return v === null ? NONE : { value: v, origin: name };
    }
    if (level >= Level.Lookup) {
      const rule = m.lookupByField.get(name);
      if (rule) {
        const v = evalExpr(rule.expr, (n) => this.at(n, Level.Eval), this.env);
        if (v !== null) return { value: v, origin: `lookup:${rule.id}` };
        // No match: the field keeps its post-eval value.
        return this.resolvedAt(name, Level.Eval);
      }
    }
    if (level >= Level.Eval) {
      const rule = m.evalByField.get(name);
      // An eval that yields null removes the field, whatever the JSON held.
      if (rule) {
        const v = evalExpr(rule.expr, (n) => this.at(n, Level.Alias), this.env);
        return v === null ? NONE : { value: v, origin: `eval:${rule.id}` };
      }
    }
    if (level >= Level.Alias) {
      const rule = m.aliasByField.get(name);
      if (rule) {
        for (const p of rule.from) {
          const v = this.json(p);
          if (v !== null) return { value: v, origin: `alias:${rule.id}` };
        }
      }
    }
    const v = this.json(name);
    return v === null ? NONE : { value: v, origin: 'json' };
  }

  private json(path: string): Value {
    const cache = (this.jsonCache ??= []);
    for (let i = 0; i < cache.length; i += 2) if (cache[i] === path) return cache[i + 1] as Value;
    const v = this.doc.value(path);
    cache.push(path, v);
    return v;
  }

  /** undefined: not an internal field; null: internal but absent. */
  private internal(name: string): Value | undefined {
    switch (name) {
      case '_time':
        return this.event.time;
      case '_raw':
        return this.event.raw;
      case 'sourcetype':
        return this.model.sourcetype;
      case 'source':
        return this.event.source;
      case 'host':
        return this.host;
      case 'index':
        return this.index;
    }
    if (name.startsWith('date_') && DATE_FIELDS.includes(name)) return this.dates()[name] ?? null;
    return undefined;
  }

  /**
   * date_* fields from the timestamp as written in the event (SPL.md §1.7): CloudTrail writes
   * UTC, so these are UTC parts. Events without `eventTime` (e.g. `@timestamp` exports) use _time
   * in UTC.
   */
  private dates(): Record<string, Value> {
    if (this.dateParts) return this.dateParts;
    let d: Date | null = null;
    const written = this.json('eventTime');
    if (written !== null) {
      const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})/.exec(toText(valuesOf(written)[0]!));
      if (m) d = new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!));
    }
    if (d === null && Number.isFinite(this.event.time)) d = new Date(Math.floor(this.event.time) * 1000);
    if (d === null || Number.isNaN(d.getTime())) {
      this.dateParts = {};
      return this.dateParts;
    }
    this.dateParts = {
      date_hour: d.getUTCHours(),
      date_mday: d.getUTCDate(),
      date_minute: d.getUTCMinutes(),
      date_month: MONTHS[d.getUTCMonth()]!,
      date_second: d.getUTCSeconds(),
      date_wday: WEEKDAYS[d.getUTCDay()]!,
      date_year: d.getUTCFullYear(),
      date_zone: 0,
    };
    return this.dateParts;
  }
}

const RULED = new WeakMap<FieldModel, Set<string>>();

let lastModel: FieldModel | undefined;
let lastRuled: Set<string> | undefined;

/** Every name some stage of the model (or the internal fields) can produce other than from JSON. */
function ruledNames(model: FieldModel): Set<string> {
  if (model === lastModel) return lastRuled!;
  let set = RULED.get(model);
  if (set === undefined) {
    set = new Set([...INTERNAL_FIELDS, 'eventtype', 'tag']);
    for (const r of model.aliases) set.add(r.field);
    for (const r of model.evals) set.add(r.field);
    for (const r of model.lookups) set.add(r.field);
    for (const k of model.aliasByField.keys()) set.add(k);
    for (const k of model.evalByField.keys()) set.add(k);
    for (const k of model.lookupByField.keys()) set.add(k);
    RULED.set(model, set);
  }
  lastModel = model;
  lastRuled = set;
  return set;
}

/** True when `name` is an event's JSON value as it stands: no stage of the model produces it. */
export function isPlainJsonField(model: FieldModel, name: string): boolean {
  return !ruledNames(model).has(name);
}

/** True when the evals of the model read `name` as the event's JSON value (no internal field, no alias). */
export function evalsReadJson(model: FieldModel, name: string): boolean {
  return !INTERNAL_FIELDS.includes(name) && name !== 'eventtype' && name !== 'tag' && !model.aliasByField.has(name);
}

/** The value of an internal field that is the same for every event of a search (sourcetype, index, host), else undefined. */
export function constantField(model: FieldModel, name: string): string | undefined {
  return name === 'sourcetype' ? model.sourcetype : name === 'index' ? model.index : name === 'host' ? model.host : undefined;
}

/** A lazy Row over one event (SPL.md §1.4-1.7, §9). */
export function eventRow(ev: RawEvent, model: FieldModel, opts?: EventRowOptions): Row {
  return new Row(new EventFieldSource(ev, model, opts));
}

export interface FieldExplanation {
  field: string;
  value: Value;
  /** json, internal, alias:<id>, eval:<id>, lookup:<id>, eventtype, tag */
  rule: FieldOrigin;
  /** The SPL.md rule the producing rule implements, when it names one. */
  spec?: string;
  /** Trailguard's reading of SPL.md or its difference from the add-on, when the rule has one. */
  note?: string;
}

/** Every field of one event with the rule that produced it (forces full resolution). */
export function explainFields(ev: RawEvent, model: FieldModel, opts?: EventRowOptions): FieldExplanation[] {
  const src = new EventFieldSource(ev, model, opts);
  const specs = new Map<string, string>();
  const notes = new Map<string, string>();
  for (const r of model.aliases) specs.set(`alias:${r.id}`, `alias of ${r.from.join(' / ')}`);
  for (const r of model.evals) {
    specs.set(`eval:${r.id}`, r.rule);
    if (r.note) notes.set(`eval:${r.id}`, r.note);
  }
  for (const r of model.lookups) {
    specs.set(`lookup:${r.id}`, r.rule);
    if (r.note) notes.set(`lookup:${r.id}`, r.note);
  }
  specs.set('eventtype', 'SPL.md §9.3, §12.1 event types');
  specs.set('tag', 'SPL.md §9.3 tags of the matched event types');
  return src.names().map((field) => {
    const rule = src.origin(field);
    const spec = specs.get(rule);
    const note = notes.get(rule);
    const e: FieldExplanation = { field, value: src.get(field), rule };
    if (spec) e.spec = spec;
    if (note) e.note = note;
    return e;
  });
}
