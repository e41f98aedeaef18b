/**
 * What the report page shows above the findings table, computed once when the report is built:
 * the period, the totals, the timeline's buckets, and risk per identity with the incident rules.
 * The page itself only draws these; the findings table filters the findings in the browser.
 */
import type { FindingRecord, ReportInput, RiskEvent } from './model.js';
import { deriveRiskEvents, objectKey, peakDayRisk, tacticThreshold, INCIDENT_RULES } from './risk.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Bucket sizes the timeline may use, finest first; the first that gives at most MAX_BUCKETS wins. */
const BUCKETS = [
  { unit: 'hour', ms: HOUR },
  { unit: 'day', ms: DAY },
  { unit: 'week', ms: 7 * DAY },
] as const;
const MAX_BUCKETS = 1500;
/**
 * Detections drawn as their own stack in the timeline when there are more than TIMELINE_STACKS + 1;
 * the rest share one "other" stack. At most 8 stacks: the page's colour-blind-safe palette.
 */
export const TIMELINE_STACKS = 7;

export interface TimelineSeries {
  /** Detection names in this stack (one, or several for the "other" stack). */
  detections: string[];
  label: string;
  counts: number[];
  total: number;
}

export interface Timeline {
  unit: 'hour' | 'day' | 'week';
  bucketMs: number;
  /** Start of the first bucket, epoch ms (UTC-aligned). */
  start: number;
  buckets: number;
  series: TimelineSeries[];
}

export interface IdentityRisk {
  key: string;
  object: string;
  type: string;
  score: number;
  riskEvents: number;
  /** Findings in the period that name this object among their risk objects. */
  findings: number;
  detections: string[];
  tactics: string[];
  techniques: string[];
  first: string;
  last: string;
  /** Highest risk summed over 24 hours, and when that window ended. */
  peakDay: { score: number; windowEnd: string } | null;
  /** Incident rule: more than 100 risk within 24 hours. */
  riskIncident: boolean;
  /** Incident rule: 3+ tactics from 4+ detections within 7 days (the first such window). */
  tacticIncident: { tactics: string[]; sources: string[]; windowEnd: string } | null;
}

export interface ReportSummary {
  period: { start: string; end: string } | null;
  totals: { findings: number; detections: number; identities: number; highRiskIdentities: number; riskEvents: number };
  timeline: Timeline | null;
  identities: IdentityRisk[];
  riskEventsDerived: boolean;
  rules: typeof INCIDENT_RULES;
}

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

function periodOf(input: ReportInput, risk: readonly RiskEvent[]): { start: number; end: number } | null {
  let min = Infinity;
  let max = -Infinity;
  for (const time of [...input.findings.map((f) => f.time), ...risk.map((r) => r.time)]) {
    const t = Date.parse(time);
    if (t < min) min = t;
    if (t > max) max = t;
  }
  const start = input.since ?? (min === Infinity ? null : min);
  const end = input.until ?? (max === -Infinity ? null : max);
  if (start === null || end === null) return null;
  return { start, end: Math.max(start, end) };
}

export function buildTimeline(findings: readonly FindingRecord[], period: { start: number; end: number }, exclusiveEnd: boolean): Timeline {
  // An --until bound is exclusive: a period ending at 12:00 has its last bucket at 11:00.
  const last = exclusiveEnd && period.end > period.start ? period.end - 1 : period.end;
  const bucket = BUCKETS.find((b) => Math.floor(last / b.ms) - Math.floor(period.start / b.ms) + 1 <= MAX_BUCKETS) ?? BUCKETS[BUCKETS.length - 1]!;
  const start = Math.floor(period.start / bucket.ms) * bucket.ms;
  const buckets = Math.floor((last - start) / bucket.ms) + 1;
  const byDetection = new Map<string, number[]>();
  for (const f of findings) {
    let counts = byDetection.get(f.detection.name);
    if (!counts) byDetection.set(f.detection.name, (counts = new Array<number>(buckets).fill(0)));
    const i = Math.floor((Date.parse(f.time) - start) / bucket.ms);
    if (i >= 0 && i < buckets) counts[i]!++;
  }
  const ranked = [...byDetection.entries()]
    .map(([name, counts]) => ({ name, counts, total: counts.reduce((a, b) => a + b, 0) }))
    .sort((a, b) => b.total - a.total || a.name.localeCompare(b.name));
  const own = ranked.length <= TIMELINE_STACKS + 1 ? ranked : ranked.slice(0, TIMELINE_STACKS);
  const series: TimelineSeries[] = own.map((r) => ({ detections: [r.name], label: r.name, counts: r.counts, total: r.total }));
  const rest = ranked.slice(own.length);
  if (rest.length > 0) {
    const counts = new Array<number>(buckets).fill(0);
    for (const r of rest) r.counts.forEach((n, i) => (counts[i]! += n));
    series.push({ detections: rest.map((r) => r.name), label: `${rest.length} other detections`, counts, total: counts.reduce((a, b) => a + b, 0) });
  }
  return { unit: bucket.unit, bucketMs: bucket.ms, start, buckets, series };
}

/**
 * Every object named as a risk object by a finding or a risk event, ranked by summed risk. An
 * object only named by findings without a risk score is listed with risk 0.
 */
export function rankIdentities(findings: readonly FindingRecord[], risk: readonly RiskEvent[]): IdentityRisk[] {
  interface Group { object: string; type: string; events: { e: RiskEvent; t: number }[]; findings: number; first: number; last: number }
  const groups = new Map<string, Group>();
  const group = (type: string, object: string, t: number): Group => {
    const key = objectKey(type, object);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { object, type, events: [], findings: 0, first: t, last: t }));
    g.first = Math.min(g.first, t);
    g.last = Math.max(g.last, t);
    return g;
  };
  for (const f of findings) {
    const t = Date.parse(f.time);
    const named = new Map(f.risk_objects.map((o) => [objectKey(o.type, o.value), o]));
    for (const o of named.values()) group(o.type, o.value, t).findings++;
  }
  for (const e of risk) {
    const t = Date.parse(e.time);
    group(e.object_type, e.object, t).events.push({ e, t });
  }
  const out: IdentityRisk[] = [];
  for (const [key, g] of groups) {
    const timed = g.events.sort((a, b) => a.t - b.t);
    const peak = peakDayRisk(timed.map(({ t, e }) => ({ t, score: e.score })));
    const tactic = tacticThreshold(timed.map(({ t, e }) => ({ t, tactics: e.tactics, source: e.detection_name })));
    out.push({
      key,
      object: g.object,
      type: g.type,
      score: timed.reduce((a, { e }) => a + e.score, 0),
      riskEvents: timed.length,
      findings: g.findings,
      detections: [...new Set(timed.map(({ e }) => e.detection_name))].sort(),
      tactics: [...new Set(timed.flatMap(({ e }) => e.tactics))].sort(),
      techniques: [...new Set(timed.flatMap(({ e }) => e.mitre_ids))].sort(),
      first: iso(g.first),
      last: iso(g.last),
      peakDay: peak && { score: peak.score, windowEnd: iso(peak.windowEnd) },
      riskIncident: peak !== null && peak.score > INCIDENT_RULES.riskThreshold.over,
      tacticIncident: tactic && { tactics: tactic.tactics, sources: tactic.sources, windowEnd: iso(tactic.windowEnd) },
    });
  }
  return out.sort((a, b) => b.score - a.score || a.object.localeCompare(b.object) || a.type.localeCompare(b.type));
}

export function summarise(input: ReportInput): ReportSummary {
  const derived = input.riskEvents === null;
  const risk = input.riskEvents ?? deriveRiskEvents(input.findings);
  const period = periodOf(input, risk);
  const identities = rankIdentities(input.findings, risk);
  return {
    period: period && { start: iso(period.start), end: iso(period.end) },
    totals: {
      findings: input.findings.length,
      detections: new Set(input.findings.map((f) => f.detection.id)).size,
      identities: identities.length,
      highRiskIdentities: identities.filter((i) => i.riskIncident || i.tacticIncident !== null).length,
      riskEvents: risk.length,
    },
    timeline: period && input.findings.length > 0 ? buildTimeline(input.findings, period, input.until !== null) : null,
    identities,
    riskEventsDerived: derived,
    rules: INCIDENT_RULES,
  };
}
