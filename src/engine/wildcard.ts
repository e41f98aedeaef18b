/** Field-name wildcards (`requestParameters.*`, `"All_Changes.*" as *`): case-sensitive, `*` = any run. */
import { escapeRegExp } from '../util/regexp.js';

const cache = new Map<string, RegExp>();

export function hasWildcard(pattern: string): boolean {
  return pattern.includes('*');
}

/** A regex matching names against `pattern`, capturing each `*` part. */
export function wildcardRegex(pattern: string): RegExp {
  let re = cache.get(pattern);
  if (!re) {
    const body = pattern.split('*').map(escapeRegExp).join('(.*)');
    re = new RegExp(`^${body}$`, 's');
    cache.set(pattern, re);
  }
  return re;
}

/** The `*` captures of `name` against `pattern`, or null when it does not match. */
export function matchWildcard(pattern: string, name: string): string[] | null {
  const m = wildcardRegex(pattern).exec(name);
  return m ? m.slice(1) : null;
}

/** Fills the `*`s of `target` with `captures` in order; extra `*`s take the last capture. */
export function substituteWildcard(target: string, captures: string[]): string {
  let i = 0;
  return target.replace(/\*/g, () => captures[Math.min(i++, captures.length - 1)] ?? '');
}

/** Names (in first-seen order) across rows that match any of the patterns. */
export function expandFieldPatterns(patterns: readonly string[], names: Iterable<string>): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const list = [...names];
  for (const p of patterns) {
    if (!hasWildcard(p)) {
      if (!seen.has(p)) {
        seen.add(p);
        out.push(p);
      }
      continue;
    }
    for (const n of list) if (!seen.has(n) && matchWildcard(p, n)) {
      seen.add(n);
      out.push(n);
    }
  }
  return out;
}

/** Every field name present in any of the rows, in first-seen order. */
export function allFieldNames(rows: Iterable<{ fieldNames(): string[] }>): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const r of rows) for (const n of r.fieldNames()) if (!seen.has(n)) {
    seen.add(n);
    out.push(n);
  }
  return out;
}
