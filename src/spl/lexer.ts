/**
 * SPL tokens. SPL has two lexical worlds: in `search` (and in command arguments) a word runs until
 * whitespace or punctuation, so `a.b=c*` is word, `=`, word and `-70m@m` is one word; in `eval`/`where`
 * expressions identifiers are `[A-Za-z_][A-Za-z0-9_]*` and `.`, `+`, `-`, `*` are operators (SPL.md §3).
 * The parser asks for the token at an offset in the mode its context needs (`scanSearch`/`scanEval`).
 */
import type { Span } from '../errors.js';

export type TokenKind =
  | 'word' // search-mode bare word, or eval-mode identifier
  | 'string' // "double quoted", value unescaped
  | 'field' // 'single quoted' field name (eval mode)
  | 'number' // eval mode
  | 'op' // = != < <= > >= == + - * / % .
  | 'pipe'
  | 'lbracket'
  | 'rbracket'
  | 'lparen'
  | 'rparen'
  | 'comma'
  | 'macro' // `name(args)` left unexpanded
  | 'eof';

export interface Token {
  kind: TokenKind;
  /** The source text of the token. */
  text: string;
  /** Unquoted/unescaped value for strings and quoted fields; same as text otherwise. */
  value: string;
  span: Span;
  /** Whitespace (or start of text) precedes the token. */
  spaceBefore: boolean;
  /** Set when the token is malformed (e.g. an unterminated string); the parser reports it. */
  error?: string;
}

export type LexMode = 'search' | 'eval';

const PUNCT: Record<string, TokenKind> = {
  '|': 'pipe',
  '[': 'lbracket',
  ']': 'rbracket',
  '(': 'lparen',
  ')': 'rparen',
  ',': 'comma',
};

function isSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v';
}

/** Characters that end a search-mode word (besides whitespace). `!` ends it only before `=`. */
const SEARCH_STOP = new Set(['|', '[', ']', '(', ')', ',', '"', '=', '<', '>', '`']);

/** Replaces ``` … ``` comments by spaces, keeping every offset of the remaining text unchanged. */
export function stripComments(text: string): string {
  if (!text.includes('```')) return text;
  let out = '';
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf('```', i);
    if (open < 0) break;
    const close = text.indexOf('```', open + 3);
    const end = close < 0 ? text.length : close + 3;
    out += text.slice(i, open) + text.slice(open, end).replace(/[^\n]/g, ' ');
    i = end;
  }
  return out + text.slice(i);
}

function skipSpace(text: string, pos: number): number {
  while (pos < text.length && isSpace(text[pos]!)) pos++;
  return pos;
}

/** Reads a quoted string starting at `pos` (the quote). Backslash escapes only the quote and itself. */
function readQuoted(text: string, pos: number, quote: string): { end: number; value: string; closed: boolean } {
  let value = '';
  let i = pos + 1;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '\\' && i + 1 < text.length) {
      const n = text[i + 1]!;
      if (n === quote || n === '\\') {
        value += n;
        i += 2;
        continue;
      }
      value += c;
      i++;
      continue;
    }
    if (c === quote) return { end: i + 1, value, closed: true };
    value += c;
    i++;
  }
  return { end: text.length, value, closed: false };
}

function make(kind: TokenKind, text: string, start: number, end: number, spaceBefore: boolean, value?: string): Token {
  const raw = text.slice(start, end);
  return { kind, text: raw, value: value ?? raw, span: { start, end }, spaceBefore };
}

function readString(text: string, start: number, spaceBefore: boolean, quote: '"' | "'"): Token {
  const q = readQuoted(text, start, quote);
  const tok = make(quote === '"' ? 'string' : 'field', text, start, q.end, spaceBefore, q.value);
  if (!q.closed) tok.error = quote === '"' ? 'unterminated string: missing closing `"`' : "unterminated field name: missing closing `'`";
  return tok;
}

function readMacro(text: string, start: number, spaceBefore: boolean): Token {
  const close = text.indexOf('`', start + 1);
  const end = close < 0 ? text.length : close + 1;
  const tok = make('macro', text, start, end, spaceBefore, text.slice(start + 1, close < 0 ? end : close));
  tok.error = close < 0 ? 'unterminated macro call: missing closing backtick' : `macro \`${tok.value}\` was not expanded`;
  return tok;
}

/**
 * The tokens both modes read alike: end of text, punctuation, double-quoted strings, macro calls
 * (and, when `singleQuoted`, eval's 'field names'). Returns the token, or where the next one starts.
 */
function scanShared(text: string, pos: number, singleQuoted: boolean): Token | { start: number; spaceBefore: boolean } {
  const start = skipSpace(text, pos);
  const spaceBefore = start > pos || start === 0;
  if (start >= text.length) return make('eof', text, text.length, text.length, spaceBefore);
  const c = text[start]!;
  const punct = PUNCT[c];
  if (punct) return make(punct, text, start, start + 1, spaceBefore);
  if (c === '"') return readString(text, start, spaceBefore, '"');
  if (singleQuoted && c === "'") return readString(text, start, spaceBefore, "'");
  if (c === '`') return readMacro(text, start, spaceBefore);
  return { start, spaceBefore };
}

/** The search-mode token starting at or after `pos`. */
export function scanSearch(text: string, pos: number): Token {
  const shared = scanShared(text, pos, false);
  if ('kind' in shared) return shared;
  const { start, spaceBefore } = shared;
  const c = text[start]!;
  if (c === '!' && text[start + 1] === '=') return make('op', text, start, start + 2, spaceBefore);
  if (c === '<' || c === '>') {
    return make('op', text, start, text[start + 1] === '=' ? start + 2 : start + 1, spaceBefore);
  }
  if (c === '=') return make('op', text, start, text[start + 1] === '=' ? start + 2 : start + 1, spaceBefore);
  let i = start;
  while (i < text.length) {
    const d = text[i]!;
    if (isSpace(d) || SEARCH_STOP.has(d)) break;
    if (d === '!' && text[i + 1] === '=') break;
    i++;
  }
  return make('word', text, start, i, spaceBefore);
}

const EVAL_OPS = ['==', '!=', '<=', '>=', '=', '<', '>', '+', '-', '*', '/', '%', '.', '!'];

/** The eval-mode token starting at or after `pos`. */
export function scanEval(text: string, pos: number): Token {
  const shared = scanShared(text, pos, true);
  if ('kind' in shared) return shared;
  const { start, spaceBefore } = shared;
  const c = text[start]!;
  if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(text[start + 1] ?? ''))) {
    const m = /^(?:[0-9]*\.?[0-9]+|[0-9]+\.)(?:[eE][+-]?[0-9]+)?/.exec(text.slice(start, start + 64));
    const len = m ? m[0].length : 1;
    // `1abc` is not a number followed by a name: treat the whole run as one (bad) word.
    const after = text[start + len];
    if (after !== undefined && /[A-Za-z_]/.test(after)) {
      let i = start + len;
      while (i < text.length && /[A-Za-z0-9_]/.test(text[i]!)) i++;
      return make('word', text, start, i, spaceBefore);
    }
    return make('number', text, start, start + len, spaceBefore);
  }
  if (/[A-Za-z_@$]/.test(c)) {
    let i = start + 1;
    while (i < text.length && /[A-Za-z0-9_@$]/.test(text[i]!)) i++;
    return make('word', text, start, i, spaceBefore);
  }
  for (const op of EVAL_OPS) {
    if (text.startsWith(op, start)) return make('op', text, start, start + op.length, spaceBefore);
  }
  // Any other character: a one-character word the parser will reject with a located error.
  const cp = text.codePointAt(start)!;
  return make('word', text, start, start + (cp > 0xffff ? 2 : 1), spaceBefore);
}

/** All tokens of `text` in one mode (for `explain --stage tokens` and tests). */
export function tokenize(text: string, mode: LexMode = 'search'): Token[] {
  const src = stripComments(text);
  const scan = mode === 'search' ? scanSearch : scanEval;
  const out: Token[] = [];
  let pos = 0;
  for (;;) {
    const t = scan(src, pos);
    out.push(t);
    if (t.kind === 'eof') return out;
    pos = t.span.end;
  }
}
