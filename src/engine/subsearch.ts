/**
 * Subsearches used as search filters (SPL.md §2.8): each `[ … ]` runs first — same time range,
 * same now() — and its rows are formatted into search text, parsed back into a SearchExpr, and
 * put where the brackets were. An empty result becomes `NOT ()`, which matches nothing, so
 * `NOT [ empty ]` matches everything.
 */
import type { Pipeline, SearchExpr } from '../spl/ast.js';
import type { Span } from '../errors.js';
import { parseSearchExpression } from '../spl/index.js';
import type { RunContext } from './context.js';
import type { PipelinePlanLike } from './operator.js';
import { formatRows } from './format.js';

/** `NOT ()`: an empty group (an AND of nothing) matches everything, so its negation matches nothing (§2.8). */
export function matchNothing(span: Span): SearchExpr {
  return { kind: 'not', term: { kind: 'and', terms: [], span }, span };
}

/** Every subsearch node of an expression, in document order. */
export function collectSubsearches(expr: SearchExpr | null, out: { pipeline: Pipeline; span: Span }[] = []): { pipeline: Pipeline; span: Span }[] {
  if (!expr) return out;
  switch (expr.kind) {
    case 'and':
    case 'or':
      for (const t of expr.terms) collectSubsearches(t, out);
      break;
    case 'not':
      collectSubsearches(expr.term, out);
      break;
    case 'subsearch':
      out.push({ pipeline: expr.pipeline, span: expr.span });
      break;
  }
  return out;
}

/** Replaces subsearch nodes, in document order, by the given expressions. */
export function replaceSubsearches(expr: SearchExpr, replacements: SearchExpr[]): SearchExpr {
  let i = 0;
  const walk = (e: SearchExpr): SearchExpr => {
    switch (e.kind) {
      case 'and':
      case 'or':
        return { ...e, terms: e.terms.map(walk) };
      case 'not':
        return { ...e, term: walk(e.term) };
      case 'subsearch':
        return replacements[i++]!;
      default:
        return e;
    }
  };
  return walk(expr);
}

/** Runs one filter subsearch and turns its rows into a SearchExpr. */
export async function resolveSubsearch(plan: PipelinePlanLike, span: Span, ctx: RunContext): Promise<{ expr: SearchExpr; text: string }> {
  const max = ctx.limits.subsearchRows;
  const { rows, truncated } = await plan.run(ctx, { maxRows: max });
  if (truncated) ctx.warn(`subsearch returned more than ${max} rows; only the first ${max} were used as a filter`);
  const text = formatRows(rows);
  if (text === 'NOT ()') return { expr: matchNothing(span), text };
  // An empty text (a `search` field holding nothing) constrains nothing.
  return { expr: parseSearchExpression(text) ?? { kind: 'and', terms: [], span }, text };
}
