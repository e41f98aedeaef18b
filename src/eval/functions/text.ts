/** Text functions: lower, upper, len, substr, replace, trim family, urldecode. */
import type { FunctionTable } from './types.js';
import { numberOf, scalarsOf, textOf } from '../ops.js';
import { mv, toText } from '../value.js';
import type { EvalContext, EvalResult } from '../context.js';
import { pcre } from '../regex.js';

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

function escapeClass(chars: string): string {
  return chars.replace(/[\]\\^-]/g, '\\$&');
}

function trimmer(side: 'both' | 'left' | 'right') {
  return ([s, c]: EvalResult[]): EvalResult => {
    const chars = c === undefined ? ' \t' : textOf(c);
    if (chars === null) return null;
    if (chars === '') return eachText(s!, (t) => t);
    const cls = `[${escapeClass(chars)}]+`;
    const re = new RegExp(side === 'left' ? `^${cls}` : side === 'right' ? `${cls}$` : `^${cls}|${cls}$`, 'gu');
    return eachText(s!, (t) => t.replace(re, ''));
  };
}

/** Splunk replacement text uses \1 for groups; JS uses $1 (and $ must be escaped). */
function jsReplacement(repl: string): string {
  return repl.replace(/\$/g, '$$$$').replace(/\\(\d)/g, '$$$1');
}

function replaceImpl([s, r, w]: EvalResult[], ctx: EvalContext): EvalResult {
  const pattern = textOf(r!);
  const repl = textOf(w!);
  if (pattern === null || repl === null) return null;
  let re: RegExp;
  try {
    re = pcre(pattern, 'g');
  } catch (e) {
    ctx.warn?.(`replace(): invalid regular expression ${JSON.stringify(pattern)}: ${(e as Error).message}`);
    return null;
  }
  const js = jsReplacement(repl);
  return eachText(s!, (t) => t.replace(re, js));
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
