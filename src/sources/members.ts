/**
 * The members of one JSON object, indexed incrementally and without allocation per member: a
 * lookup walks forward only until it meets the key (CloudTrail puts eventTime, eventSource and
 * eventName early), skipping nested values without parsing them, and the next lookup resumes
 * where the last one stopped. Offsets are kept in one flat number array.
 *
 * The text may be a larger string holding the object somewhere inside it (a latin1 view of a
 * whole read chunk): every search is bounded by `limit`, so a malformed object never reads into
 * the next record. The sources use one to find eventTime; the field model (cloudtrail/json.ts)
 * goes on with the same one, so the top level of an event is walked once.
 *
 * A key that occurs twice resolves to its first occurrence here (JSON.parse would keep the last;
 * CloudTrail has none).
 */
import { skipSpace, skipString, skipValue } from './toplevel.js';
import { INDEXED_DONE, INDEXED_ESCAPED_KEY, INDEXED_MALFORMED, indexFrom, indexed, lacksText, type Mirror } from './member-index.js';

/** find(): the object has no such key. */
export const ABSENT = -1;
/** find(): the object is malformed before the key was found (the caller falls back to a parse). */
export const UNREADABLE = -2;

/** Keys that only a `\u` escape could spell differently. */
const SIMPLE_KEY = /^[^"\\/\u0000-\u001f]+$/;

/** `"key"` for a simple key, null for one findOrSkip must walk for; made once per key name. */
const QUOTED = new Map<string, string | null>();

function quotedKey(key: string): string | null {
  let q = QUOTED.get(key);
  if (q === undefined) {
    q = SIMPLE_KEY.test(key) ? `"${key}"` : null;
    if (QUOTED.size < 4096) QUOTED.set(key, q);
  }
  return q;
}

const OPEN = 0;
const DONE = 1;
const MALFORMED = 2;

export class MemberScan {
  /** Per member: key start (its opening quote), key end (after the closing quote), value start, value end. */
  private readonly m: number[] = [];
  private pos: number;
  private state = OPEN;
  /** Offset just past the closing brace, once the walk reached it. */
  private closeAt = -1;
  /** Set once a key with an escape was met: lookups then compare decoded keys. */
  private escapedKeys: Map<number, string> | undefined;
  /** text[escapeFreeFrom, limit) is known to hold no `\u` (-1: not known). */
  private escapeFreeFrom = -1;
  /** Members are indexed by WebAssembly (there is a mirror, and it has not declined yet). */
  private wasmWalk = true;

  /**
   * `text[start]` (after whitespace) should be the object's `{`; nothing at or past `limit` is
   * read. With a `mirror` of the text's bytes (member-index.ts), members are indexed by
   * WebAssembly a few at a time; otherwise, or once it declines, they are walked here.
   */
  constructor(readonly text: string, start: number, readonly limit: number, readonly mirror: Mirror | null = null) {
    let i = skipSpace(text, start, limit);
    if (i >= limit || text.charCodeAt(i) !== 0x7b) {
      this.state = MALFORMED;
      this.pos = i;
      return;
    }
    i = skipSpace(text, i + 1, limit);
    if (i < limit && text.charCodeAt(i) === 0x7d) {
      this.state = DONE;
      this.closeAt = i + 1;
    }
    this.pos = i;
  }

  /** Offset just past the object's closing brace (after finish() returned true), else -1. */
  get endOffset(): number {
    return this.closeAt;
  }

  /** How many members are named `key` (after finish(); a repeated key makes readers disagree). */
  occurrences(key: string): number {
    let n = 0;
    for (let k = 0; k < this.m.length >> 2; k++) if (this.keyIs(k, key)) n++;
    return n;
  }

  /** Members indexed so far. */
  get count(): number {
    return this.m.length >> 2;
  }

  /** True once the whole object has been walked and found well-formed at its top level. */
  get complete(): boolean {
    return this.state === DONE;
  }

  valueStart(member: number): number {
    return this.m[member * 4 + 2]!;
  }

  valueEnd(member: number): number {
    return this.m[member * 4 + 3]!;
  }

  /** The member index of `key`, ABSENT, or UNREADABLE (malformed before the key was found). */
  find(key: string): number {
    const k = this.indexed(key);
    return k >= 0 ? k : this.walkTo(key);
  }

  /**
   * Like find(), but answers ABSENT without walking the rest of the object when the key's quoted
   * spelling does not occur in it at all (one native search instead of a walk over every
   * remaining member: most events have no errorCode). Exact as long as no `\u` escape in the rest
   * could spell the key differently (then it walks); a key containing `"`, `\`, `/` or a control
   * character always walks. A malformed rest reads as ABSENT instead of UNREADABLE, which the
   * field model treats alike (no value). Members already indexed are looked at first, so a key
   * met earlier (userIdentity, read for several paths) costs no search. With the WebAssembly
   * index the rest is indexed instead (MFA core lookups 18 % faster than with the searches).
   */
  findOrSkip(key: string): number {
    const k = this.indexed(key);
    if (k >= 0) return k;
    // With the WebAssembly index the rest is indexed instead, except for a dotted key: those are
    // the longer alternatives a path tries after its plain keys (`userIdentity.sessionContext`
    // when userIdentity has no sessionContext), which CloudTrail's events hardly ever have, and
    // indexing the rest of an event to learn that costs far more than one search.
    if (this.state === OPEN && !(this.mirror !== null && this.wasmWalk && key.indexOf('.') < 0)) {
      const quoted = quotedKey(key);
      if (quoted !== null) {
        // Searched in a slice: the text may be a whole chunk, and an unbounded search for a key
        // this object lacks would run on through the events after it.
        const rest = this.text.slice(this.pos, this.limit);
        if (lacksText(this.mirror, this.pos, this.limit, quoted, rest) && this.noEscapeInRest(rest)) return ABSENT;
      }
    }
    return this.walkTo(key);
  }

  /** True when text[pos, limit) holds no `\u` (remembered: the rest only shrinks). */
  private noEscapeInRest(rest: string): boolean {
    if (this.escapeFreeFrom >= 0 && this.pos >= this.escapeFreeFrom) return true;
    if (rest.indexOf('\\u') >= 0) return false;
    this.escapeFreeFrom = this.pos;
    return true;
  }

  /** The index of `key` among the members indexed so far, or -1. */
  private indexed(key: string): number {
    const n = this.m.length >> 2;
    for (let k = 0; k < n; k++) if (this.keyIs(k, key)) return k;
    return -1;
  }

  /** Walks on until `key` (ABSENT or UNREADABLE when the walk ends first). */
  private walkTo(key: string): number {
    while (this.state === OPEN) {
      const from = this.next();
      if (from < 0) continue;
      const n = this.m.length >> 2;
      for (let k = from; k < n; k++) if (this.keyIs(k, key)) return k;
    }
    return this.state === DONE ? ABSENT : UNREADABLE;
  }

  /** Walks to the end of the object (for callers that need to know it is well-formed). */
  finish(): boolean {
    while (this.state === OPEN) this.next();
    return this.state === DONE;
  }

  /** The decoded name of member `k` (keys with escapes are decoded, others sliced). */
  keyName(k: number): string | null {
    const ks = this.m[k * 4]!;
    const ke = this.m[k * 4 + 1]!;
    const escaped = this.escapedKeys?.get(k);
    if (escaped !== undefined) return escaped;
    if (hasBackslash(this.text, ks + 1, ke - 1)) return null;
    return this.text.slice(ks + 1, ke - 1);
  }

  private keyIs(k: number, key: string): boolean {
    const m = this.m;
    const ks = m[k * 4]!;
    const ke = m[k * 4 + 1]!;
    if (this.escapedKeys !== undefined) {
      const decoded = this.escapedKeys.get(k);
      if (decoded !== undefined) return decoded === key;
    }
    return ke - ks - 2 === key.length && this.text.startsWith(key, ks + 1);
  }

  /**
   * Indexes the next member, or the next few when WebAssembly does it; returns the index of the
   * first one indexed, or -1 when none was (the walk ended: done or malformed).
   */
  private next(): number {
    if (this.mirror !== null && this.wasmWalk) {
      const from = this.m.length >> 2;
      const state = indexFrom(this.mirror, this.pos, this.limit, this.m);
      if (state >= 0) {
        if (state === INDEXED_DONE) {
          this.state = DONE;
          this.closeAt = indexed.close;
        } else if (state === INDEXED_MALFORMED) this.state = MALFORMED;
        else {
          this.pos = indexed.resume;
          // At a key with a backslash JavaScript takes over (it decodes keys).
          if (state === INDEXED_ESCAPED_KEY) this.wasmWalk = false;
        }
        if ((this.m.length >> 2) > from) return from;
        if (this.state !== OPEN) return -1;
      } else this.wasmWalk = false; // the mirror's bytes are gone
    }
    return this.nextHere();
  }

  /** Indexes the next member in JavaScript; returns its index, or -1 when the walk ended. */
  private nextHere(): number {
    const text = this.text;
    const limit = this.limit;
    let i = this.pos;
    if (i >= limit || text.charCodeAt(i) !== 0x22) return this.fail();
    const keyEnd = skipString(text, i, limit);
    if (keyEnd < 0) return this.fail();
    const k = this.m.length >> 2;
    // A key with a backslash is decoded once (JSON escapes); the rest compare in place.
    if (hasBackslash(text, i + 1, keyEnd - 1)) {
      let decoded: string;
      try {
        decoded = JSON.parse(text.slice(i, keyEnd)) as string;
      } catch {
        return this.fail();
      }
      (this.escapedKeys ??= new Map()).set(k, decoded);
    }
    const keyStart = i;
    i = skipSpace(text, keyEnd, limit);
    if (i >= limit || text.charCodeAt(i) !== 0x3a) return this.fail();
    const valueStart = skipSpace(text, i + 1, limit);
    const valueEnd = skipValue(text, valueStart, limit);
    if (valueEnd < 0) return this.fail();
    this.m.push(keyStart, keyEnd, valueStart, valueEnd);
    i = skipSpace(text, valueEnd, limit);
    const c = i < limit ? text.charCodeAt(i) : -1;
    // The member counts even when what follows it is malformed (the walk stops there), as a
    // lookup that stops at this key never looks further.
    if (c === 0x7d) {
      this.state = DONE;
      this.closeAt = i + 1;
    } else if (c !== 0x2c) this.state = MALFORMED;
    else this.pos = skipSpace(text, i + 1, limit);
    return k;
  }

  private fail(): number {
    this.state = MALFORMED;
    return -1;
  }
}

/** True when text[from, to) holds a backslash (a bounded loop: the text may be a whole chunk). */
export function hasBackslash(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (text.charCodeAt(i) === 0x5c) return true;
  return false;
}
