/**
 * The byte prefilter seam (DESIGN.md "Prefilter"): before a row is built, drop raw events whose
 * text cannot satisfy the leading search. The terms come from eval's `searchTermsForPrefilter`
 * (literals every matching event must contain); the test is a case-insensitive substring check,
 * which can only keep too much, never too little, as long as the terms are truly required.
 */
import type { SearchExpr } from '../spl/ast.js';
import * as evalApi from '../eval/index.js';

type TermsFn = (expr: SearchExpr) => string[] | { terms: string[] } | null | undefined;

function termsFor(expr: SearchExpr): string[] {
  const fn = (evalApi as unknown as Record<string, unknown>)['searchTermsForPrefilter'] as TermsFn | undefined;
  if (typeof fn !== 'function') return [];
  const r = fn(expr);
  if (!r) return [];
  return Array.isArray(r) ? r : r.terms ?? [];
}

/** A raw-text predicate, or null when nothing can be required of the raw text. */
export function buildPrefilter(expr: SearchExpr): ((raw: string) => boolean) | null {
  const terms = termsFor(expr).filter((t) => t.length > 0).map((t) => t.toLowerCase());
  if (terms.length === 0) return null;
  // Lower-casing the whole event is the cost we pay once; ASCII-only terms could use a faster scan.
  return (raw: string) => {
    const text = raw.toLowerCase();
    for (const t of terms) if (!text.includes(t)) return false;
    return true;
  };
}

/** The literal terms the prefilter would require (for `explain --stage plan`). */
export function prefilterTerms(expr: SearchExpr | null): string[] {
  return expr ? termsFor(expr) : [];
}
