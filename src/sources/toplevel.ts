/**
 * Targeted reads from one event's JSON text without parsing all of it: the span of a top-level
 * key's value (skipping nested objects, arrays and strings correctly, so a nested `eventTime` or
 * a brace inside a string never confuses it) and time parsing.
 */

/** Index just past the JSON value starting at `i` (after whitespace), or -1 if it is cut off or
 *  malformed at the structural level. Nested contents are balance-checked, not validated. */
export function skipValue(text: string, i: number, limit = text.length): number {
  const n = limit;
  i = skipSpace(text, i, n);
  if (i >= n) return -1;
  const c = text.charCodeAt(i);
  if (c === 0x22) return skipString(text, i, n);
  if (c === 0x7b || c === 0x5b) {
    let depth = 0;
    for (; i < n; i++) {
      const d = text.charCodeAt(i);
      if (d === 0x22) {
        // Strings (most of the bytes) jump to their closing quote with the native search, which
        // beats a loop over their characters here even for short ones (1.7 against 2.5 ns a byte
        // over the nested objects of the benchmark's events).
        i = closingQuote(text, i, n);
        if (i < 0) return -1;
      } else if (d === 0x7b || d === 0x5b) depth++;
      else if (d === 0x7d || d === 0x5d) {
        depth--;
        if (depth === 0) return i + 1;
      }
    }
    return -1;
  }
  // number, true, false, null
  let j = i;
  while (j < n) {
    const d = text.charCodeAt(j);
    if (d === 0x2c || d === 0x7d || d === 0x5d || d <= 0x20) break;
    j++;
  }
  return j > i && isScalar(text, i, j) ? j : -1;
}

/** True when text[i, j) is a JSON number, true, false or null (checked without a regex or a slice). */
function isScalar(text: string, i: number, j: number): boolean {
  const c = text.charCodeAt(i);
  if (c === 0x74) return j - i === 4 && text.startsWith('true', i);
  if (c === 0x66) return j - i === 5 && text.startsWith('false', i);
  if (c === 0x6e) return j - i === 4 && text.startsWith('null', i);
  return SCALAR.test(text.slice(i, j));
}

const SCALAR = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)$/;

/** `text[i]` is an opening quote; returns the index of the closing quote (before `limit`), or -1. */
function closingQuote(text: string, i: number, limit: number): number {
  let q = text.indexOf('"', i + 1);
  for (;;) {
    if (q < 0 || q >= limit) return -1;
    if (text.charCodeAt(q - 1) !== 0x5c) return q;
    // A quote preceded by an odd run of backslashes is escaped.
    let backslashes = 0;
    for (let b = q - 1; b > i && text.charCodeAt(b) === 0x5c; b--) backslashes++;
    if ((backslashes & 1) === 0) return q;
    q = text.indexOf('"', q + 1);
  }
}

/** `text[i]` is an opening quote; returns the index just past the closing quote, or -1. */
export function skipString(text: string, i: number, limit = text.length): number {
  // Short strings (most keys and values) are walked; longer ones jump from quote to quote with
  // the native search.
  const short = Math.min(limit, i + 24);
  for (let j = i + 1; j < short; j++) {
    const c = text.charCodeAt(j);
    if (c === 0x22) return j + 1;
    if (c === 0x5c) break;
  }
  const q = closingQuote(text, i, limit);
  return q < 0 ? -1 : q + 1;
}

export function skipSpace(text: string, i: number, n = text.length): number {
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
    i++;
  }
  return i;
}

export interface ValueSpan {
  start: number;
  end: number;
}

/**
 * Spans of the wanted top-level keys of the object in `text` (which must start, after
 * whitespace, with `{`). Returns null if the text is not an object or its top level is malformed.
 * Stops early once every wanted key, or the `stopAt` key, has been found, so the rest of the
 * object is not looked at (JSON keys are unique in CloudTrail events;
 * with duplicates, the first occurrence wins here, while JSON.parse would keep the last).
 */
export function topLevelSpans(text: string, wanted: readonly string[], stopAt?: string): Map<string, ValueSpan> | null {
  const found = new Map<string, ValueSpan>();
  let i = skipSpace(text, 0);
  if (text.charCodeAt(i) !== 0x7b) return null;
  i = skipSpace(text, i + 1);
  if (text.charCodeAt(i) === 0x7d) return found;
  for (;;) {
    if (text.charCodeAt(i) !== 0x22) return null;
    const keyEnd = skipString(text, i);
    if (keyEnd < 0) return null;
    let key = text.slice(i + 1, keyEnd - 1);
    if (key.includes('\\')) {
      try {
        key = JSON.parse(text.slice(i, keyEnd)) as string;
      } catch {
        return null;
      }
    }
    i = skipSpace(text, keyEnd);
    if (text.charCodeAt(i) !== 0x3a) return null;
    const valueStart = skipSpace(text, i + 1);
    const valueEnd = skipValue(text, valueStart);
    if (valueEnd < 0) return null;
    if (wanted.includes(key) && !found.has(key)) {
      found.set(key, { start: valueStart, end: valueEnd });
      if (found.size === wanted.length || key === stopAt) return found;
    }
    i = skipSpace(text, valueEnd);
    const c = text.charCodeAt(i);
    if (c === 0x7d) return found;
    if (c !== 0x2c) return null;
    i = skipSpace(text, i + 1);
  }
}

/** The string value of a JSON string literal span (handles escapes), or null if not a string. */
export function stringAt(text: string, span: ValueSpan): string | null {
  if (text.charCodeAt(span.start) !== 0x22) return null;
  const inner = text.slice(span.start + 1, span.end - 1);
  if (!inner.includes('\\')) return inner;
  try {
    return JSON.parse(text.slice(span.start, span.end)) as string;
  } catch {
    return null;
  }
}

const ISO_UTC = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?Z$/;
const HAS_ZONE = /(?:Z|[+-]\d{2}:?\d{2})$/i;

/**
 * Epoch seconds (milliseconds kept as a fraction) of a CloudTrail time text, or null.
 * The common `2023-07-10T11:42:13Z` / `…13.123Z` forms are parsed directly and range-checked
 * (so `2019-01-00` is rejected rather than rolled over); other ISO-8601 forms go through
 * Date.parse, read as UTC when they carry no zone.
 */
export function parseEventTime(text: string): number | null {
  const fast = parseCompactUtc(text);
  if (fast !== undefined) return fast;
  const m = ISO_UTC.exec(text);
  if (m) {
    const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number) as [number, number, number, number, number, number];
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return null;
    const ms = m[7] ? Number((m[7] + '00').slice(0, 3)) : 0;
    const t = Date.UTC(y, mo - 1, d, h, mi, s, ms);
    if (new Date(t).getUTCDate() !== d && s !== 60) return null; // e.g. 02-30
    return t / 1000;
  }
  if (!/^\d{4}-\d{2}-\d{2}/.test(text)) return null;
  const t = Date.parse(HAS_ZONE.test(text) ? text : `${text}Z`);
  return Number.isNaN(t) ? null : t / 1000;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function digits(text: string, i: number, n: number): number {
  let v = 0;
  for (let k = i; k < i + n; k++) {
    const d = text.charCodeAt(k) - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

/**
 * The hot path of parseEventTime: `YYYY-MM-DDTHH:MM:SS[.f{1,9}]Z`, read digit by digit with the
 * same checks as the regex path (no allocation). undefined hands anything else (and years
 * below 100, which Date.UTC maps to 19xx) to the general path, so results are identical.
 */
function parseCompactUtc(text: string): number | null | undefined {
  return parseCompactUtcAt(text, 0, text.length);
}

/**
 * Days from 1970-01-01 to the proleptic Gregorian date y-m-d (m 1–12, y ≥ 1; a day past the end of
 * its month runs on into the next, as in Date.UTC), in integer arithmetic over 400-year eras.
 */
function daysFromCivil(y: number, m: number, d: number): number {
  // Every operand is a small non-negative integer (y ≥ 1), so `| 0` is floor.
  const yy = m <= 2 ? y - 1 : y;
  const era = (yy / 400) | 0;
  const yoe = yy - era * 400;
  const doy = ((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 | 0) + d - 1;
  return era * 146097 + yoe * 365 + (yoe >> 2) - ((yoe / 100) | 0) + doy - 719468;
}

/**
 * parseCompactUtc on text[from, to) (no slice for the reader's hot path). The time is the day's
 * midnight plus the time of day in whole milliseconds, divided by 1000 once: exactly what
 * Date.UTC(y, mo, d, h, mi, s, ms) / 1000 gives. The day is computed, not taken from Date.UTC
 * (which it used to be, cached for the last day seen): the first call of a new day then ran code
 * that had no type feedback yet, and the optimized reader was thrown away there and compiled
 * again.
 */
export function parseCompactUtcAt(text: string, from: number, to: number): number | null | undefined {
  const n = to - from;
  if (n < 20 || n > 30 || text.charCodeAt(to - 1) !== 0x5a /* Z */) return undefined;
  if (text.charCodeAt(from + 4) !== 0x2d || text.charCodeAt(from + 7) !== 0x2d || text.charCodeAt(from + 13) !== 0x3a || text.charCodeAt(from + 16) !== 0x3a) return undefined;
  const sep = text.charCodeAt(from + 10);
  if (sep !== 0x54 && sep !== 0x20) return undefined;
  const y = digits(text, from, 4);
  const mo = digits(text, from + 5, 2);
  const d = digits(text, from + 8, 2);
  const h = digits(text, from + 11, 2);
  const mi = digits(text, from + 14, 2);
  const s = digits(text, from + 17, 2);
  if (y < 100 || mo < 0 || d < 0 || h < 0 || mi < 0 || s < 0) return undefined;
  let ms = 0;
  if (n !== 20) {
    // a fraction: `.` then 1-9 digits before the Z
    if (text.charCodeAt(from + 19) !== 0x2e || n - 21 < 1 || n - 21 > 9) return undefined;
    if (digits(text, from + 20, n - 21) < 0) return undefined;
    const f = n - 21;
    ms = f >= 3 ? digits(text, from + 20, 3) : digits(text, from + 20, f) * (f === 1 ? 100 : 10);
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return null;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const dim = mo === 2 && leap ? 29 : DAYS_IN_MONTH[mo - 1]!;
  if (d > dim && s !== 60) return null; // e.g. 02-30
  return (daysFromCivil(y, mo, d) * 86400000 + ((h * 60 + mi) * 60 + s) * 1000 + ms) / 1000;
}
