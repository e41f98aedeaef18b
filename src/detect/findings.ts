/**
 * A detection's result rows become findings: one per row, carrying the detection's risk score,
 * ATT&CK techniques and its message with `$field$` placeholders filled from the row.
 */
import type { ContentSearch } from '../content/detections.js';
import type { Row } from '../engine/row.js';
import { displayText, toJsonValue, type Value } from '../eval/value.js';

export interface Finding {
  detection: string;
  detectionId: string;
  /** Epoch seconds of the run that raised it (the search's now()). */
  raisedAt: number;
  riskScore: number | null;
  mitreAttackIds: string[];
  message: string;
  fields: Record<string, null | string | string[]>;
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

/** The content's message, or (for content whose message is a placeholder like `tbd`) a generated one. */
function messageFor(detection: ContentSearch, row: Row): string {
  const template = detection.message?.trim();
  if (template && template.toLowerCase() !== 'tbd') return renderMessage(template, row);
  const parts = row
    .fieldNames()
    .filter((n) => !n.startsWith('_'))
    .slice(0, 4)
    .map((n) => `${n}=${displayText(row.get(n), ', ')}`);
  return `${detection.name}: ${parts.join(' ')}`;
}

export function toFindings(detection: ContentSearch, rows: readonly Row[], raisedAt: number): Finding[] {
  return rows.map((row) => {
    const fields: Finding['fields'] = {};
    for (const n of row.fieldNames()) if (!n.startsWith('_')) fields[n] = toJsonValue(row.get(n));
    return {
      detection: detection.name,
      detectionId: detection.id,
      raisedAt,
      riskScore: detection.riskScore ?? null,
      mitreAttackIds: detection.mitreAttackIds,
      message: messageFor(detection, row),
      fields,
    };
  });
}
