/** Text functions: lower, upper, len, substr, replace, trim family, urldecode. */
import type { FunctionTable } from './types.js';
import { numberOf, scalarsOf, textOf } from '../ops.js';
import { mv, toText } from '../value.js';
import type { EvalContext, EvalResult } from '../context.js';
import { compileRegex, overBudgetWarning, parseReplacement, type BoundedRegex } from '../regex.js';

/** Applies a text transform to every value (multivalue stays multivalue); null → null. */
function eachText(v: EvalResult, f: (s: string) => string | null): EvalResult {
  const vals = scalarsOf(v);
  if (vals.length === 0) return null;
  const out: string[] = [];
  for (const s of vals) {
    const r = f(toText(s));
    if (r !== null) out.push(r);
  }
  return Array.isArray(v) ? mv(out) : (out[0] ?? null);
}

/**
 * Trims characters of `chars` (code points) from one or both ends. A scan, not a regex: `[ ]+$`
 * backtracks quadratically on a long run of spaces followed by other text.
 */
function trimmer(side: 'both' | 'left' | 'right') {
  return ([s, c]: EvalResult[]): EvalResult => {
    const chars = c === undefined ? ' \t' : textOf(c);
    if (chars === null) return null;
    const set = new Set(chars);
    return eachText(s!, (t) => {
      let start = 0;
      let end = t.length;
      if (side !== 'right') {
        while (start < end) {
          const cp = String.fromCodePoint(t.codePointAt(start)!);
          if (!set.has(cp)) break;
          start += cp.length;
        }
      }
      if (side !== 'left') {
        while (end > start) {
          // The last code point: a surrogate pair counts as one.
          const two = end - 2 >= start ? t.slice(end - 2, end) : '';
          const cp = two.length === 2 && [...two].length === 1 ? two : t[end - 1]!;
          if (!set.has(cp)) break;
          end -= cp.length;
        }
      }
      return t.slice(start, end);
    });
  };
}

function replaceImpl([s, r, w]: EvalResult[], ctx: EvalContext): EvalResult {
  const pattern = textOf(r!);
  const repl = textOf(w!);
  if (pattern === null || repl === null) return null;
  let re: BoundedRegex;
  try {
    re = compileRegex(pattern);
  } catch (e) {
    ctx.warn?.(`replace(): invalid regular expression ${JSON.stringify(pattern)}: ${(e as Error).message}`);
    return null;
  }
  const replacement = parseReplacement(repl);
  return eachText(s!, (t) => {
    const out = re.replace(t, replacement, true);
    if (out !== null) return out;
    // Over its budget: no match, so the text stays as it was.
    ctx.warn?.(overBudgetWarning('replace()', re));
    return t;
  });
}

/** Decodes %XX sequences as UTF-8; malformed sequences are kept as written. */
export function urlDecode(s: string): string {
  return s.replace(/(?:%[0-9a-fA-F]{2})+/g, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run.replace(/%[0-9a-fA-F]{2}/g, (one) => {
        try {
          return decodeURIComponent(one);
        } catch {
          return one;
        }
      });
    }
  });
}

function substr([s, st, ln]: EvalResult[]): EvalResult {
  const start = numberOf(st!);
  const len = ln === undefined ? null : numberOf(ln);
  if (start === null || (ln !== undefined && (len === null || len < 0))) return null;
  return eachText(s!, (t) => {
    const chars = [...t];
    // 1-based; a negative start counts from the end; 0 reads as 1.
    let from = start > 0 ? Math.trunc(start) - 1 : start < 0 ? chars.length + Math.trunc(start) : 0;
    if (from < 0) from = 0;
    const to = len === null ? chars.length : from + Math.trunc(len);
    return chars.slice(from, to).join('');
  });
}

export const TEXT: FunctionTable = {
  lower: { minArgs: 1, maxArgs: 1, signature: 'lower(text)', impl: ([s]) => eachText(s!, (t) => t.toLowerCase()) },
  upper: { minArgs: 1, maxArgs: 1, signature: 'upper(text)', impl: ([s]) => eachText(s!, (t) => t.toUpperCase()) },
  len: {
    minArgs: 1,
    maxArgs: 1,
    signature: 'len(text)',
    impl: ([s]) => {
      const t = textOf(s!);
      return t === null ? null : [...t].length;
    },
  },
  substr: { minArgs: 2, maxArgs: 3, signature: 'substr(text, start, [length])', impl: substr },
  replace: { minArgs: 3, maxArgs: 3, signature: 'replace(text, regex, replacement)', impl: replaceImpl },
  trim: { minArgs: 1, maxArgs: 2, signature: 'trim(text, [chars])', impl: trimmer('both') },
  ltrim: { minArgs: 1, maxArgs: 2, signature: 'ltrim(text, [chars])', impl: trimmer('left') },
  rtrim: { minArgs: 1, maxArgs: 2, signature: 'rtrim(text, [chars])', impl: trimmer('right') },
  urldecode: { minArgs: 1, maxArgs: 1, signature: 'urldecode(text)', impl: ([s]) => eachText(s!, urlDecode) },
};
