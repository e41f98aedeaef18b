/**
 * Which (search, scheduled time) ticks are due. Each search's cron schedule (croner) gives its
 * tick times; the ledger says up to where it ran. Ticks after that point and not after now are
 * due, oldest first; beyond the catch-up limit the oldest are skipped (recorded, with a warning).
 * A `run: once` baseline is due once, at the first tick of the pass, until the ledger holds it.
 * At one time, baselines run before detections, in dependency order.
 */
import { Cron } from 'croner';
import type { Content } from '../content/load.js';
import type { ContentSearch } from '../content/model.js';
import { selectBaselines } from '../detect/operations.js';
import { TrailguardError } from '../errors.js';
import type { Ledger } from '../state/ledger.js';

export interface ScheduledSearch {
  search: ContentSearch;
  /** Position at one scheduled time (baselines in dependency order first). */
  order: number;
  /** The schedule; null for a `run: once` search. */
  cron: Cron | null;
}

export interface Tick {
  entry: ScheduledSearch;
  /** Epoch seconds: the scheduled time, which is the run's now(). */
  scheduled: number;
}

function cronOf(s: ContentSearch, tz: string): Cron {
  try {
    return new Cron(s.schedule.cron, { paused: true, timezone: tz });
  } catch (err) {
    throw new TrailguardError({
      code: 'E_SCHEDULE', phase: 'content', location: { file: s.file },
      reason: `"${s.name}": cannot read its cron schedule "${s.schedule.cron}": ${(err as Error).message}`,
      hints: ['fix deployment.scheduling.cron_schedule in the YAML, or set schedule.cron in trailguard-settings.yml'],
    });
  }
}

/** The searches the service runs: the baselines the enabled detections need (not manual ones), then the enabled detections Trailguard can compile. */
export function serviceSearches(content: Content, tz: string): { searches: ScheduledSearch[]; unsupported: ContentSearch[] } {
  const baselines = selectBaselines(content, []);
  const detections = content.detections.filter((d) => d.enabled);
  const unsupported = detections.filter((d) => !content.tryCompile(d).ok);
  const runnable = [...baselines, ...detections.filter((d) => !unsupported.includes(d))];
  const searches = runnable.map((search, order) => ({ search, order, cron: search.runMode === 'once' ? null : cronOf(search, tz) }));
  return { searches, unsupported };
}

const at = (t: number) => new Date(Math.round(t * 1000));
const secs = (d: Date) => d.getTime() / 1000;

/** The latest tick time at or before `t`, if any. */
export function latestTickAtOrBefore(cron: Cron, t: number): number | undefined {
  const d = at(t);
  if (cron.match(d)) return t;
  const prev = cron.previousRuns(1, d)[0];
  return prev ? secs(prev) : undefined;
}

/** Tick times in (after, until], oldest first. */
export function ticksBetween(cron: Cron, after: number, until: number): number[] {
  const out: number[] = [];
  let cursor = at(after);
  for (;;) {
    const next = cron.nextRun(cursor);
    if (next === null || secs(next) > until) break;
    out.push(secs(next));
    cursor = next;
  }
  return out;
}

export interface DueOptions {
  now: number;
  /** Replay: the simulated clock starts here; searches with no ledger entry start at it. */
  replayFrom?: number;
  maxTicks: number;
}

export interface Due {
  run: Tick[];
  skipped: Tick[];
}

export function dueTicks(searches: readonly ScheduledSearch[], ledger: Ledger, o: DueOptions): Due {
  const run: Tick[] = [];
  const skipped: Tick[] = [];
  const scheduled: Tick[] = [];
  for (const entry of searches) {
    if (entry.cron === null) continue;
    const last = ledger.last(entry.search.id);
    let after: number;
    if (last !== undefined) after = last;
    else if (o.replayFrom !== undefined) after = o.replayFrom - 0.001;
    else {
      // First start: the latest tick is due now; earlier ones are history, not downtime.
      const latest = latestTickAtOrBefore(entry.cron, o.now);
      if (latest === undefined) continue;
      after = latest - 0.001;
    }
    const times = ticksBetween(entry.cron, after, o.now);
    const cut = Math.max(0, times.length - o.maxTicks);
    for (const [i, t] of times.entries()) (i < cut ? skipped : scheduled).push({ entry, scheduled: t });
  }
  // A once-only search runs at the first tick of this pass (or now), before anything else then.
  const first = Math.min(o.now, ...scheduled.map((t) => t.scheduled));
  for (const entry of searches) {
    if (entry.cron !== null || ledger.everRan(entry.search.id)) continue;
    run.push({ entry, scheduled: first });
  }
  run.push(...scheduled);
  run.sort((a, b) => a.scheduled - b.scheduled || a.entry.order - b.entry.order);
  return { run, skipped };
}

/** When the next tick of any search falls after `t` (the live service sleeps until then). */
export function nextTickAfter(searches: readonly ScheduledSearch[], t: number): number | undefined {
  let best: number | undefined;
  for (const e of searches) {
    if (e.cron === null) continue;
    const n = e.cron.nextRun(at(t));
    if (n !== null && (best === undefined || secs(n) < best)) best = secs(n);
  }
  return best;
}
