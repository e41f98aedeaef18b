/** Durations written in YAML settings (`70m`, `500ms`, or a plain number of seconds). */

const UNIT_SECONDS = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400 } as const;

export type DurationUnit = keyof typeof UNIT_SECONDS;

/**
 * Seconds from a number (≥ 0) or from text: a decimal number with one of `units` or none (then
 * seconds). Undefined when it does not read, or names a unit the setting does not take.
 */
export function parseDuration(v: unknown, units: readonly DurationUnit[]): number | undefined {
  if (typeof v === 'number') return v >= 0 ? v : undefined;
  if (typeof v !== 'string') return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/.exec(v);
  if (!m) return undefined;
  const unit = (m[2] || 's') as DurationUnit;
  return units.includes(unit) ? Number(m[1]) * UNIT_SECONDS[unit] : undefined;
}
