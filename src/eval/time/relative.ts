/**
 * Relative time modifiers (SPL.md §6.1): `[+|-]<n><unit>[@<snap>]`, `@<snap>`, `now`, and chains
 * such as `-1d@d+2h`. Offsets apply first, then snapping rounds DOWN to the start of the snap unit.
 * Seconds/minutes/hours move the instant; days and larger move the local calendar in the zone
 * (so `-1d` across a DST change keeps the wall-clock time), and snapping is to local boundaries.
 */
import { daysInMonth, fromLocal, toLocal } from './zone.js';

type Unit = 's' | 'm' | 'h' | 'd' | 'w' | 'mon' | 'q' | 'y';

/** Every accepted spelling of a unit (data, not branches). */
const UNIT_NAMES: Record<string, Unit> = {
  s: 's', sec: 's', secs: 's', second: 's', seconds: 's',
  m: 'm', min: 'm', mins: 'm', minute: 'm', minutes: 'm',
  h: 'h', hr: 'h', hrs: 'h', hour: 'h', hours: 'h',
  d: 'd', day: 'd', days: 'd',
  w: 'w', week: 'w', weeks: 'w',
  mon: 'mon', month: 'mon', months: 'mon',
  q: 'q', qtr: 'q', qtrs: 'q', quarter: 'q', quarters: 'q',
  y: 'y', yr: 'y', yrs: 'y', year: 'y', years: 'y',
};

const SECONDS: Partial<Record<Unit, number>> = { s: 1, m: 60, h: 3600 };

export type TimeStep =
  | { kind: 'offset'; amount: number; unit: Unit }
  | { kind: 'snap'; unit: Unit; weekday?: number };

const OFFSET_RE = /^([+-])(\d*)([a-zA-Z]+)/;
const SNAP_RE = /^@([a-zA-Z]+?)(\d?)(?=$|[-+@])/;

/** Parses a modifier into steps, or null when it is not one. `now` and `` → no steps. */
export function parseRelative(spec: string): TimeStep[] | null {
  let s = spec.trim();
  if (s === '' || s.toLowerCase() === 'now') return [];
  const steps: TimeStep[] = [];
  // A leading unsigned offset ("1d") is not a modifier; Splunk requires the sign except for "@".
  while (s.length > 0) {
    const off = OFFSET_RE.exec(s);
    if (off) {
      const unit = UNIT_NAMES[off[3]!.toLowerCase()];
      if (!unit) return null;
      const n = off[2] === '' ? 1 : Number(off[2]);
      steps.push({ kind: 'offset', amount: off[1] === '-' ? -n : n, unit });
      s = s.slice(off[0].length);
      continue;
    }
    const snap = SNAP_RE.exec(s);
    if (snap) {
      const unit = UNIT_NAMES[snap[1]!.toLowerCase()];
      if (!unit) return null;
      if (snap[2] !== '') {
        if (unit !== 'w') return null;
        steps.push({ kind: 'snap', unit, weekday: Number(snap[2]) % 7 });
      } else steps.push({ kind: 'snap', unit });
      s = s.slice(snap[0].length);
      continue;
    }
    return null;
  }
  return steps;
}

function applyOffset(epoch: number, amount: number, unit: Unit, tz: string): number {
  const secs = SECONDS[unit];
  if (secs !== undefined) return epoch + amount * secs;
  const t = toLocal(epoch, tz);
  const rest = t.frac;
  if (unit === 'd' || unit === 'w') {
    const days = unit === 'w' ? amount * 7 : amount;
    return fromLocal(t.year, t.month, t.day + days, t.hour, t.minute, t.second, tz) + rest;
  }
  const months = unit === 'mon' ? amount : unit === 'q' ? amount * 3 : amount * 12;
  const total = t.year * 12 + (t.month - 1) + months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  // Month arithmetic clamps to the last day (Jan 31 + 1mon = Feb 28/29), not rolling over.
  const day = Math.min(t.day, daysInMonth(year, month));
  return fromLocal(year, month, day, t.hour, t.minute, t.second, tz) + rest;
}

function applySnap(epoch: number, unit: Unit, weekday: number | undefined, tz: string): number {
  const t = toLocal(epoch, tz);
  switch (unit) {
    case 's':
      return Math.floor(epoch);
    case 'm':
      return fromLocal(t.year, t.month, t.day, t.hour, t.minute, 0, tz);
    case 'h':
      return fromLocal(t.year, t.month, t.day, t.hour, 0, 0, tz);
    case 'd':
      return fromLocal(t.year, t.month, t.day, 0, 0, 0, tz);
    case 'w': {
      const start = weekday ?? 0;
      const back = (t.weekday - start + 7) % 7;
      return fromLocal(t.year, t.month, t.day - back, 0, 0, 0, tz);
    }
    case 'mon':
      return fromLocal(t.year, t.month, 1, 0, 0, 0, tz);
    case 'q':
      return fromLocal(t.year, t.month - ((t.month - 1) % 3), 1, 0, 0, 0, tz);
    case 'y':
      return fromLocal(t.year, 1, 1, 0, 0, 0, tz);
  }
}

export function applySteps(epoch: number, steps: readonly TimeStep[], tz: string): number {
  let t = epoch;
  for (const st of steps) t = st.kind === 'offset' ? applyOffset(t, st.amount, st.unit, tz) : applySnap(t, st.unit, st.weekday, tz);
  return t;
}

/** Specs seen so far: relative_time is usually called with the same literal for every row. */
const parsedSpecs = new Map<string, TimeStep[] | null>();

/** relative_time(epoch, spec) in zone `tz`; null when the spec is not a valid modifier. */
export function relativeTime(epoch: number, spec: string, tz = 'UTC'): number | null {
  if (!Number.isFinite(epoch)) return null;
  let steps = parsedSpecs.get(spec);
  if (steps === undefined) {
    steps = parseRelative(spec);
    if (parsedSpecs.size > 1000) parsedSpecs.clear();
    parsedSpecs.set(spec, steps);
  }
  if (steps === null) return null;
  return applySteps(epoch, steps, tz);
}
