/**
 * strftime / strptime with the conversion codes of SPL.md §6.3 (and the common rest), evaluated in
 * a given IANA zone. Codes: %Y %y %m %d %e %H %I %M %S %p %b %B %a %A %j %w %u %Z %z %s %T %F
 * %N/%3N/%6N/%9N and %Q/%3Q (subseconds; %N defaults to 9 digits, %Q to 3), %k %l %D %R %h %n %t %%.
 */
import { fromLocal, toLocal, zoneAbbreviation, type LocalTime } from './zone.js';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

const pad = (n: number, w = 2, c = '0') => String(n).padStart(w, c);

function dayOfYear(t: LocalTime): number {
  return Math.round((Date.UTC(t.year, t.month - 1, t.day) - Date.UTC(t.year, 0, 1)) / 86400000) + 1;
}

function subseconds(frac: number, digits: number): string {
  const d = Math.max(1, Math.min(digits, 9));
  // A double epoch carries about microsecond precision: read six digits, then pad or truncate.
  const micros = Math.min(Math.round(frac * 1e6), 999_999);
  return String(micros).padStart(6, '0').padEnd(9, '0').slice(0, d);
}

function offsetText(off: number, colon = false): string {
  const sign = off < 0 ? '-' : '+';
  const a = Math.abs(Math.round(off / 60));
  return `${sign}${pad(Math.floor(a / 60))}${colon ? ':' : ''}${pad(a % 60)}`;
}

type Formatter = (t: LocalTime, epoch: number, tz: string) => string;

/** One entry per conversion letter: data, so adding a code is one line. */
const FORMATTERS: Record<string, Formatter> = {
  Y: (t) => String(t.year),
  y: (t) => pad(((t.year % 100) + 100) % 100),
  m: (t) => pad(t.month),
  d: (t) => pad(t.day),
  e: (t) => pad(t.day, 2, ' '),
  H: (t) => pad(t.hour),
  k: (t) => pad(t.hour, 2, ' '),
  I: (t) => pad(t.hour % 12 === 0 ? 12 : t.hour % 12),
  l: (t) => pad(t.hour % 12 === 0 ? 12 : t.hour % 12, 2, ' '),
  M: (t) => pad(t.minute),
  S: (t) => pad(t.second),
  p: (t) => (t.hour < 12 ? 'AM' : 'PM'),
  b: (t) => MONTHS[t.month - 1]!.slice(0, 3),
  h: (t) => MONTHS[t.month - 1]!.slice(0, 3),
  B: (t) => MONTHS[t.month - 1]!,
  a: (t) => DAYS[t.weekday]!.slice(0, 3),
  A: (t) => DAYS[t.weekday]!,
  j: (t) => pad(dayOfYear(t), 3),
  w: (t) => String(t.weekday),
  u: (t) => String(t.weekday === 0 ? 7 : t.weekday),
  Z: (_t, e, tz) => zoneAbbreviation(e, tz),
  z: (t) => offsetText(t.offset),
  s: (_t, e) => String(Math.floor(e)),
  T: (t) => `${pad(t.hour)}:${pad(t.minute)}:${pad(t.second)}`,
  R: (t) => `${pad(t.hour)}:${pad(t.minute)}`,
  F: (t) => `${t.year}-${pad(t.month)}-${pad(t.day)}`,
  D: (t) => `${pad(t.month)}/${pad(t.day)}/${pad(((t.year % 100) + 100) % 100)}`,
  n: () => '\n',
  t: () => '\t',
  '%': () => '%',
};

/** Formats epoch seconds (may be fractional) in `tz`. Unknown codes are copied as written. */
export function strftime(epoch: number, fmt: string, tz = 'UTC'): string | null {
  if (!Number.isFinite(epoch)) return null;
  const t = toLocal(epoch, tz);
  let out = '';
  for (let i = 0; i < fmt.length; i++) {
    const c = fmt[i]!;
    if (c !== '%' || i + 1 >= fmt.length) {
      out += c;
      continue;
    }
    let j = i + 1;
    let width = '';
    while (j < fmt.length && fmt[j]! >= '0' && fmt[j]! <= '9') width += fmt[j++];
    const code = fmt[j];
    if (code === 'N' || code === 'Q') {
      out += subseconds(t.frac, width ? Number(width) : code === 'N' ? 9 : 3);
      i = j;
      continue;
    }
    const f = code !== undefined && width === '' ? FORMATTERS[code] : undefined;
    if (!f) {
      out += fmt.slice(i, j + 1);
      i = j;
      continue;
    }
    out += f(t, epoch, tz);
    i = j;
  }
  return out;
}

// ─────────────────────────── strptime ───────────────────────────

interface Parsed {
  year?: number;
  month?: number;
  day?: number;
  hour?: number;
  minute?: number;
  second?: number;
  frac?: number;
  pm?: boolean;
  hour12?: number;
  yday?: number;
  offset?: number;
  epoch?: number;
}

function readInt(s: string, pos: number, maxDigits: number, signed = false): [number, number] | null {
  let i = pos;
  let sign = 1;
  if (signed && (s[i] === '-' || s[i] === '+')) {
    if (s[i] === '-') sign = -1;
    i++;
  }
  const start = i;
  while (i < s.length && i - start < maxDigits && s[i]! >= '0' && s[i]! <= '9') i++;
  if (i === start) return null;
  return [sign * Number(s.slice(start, i)), i];
}

function readName(s: string, pos: number, names: string[]): [number, number] | null {
  const rest = s.slice(pos).toLowerCase();
  // Full names first so "March" is not read as "Mar" + "ch".
  for (let k = 0; k < names.length; k++) if (rest.startsWith(names[k]!.toLowerCase())) return [k, pos + names[k]!.length];
  for (let k = 0; k < names.length; k++) if (rest.startsWith(names[k]!.slice(0, 3).toLowerCase())) return [k, pos + 3];
  return null;
}

function readOffset(s: string, pos: number): [number, number] | null {
  if (s[pos] === 'Z' || s[pos] === 'z') return [0, pos + 1];
  const m = /^([+-])(\d{2}):?(\d{2})?/.exec(s.slice(pos));
  if (!m) return null;
  const v = (Number(m[2]) * 3600 + Number(m[3] ?? 0) * 60) * (m[1] === '-' ? -1 : 1);
  return [v, pos + m[0].length];
}

type Reader = (s: string, pos: number, p: Parsed, width: number) => number | null;

const num = (key: keyof Parsed, digits: number, min: number, max: number): Reader => (s, pos, p) => {
  let i = pos;
  while (s[i] === ' ' && (key === 'day' || key === 'hour')) i++;
  const r = readInt(s, i, digits);
  if (!r || r[0] < min || r[0] > max) return null;
  (p as Record<string, number>)[key] = r[0];
  return r[1];
};

const READERS: Record<string, Reader> = {
  Y: num('year', 4, 0, 9999),
  y: (s, pos, p) => {
    const r = readInt(s, pos, 2);
    if (!r) return null;
    p.year = r[0] < 69 ? 2000 + r[0] : 1900 + r[0];
    return r[1];
  },
  m: num('month', 2, 1, 12),
  d: num('day', 2, 1, 31),
  e: num('day', 2, 1, 31),
  H: num('hour', 2, 0, 23),
  k: num('hour', 2, 0, 23),
  I: num('hour12', 2, 1, 12),
  l: num('hour12', 2, 1, 12),
  M: num('minute', 2, 0, 59),
  S: num('second', 2, 0, 60),
  j: num('yday', 3, 1, 366),
  p: (s, pos, p) => {
    const two = s.slice(pos, pos + 2).toUpperCase();
    if (two !== 'AM' && two !== 'PM') return null;
    p.pm = two === 'PM';
    return pos + 2;
  },
  b: (s, pos, p) => {
    const r = readName(s, pos, MONTHS);
    if (!r) return null;
    p.month = r[0] + 1;
    return r[1];
  },
  a: (s, pos) => readName(s, pos, DAYS)?.[1] ?? null,
  w: (s, pos) => readInt(s, pos, 1)?.[1] ?? null,
  u: (s, pos) => readInt(s, pos, 1)?.[1] ?? null,
  z: (s, pos, p) => {
    const r = readOffset(s, pos);
    if (!r) return null;
    p.offset = r[0];
    return r[1];
  },
  Z: (s, pos, p) => {
    const r = readOffset(s, pos);
    if (r) {
      p.offset = r[0];
      return r[1];
    }
    const m = /^[A-Za-z]{1,5}/.exec(s.slice(pos));
    if (!m) return null;
    // Only zone names with a fixed meaning set the offset; other abbreviations are ambiguous.
    if (/^(UTC|GMT|Z)$/i.test(m[0])) p.offset = 0;
    return pos + m[0].length;
  },
  s: (s, pos, p) => {
    const m = /^-?\d+(\.\d+)?/.exec(s.slice(pos));
    if (!m) return null;
    p.epoch = Number(m[0]);
    return pos + m[0].length;
  },
  N: (s, pos, p, width) => {
    const r = /^\d+/.exec(s.slice(pos, pos + (width || 9)));
    if (!r) return null;
    p.frac = Number(`0.${r[0]}`);
    return pos + r[0].length;
  },
  T: (s, pos, p, w) => seq(s, pos, p, w, ['H', ':', 'M', ':', 'S']),
  R: (s, pos, p, w) => seq(s, pos, p, w, ['H', ':', 'M']),
  F: (s, pos, p, w) => seq(s, pos, p, w, ['Y', '-', 'm', '-', 'd']),
  D: (s, pos, p, w) => seq(s, pos, p, w, ['m', '/', 'd', '/', 'y']),
  '%': (s, pos) => (s[pos] === '%' ? pos + 1 : null),
};
READERS['B'] = READERS['b']!;
READERS['h'] = READERS['b']!;
READERS['A'] = READERS['a']!;
READERS['Q'] = READERS['N']!;

function seq(s: string, pos: number, p: Parsed, w: number, parts: string[]): number | null {
  let i: number | null = pos;
  for (const part of parts) {
    if (i === null) return null;
    const r: Reader | undefined = READERS[part];
    if (r && part.length === 1 && /[A-Za-z]/.test(part)) i = r(s, i, p, w);
    else i = s[i] === part ? i + 1 : null;
  }
  return i;
}

/**
 * Parses `text` with `fmt` in zone `tz` (unless the text carries %z/%Z/%s). Returns epoch
 * seconds, or null when the text does not fit the format. Trailing text after the format is
 * ignored, as Splunk does; missing date parts default to 1970-01-01, missing time parts to 0.
 */
export function strptime(text: string, fmt: string, tz = 'UTC'): number | null {
  const p: Parsed = {};
  let pos = 0;
  for (let i = 0; i < fmt.length; i++) {
    const c = fmt[i]!;
    if (c === '%' && i + 1 < fmt.length) {
      let j = i + 1;
      let width = '';
      while (j < fmt.length && fmt[j]! >= '0' && fmt[j]! <= '9') width += fmt[j++];
      const reader = READERS[fmt[j] ?? ''];
      if (!reader) return null;
      const next = reader(text, pos, p, width ? Number(width) : 0);
      if (next === null) return null;
      pos = next;
      i = j;
      continue;
    }
    if (/\s/.test(c)) {
      while (pos < text.length && /\s/.test(text[pos]!)) pos++;
      continue;
    }
    if (text[pos] !== c) return null;
    pos++;
  }
  if (p.epoch !== undefined) return p.epoch + (p.frac ?? 0);
  let hour = p.hour ?? 0;
  if (p.hour12 !== undefined) hour = (p.hour12 % 12) + (p.pm ? 12 : 0);
  else if (p.pm !== undefined && p.hour !== undefined && p.hour < 12 && p.pm) hour += 12;
  const year = p.year ?? 1970;
  let month = p.month ?? 1;
  let day = p.day ?? 1;
  if (p.yday !== undefined && p.month === undefined) {
    month = 1;
    day = p.yday;
  }
  if (p.month !== undefined && p.day !== undefined) {
    const dim = new Date(Date.UTC(year, month, 0)).getUTCDate();
    if (day > dim) return null;
  }
  const frac = p.frac ?? 0;
  if (p.offset !== undefined) {
    const d = new Date(0);
    d.setUTCFullYear(year, month - 1, day);
    d.setUTCHours(hour, p.minute ?? 0, p.second ?? 0, 0);
    return d.getTime() / 1000 - p.offset + frac;
  }
  return fromLocal(year, month, day, hour, p.minute ?? 0, p.second ?? 0, tz) + frac;
}
