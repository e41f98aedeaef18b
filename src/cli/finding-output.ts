/**
 * Findings as `detect`, `findings` and `run` print them: JSON lines (the stored finding document,
 * exactly), CSV, or a table for people.
 */
import { csvStringify } from '../util/lazy-require.js';
import pc from 'picocolors';
import type { FindingDoc, FindingStatus, StoredFinding } from '../state/findings.js';

export type FindingFormat = 'table' | 'json' | 'csv';
export const FINDING_FORMATS: readonly FindingFormat[] = ['table', 'json', 'csv'];

export function findingJson(f: FindingDoc, extra?: Record<string, unknown>): string {
  return JSON.stringify(extra ? { ...f, ...extra } : f) + '\n';
}

const CSV_COLUMNS = ['time', 'detection_id', 'detection', 'window_earliest', 'window_latest', 'risk_score', 'risk_objects', 'mitre', 'message', 'stories', 'fields'];

export function findingsCsv(list: readonly FindingDoc[], header = true): string {
  const rows = list.map((f) => [
    f.time,
    f.detection.id,
    f.detection.name,
    f.window.earliest,
    f.window.latest,
    f.risk_score === null ? '' : String(f.risk_score),
    f.risk_objects.map((o) => `${o.type}:${o.value}`).join('\n'),
    f.mitre.map((m) => m.id).join('\n'),
    f.message,
    f.stories.join('\n'),
    JSON.stringify(f.fields),
  ]);
  return csvStringify().stringify(header ? [CSV_COLUMNS, ...rows] : rows);
}

const STATUS_TEXT: Record<FindingStatus, string> = { new: 'new', stored: 'already stored', suppressed: 'suppressed' };

/** One finding as a few indented lines: risk, objects, ATT&CK, message. */
export function findingText(f: FindingDoc, colour: boolean, status?: FindingStatus): string {
  const bold = (s: string) => (colour ? pc.bold(s) : s);
  const dim = (s: string) => (colour ? pc.dim(s) : s);
  const objects = f.risk_objects.map((o) => `${o.type} ${o.value}${o.role && o.role !== 'other' ? ` (${o.role})` : ''}`).join(', ') || 'no risk object';
  const attack = f.mitre.map((m) => `${m.id}${m.name ? ` ${m.name}` : ''}${m.tactics.length ? ` [${m.tactics.join(', ')}]` : ''}`).join('; ') || 'no ATT&CK technique';
  const tag = status && status !== 'new' ? dim(` (${STATUS_TEXT[status]})`) : '';
  return `  ${bold(`risk ${f.risk_score ?? '-'}`)}  ${objects}${tag}\n    ${f.message}\n    ${dim(`ATT&CK: ${attack}`)}\n`;
}

export function storedLabel(s: StoredFinding): string {
  return `${s.doc.time} ${s.doc.detection.name}`;
}
