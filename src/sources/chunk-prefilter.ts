/**
 * The raw prefilter applied to a whole chunk view (reader.ts): each term's next case-insensitive
 * occurrence is found with one regex search (irregexp's skip search over a one-byte string is far
 * faster than testing record by record) and reused for every record before it.
 *
 * The terms are tested most selective first, and a term that lets nearly every record through
 * (`AwsApiCall` beside `AssumedRole`: in 98 % of the benchmark's events) sits out for a while:
 * its search would cover most of each record's bytes and drop almost nothing. Leaving a term out
 * only keeps more records, which the search itself then decides, so rows never change.
 *
 * A selective search's views are searched in their bytes (the reader's sparse mode; the bytes
 * mirrored into WebAssembly memory, `sparseLines` and `findFolded`): the lines holding the rarest
 * term are the ones tested, and the lines between are never made into text. The same positions are found
 * there as by the regex, which compares ASCII letters without case and nothing else (a latin1
 * byte above 0x7f is never folded to ASCII).
 */
import type { RawPrefilter } from './types.js';
import { findFolded, type Mirror } from './member-index.js';
import { escapeRegExp } from '../util/regexp.js';

/** Views a term (or, in the reader, the whole filter) sits out once it let three in four through. */
export const UNFILTERED_VIEWS = 16;
/** Records a pass rate is measured over before anything is decided from it. */
export const FILTER_SAMPLE = 64;
/** nextInBytes() when findFolded cannot tell where a term is. */
const CANNOT_TELL = -2;

export class ChunkPrefilter {
  private readonly regexes: RegExp[];
  private readonly lengths: number[];
  private readonly next: number[];
  /** Per term, since its last decision: records it was tested on, and those that held it. */
  private readonly tested: number[];
  private readonly passed: number[];
  /** Per term: its last measured pass rate, and the views it still sits out. */
  private readonly rate: number[];
  private readonly resting: number[];
  /** The terms tested, in order (lowest pass rate first); the resting ones are left out. */
  private order: number[];
  /** The view the cached occurrences are in, and the start of the record last begun in it. */
  private view = '';
  private lastStart = 0;
  /** The term the lines of a byte-read view passed over lack. */
  private lacking = 0;

  constructor(readonly terms: readonly string[]) {
    this.regexes = terms.map((t) => new RegExp(escapeRegExp(t), 'gi'));
    this.lengths = terms.map((t) => t.length);
    this.next = terms.map(() => -1);
    this.tested = terms.map(() => 0);
    this.passed = terms.map(() => 0);
    this.rate = terms.map(() => 0);
    this.resting = terms.map(() => 0);
    this.order = terms.map((_, i) => i);
  }

  /** The terms tested now, in the order they are tested. */
  get active(): string[] {
    return this.order.map((t) => this.terms[t]!);
  }

  /**
   * Called with each record, in order, before holds(): true when the record at view[start…]
   * begins a new view. A view is told by its text and by the record's start going back: two
   * views may hold the same text (a file that repeats one record), and a string comparison alone
   * took the second for the first and kept the first's occurrences, which lie past the second's
   * early records (those were dropped).
   */
  begins(view: string, start: number): boolean {
    if (start >= this.lastStart && view === this.view) {
      this.lastStart = start;
      return false;
    }
    // The new view's own string from here on: the next compare is then by reference.
    this.view = view;
    this.lastStart = start;
    this.next.fill(-1);
    this.decide();
    return true;
  }

  /** Whether view[start, end) (ASCII), whose view begins() has seen, holds every term tested now, case-insensitively. */
  holds(view: string, start: number, end: number): boolean {
    const order = this.order;
    for (let i = 0; i < order.length; i++) {
      const t = order[i]!;
      let at = this.next[t]!;
      if (at < start) {
        const re = this.regexes[t]!;
        re.lastIndex = start;
        const m = re.exec(view);
        at = m === null ? Infinity : m.index;
        this.next[t] = at;
      }
      this.tested[t]!++;
      // The first occurrence at or after start; if it does not fit, no later one does.
      if (at + this.lengths[t]! > end) return false;
      this.passed[t]!++;
    }
    return true;
  }

  /**
   * A view read as bytes (the reader's sparse mode) begins: the occurrences found so far are for
   * another view. The next view given as text is then taken for a new one too.
   */
  beginBytes(): void {
    this.view = '';
    this.lastStart = 0;
    this.next.fill(-1);
    this.decide();
  }

  /**
   * The term a byte-read view's lines are searched for (the one tested first, the rarest), or
   * null when no term is tested now. The lines passed over lack it (rejected()).
   */
  leadTerm(): string | null {
    if (this.order.length === 0) return null;
    this.lacking = this.order[0]!;
    return this.terms[this.lacking]!;
  }

  /**
   * True when a term tested after the lead was found missing from the rest of a byte-read view
   * while an earlier line was tested: no later line can pass, and the lines passed over from
   * here count against that term.
   */
  restLacksTerm(): boolean {
    const order = this.order;
    for (let i = 1; i < order.length; i++) {
      if (this.next[order[i]!] === Infinity) {
        this.lacking = order[i]!;
        return true;
      }
    }
    return false;
  }

  /** Counts `records` of a byte-read view passed over, for the term they lack (leadTerm, restLacksTerm). */
  rejected(records: number): void {
    if (this.order.length > 0) this.tested[this.lacking]! += records;
  }

  /** holds() on the mirrored bytes of a view begun with beginBytes(); viewEnd bounds the searches. */
  holdsBytes(m: Mirror, start: number, end: number, viewEnd: number): boolean {
    const order = this.order;
    for (let i = 0; i < order.length; i++) {
      const t = order[i]!;
      const at = this.nextInBytes(t, m, start, viewEnd);
      // Cannot tell: the record is kept, and the search itself decides.
      if (at === CANNOT_TELL) return true;
      this.tested[t]!++;
      if (at + this.lengths[t]! > end) return false;
      this.passed[t]!++;
    }
    return true;
  }

  /**
   * Term t's first occurrence at or after `from` in the mirrored bytes (kept for the next record),
   * Infinity when there is none before viewEnd, or CANNOT_TELL.
   */
  private nextInBytes(t: number, m: Mirror, from: number, viewEnd: number): number {
    const cached = this.next[t]!;
    if (cached >= from) return cached;
    const found = findFolded(m, from, viewEnd, this.terms[t]!);
    if (found === -2) return CANNOT_TELL;
    const at = found < 0 ? Infinity : found;
    this.next[t] = at;
    return at;
  }

  /**
   * True when a term tested now does not occur at all in a view's mirrored bytes [0, length)
   * (letters compared without case, as the regex does): no record of the view can pass, and the
   * reader skips the view without making its text. False when every term occurs somewhere in it,
   * or when this cannot tell (no mirror).
   */
  lacksAnyIn(m: Mirror | null, length: number): boolean {
    if (m === null) return false;
    for (let i = 0; i < this.order.length; i++) if (findFolded(m, 0, length, this.terms[this.order[i]!]!) === -1) return true;
    return false;
  }

  /** At a new view: rests the terms that let three in four through, and orders the others. */
  private decide(): void {
    let changed = false;
    for (let t = 0; t < this.terms.length; t++) {
      if (this.resting[t]! > 0) {
        if (--this.resting[t]! === 0) changed = true;
        continue;
      }
      const tested = this.tested[t]!;
      if (tested < FILTER_SAMPLE) continue;
      const passed = this.passed[t]!;
      this.rate[t] = passed / tested;
      if (passed * 4 >= tested * 3) this.resting[t] = UNFILTERED_VIEWS;
      this.tested[t] = 0;
      this.passed[t] = 0;
      changed = true;
    }
    if (!changed) return;
    const order: number[] = [];
    for (let t = 0; t < this.terms.length; t++) if (this.resting[t] === 0) order.push(t);
    // A term back from resting has its old rate: it is tested late until it is measured again.
    this.order = order.sort((a, b) => this.rate[a]! - this.rate[b]! || a - b);
  }
}

const ASCII_TERM = /^[\x20-\x7e]*$/;

/** The chunk-level form of a prefilter, or null when it must be applied record by record. */
export function chunkPrefilter(p: RawPrefilter | null | undefined): ChunkPrefilter | null {
  if (!p || !p.terms || p.terms.length === 0) return null;
  // Unicode case folding lets a non-ASCII term match ASCII text (K, the Kelvin sign, matches k):
  // such terms stay on the exact per-record test.
  if (!p.terms.every((t) => ASCII_TERM.test(t))) return null;
  return new ChunkPrefilter(p.terms);
}
