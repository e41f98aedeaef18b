/**
 * Risk-based alerting over the risk events findings write (one per risk object): rank risk
 * objects by summed risk score, and flag the two standard risk incident rules —
 *
 * - "risk threshold exceeded": an object's risk scores sum to more than 100 in 24 hours;
 * - "ATT&CK tactic threshold exceeded": three or more distinct ATT&CK tactics from four or more
 *   sources (distinct detections, as Splunk ES counts distinct search names) in 7 days.
 *
 * Pure functions over RiskEvent[] (no state access), so the CLI and the report share them.
 */
import type { RiskEvent } from '../state/findings.js';

export const RISK_RULES = {
  /** Sum of risk scores strictly over `score` in the last `seconds`. */
  over100in24h: { seconds: 24 * 3600, score: 100 },
  /** At least `tactics` distinct tactics and at least `sources` distinct detections in the last `seconds`. */
  tactics3sources4in7d: { seconds: 7 * 86400, tactics: 3, sources: 4 },
} as const;

export interface RankedRiskObject {
  object: string;
  object_type: string;
  /** Summed risk score in the ranking window. */
  score: number;
  /** Distinct detection names in the ranking window, sorted. */
  detections: string[];
  /** Distinct ATT&CK tactics in the ranking window, sorted. */
  tactics: string[];
  /** Distinct detections in the ranking window (= detections.length). */
  sources: number;
  /** Risk events in the ranking window. */
  events: number;
  /** ISO-8601 of the first and last risk event in the ranking window (null when it has none). */
  first: string | null;
  last: string | null;
  /** What the rules measured, each over its own window ending at `now`. */
  measures: { score_24h: number; tactics_7d: number; sources_7d: number };
  rules: { over100in24h: boolean; tactics3sources4in7d: boolean };
}

export interface RankOptions {
  /** Epoch seconds; events after it are ignored, and the rules' windows end at it. */
  now: number;
  /** Epoch seconds: the ranking window starts here (inclusive). Default: every event up to `now`. */
  since?: number;
}

interface Acc {
  object: string;
  object_type: string;
  score: number;
  detections: Set<string>;
  tactics: Set<string>;
  events: number;
  first: number;
  last: number;
  score24h: number;
  tactics7d: Set<string>;
  sources7d: Set<string>;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const sorted = (s: Set<string>) => [...s].sort(cmp);

/**
 * Risk objects (an object is its value and type) with events in the ranking window, or that trip
 * a rule, ranked by summed score, then distinct tactics, then distinct detections, then name.
 */
export function rankRiskObjects(events: readonly RiskEvent[], opts: RankOptions): RankedRiskObject[] {
  const since = opts.since ?? -Infinity;
  const day = opts.now - RISK_RULES.over100in24h.seconds;
  const week = opts.now - RISK_RULES.tactics3sources4in7d.seconds;
  const by = new Map<string, Acc>();
  for (const e of events) {
    const t = Date.parse(e.time) / 1000;
    if (!(t <= opts.now)) continue;
    const inRank = t >= since;
    const inDay = t > day;
    const inWeek = t > week;
    if (!inRank && !inWeek) continue;
    const key = `${e.object_type}\u0000${e.object}`;
    let a = by.get(key);
    if (a === undefined) {
      a = { object: e.object, object_type: e.object_type, score: 0, detections: new Set(), tactics: new Set(), events: 0, first: Infinity, last: -Infinity, score24h: 0, tactics7d: new Set(), sources7d: new Set() };
      by.set(key, a);
    }
    if (inRank) {
      a.score += e.score;
      a.detections.add(e.detection_name);
      for (const x of e.tactics) a.tactics.add(x);
      a.events++;
      a.first = Math.min(a.first, t);
      a.last = Math.max(a.last, t);
    }
    if (inDay) a.score24h += e.score;
    if (inWeek) {
      for (const x of e.tactics) a.tactics7d.add(x);
      a.sources7d.add(e.detection_name);
    }
  }
  const out: RankedRiskObject[] = [];
  for (const a of by.values()) {
    const rules = {
      over100in24h: a.score24h > RISK_RULES.over100in24h.score,
      tactics3sources4in7d: a.tactics7d.size >= RISK_RULES.tactics3sources4in7d.tactics && a.sources7d.size >= RISK_RULES.tactics3sources4in7d.sources,
    };
    if (a.events === 0 && !rules.over100in24h && !rules.tactics3sources4in7d) continue;
    const iso = (t: number) => (Number.isFinite(t) ? new Date(t * 1000).toISOString() : null);
    out.push({
      object: a.object,
      object_type: a.object_type,
      score: a.score,
      detections: sorted(a.detections),
      tactics: sorted(a.tactics),
      sources: a.detections.size,
      events: a.events,
      first: iso(a.first),
      last: iso(a.last),
      measures: { score_24h: a.score24h, tactics_7d: a.tactics7d.size, sources_7d: a.sources7d.size },
      rules,
    });
  }
  return out.sort((x, y) => y.score - x.score || y.tactics.length - x.tactics.length || y.sources - x.sources || cmp(x.object_type, y.object_type) || cmp(x.object, y.object));
}

/** Epoch seconds from which events are needed to rank since `since` and evaluate both rules at `now`. */
export function riskEventsNeededSince(opts: RankOptions): number {
  return Math.min(opts.since ?? -Infinity, opts.now - Math.max(RISK_RULES.over100in24h.seconds, RISK_RULES.tactics3sources4in7d.seconds));
}
