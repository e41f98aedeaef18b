/**
 * Expected report numbers computed the plain way, independently of src/report: counting over the
 * findings and, for the incident rules, trying every window by brute force.
 */
import type { FindingRecord } from '../../src/report/model.js';

const HOUR = 3_600_000;

export interface ExpectedIdentity {
  type: string;
  value: string;
  findingIds: string[];
  score: number;
  highRisk: boolean;
}

/** Identities named by the findings' risk objects, with their risk and whether an incident rule fires. */
export function expectedIdentities(findings: readonly FindingRecord[]): ExpectedIdentity[] {
  const byKey = new Map<string, { type: string; value: string; findings: FindingRecord[] }>();
  for (const f of findings) {
    for (const o of f.risk_objects) {
      const key = `${o.type}\u0000${o.value}`;
      const entry = byKey.get(key) ?? { type: o.type, value: o.value, findings: [] };
      if (!entry.findings.includes(f)) entry.findings.push(f);
      byKey.set(key, entry);
    }
  }
  return [...byKey.values()].map(({ type, value, findings: fs }) => {
    const scored = fs.filter((f) => f.risk_score !== null);
    const times = scored.map((f) => Date.parse(f.time));
    // Risk threshold: some 24-hour window (end - 24h, end] sums to more than 100.
    const over100 = times.some((end) => scored.filter((f) => Date.parse(f.time) > end - 24 * HOUR && Date.parse(f.time) <= end).reduce((a, f) => a + f.risk_score!, 0) > 100);
    // Tactic threshold: some 7-day window has 3+ tactics from 4+ detections.
    const tactics7d = times.some((end) => {
      const inWindow = scored.filter((f) => Date.parse(f.time) > end - 7 * 24 * HOUR && Date.parse(f.time) <= end);
      const tactics = new Set(inWindow.flatMap((f) => f.mitre.flatMap((m) => m.tactics)));
      const detections = new Set(inWindow.map((f) => f.detection.name));
      return tactics.size >= 3 && detections.size >= 4;
    });
    return { type, value, findingIds: fs.map((f) => f.id), score: scored.reduce((a, f) => a + f.risk_score!, 0), highRisk: over100 || tactics7d };
  });
}

export function expectedTotals(findings: readonly FindingRecord[]) {
  const identities = expectedIdentities(findings);
  return {
    findings: findings.length,
    detections: new Set(findings.map((f) => f.detection.id)).size,
    identities: identities.length,
    highRisk: identities.filter((i) => i.highRisk).length,
  };
}

/** Findings per UTC hour, keyed by the hour's start (epoch ms). */
export function findingsPerHour(findings: readonly FindingRecord[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const f of findings) {
    const hour = Math.floor(Date.parse(f.time) / HOUR) * HOUR;
    out.set(hour, (out.get(hour) ?? 0) + 1);
  }
  return out;
}
