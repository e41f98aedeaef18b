/**
 * Backtick macro expansion (SPL.md §8.4–8.5), pure: text + macro table in, expanded text out.
 * `name(a,b)` selects the definition keyed `name(2)`; `$arg$` is replaced by the argument with one
 * pair of surrounding double quotes removed; expansions are expanded again (cycles are errors);
 * macros inside double-quoted strings are left alone; undefined `*_filter` macros mean `search *`.
 *
 * Position map: the expanded text is a sequence of segments; text copied from the original keeps a
 * one-to-one offset mapping, text produced by a macro maps to the whole top-level macro call
 * (`` `name(args)` ``) in the original. AST spans refer to the *expanded* text; `toOriginal`
 * translates them for error messages.
 */
import { distance } from 'fastest-levenshtein';
import { TrailguardError, TrailguardErrors, type SourceText, type Span } from '../errors.js';
import { SPL } from './codes.js';
import { stripComments } from './lexer.js';

export interface MacroDef {
  /** The name as called (`security_content_ctime`). */
  name: string;
  /** Argument names, in order (`$field$`). */
  args: string[];
  definition: string;
  /** Where it was defined, for messages. */
  file?: string;
}

/** Keyed by `name` for argument-less macros and `name(N)` for macros with N arguments. */
export type MacroTable = Map<string, MacroDef>;

export function macroKey(name: string, arity: number): string {
  return arity === 0 ? name : `${name}(${arity})`;
}

export interface MappedSegment {
  /** Range in the expanded text. */
  expanded: Span;
  /** Range in the original text it came from. */
  original: Span;
  /** True when the expanded range is a verbatim copy (offsets map one to one). */
  verbatim: boolean;
  /** Outermost macro that produced it, when not verbatim. */
  macro?: string;
}

export interface MacroExpansion {
  text: string;
  original: string;
  segments: MappedSegment[];
  /** Every macro call expanded, outermost first (for explain/lint). */
  calls: { name: string; key: string; span: Span; defaulted: boolean }[];
  /** Maps a span of the expanded text back to the original text. */
  toOriginal(span: Span): Span;
}

export interface ExpandOptions {
  source?: SourceText;
  /** Stop after this many nested levels (default 50). */
  maxDepth?: number;
  /**
   * Why a macro that is not in the table cannot be used, when its definition is known to be
   * unreadable (a content file that failed to load); the call then fails with that reason, even a
   * `*_filter` macro that would otherwise default to `search *`.
   */
  unavailable?: (name: string) => string | undefined;
}

/** Splits `a, "b,c", f(x,y)` on top-level commas, respecting quotes and parentheses. */
export function splitMacroArgs(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quoted = false;
  let cur = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      cur += c;
      if (c === '\\' && i + 1 < text.length) cur += text[++i]!;
      else if (c === '"') quoted = false;
      continue;
    }
    if (c === '"') quoted = true;
    else if (c === '(') depth++;
    else if (c === ')') depth = Math.max(0, depth - 1);
    else if (c === ',' && depth === 0) {
      out.push(cur.trim());
      cur = '';
      continue;
    }
    cur += c;
  }
  out.push(cur.trim());
  return out;
}

/** Removes one pair of surrounding double quotes (SPL.md §8.4). */
export function stripArgQuotes(arg: string): string {
  return arg.length >= 2 && arg.startsWith('"') && arg.endsWith('"') ? arg.slice(1, -1) : arg;
}

interface Call {
  name: string;
  args: string[];
}

function parseCall(body: string): Call | null {
  const m = /^\s*([A-Za-z0-9_.:-]+)\s*(?:\(([\s\S]*)\))?\s*$/.exec(body);
  if (!m) return null;
  return { name: m[1]!, args: m[2] === undefined ? [] : splitMacroArgs(m[2]) };
}

/** Finds backtick pairs outside double-quoted strings; calls `onMacro` for each. */
function scan(text: string, onText: (s: string, start: number) => void, onMacro: (body: string, span: Span) => void, onUnterminated: (start: number) => void): void {
  let i = 0;
  let last = 0;
  let quoted = false;
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '\\') i++;
      else if (c === '"') quoted = false;
      i++;
      continue;
    }
    if (c === '"') {
      quoted = true;
      i++;
      continue;
    }
    if (c === '`') {
      const close = text.indexOf('`', i + 1);
      if (close < 0) {
        onUnterminated(i);
        break;
      }
      if (i > last) onText(text.slice(last, i), last);
      onMacro(text.slice(i + 1, close), { start: i, end: close + 1 });
      i = close + 1;
      last = i;
      continue;
    }
    i++;
  }
  if (last < text.length) onText(text.slice(last), last);
}

function nearNames(name: string, macros: MacroTable): string[] {
  const names = [...new Set([...macros.values()].map((m) => m.name))];
  return names
    .map((n) => ({ n, d: distance(n, name) }))
    .filter((x) => x.d <= Math.max(2, Math.floor(name.length / 4)))
    .sort((a, b) => a.d - b.d)
    .slice(0, 3)
    .map((x) => x.n);
}

/**
 * Expands every macro in `text`. Throws TrailguardErrors (phase 'macro') listing each missing
 * macro, cycle or unterminated call, located in the original text.
 */
export function expandMacros(input: string, macros: MacroTable, opts: ExpandOptions = {}): MacroExpansion {
  const text = stripComments(input);
  const source = opts.source ?? { text: input };
  const maxDepth = opts.maxDepth ?? 50;
  const errors: TrailguardError[] = [];
  const calls: MacroExpansion['calls'] = [];
  const err = (code: string, reason: string, span: Span, hints: string[] = []) =>
    errors.push(new TrailguardError({ code, phase: 'macro', reason, span, source, hints }));

  /** Expands `body` (a macro call's inside) to text; `stack` holds the keys being expanded. */
  const expandCall = (body: string, span: Span, stack: string[]): string => {
    const call = parseCall(body);
    if (!call) {
      err(SPL.macroMissing, `malformed macro call \`${body}\``, span, ['a macro call is `name` or `name(arg1, arg2)` between backticks']);
      return '';
    }
    const key = macroKey(call.name, call.args.length);
    const def = macros.get(key);
    if (!def) {
      const why = opts.unavailable?.(call.name);
      if (why !== undefined) {
        err(SPL.macroMissing, `macro \`${key}\` cannot be used: ${why}`, span, ['fix that file; `trailguard validate` lists every content problem']);
        return '';
      }
      if (call.name.endsWith('_filter') && call.args.length === 0) {
        if (stack.length === 0) calls.push({ name: call.name, key, span, defaulted: true });
        return 'search *';
      }
      const hints: string[] = [];
      const other = [...macros.keys()].filter((k) => k === call.name || k.startsWith(`${call.name}(`));
      if (other.length) hints.push(`\`${call.name}\` is defined as ${other.map((k) => `\`${k}\``).join(', ')}; this call passes ${call.args.length} argument(s)`);
      const near = nearNames(call.name, macros);
      if (near.length && !other.length) hints.push(`did you mean ${near.map((n) => `\`${n}\``).join(', ')}?`);
      hints.push('define it in a macros/*.yml file of a --content directory');
      err(SPL.macroMissing, `macro \`${key}\` is not defined${stack.length ? ` (called from \`${stack[stack.length - 1]}\`)` : ''}`, span, hints);
      return '';
    }
    if (stack.includes(key)) {
      err(SPL.macroCycle, `macro cycle: ${[...stack.slice(stack.indexOf(key)), key].map((k) => `\`${k}\``).join(' → ')}`, span);
      return '';
    }
    if (stack.length >= maxDepth) {
      err(SPL.macroTooDeep, `macros nested more than ${maxDepth} levels deep`, span);
      return '';
    }
    if (stack.length === 0) calls.push({ name: call.name, key, span, defaulted: false });
    let result = def.definition;
    def.args.forEach((argName, i) => {
      result = result.split(`$${argName}$`).join(stripArgQuotes(call.args[i] ?? ''));
    });
    return expandText(result, [...stack, key], span);
  };

  /** Expands all macros in a definition's text (nested level): everything maps to `outer`. */
  const expandText = (t: string, stack: string[], outer: Span): string => {
    let out = '';
    scan(
      stripComments(t),
      (s) => (out += s),
      (body) => (out += expandCall(body, outer, stack)),
      () => err(SPL.macroUnterminated, `unterminated macro call inside the definition of \`${stack[stack.length - 1]}\``, outer),
    );
    return out;
  };

  let out = '';
  const segments: MappedSegment[] = [];
  scan(
    text,
    (s, start) => {
      segments.push({ expanded: { start: out.length, end: out.length + s.length }, original: { start, end: start + s.length }, verbatim: true });
      out += s;
    },
    (body, span) => {
      const expanded = expandCall(body, span, []);
      segments.push({ expanded: { start: out.length, end: out.length + expanded.length }, original: span, verbatim: false, macro: body.trim() });
      out += expanded;
    },
    (start) => {
      err(SPL.macroUnterminated, 'unterminated macro call: missing closing backtick', { start, end: text.length }, ['macro calls look like `name` or `name(arg)`']);
      segments.push({ expanded: { start: out.length, end: out.length + text.length - start }, original: { start, end: text.length }, verbatim: true });
      out += text.slice(start);
    },
  );
  if (errors.length) throw new TrailguardErrors(errors);

  const toOriginalOffset = (off: number, isEnd: boolean): number => {
    for (const s of segments) {
      const inside = isEnd ? off > s.expanded.start && off <= s.expanded.end : off >= s.expanded.start && off < s.expanded.end;
      if (!inside) continue;
      if (s.verbatim) return s.original.start + (off - s.expanded.start);
      return isEnd ? s.original.end : s.original.start;
    }
    // An offset just past macro-produced text (e.g. "end of search" after `broken`) belongs to that call.
    const after = segments.find((s) => !s.verbatim && s.expanded.end === off);
    if (after) return isEnd ? after.original.end : after.original.start;
    return off >= out.length ? text.length : Math.min(off, text.length);
  };
  return {
    text: out,
    original: input,
    segments,
    calls,
    toOriginal: (span) => {
      const start = toOriginalOffset(span.start, false);
      const end = span.end > span.start ? toOriginalOffset(span.end, true) : toOriginalOffset(span.start, true);
      return { start, end: Math.max(start, end) };
    },
  };
}
