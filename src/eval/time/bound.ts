/**
 * Time-range bounds as users write them (`earliest=`, `--earliest`, `--now`): an SPL modifier
 * (`-70m@m`, `@d`, `now`), epoch seconds, ISO-8601 with or without a zone (no zone = `tz`), or
 * Splunk's `%m/%d/%Y:%H:%M:%S`.
 */
import { TrailguardError } from '../../errors.js';
import { parseRelative, applySteps } from './relative.js';
import { fromLocal } from './zone.js';
import { strptime } from './format.js';

const EPOCH = /^[+-]?\d+(\.\d+)?$/;
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

function parseIso(text: string, tz: string): number | null {
  const m = ISO.exec(text);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = [1, 2, 3, 4, 5, 6].map((k) => Number(m[k] ?? 0)) as [number, number, number, number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return null;
  const frac = m[7] ? Number(`0.${m[7]}`) : 0;
  const zone = m[8];
  if (zone) {
    const utc = Date.UTC(y, mo - 1, d, h, mi, s) / 1000;
    if (/^z$/i.test(zone)) return utc + frac;
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    return utc - sign * (Number(digits.slice(0, 2)) * 3600 + Number(digits.slice(2)) * 60) + frac;
  }
  return fromLocal(y, mo, d, h, mi, s, tz) + frac;
}

/** Parses a time bound; throws a TrailguardError (phase 'eval', code 'bad-time') when unreadable. */
export function parseTimeBound(text: string, now: number, tz = 'UTC'): number {
  const t = text.trim();
  if (EPOCH.test(t)) return Number(t);
  const iso = parseIso(t, tz);
  if (iso !== null) return iso;
  const splunk = /^\d{1,2}\/\d{1,2}\/\d{4}:\d{1,2}:\d{2}:\d{2}$/.test(t) ? strptime(t, '%m/%d/%Y:%H:%M:%S', tz) : null;
  if (splunk !== null) return splunk;
  const steps = parseRelative(t);
  if (steps !== null) return applySteps(now, steps, tz);
  throw new TrailguardError({
    code: 'bad-time',
    phase: 'eval',
    reason: `cannot read '${text}' as a time`,
    hints: [
      'use a relative modifier such as -24h, -7d@d or @w1, the word now, epoch seconds, or ISO-8601 (2024-03-05T17:02:11Z)',
    ],
  });
}
