/**
 * `stats … by F` drops every event whose F is null; `tstats … by All_Changes.F` either drops them
 * or, for a CIM field with a default, files them all under `unknown`. For add-on fields that are
 * null for much of CloudTrail (`user` for most AssumedRole activity, SPL.md §9.1, §12.3) that
 * silently skips most of the activity. Which fields are null-prone comes from the field model
 * (null-fields.ts); a field the search set itself first (eval, rename, fillnull, lookup …) or
 * required to be present (`user=*`) is not the event's field and is left alone.
 */
import type { Span } from '../../errors.js';
import type { FieldModel, Dataset } from '../../cloudtrail/index.js';
import type { Pipeline, StatsCommand, TstatsCommand } from '../../spl/ast.js';
import { addSearchFacts, allPipelines, effectOf, readsEvents, setsField, type Effect, type RowFacts } from './flow.js';
import { nullableFields, type NullableFields, type NullProne } from './null-fields.js';
import type { LintContext, LintFinding, LintRule } from './types.js';
import { escapeRegExp } from '../../util/regexp.js';

const cache = new WeakMap<FieldModel, NullableFields>();
function nullables(model: FieldModel): NullableFields {
  let n = cache.get(model);
  if (n === undefined) {
    n = nullableFields(model);
    cache.set(model, n);
  }
  return n;
}


/** The span of `field` after the last `by` of a command (expanded text), or the command's span. */
function bySpan(text: string, cmd: Span, field: string): Span {
  const slice = text.slice(cmd.start, cmd.end);
  const by = [...slice.matchAll(/\bby\b/gi)].pop();
  if (by?.index === undefined) return cmd;
  const re = new RegExp(`(^|[\\s,"])(${escapeRegExp(field)})(?=$|[\\s,"|])`, 'g');
  re.lastIndex = by.index + 2;
  const m = re.exec(slice);
  if (!m || m.index === undefined) return cmd;
  const start = cmd.start + m.index + m[1]!.length;
  return { start, end: start + field.length };
}

function statsFindings(ctx: LintContext, p: Pipeline, n: NullableFields): LintFinding[] {
  const facts: RowFacts = { required: new Set() };
  const effects: Effect[] = [];
  for (const c of p.commands) {
    if (c.name === 'search') addSearchFacts(facts, c.expr);
    if (c.name === 'stats') return checkBy(ctx, c, facts, effects, n);
    const e = effectOf(c);
    if (e === 'rows') break;
    effects.push(e);
  }
  return [];
}

function checkBy(ctx: LintContext, c: StatsCommand, facts: RowFacts, effects: Effect[], n: NullableFields): LintFinding[] {
  const out: LintFinding[] = [];
  for (const f of c.by) {
    if (facts.required.has(f) || effects.some((e) => setsField(e, f))) continue;
    const why = n.nullFor(f, facts.eventNames);
    if (why === undefined) continue;
    out.push({
      message: `\`stats … by ${f}\` drops events whose \`${f}\` is null — ${why.why} (${why.source} in the field model)`,
      position: ctx.at(bySpan(ctx.compiled!.expansion.text, c.span, f)),
      hint: `fill it first (\`fillnull value=unknown ${f}\`, or \`eval ${f}=coalesce(${f}, <another field>)\`), or group by a field every event has, such as userIdentity.arn`,
    });
  }
  return out;
}

/** Data model fields that carry eventName (`All_Changes.command`, `Authentication.signature`). */
function eventNameFields(model: FieldModel, root: Dataset): string[] {
  const out: string[] = [];
  const walk = (ds: Dataset) => {
    for (const f of ds.fields) {
      const src = f.from[0] ?? f.name;
      if (src === 'eventName' || (model.aliasByField.get(src)?.from.includes('eventName') ?? false)) out.push(`${ds.path}.${f.name}`);
    }
    ds.children.forEach(walk);
  };
  walk(root);
  return out;
}

function tstatsFindings(ctx: LintContext, c: TstatsCommand, n: NullableFields): LintFinding[] {
  const dm = c.from ? ctx.fieldModel.datamodels.get(c.from.datamodel) : undefined;
  if (dm === undefined || c.options.fillnull_value !== undefined) return [];
  const facts: RowFacts = { required: new Set() };
  for (const f of eventNameFields(ctx.fieldModel, dm.root)) addSearchFacts(facts, c.where, f);
  if (facts.eventNames === undefined) addSearchFacts(facts, c.where);
  const byPath = new Map<string, { field: { name: string; from: string[]; default?: string } }>();
  const walk = (ds: Dataset) => {
    for (const f of ds.fields) byPath.set(`${ds.path}.${f.name}`, { field: f });
    ds.children.forEach(walk);
  };
  walk(dm.root);
  const out: LintFinding[] = [];
  for (const by of c.by) {
    const entry = byPath.get(by);
    if (entry === undefined || facts.required.has(by)) continue;
    const f = entry.field;
    const sources = f.from.length > 0 ? f.from : [f.name];
    const whys = sources.map((s) => n.nullFor(s, facts.eventNames));
    if (whys.some((w) => w === undefined)) continue;
    const why = whys[0] as NullProne;
    const position = ctx.at(bySpan(ctx.compiled!.expansion.text, c.span, by));
    out.push(
      f.default !== undefined
        ? {
            message: `\`tstats … by ${by}\` files every event whose \`${f.name}\` is null — ${why.why} — under \`${f.default}\` (${why.source} in the field model)`,
            position,
            hint: `filter out ${by}=${f.default}, or group by a data model field that names every caller`,
          }
        : { message: `\`tstats … by ${by}\` drops events whose \`${f.name}\` is null — ${why.why} (${why.source} in the field model)`, position },
    );
  }
  return out;
}

export const nullByField: LintRule = {
  code: 'lint-null-by-field',
  severity: 'warning',
  summary: 'stats/tstats grouped by a field that is null for much CloudTrail activity (user: most AssumedRole calls)',
  hint: 'fill the field first (fillnull, coalesce), or group by a field every event has (userIdentity.arn)',
  needsAst: true,
  check(ctx) {
    const n = nullables(ctx.fieldModel);
    const out: LintFinding[] = [];
    for (const p of allPipelines(ctx.compiled!.pipeline)) {
      if (readsEvents(p)) out.push(...statsFindings(ctx, p, n));
      const first = p.commands[0];
      if (first?.name === 'tstats') out.push(...tstatsFindings(ctx, first, n));
    }
    return out;
  },
};
