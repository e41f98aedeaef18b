/**
 * The byte prefilter seam (DESIGN.md "Prefilter"): before a row is built, drop raw events whose
 * text cannot satisfy the leading search. The terms come from eval's `searchTermsForPrefilter`
 * (literals every matching event must contain); the test is a case-insensitive substring search,
 * which can only keep too much, never too little, as long as the terms are truly required.
 */
import type { SearchExpr } from '../spl/ast.js';
import { searchTermsForPrefilter } from '../eval/index.js';
import type { RawPrefilter } from '../sources/types.js';
import { escapeRegExp } from '../util/regexp.js';

function termsFor(expr: SearchExpr): string[] {
  return searchTermsForPrefilter(expr).filter((t) => t.length > 0);
}


/**
 * A raw-text predicate, or null when nothing can be required of the raw text. Each term is a
 * case-insensitive regex with Unicode case folding (the same folding the search matcher uses), which
 * is several times cheaper than lower-casing every event.
 */
export function buildPrefilter(expr: SearchExpr): RawPrefilter | null {
  const literals = termsFor(expr);
  if (literals.length === 0) return null;
  // The literals go with the test so the sources can search them over whole chunks.
  return Object.assign(holdsAllTerms(literals), { terms: literals });
}

/** The prefilter's test for `literals`: the raw text holds every one, compared without case. */
export function holdsAllTerms(literals: readonly string[]): (raw: string) => boolean {
  const terms = literals.map((t) => new RegExp(escapeRegExp(t), 'iu'));
  return (raw: string) => {
    for (const t of terms) if (!t.test(raw)) return false;
    return true;
  };
}

/** The literal terms the prefilter would require (for `explain --stage plan`). */
export function prefilterTerms(expr: SearchExpr | null): string[] {
  return expr ? termsFor(expr) : [];
}
