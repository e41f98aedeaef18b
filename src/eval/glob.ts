/**
 * Linear-time matching of the two wildcard languages SPL has: search values (`*` = any run,
 * case-insensitive) and LIKE (`%` = any run, `_` = one character, case-sensitive). Compiled to a
 * backtracking RegExp, a pattern with several wildcards is polynomial: `*a*b*` against a 50 000-
 * character user agent of `a`s takes seconds, `*a*a*b*` minutes. Here the pattern is cut at its
 * any-run wildcards; the first piece must start the text, the last must end it, and each middle
 * piece is found at its leftmost place after the previous one (leftmost is always safe: a later
 * place leaves less text for the rest). Each piece is found by a scan, so a test costs at most
 * (text length × pattern length).
 *
 * The scans compare code units. Text where that differs from the RegExp reading (case folding
 * beyond ASCII for search values, surrogate pairs for `_`) goes to RE2 instead, also linear.
 */
import type { RE2JS } from 're2js';
import { re2js } from '../util/lazy-require.js';

/** A piece between any-run wildcards: its characters, with null for a one-character wildcard. */
type Piece = (string | null)[];

interface Shape {
  pieces: Piece[];
  /** True when the pattern has no any-run wildcard: the one piece is the whole text. */
  exact: boolean;
}

function shape(pattern: string, anyRun: string, one: string | null): Shape {
  const pieces: Piece[] = [[]];
  for (const ch of pattern) {
    if (ch === anyRun) pieces.push([]);
    else pieces[pieces.length - 1]!.push(ch === one ? null : ch);
  }
  return { pieces, exact: pieces.length === 1 };
}

function pieceAt(text: string, at: number, piece: Piece): boolean {
  if (at + piece.length > text.length) return false;
  for (let i = 0; i < piece.length; i++) {
    const c = piece[i];
    if (c !== null && c !== text[at + i]) return false;
  }
  return true;
}

/** Leftmost place ≥ from where `piece` matches, or -1. */
function find(text: string, from: number, piece: Piece, literal: string | null): number {
  if (literal !== null) return text.indexOf(literal, from);
  for (let at = from; at + piece.length <= text.length; at++) if (pieceAt(text, at, piece)) return at;
  return -1;
}

function matcher(s: Shape): (text: string) => boolean {
  const { pieces, exact } = s;
  // Pieces without one-character wildcards are found with indexOf.
  const literals = pieces.map((p) => (p.includes(null) ? null : p.join('')));
  const first = pieces[0]!;
  const last = pieces[pieces.length - 1]!;
  return (text) => {
    if (exact) return text.length === first.length && pieceAt(text, 0, first);
    if (!pieceAt(text, 0, first)) return false;
    const tail = text.length - last.length;
    if (tail < first.length || !pieceAt(text, tail, last)) return false;
    let at = first.length;
    for (let i = 1; i < pieces.length - 1; i++) {
      const p = pieces[i]!;
      const found = find(text, at, p, literals[i]!);
      if (found < 0 || found + p.length > tail) return false;
      at = found + p.length;
    }
    return true;
  };
}

function re2Glob(s: Shape, flags: string): RE2JS {
  const { RE2JS } = re2js();
  const body = s.pieces.map((p) => p.map((c) => (c === null ? '.' : RE2JS.quote(c))).join('')).join('.*');
  return RE2JS.compile(`(?${flags}s)^${body}$`);
}

const ASCII = /^[\x00-\x7f]*$/;
const SURROGATE = /[\ud800-\udfff]/;

/** Search-value wildcards (SPL.md §2.3): `*` any run, case-insensitive, everything else literal. */
export function searchWildcardMatcher(pattern: string): (text: string) => boolean {
  const s = shape(pattern.toLowerCase(), '*', null);
  const fast = matcher(s);
  const asciiPattern = ASCII.test(pattern);
  let slow: RE2JS | undefined;
  return (text) => {
    if (asciiPattern && ASCII.test(text)) return fast(text.toLowerCase());
    slow ??= re2Glob(shape(pattern, '*', null), 'i');
    return slow.test(text);
  };
}

/** SQL LIKE: `%` any run, `_` one character, case-sensitive. */
export function likeMatcher(pattern: string): (text: string) => boolean {
  const fast = matcher(shape(pattern, '%', '_'));
  const needsCodePoints = SURROGATE.test(pattern);
  let slow: RE2JS | undefined;
  return (text) => {
    if (!needsCodePoints && !SURROGATE.test(text)) return fast(text);
    slow ??= re2Glob(shape(pattern, '%', '_'), '');
    return slow.test(text);
  };
}
