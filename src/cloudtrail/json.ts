/**
 * JSON auto-extraction (SPL.md §1.5) for one event, done lazily.
 *
 * `JsonDoc` is the only place that knows how a field path is pulled out of the raw event text.
 * A path without arrays (`userIdentity.sessionContext.attributes.mfaAuthenticated`) is read
 * selectively: each object on the way is indexed once (key → value span, nested values skipped
 * without being parsed) and only the leaf is decoded. Paths through arrays, full enumeration, and
 * anything the scanner cannot read fall back to one JSON.parse of the whole event.
 *
 * Field naming: dotted object keys, `{}` after a key whose value is an array. Leaves become text:
 * strings as-is, numbers as their JSON text (see protectNumbers), true/false as "true"/"false", null as "null"
 * ([verify] in SPL.md §1.5). Objects and empty arrays are not fields. Nested arrays flatten.
 */

/** Instrumentation for tests and benchmarks: how often the expensive steps ran. */
export const jsonStats = { parses: 0, pathLookups: 0, enumerations: 0, scans: 0 };

/**
 * `selective: false` makes every path lookup go through one JSON.parse of the event (the plain
 * path). Tests switch it off to check the selective reader against a full parse, and `descent:
 * false` to check the WebAssembly descent against the level-by-level walk.
 */
export const jsonReading = { selective: true, descent: true };

export function resetJsonStats(): void {
  jsonStats.parses = 0;
  jsonStats.pathLookups = 0;
  jsonStats.enumerations = 0;
  jsonStats.scans = 0;
}

import { MemberScan, UNREADABLE, hasBackslash } from '../sources/members.js';
import { mv, type Value } from '../eval/value.js';
import { descend, descended, descentKeys, lacksText, type DescentKeys, type Mirror } from '../sources/member-index.js';
import type { RawEvent } from '../sources/types.js';
import { EventView } from '../sources/view.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/**
 * Numbers whose JSON text JSON.parse would not give back (`0.0`, `1e3`, 17-digit integers) are
 * rewritten into strings carrying this marker before parsing, so the field keeps the text as
 * written (SPL.md §1.5). NUL cannot occur unescaped in JSON text, so no real string starts with it.
 */
const NUMBER_MARK = '\u0000#';
const MAY_HAVE_LOSSY_NUMBER = /[:,[]\s*-?\d+(?:\.\d|[eE]|\d{15})/;

function isLossy(token: string): boolean {
  return String(Number(token)) !== token;
}

/** Rewrites lossy number tokens outside strings into marked strings; returns the text unchanged otherwise. */
export function protectNumbers(text: string): string {
  if (!MAY_HAVE_LOSSY_NUMBER.test(text)) return text;
  let out = '';
  let last = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \\ */) i++;
      else if (c === 34 /* " */) inString = false;
      continue;
    }
    if (c === 34) {
      inString = true;
      continue;
    }
    if (c === 45 /* - */ || (c >= 48 && c <= 57)) {
      let j = i + 1;
      while (j < text.length) {
        const d = text.charCodeAt(j);
        if ((d >= 48 && d <= 57) || d === 46 || d === 101 || d === 69 || d === 43 || d === 45) j++;
        else break;
      }
      const token = text.slice(i, j);
      if (isLossy(token)) {
        out += text.slice(last, i) + JSON.stringify(NUMBER_MARK + token);
        last = j;
      }
      i = j - 1;
    }
  }
  return last === 0 ? text : out + text.slice(last);
}

/** Text of a JSON leaf: strings as-is, numbers as written, true/false/null as words. */
function leafText(v: Json): string | undefined {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'string':
      return v.startsWith(NUMBER_MARK) ? v.slice(NUMBER_MARK.length) : v;
    case 'boolean':
      return v ? 'true' : 'false';
    case 'number':
      return String(v);
    default:
      return undefined;
  }
}

/** Paths the selective reader handles: no arrays on the way. */
const HAS_ARRAY_STEP = /\{/;

/**
 * A dotted path cut into the keys the selective reader may meet: `keys[i]` lists, shortest
 * first, the keys that can start at segment i (`a`, `a.b`, `a.b.c` …: JSON keys may hold dots).
 * Made once per path name, not per event.
 */
interface PathKeys {
  keys: string[][];
  /** No array step: the selective reader may answer. */
  selective: boolean;
  /** The keys after the first, for one WebAssembly descent (null: the path has one key, or
   *  keys it cannot follow). */
  descent: DescentKeys | null;
  /**
   * How the longer (dotted) keys of each level start in JSON text: `"a.b` for path a.b.c at a,
   * `"b.c` at b; null when a key holds `/` (which JSON may also write `\/`). Text without these
   * and without `\u` has none of the longer keys.
   */
  dottedStarts: string[] | null;
}

const PATH_KEYS = new Map<string, PathKeys>();

function pathKeys(path: string): PathKeys {
  let p = PATH_KEYS.get(path);
  if (p === undefined) {
    const segs = path.split('.');
    const keys = segs.map((_, i) => segs.slice(i).map((__, j) => segs.slice(i, i + j + 1).join('.')));
    p = {
      keys,
      selective: !HAS_ARRAY_STEP.test(path),
      descent: segs.length > 1 && segs[0] !== '' ? descentKeys(segs.slice(1)) : null,
      dottedStarts: segs.some((seg) => seg.includes('/')) ? null : segs.slice(0, -1).map((seg, i) => `"${seg}.${segs[i + 1]}`),
    };
    if (PATH_KEYS.size < 4096) PATH_KEYS.set(path, p);
  }
  return p;
}

export class JsonDoc {
  private parsed: Json | undefined;
  private parseFailed = false;
  private leafCache: Map<string, string[]> | undefined;
  /** The event's text: raw itself, or a larger view holding it at [start, end). */
  private readonly text: string;
  private readonly start: number;
  private readonly end: number;
  /** Where the full text for a parse comes from (the event, when the text is a view). */
  private readonly rawFrom: string | RawEvent;
  /** The top-level index (possibly begun by the reader). */
  private top: MemberScan | undefined;
  /** Nested objects visited by selective reads, by the offset of their `{`. */
  private objects: Map<number, MemberScan> | undefined;

  /** A document over `raw`, or over an event's view and top-level index when the sources made them. */
  constructor(raw: string | RawEvent) {
    if (typeof raw === 'string') {
      this.text = raw;
      this.start = 0;
      this.end = raw.length;
      this.rawFrom = raw;
    } else if (EventView.has(raw)) {
      this.text = EventView.text(raw);
      this.start = EventView.start(raw);
      this.end = EventView.end(raw);
      this.top = EventView.members(raw);
      this.rawFrom = raw;
    } else {
      const text = raw.raw;
      this.text = text;
      this.start = 0;
      this.end = text.length;
      this.rawFrom = text;
    }
  }

  /**
   * text[from, to) as a string of its own when the text is a shared view: a slice would keep the
   * whole view alive for as long as the value lives (a stats group key, a values() set).
   */
  private detached(from: number, to: number): string {
    const s = this.text.slice(from, to);
    if (to - from < 13 || (this.start === 0 && this.end === this.text.length)) return s; // V8 copies short slices
    return (s + ' ').slice(0, -1);
  }

  /** The member index of the object at text[start, end) (`end`: the event's end, or the value's). */
  private objectAt(start: number, end: number): MemberScan {
    if (start === this.start) {
      if (this.top === undefined) {
        jsonStats.scans++;
        this.top = new MemberScan(this.text, start, this.end);
      }
      return this.top;
    }
    this.objects ??= new Map();
    let scan = this.objects.get(start);
    if (scan === undefined) {
      jsonStats.scans++;
      // Bounded by the value's own end (known from its parent): a search for a key this object
      // lacks then stops there instead of running on through the rest of the event.
      scan = new MemberScan(this.text, start, end, this.top?.mirror ?? null);
      this.objects.set(start, scan);
    }
    return scan;
  }

  /**
   * The value at `path` (from its segment `from` on) read without a full parse: the leaf's text,
   * null when there is none (absent, an object or an array), or undefined when this reader cannot
   * tell (malformed text) and the parse must decide. Follows walkPath's rule for keys that contain
   * dots: the shortest existing key first, longer ones when that leads nowhere.
   */
  private scanValue(objStart: number, objEnd: number, steps: PathKeys, from: number): string | null | undefined {
    const scan = this.objectAt(objStart, objEnd);
    const text = this.text;
    /** The member of the shortest first key, when the descent below already looked it up. */
    let shortest: number | undefined;
    if (from === 0 && steps.descent !== null && scan.mirror !== null && jsonReading.descent) {
      // The plain path (each key the first segment left) followed by WebAssembly in one call
      // below the top level. A scalar there is what the walk below would answer; anything else
      // (not found, an object at the end) leaves the longer dotted keys to that walk.
      const k = (shortest = scan.findOrSkip(steps.keys[0]![0]!));
      if (k >= 0 && text.charCodeAt(scan.valueStart(k)) === 0x7b) {
        const found = descend(scan.mirror, scan.valueStart(k), scan.valueEnd(k), steps.descent);
        if (found === 1) {
          const c = text.charCodeAt(descended.start);
          if (c !== 0x7b && c !== 0x5b) return this.leafValue(descended.start, descended.end);
        } else if (found === 0 && this.lacksAll(steps.dottedStarts, scan.mirror)) {
          // Not on the plain path, and no longer key could lead there: what the walk below
          // would conclude (malformed text included: the parse it falls back on fails too). On
          // malformed text the walk's failed parse also ends selective reading for the event's
          // later fields, which this answer does not: garbage reads can differ by read order.
          return null;
        }
      }
    }
    const keys = steps.keys[from]!;
    for (let j = 0; j < keys.length; j++) {
      const key = keys[j]!;
      const k = j === 0 && shortest !== undefined ? shortest : key.length > 0 ? scan.findOrSkip(key) : -1;
      if (k === UNREADABLE) return undefined;
      if (k < 0) continue;
      const vs = scan.valueStart(k);
      const ve = scan.valueEnd(k);
      const first = text.charCodeAt(vs);
      if (from + j === steps.keys.length - 1) return first === 0x7b || first === 0x5b ? null : this.leafValue(vs, ve);
      if (first === 0x7b) {
        const found = this.scanValue(vs, ve, steps, from + j + 1);
        if (found !== null) return found;
      }
    }
    return null;
  }

  /** The event's own text (a slice of the view, which V8 does not copy). */
  private own(): string {
    return typeof this.rawFrom === 'string' ? this.rawFrom : this.rawFrom.raw;
  }

  /** The event's text has no `\u` escape (so every key is spelled as its bytes, but for `\/`). */
  private noUnicodeEscape: boolean | undefined;

  /**
   * True when the event's text has no `\u` and none of `starts` (null: cannot tell, false). The
   * starts are searched in the mirrored bytes when there are some (several times faster than
   * String indexOf for patterns that begin with a quote).
   */
  private lacksAll(starts: readonly string[] | null, m: Mirror | null): boolean {
    if (starts === null) return false;
    const own = this.own();
    if ((this.noUnicodeEscape ??= own.indexOf('\\u') < 0) === false) return false;
    for (let i = 0; i < starts.length; i++) if (!lacksText(m, this.start, this.end, starts[i]!, own)) return false;
    return true;
  }

  /** The text of the scalar at text[vs, ve): a string decoded, other scalars as written; undefined for a bad escape. */
  private leafValue(vs: number, ve: number): string | undefined {
    const text = this.text;
    if (text.charCodeAt(vs) !== 0x22) return this.detached(vs, ve);
    if (!hasBackslash(text, vs + 1, ve - 1)) return this.detached(vs + 1, ve - 1);
    try {
      return JSON.parse(text.slice(vs, ve)) as string;
    } catch {
      return undefined;
    }
  }

  /** The field at `path` as one Value (mv of resolve(path)), without making resolve()'s array. */
  value(path: string): Value {
    if (this.leafCache === undefined) {
      const found = this.selectiveValue(path);
      if (found !== undefined) {
        jsonStats.pathLookups++;
        return found;
      }
    }
    return mv(this.resolve(path));
  }

  /** scanValue over the whole event, or undefined when the selective reader may not answer. */
  private selectiveValue(path: string): string | null | undefined {
    if (this.parsed !== undefined || this.parseFailed || !jsonReading.selective) return undefined;
    const steps = pathKeys(path);
    return steps.selective ? this.scanValue(this.start, this.end, steps, 0) : undefined;
  }

  private root(): Json | undefined {
    if (this.parsed === undefined && !this.parseFailed) {
      jsonStats.parses++;
      try {
        this.parsed = JSON.parse(protectNumbers(this.own())) as Json;
      } catch {
        this.parseFailed = true;
      }
    }
    return this.parsed;
  }

  /** Every value at `path` (e.g. `resources{}.ARN`), in document order; [] when absent. */
  resolve(path: string): string[] {
    jsonStats.pathLookups++;
    if (this.leafCache) return this.leafCache.get(path) ?? [];
    const found = this.selectiveValue(path);
    if (found !== undefined) return found === null ? [] : [found];
    const out: string[] = [];
    const root = this.root();
    if (root !== undefined && root !== null && typeof root === 'object' && !Array.isArray(root)) {
      walkPath(root, path, out);
    }
    return out;
  }

  /** All leaf field names with their values, in document order (the expensive full flattening). */
  leaves(): Map<string, string[]> {
    if (this.leafCache) return this.leafCache;
    jsonStats.enumerations++;
    const out = new Map<string, string[]>();
    const root = this.root();
    if (root !== undefined && root !== null && typeof root === 'object' && !Array.isArray(root)) {
      collect(root, '', out);
    }
    this.leafCache = out;
    return out;
  }
}

function push(out: Map<string, string[]>, name: string, text: string): void {
  const list = out.get(name);
  if (list) list.push(text);
  else out.set(name, [text]);
}

/**
 * Values nested deeper than this are not enumerated as fields (the recursion would otherwise
 * follow whatever depth an input holds; CloudTrail's own events nest a dozen levels at most).
 */
export const MAX_FIELD_DEPTH = 256;

function collect(v: Json, name: string, out: Map<string, string[]>, depth = 0): void {
  if (depth > MAX_FIELD_DEPTH) return;
  if (Array.isArray(v)) {
    for (const el of v) collect(el, name + '{}', out, depth + 1);
    return;
  }
  if (v !== null && typeof v === 'object') {
    for (const [k, child] of Object.entries(v)) collect(child, name === '' ? k : `${name}.${k}`, out, depth + 1);
    return;
  }
  const t = leafText(v);
  if (t !== undefined && name !== '') push(out, name, t);
}

/**
 * Walks `path` from object `obj`. The next key is the longest prefix of the path (ending at `.`,
 * `{` or the end) that exists in the object, so keys that themselves contain dots still resolve.
 */
function walkPath(obj: { [k: string]: Json }, path: string, out: string[]): void {
  // Candidate key ends: every '.' or '{' position, then the end of the path; try shortest first
  // (the common case), then longer ones for dotted keys.
  let end = 0;
  for (;;) {
    let next = -1;
    for (let i = end; i < path.length; i++) {
      const c = path.charCodeAt(i);
      if (c === 46 /* . */ || c === 123 /* { */) {
        next = i;
        break;
      }
    }
    const keyEnd = next === -1 ? path.length : next;
    const key = path.slice(0, keyEnd);
    if (key.length > 0 && Object.prototype.hasOwnProperty.call(obj, key)) {
      const before = out.length;
      continueFrom(obj[key] as Json, path.slice(keyEnd), out);
      if (out.length > before) return;
    }
    if (next === -1) return;
    end = next + 1;
  }
}

/** Continues a walk at value `v` with the rest of the path (`''`, `.rest`, or `{}…`). */
function continueFrom(v: Json, rest: string, out: string[]): void {
  if (rest.startsWith('{}')) {
    if (!Array.isArray(v)) return;
    const after = rest.slice(2);
    for (const el of v) continueFrom(el, after, out);
    return;
  }
  if (rest === '') {
    if (Array.isArray(v) || (v !== null && typeof v === 'object')) return; // objects/arrays are not fields
    const t = leafText(v);
    if (t !== undefined) out.push(t);
    return;
  }
  if (rest.charCodeAt(0) !== 46) return;
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return;
  walkPath(v, rest.slice(1), out);
}
