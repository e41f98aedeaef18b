/** What compiled eval code receives at run time, and what it returns. */
import type { Value } from './value.js';

export interface EvalContext {
  /** now() of the search, epoch seconds; constant for the whole search (SPL.md §6.2). */
  now: number;
  /** IANA zone for snapping and strftime/strptime; default 'UTC'. */
  tz: string;
  /** Non-fatal notes (e.g. a bad regex in match()); reported once by the caller. */
  warn?: (msg: string) => void;
  /** When set, random() draws from a deterministic generator seeded with it. */
  seed?: number;
}

/** Internal results may be booleans (comparisons, isnull, match); assignments never store them. */
export type EvalResult = Value | boolean;

/** Anything with fields; Row satisfies it. mvfilter uses a light stand-in. */
export interface FieldGetter {
  get(name: string): Value;
}

export type Compiled = (row: FieldGetter, ctx: EvalContext) => EvalResult;
