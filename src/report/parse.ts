/**
 * Reads one finding (issue-7 JSON shape, optional `id`/`evidence`) or one risk event (issue 9)
 * from parsed JSON, checking each member's type. Errors name the member path
 * (`risk_objects[1].value`); the caller adds the file and line.
 */
import { createHash } from 'node:crypto';
import type { EvidenceEvent, FieldValue, FindingRecord, MitreTechnique, RiskEvent, RiskObject } from './model.js';

/** A bad member: `path` is where in the object, `reason` what is wrong with it. */
export class ShapeError extends Error {
  constructor(readonly path: string, readonly reason: string) {
    super(`${path}: ${reason}`);
  }
}

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function obj(v: unknown, path: string): Obj {
  if (!isObj(v)) throw new ShapeError(path, `must be an object, got ${describe(v)}`);
  return v;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'string' ? `"${v.length > 40 ? v.slice(0, 40) + '…' : v}"` : typeof v;
}

function str(o: Obj, key: string, path: string): string {
  const v = o[key];
  if (typeof v !== 'string') throw new ShapeError(`${path}${key}`, `must be a string, got ${describe(v)}`);
  return v;
}

function optStr(o: Obj, key: string, path: string, fallback: string): string {
  return o[key] === undefined || o[key] === null ? fallback : str(o, key, path);
}

function strList(o: Obj, key: string, path: string): string[] {
  const v = o[key];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new ShapeError(`${path}${key}`, `must be a list of strings, got ${describe(v)}`);
  return v.map((s, i) => {
    if (typeof s !== 'string') throw new ShapeError(`${path}${key}[${i}]`, `must be a string, got ${describe(s)}`);
    return s;
  });
}

function list(o: Obj, key: string, path: string): unknown[] {
  const v = o[key];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new ShapeError(`${path}${key}`, `must be a list, got ${describe(v)}`);
  return v;
}

/** An ISO-8601 time with a zone (`Z` or an offset); returns it unchanged after checking it parses. */
function isoTime(o: Obj, key: string, path: string): string {
  const s = str(o, key, path);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i.test(s) || Number.isNaN(Date.parse(s))) {
    throw new ShapeError(`${path}${key}`, `must be an ISO-8601 time with a zone (2026-11-20T11:00:00Z), got ${describe(s)}`);
  }
  return s;
}

function riskScore(o: Obj, path: string): number | null {
  const v = o.risk_score;
  if (v === undefined || v === null) return null;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ShapeError(`${path}risk_score`, `must be a number or null, got ${describe(v)}`);
  return v;
}

function fieldValue(v: unknown, path: string): FieldValue {
  if (v === null || typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) {
    return v.map((x, i) => {
      if (typeof x === 'string') return x;
      if (typeof x === 'number' || typeof x === 'boolean') return String(x);
      throw new ShapeError(`${path}[${i}]`, `must be a string, got ${describe(x)}`);
    });
  }
  throw new ShapeError(path, `must be a string, a list of strings or null, got ${describe(v)}`);
}

function riskObject(v: unknown, path: string): RiskObject {
  const o = obj(v, path);
  const p = `${path}.`;
  return { field: optStr(o, 'field', p, ''), value: str(o, 'value', p), type: optStr(o, 'type', p, 'other'), role: optStr(o, 'role', p, '') };
}

function technique(v: unknown, path: string): MitreTechnique {
  const o = obj(v, path);
  const p = `${path}.`;
  // A technique missing from the ATT&CK table has no name (null), as the findings store keeps it.
  return { id: str(o, 'id', p), name: o.name === undefined || o.name === null ? null : str(o, 'name', p), tactics: strList(o, 'tactics', p) };
}

function evidenceEvent(v: unknown, path: string): EvidenceEvent {
  const o = obj(v, path);
  return { time: isoTime(o, 'time', `${path}.`), raw: obj(o.raw, `${path}.raw`) };
}

/**
 * A stable id for a finding that came without one: the same detection, time and result row give
 * the same id, so a re-generated report keeps its links.
 */
export function findingIdOf(detectionId: string, time: string, fields: Record<string, FieldValue>): string {
  return createHash('sha256').update(JSON.stringify([detectionId, time, fields])).digest('hex').slice(0, 16);
}

export function parseFinding(value: unknown): FindingRecord {
  const o = obj(value, 'finding');
  const d = obj(o.detection, 'detection');
  const version = d.version;
  if (version !== undefined && version !== null && typeof version !== 'number' && typeof version !== 'string') {
    throw new ShapeError('detection.version', `must be a number or a string, got ${describe(version)}`);
  }
  const detection = {
    id: str(d, 'id', 'detection.'),
    name: str(d, 'name', 'detection.'),
    version: version ?? null,
    type: optStr(d, 'type', 'detection.', ''),
  };
  const time = isoTime(o, 'time', '');
  const w = o.window;
  const window = w === undefined || w === null ? null : (() => {
    const wo = obj(w, 'window');
    return { earliest: isoTime(wo, 'earliest', 'window.'), latest: isoTime(wo, 'latest', 'window.') };
  })();
  const fieldsObj = o.fields === undefined || o.fields === null ? {} : obj(o.fields, 'fields');
  const fields: Record<string, FieldValue> = {};
  for (const [k, v] of Object.entries(fieldsObj)) fields[k] = fieldValue(v, `fields.${k}`);
  const id = o.id === undefined || o.id === null ? findingIdOf(detection.id, time, fields) : str(o, 'id', '');
  const evidence = list(o, 'evidence', '').map((e, i) => evidenceEvent(e, `evidence[${i}]`));
  return {
    id,
    detection,
    time,
    window,
    risk_score: riskScore(o, ''),
    risk_objects: list(o, 'risk_objects', '').map((r, i) => riskObject(r, `risk_objects[${i}]`)),
    message: optStr(o, 'message', '', ''),
    mitre: list(o, 'mitre', '').map((m, i) => technique(m, `mitre[${i}]`)),
    stories: strList(o, 'stories', ''),
    fields,
    evidence,
    evidence_total: typeof o.evidence_total === 'number' ? o.evidence_total : evidence.length,
  };
}

export function parseRiskEvent(value: unknown): RiskEvent {
  const o = obj(value, 'risk event');
  const score = o.score;
  if (typeof score !== 'number' || !Number.isFinite(score)) throw new ShapeError('score', `must be a number, got ${describe(score)}`);
  return {
    time: isoTime(o, 'time', ''),
    object: str(o, 'object', ''),
    object_type: optStr(o, 'object_type', '', 'other'),
    score,
    detection_id: str(o, 'detection_id', ''),
    detection_name: optStr(o, 'detection_name', '', str(o, 'detection_id', '')),
    mitre_ids: strList(o, 'mitre_ids', ''),
    tactics: strList(o, 'tactics', ''),
  };
}
