/**
 * Wall-clock arithmetic in an IANA time zone using only Intl (no dependency). Day/week/month
 * snapping and strftime need the local calendar fields of an instant, and the instant of a local
 * calendar time; both go through the zone's UTC offset at that instant.
 */
import { TrailguardError } from '../../errors.js';

export interface LocalTime {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** Fraction of the second, 0 ≤ frac < 1. */
  frac: number;
  /** 0 = Sunday … 6 = Saturday. */
  weekday: number;
  /** Offset of the zone from UTC at this instant, seconds (east positive). */
  offset: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
/** Offsets cached per 15-minute slot: every real-world zone transition falls on such a boundary. */
const offsetCache = new Map<string, Map<number, number>>();
const SLOT = 900;

function isUtc(tz: string): boolean {
  return tz === 'UTC' || tz === 'Etc/UTC' || tz === 'GMT' || tz === 'Etc/GMT' || tz === 'Z';
}

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone: tz,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      throw new TrailguardError({
        code: 'bad-timezone',
        phase: 'eval',
        reason: `unknown time zone '${tz}'`,
        hints: ['use an IANA zone name such as UTC, Europe/Berlin or America/New_York'],
      });
    }
    formatters.set(tz, f);
  }
  return f;
}

/** Throws a TrailguardError when `tz` is not a zone Intl knows. */
export function checkTimeZone(tz: string): void {
  if (!isUtc(tz)) formatter(tz);
}

function computeOffset(epochSec: number, tz: string): number {
  const parts = formatter(tz).formatToParts(new Date(epochSec * 1000));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? 0);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second')) / 1000;
  return asUtc - epochSec;
}

/** Offset of `tz` from UTC at instant `epoch` (seconds east of UTC). */
export function zoneOffset(epoch: number, tz: string): number {
  if (isUtc(tz)) return 0;
  const slot = Math.floor(epoch / SLOT);
  let cache = offsetCache.get(tz);
  if (!cache) {
    cache = new Map();
    offsetCache.set(tz, cache);
  }
  let off = cache.get(slot);
  if (off === undefined) {
    off = computeOffset(slot * SLOT, tz);
    if (cache.size > 50_000) cache.clear();
    cache.set(slot, off);
  }
  return off;
}

/** Local calendar fields of an instant. */
export function toLocal(epoch: number, tz: string): LocalTime {
  const offset = zoneOffset(epoch, tz);
  const whole = Math.floor(epoch);
  const d = new Date((whole + offset) * 1000);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    frac: epoch - whole,
    weekday: d.getUTCDay(),
    offset,
  };
}

/**
 * The instant at which the local clock in `tz` shows the given fields. Out-of-range fields roll
 * over (day 0 = last day of previous month) as Date.UTC does. A local time skipped by a DST jump
 * maps to the instant just after the jump; an ambiguous one to its first occurrence.
 */
export function fromLocal(
  year: number,
  month: number,
  day: number,
  hour = 0,
  minute = 0,
  second = 0,
  tz = 'UTC',
): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, 0, 0);
  const naive = d.getTime() / 1000 + second;
  if (isUtc(tz)) return naive;
  // Try the offsets in force a day before and a day after: a local time maps to one of them.
  const before = zoneOffset(naive - 86400, tz);
  const after = zoneOffset(naive + 86400, tz);
  let best: number | null = null;
  for (const off of [before, after]) {
    const cand = naive - off;
    if (cand + zoneOffset(cand, tz) === naive && (best === null || cand < best)) best = cand;
  }
  // No instant shows this clock (skipped by a DST jump): read it with the offset before the jump.
  return best ?? naive - before;
}

/** Abbreviated zone name (UTC, CET, EST, or GMT+1 style when Intl has no abbreviation). */
export function zoneAbbreviation(epoch: number, tz: string): string {
  if (isUtc(tz)) return 'UTC';
  const f = new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: 'short' });
  const part = f.formatToParts(new Date(Math.floor(epoch) * 1000)).find((p) => p.type === 'timeZoneName');
  return part?.value ?? tz;
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}
