/**
 * Which fields of a CloudTrail event are null for much of the activity, and why — read from the
 * field model (data/fieldmodel/cloudtrail.yml) rather than listed by hand, so the lint follows
 * the model when a rule changes.
 *
 * The one hand-kept input is CONDITIONAL_PATHS: CloudTrail JSON paths that many events lack
 * (SPL.md §9.1, §12.3). A field derived by the model is null-prone when the value it takes for a
 * typical event — the `else` branch of its `case` on eventName, or its only expression — is such
 * a path, or is `absent`. For a search restricted to known eventNames, the branch of each name is
 * used instead (`eventName=ConsoleLogin | stats … by user` is fine: ConsoleLogin has its own
 * branch); names come from search terms, so they match case-insensitively, as search does.
 */
import type { FieldModel } from '../../cloudtrail/index.js';
import { likeRegex, type Expr } from '../../cloudtrail/rules.js';

/** CloudTrail JSON paths that many events lack: path → the activity for which it is null. */
export const CONDITIONAL_PATHS: Readonly<Record<string, string>> = {
  // userIdentity.userName is set for IAM users (and some root calls) only (SPL.md §9.1 `user`, §12.3).
  'userIdentity.userName': 'most AssumedRole activity',
  'userIdentity.sessionContext.sessionIssuer.userName': 'calls by IAM users and the root user',
  'userIdentity.invokedBy': 'calls not made by an AWS service on your behalf',
  errorMessage: 'successful calls',
};

export interface NullProne {
  /** For whom the field is null: "most AssumedRole activity". */
  why: string;
  /** The field model rule (or JSON path) the reading comes from, for the message. */
  source: string;
}

const ABSENT = '\u0000absent';

/** Event names a `case` names explicitly (for "null except for …"). */
function namedEvents(e: Expr): string[] {
  if (typeof e === 'object' && 'case' in e) return e.case.when.flatMap((w) => (Array.isArray(w.match) ? w.match : [w.match]));
  return [];
}

/**
 * Why expression `e` is null for the events described (`eventName` known, or undefined for a
 * typical event), or undefined when it is (mostly) set. ABSENT means "not created".
 */
function nullWhy(e: Expr, eventName: string | undefined): string | undefined {
  if (typeof e === 'string') return CONDITIONAL_PATHS[e];
  if ('path' in e) return CONDITIONAL_PATHS[e.path];
  if ('const' in e) return undefined;
  if ('absent' in e) return ABSENT;
  if ('coalesce' in e) {
    // Null only when every alternative is null for the same activity (userName ?? issuer name is
    // set for IAM users and for roles alike).
    const whys = e.coalesce.map((x) => nullWhy(x, eventName));
    return whys.every((w) => w !== undefined && w === whys[0]) ? whys[0] : undefined;
  }
  if ('case' in e) {
    const on = e.case.on ?? 'eventName';
    if (on === 'eventName' && eventName !== undefined) {
      for (const w of e.case.when) {
        const pats = Array.isArray(w.match) ? w.match : [w.match];
        if (pats.some((p) => likeRegex(p, true).test(eventName))) return nullWhy(w.then, eventName);
      }
    }
    return e.case.else === undefined ? ABSENT : nullWhy(e.case.else, eventName);
  }
  if ('if' in e) return nullWhy(e.then, eventName) ?? (e.else === undefined ? ABSENT : nullWhy(e.else, eventName));
  if ('regex' in e) return nullWhy(e.regex.from, eventName);
  if ('last_segment' in e) return nullWhy(e.last_segment.from, eventName);
  // Table lookups: null for names the table lacks, which is not "much activity".
  return undefined;
}

export interface NullableFields {
  /** Why `field` is null for the given events (all names when a list is given), or undefined. */
  nullFor(field: string, eventNames?: readonly string[]): NullProne | undefined;
  /** Every null-prone field of a typical event, for docs and tests. */
  fields(): string[];
}

/** The null-prone fields of a field model (a field's own rule wins over a JSON path of that name). */
export function nullableFields(model: FieldModel): NullableFields {
  const exprOf = (field: string): { expr: Expr; source: string } | undefined => {
    const rule = model.lookupByField.get(field) ?? model.evalByField.get(field);
    if (rule) return { expr: rule.expr, source: `${rule === model.lookupByField.get(field) ? 'lookup' : 'eval'} \`${rule.id}\`` };
    const alias = model.aliasByField.get(field);
    if (alias) return { expr: { coalesce: alias.from }, source: `alias \`${alias.id}\`` };
    if (field in CONDITIONAL_PATHS) return { expr: field, source: 'the CloudTrail record' };
    return undefined;
  };
  const describe = (field: string, why: string, expr: Expr): string => {
    if (why !== ABSENT) return why;
    const named = namedEvents(expr);
    const shown = named.slice(0, 4).join(', ') + (named.length > 4 ? ', …' : '');
    return named.length > 0 ? `every event but ${shown}` : `every event the field model does not give a \`${field}\``;
  };
  const nullFor = (field: string, eventNames?: readonly string[]): NullProne | undefined => {
    const r = exprOf(field);
    if (r === undefined) return undefined;
    const names = eventNames && eventNames.length > 0 ? eventNames : [undefined];
    for (const n of names) {
      const why = nullWhy(r.expr, n);
      if (why !== undefined) return { why: describe(field, why, r.expr), source: r.source };
    }
    return undefined;
  };
  const all = [...new Set([...model.aliasByField.keys(), ...model.evalByField.keys(), ...model.lookupByField.keys(), ...Object.keys(CONDITIONAL_PATHS)])];
  return { nullFor, fields: () => all.filter((f) => nullFor(f) !== undefined).sort() };
}
