/**
 * SPL regexes are PCRE; Trailguard runs them with JS RegExp after translating the common PCRE-only
 * spellings: leading inline flags `(?i)`, `(?s)`, `(?m)`, `(?x)` (x is dropped), named groups
 * `(?P<n>…)`, and the anchors `\A`, `\Z`, `\z`. Other PCRE-only syntax (possessive quantifiers,
 * atomic groups, mid-pattern flags) is not translated and fails as an invalid regex.
 */
const cache = new Map<string, RegExp | Error>();

export function translatePcre(pattern: string, extraFlags = ''): { source: string; flags: string } {
  let src = pattern;
  const flags = new Set(extraFlags.split('').filter(Boolean));
  for (;;) {
    const m = /^\(\?([imsx]+)\)/.exec(src);
    if (!m) break;
    for (const f of m[1]!) if (f !== 'x') flags.add(f);
    src = src.slice(m[0].length);
  }
  src = src.replace(/\(\?P<([A-Za-z_][A-Za-z0-9_]*)>/g, '(?<$1>').replace(/\\A/g, '^').replace(/\\[zZ]/g, '$');
  return { source: src, flags: [...flags].join('') };
}

/** Compiled, cached JS RegExp for a PCRE-ish pattern; throws a SyntaxError when invalid. */
export function pcre(pattern: string, extraFlags = ''): RegExp {
  const key = `${extraFlags}\u0000${pattern}`;
  let re = cache.get(key);
  if (re === undefined) {
    try {
      const t = translatePcre(pattern, extraFlags);
      re = new RegExp(t.source, t.flags);
    } catch (e) {
      re = e instanceof Error ? e : new Error(String(e));
    }
    if (cache.size > 5_000) cache.clear();
    cache.set(key, re);
  }
  if (re instanceof Error) throw re;
  return re;
}
