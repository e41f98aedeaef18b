/**
 * A detection's result rows become findings: one per row, with the detection's risk score, its
 * risk objects taken from the row, ATT&CK techniques with names and tactics, its stories, and its
 * message with `$field$` placeholders filled from the row.
 */
import { createHash } from 'node:crypto';
import type { ContentSearch } from '../content/model.js';
import { findingTechniques } from '../content/mitre.js';
import type { Row } from '../engine/row.js';
import { displayText, toJsonValue, toText, valuesOf, type Value } from '../eval/value.js';
import type { FindingDoc, StoredFinding } from '../state/findings.js';

/** ISO-8601 UTC, without milliseconds when there are none. */
export function isoTime(epochSeconds: number): string {
  const s = new Date(epochSeconds * 1000).toISOString();
  return s.endsWith('.000Z') ? `${s.slice(0, -5)}Z` : s;
}

/**
 * Fills `$name$` from the row. A placeholder whose field is absent renders as `unknown`, so a
 * message never shows raw `$user$` text; multivalues are joined with ", ".
 */
export function renderMessage(template: string, row: Row): string {
  return template.replace(/\$([A-Za-z0-9_.{}-]+)\$/g, (_m, name: string) => {
    const v: Value = row.get(name);
    return v === null ? 'unknown' : displayText(v, ', ');
  });
}

/** The content's message, or (for content whose message is a placeholder like `tbd`) one built from the row. */
function messageFor(detection: ContentSearch, row: Row, keyFields: readonly string[] | null): string {
  const template = detection.message?.trim();
  if (template && template.toLowerCase() !== 'tbd') return renderMessage(template, row);
  const names = keyFields ?? row.fieldNames().filter((n) => !n.startsWith('_'));
  const parts = names.slice(0, 4).map((n) => `${n}=${displayText(row.get(n), ', ')}`);
  return `${detection.name}: ${parts.join(' ')}`;
}

/** `tags.risk_score`, else confidence × impact / 100, else the highest per-object score. */
export function riskScoreOf(d: ContentSearch): number | null {
  if (d.riskScore !== undefined) return d.riskScore;
  if (d.confidence !== undefined && d.impact !== undefined) return Math.round((d.confidence * d.impact) / 100);
  const scores = d.riskObjects.map((o) => o.score).filter((s): s is number => s !== undefined);
  return scores.length > 0 ? Math.max(...scores) : null;
}

export function mitreOf(d: ContentSearch): FindingDoc['mitre'] {
  return findingTechniques(d.mitreAttackIds);
}

const hash = (parts: unknown): string => createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32);

/** The row's identifying values: its key fields' values, or every visible field when it has no key. */
function rowKey(row: Row, keyFields: readonly string[] | null): [string, string[]][] {
  const names = keyFields ?? row.fieldNames().filter((n) => !n.startsWith('_')).sort();
  return names.map((n) => [n, valuesOf(row.get(n)).map(toText)]);
}

export interface FindingRun {
  /** now() and window of the run, epoch seconds. */
  now: number;
  earliest: number;
  latest: number;
}

/** A finding with the events behind it (the first events of its row's group, at most the detection's limit). */
export type BuiltFinding = StoredFinding & { evidence: { time: number; raw: string }[] };

/** One finding per row (rows with the same key in one run are one finding). */
export function buildFindings(detection: ContentSearch, rows: readonly Row[], run: FindingRun, keyFields: readonly string[] | null): BuiltFinding[] {
  const out = new Map<string, BuiltFinding>();
  const score = riskScoreOf(detection);
  const mitre = mitreOf(detection);
  for (const row of rows) {
    const riskObjects: FindingDoc['risk_objects'] = [];
    for (const spec of detection.riskObjects) {
      for (const v of valuesOf(row.get(spec.field))) riskObjects.push({ field: spec.field, value: toText(v), type: spec.type, role: spec.role });
    }
    const fields: FindingDoc['fields'] = {};
    for (const n of row.fieldNames()) if (!n.startsWith('_') || n === '_time') fields[n] = toJsonValue(row.get(n)) as string | string[] | null;
    const key = rowKey(row, keyFields);
    const id = hash([detection.id, run.earliest, run.latest, key]);
    const evidence = (row.provenance?.evidence ?? []).slice(0, detection.evidenceLimit);
    const seen = out.get(id);
    if (seen) {
      for (const e of evidence) if (seen.evidence.length < detection.evidenceLimit && !seen.evidence.some((x) => x.raw === e.raw)) seen.evidence.push(e);
      continue;
    }
    const identity = hash([detection.id, riskObjects.map((o) => `${o.field}=${o.value}`).sort(), key]);
    out.set(id, {
      id,
      identity,
      time: run.now,
      earliest: run.earliest,
      latest: run.latest,
      evidence,
      doc: {
        detection: { id: detection.id, name: detection.name, version: detection.version, type: detection.type },
        time: isoTime(run.now),
        window: { earliest: isoTime(run.earliest), latest: isoTime(run.latest) },
        risk_score: score,
        risk_objects: riskObjects,
        message: messageFor(detection, row, keyFields),
        mitre,
        stories: detection.analyticStories,
        fields,
      },
    });
  }
  return [...out.values()];
}
