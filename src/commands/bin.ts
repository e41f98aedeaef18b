/**
 * `bin`/`bucket f span=S [as g]` (SPL.md §4.4): replaces a numeric value by the start of its bin.
 * Spans in seconds/minutes/hours align to the epoch (UTC boundaries); day spans align to midnight
 * in the search's time zone. Non-numeric values are left alone.
 */
import type { BinCommand } from '../spl/ast.js';
import { rejectOptions } from '../engine/options.js';
import { TrailguardError } from '../errors.js';
import { relativeTime } from '../eval/index.js';
import { firstValue, toNumber } from '../eval/value.js';
import { mapOperator, simplePlan, type CommandPlan, type PlanEnv } from '../engine/operator.js';

const UNIT_SECONDS: Record<string, number> = {
  s: 1, sec: 1, secs: 1, second: 1, seconds: 1,
  m: 60, min: 60, mins: 60, minute: 60, minutes: 60,
  h: 3600, hr: 3600, hrs: 3600, hour: 3600, hours: 3600,
  d: 86400, day: 86400, days: 86400,
  w: 604800, week: 604800, weeks: 604800,
};

export interface Span {
  seconds: number;
  /** Day-or-longer spans snap to local midnight. */
  days: boolean;
}

export function parseSpan(text: string): Span | null {
  const m = /^(\d+(?:\.\d+)?)?\s*([a-z]*)$/i.exec(text.trim());
  if (!m) return null;
  const n = m[1] === undefined ? 1 : Number(m[1]);
  const unit = (m[2] ?? '').toLowerCase() || 's';
  const secs = UNIT_SECONDS[unit];
  if (secs === undefined || !(n > 0)) return null;
  return { seconds: n * secs, days: secs >= 86400 };
}

/** The start of the bin holding epoch/number t. */
export function binStart(t: number, span: Span, tz: string): number {
  if (!span.days || tz === 'UTC') return Math.floor(t / span.seconds) * span.seconds;
  // Local midnight: snap with the time-modifier machinery, then count whole days from the epoch's.
  const midnight = relativeTime(t, '@d', tz) ?? t;
  const days = span.seconds / 86400;
  if (days === 1) return midnight;
  const dayNo = Math.floor(Math.round(midnight / 86400) / days) * days;
  return relativeTime(dayNo * 86400 + 43200, '@d', tz) ?? midnight;
}

export default function binPlan(cmd: BinCommand, env: PlanEnv): CommandPlan {
  const spanText = cmd.options['span'];
  rejectOptions(cmd, ['bins', 'minspan', 'start', 'end', 'aligntime'], 'use span= (for example span=1h)');
  if (spanText === undefined) {
    throw new TrailguardError({
      code: 'E_BIN_SPAN', phase: 'plan', span: cmd.span,
      reason: `${cmd.name} needs span= (automatic bins= are not supported)`,
      hints: ['write for example `bin _time span=1h`'],
    });
  }
  const span = parseSpan(spanText);
  if (!span) {
    throw new TrailguardError({ code: 'E_BIN_SPAN', phase: 'plan', span: cmd.span, reason: `cannot read span=${spanText}`, hints: ['spans look like 30s, 5m, 1h, 1d'] });
  }
  const out = cmd.as ?? cmd.field;
  return simplePlan(cmd, env, `${cmd.field} span=${spanText}${cmd.as ? ` as ${cmd.as}` : ''}`, (ctx) =>
    mapOperator((row) => {
      const v = firstValue(row.get(cmd.field));
      const n = v === null ? null : toNumber(v);
      if (n !== null) row.set(out, binStart(n, span, ctx.tz));
      else if (out !== cmd.field && v !== null) row.set(out, v);
      return row;
    }),
  );
}
