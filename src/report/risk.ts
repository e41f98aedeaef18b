/**
 * Risk per object (identity, IP address, …) and the two risk incident rules of Splunk ES's
 * risk-based alerting, evaluated over sliding windows of the object's risk events:
 * - risk threshold: the object's summed risk over any 24 hours exceeds 100;
 * - ATT&CK tactic threshold: within any 7 days the object has risk from 3 or more distinct
 *   tactics raised by 4 or more distinct detections ("sources").
 */
import type { FindingRecord, RiskEvent } from './model.js';
import { RISK_RULES } from '../risk/rank.js';


/**
 * The two risk incident rules, in the page's terms. The thresholds are `trailguard risk`'s
 * (src/risk/rank.ts); the report applies them to any window inside its period, `risk` to the
 * windows ending at its --now.
 */
export const INCIDENT_RULES = {
  riskThreshold: { windowMs: RISK_RULES.over100in24h.seconds * 1000, over: RISK_RULES.over100in24h.score },
  tacticThreshold: { windowMs: RISK_RULES.tactics3sources4in7d.seconds * 1000, minTactics: RISK_RULES.tactics3sources4in7d.tactics, minSources: RISK_RULES.tactics3sources4in7d.sources },
} as const;

/**
 * One risk event per finding and risk object, as ES's risk action writes them: the finding's time,
 * its detection's score, techniques and tactics. A finding without a risk score adds no risk.
 */
export function deriveRiskEvents(findings: readonly FindingRecord[]): RiskEvent[] {
  const out: RiskEvent[] = [];
  for (const f of findings) {
    if (f.risk_score === null) continue;
    const tactics = [...new Set(f.mitre.flatMap((m) => m.tactics))];
    const seen = new Set<string>();
    for (const o of f.risk_objects) {
      const key = objectKey(o.type, o.value);
      if (seen.has(key)) continue; // the same object named by two fields counts once
      seen.add(key);
      out.push({
        time: f.time, object: o.value, object_type: o.type, score: f.risk_score,
        detection_id: f.detection.id, detection_name: f.detection.name, mitre_ids: f.mitre.map((m) => m.id), tactics,
      });
    }
  }
  return out;
}

/** The identity of a risk object across findings and risk events. */
export function objectKey(type: string, value: string): string {
  return JSON.stringify([type, value]);
}

export interface RiskThresholdHit {
  /** The highest risk summed over a 24-hour window ending at one of the object's risk events. */
  score: number;
  windowEnd: number;
}

export interface TacticThresholdHit {
  tactics: string[];
  sources: string[];
  /** The first 7-day window (ending at a risk event) in which the rule fired. */
  windowEnd: number;
}

/** Peak 24-hour risk of one object's events (sorted by time); the rule fires when it is over 100. */
export function peakDayRisk(events: readonly { t: number; score: number }[]): RiskThresholdHit | null {
  let best: RiskThresholdHit | null = null;
  let sum = 0;
  let start = 0;
  for (let end = 0; end < events.length; end++) {
    const e = events[end]!;
    sum += e.score;
    // The window is (t - 24h, t]: events exactly 24 h earlier have left it.
    while (events[start]!.t <= e.t - INCIDENT_RULES.riskThreshold.windowMs) sum -= events[start++]!.score;
    // Later events at the same instant belong to this window too; evaluate at the last of them.
    if (end + 1 < events.length && events[end + 1]!.t === e.t) continue;
    if (best === null || sum > best.score) best = { score: sum, windowEnd: e.t };
  }
  return best;
}

/** The first 7-day window of one object's events (sorted by time) with 3+ tactics from 4+ detections. */
export function tacticThreshold(events: readonly { t: number; tactics: readonly string[]; source: string }[]): TacticThresholdHit | null {
  const rule = INCIDENT_RULES.tacticThreshold;
  const tactics = new Map<string, number>();
  const sources = new Map<string, number>();
  const add = (m: Map<string, number>, k: string, d: number) => {
    const n = (m.get(k) ?? 0) + d;
    if (n === 0) m.delete(k);
    else m.set(k, n);
  };
  let start = 0;
  for (let end = 0; end < events.length; end++) {
    const e = events[end]!;
    for (const t of e.tactics) add(tactics, t, 1);
    add(sources, e.source, 1);
    while (events[start]!.t <= e.t - rule.windowMs) {
      const old = events[start++]!;
      for (const t of old.tactics) add(tactics, t, -1);
      add(sources, old.source, -1);
    }
    if (end + 1 < events.length && events[end + 1]!.t === e.t) continue;
    if (tactics.size >= rule.minTactics && sources.size >= rule.minSources) {
      return { tactics: [...tactics.keys()].sort(), sources: [...sources.keys()].sort(), windowEnd: e.t };
    }
  }
  return null;
}
