/**
 * The findings report's data model. A finding is the JSON object `detect --format json` prints
 * (issue 7), plus what the findings store adds: a stable `id` and the evidence events captured at
 * detect time. Risk events (issue 9) are one per finding and risk object; when a source has none,
 * the report derives them from the findings (src/report/risk.ts).
 *
 * Times are ISO-8601 UTC strings in the data, as in the JSON the user sees; the report parses
 * them once (src/report/load.ts) and keeps epoch milliseconds beside them.
 */
import type { RiskEvent as StoredRiskEvent } from '../state/findings.js';

/** A result-row value: single, multivalue, or absent. */
export type FieldValue = string | string[] | null;

export interface DetectionRef {
  id: string;
  name: string;
  /** The content's `version` (a number in security_content YAML). */
  version: number | string | null;
  /** `TTP`, `Anomaly`, `Hunting`, … */
  type: string;
}

export interface RiskObject {
  /** The result field the object was read from (`user`, `src_ip`, …). */
  field: string;
  value: string;
  /** `user`, `ip_address`, `other`, … */
  type: string;
  /** `victim`, `attacker`, … */
  role: string;
}

export interface MitreTechnique {
  /** `T1078.004` */
  id: string;
  /** `Cloud Accounts`; null when the technique is not in the ATT&CK table. */
  name: string | null;
  /** ATT&CK tactic names: `Initial Access`, `Persistence`, … */
  tactics: string[];
}

/** One CloudTrail event behind a finding, as it was read. */
export interface EvidenceEvent {
  /** The event's `_time`, ISO-8601 UTC. */
  time: string;
  /** The CloudTrail record, unchanged (a JSON object; a store may hand back text it could not parse). */
  raw: unknown;
}

/** A finding in the issue-7 JSON shape, with the store's `id` and evidence. */
export interface FindingRecord {
  /** Stable finding identity (hex). Sources without one get a content hash (src/report/load.ts). */
  id: string;
  detection: DetectionRef;
  /** When the finding was raised (the detection run's now()). */
  time: string;
  /** The time range the detection searched. */
  window: { earliest: string; latest: string } | null;
  risk_score: number | null;
  risk_objects: RiskObject[];
  message: string;
  mitre: MitreTechnique[];
  /** Analytic stories the detection belongs to. */
  stories: string[];
  /** The result row. */
  fields: Record<string, FieldValue>;
  /** Up to N (default 20) of the events that produced the finding; empty when none were captured. */
  evidence: EvidenceEvent[];
  /** How many evidence events the source had before the report's cap (>= evidence.length). */
  evidence_total?: number;
}

/** Risk attributed to one object by one finding: the store's risk event, its finding id optional (JSON-lines input may lack it). */
export type RiskEvent = Omit<StoredRiskEvent, 'finding_id'> & { finding_id?: string };

/** What the report is built from. */
export interface ReportInput {
  findings: FindingRecord[];
  /** Risk events from the source, or null to derive them from the findings' risk objects. */
  riskEvents: RiskEvent[] | null;
  /** The period asked for (--since/--until), epoch ms; an open end is taken from the data. */
  since: number | null;
  until: number | null;
  /** Where the data came from, shown in the page footer (a file name, a state directory). */
  sourceLabel: string;
}

/** Evidence events per finding the page embeds (the store keeps at most this many by default, too). */
export const DEFAULT_EVIDENCE_LIMIT = 20;
