/**
 * Orderings shared by sort, stats output order, values(), min/max (SPL.md §3.3, §4.1, §4.2).
 * Kept in one place so every command orders values the same way.
 */
import { toNumber, toText, type Scalar } from './value.js';

/** Byte-order comparison of two strings (SPL compares strings by byte order, not locale). */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The "auto" order of sort/stats: numbers before strings, numbers numerically, strings by byte
 * order. Used for stats group order and `sort` without a type hint.
 */
export function compareAuto(a: Scalar, b: Scalar): number {
  const na = toNumber(a);
  const nb = toNumber(b);
  if (na !== null && nb !== null) return na < nb ? -1 : na > nb ? 1 : 0;
  if (na !== null) return -1;
  if (nb !== null) return 1;
  return compareText(toText(a), toText(b));
}

/** Lexicographic order of the text forms (values() sorts this way: "10" < "9"). */
export function compareLexical(a: Scalar, b: Scalar): number {
  return compareText(toText(a), toText(b));
}
