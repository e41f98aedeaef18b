/**
 * The findings store, in the state database beside the collections: every finding a detection
 * raised, its evidence events, and its risk events (one per risk object).
 *
 * Two identities:
 * - `id` — detection, window and row key: the same run over the same window finds the same ids,
 *   so running `detect` twice with one `--now` stores nothing new.
 * - `identity` — detection, risk objects and row key, without the window: a finding whose identity
 *   was raised by a window ending less than the suppression period earlier is not raised again
 *   (overlapping windows never report one thing twice).
 */
import type Database from 'better-sqlite3';
import { extendSchema, type StateDb } from './db.js';

/** The finding as `detect --format json` prints it (one line each). */
export interface FindingDoc {
  detection: { id: string; name: string; version: string; type: string };
  /** ISO-8601 UTC: now() of the run that raised it. */
  time: string;
  window: { earliest: string; latest: string };
  risk_score: number | null;
  risk_objects: { field: string; value: string; type: string; role: string }[];
  message: string;
  mitre: { id: string; name: string | null; tactics: string[] }[];
  stories: string[];
  fields: Record<string, string | string[] | null>;
}

export interface EvidenceEvent {
  /** ISO-8601 UTC of the event's `_time`. */
  time: string;
  /** The CloudTrail event as it was. */
  raw: unknown;
}

export interface StoredFinding {
  id: string;
  identity: string;
  doc: FindingDoc;
  /** Epoch seconds: the run's now() and window. */
  time: number;
  earliest: number;
  latest: number;
}

export interface RiskEvent {
  finding_id: string;
  time: string;
  object: string;
  object_type: string;
  score: number;
  detection_id: string;
  detection_name: string;
  mitre_ids: string[];
  tactics: string[];
}

export type FindingStatus = 'new' | 'stored' | 'suppressed';

extendSchema((db) =>
  db.exec(`
CREATE TABLE IF NOT EXISTS findings (
  id TEXT PRIMARY KEY,               -- hash of detection id, window, row key
  identity TEXT NOT NULL,            -- hash of detection id, risk objects, row key
  detection_id TEXT NOT NULL,
  detection_name TEXT NOT NULL,
  time REAL NOT NULL,                -- the run's now(), epoch seconds
  earliest REAL NOT NULL,
  latest REAL NOT NULL,
  risk_score REAL,
  doc TEXT NOT NULL                  -- the finding as detect --format json prints it
);
CREATE INDEX IF NOT EXISTS findings_by_time ON findings (time);
CREATE INDEX IF NOT EXISTS findings_by_identity ON findings (detection_id, identity, latest);
CREATE TABLE IF NOT EXISTS finding_evidence (
  finding_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  time REAL NOT NULL,
  raw TEXT NOT NULL,                 -- the CloudTrail event's JSON text, as read
  PRIMARY KEY (finding_id, seq)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS risk_events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  finding_id TEXT NOT NULL,
  time REAL NOT NULL,
  object TEXT NOT NULL,
  object_type TEXT NOT NULL,
  score REAL NOT NULL,
  detection_id TEXT NOT NULL,
  detection_name TEXT NOT NULL,
  mitre_ids TEXT NOT NULL,           -- JSON array
  tactics TEXT NOT NULL              -- JSON array
);
CREATE INDEX IF NOT EXISTS risk_events_by_time ON risk_events (time);
`),
);

const iso = (t: number) => new Date(t * 1000).toISOString();

export interface FindingQuery {
  /** Epoch seconds: findings raised at or after. */
  since?: number;
  until?: number;
  /** Detection id or name. */
  detection?: string;
  limit?: number;
}

export class FindingsStore {
  constructor(private readonly state: StateDb) {}

  /** Inside a transaction: whether the finding is new, already stored (same window), or suppressed. */
  classify(db: Database.Database, f: { id: string; identity: string; detectionId: string; latest: number }, suppressSeconds: number): FindingStatus {
    if (db.prepare('SELECT 1 FROM findings WHERE id = ?').get(f.id) !== undefined) return 'stored';
    const earlier = db
      .prepare('SELECT 1 FROM findings WHERE detection_id = ? AND identity = ? AND latest > ? AND latest <= ? LIMIT 1')
      .get(f.detectionId, f.identity, f.latest - suppressSeconds, f.latest);
    return earlier !== undefined ? 'suppressed' : 'new';
  }

  /** Inside a transaction: stores a new finding, its evidence and its risk events. */
  insert(db: Database.Database, f: StoredFinding, evidence: { time: number; raw: string }[] = []): void {
    db.prepare(
      'INSERT INTO findings (id, identity, detection_id, detection_name, time, earliest, latest, risk_score, doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ).run(f.id, f.identity, f.doc.detection.id, f.doc.detection.name, f.time, f.earliest, f.latest, f.doc.risk_score, JSON.stringify(f.doc));
    const ev = db.prepare('INSERT INTO finding_evidence (finding_id, seq, time, raw) VALUES (?, ?, ?, ?)');
    evidence.forEach((e, i) => ev.run(f.id, i, e.time, e.raw));
    const risk = db.prepare(
      'INSERT INTO risk_events (finding_id, time, object, object_type, score, detection_id, detection_name, mitre_ids, tactics) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const tactics = [...new Set(f.doc.mitre.flatMap((m) => m.tactics))];
    for (const o of f.doc.risk_objects) {
      risk.run(f.id, f.time, o.value, o.type, f.doc.risk_score ?? 0, f.doc.detection.id, f.doc.detection.name, JSON.stringify(f.doc.mitre.map((m) => m.id)), JSON.stringify(tactics));
    }
  }

  list(q: FindingQuery = {}): StoredFinding[] {
    if (!this.state.exists()) return [];
    const where: string[] = [];
    const args: unknown[] = [];
    if (q.since !== undefined) {
      where.push('time >= ?');
      args.push(q.since);
    }
    if (q.until !== undefined) {
      where.push('time < ?');
      args.push(q.until);
    }
    if (q.detection !== undefined) {
      where.push('(detection_id = ? OR lower(detection_name) = lower(?))');
      args.push(q.detection, q.detection);
    }
    const sql = `SELECT id, identity, time, earliest, latest, doc FROM findings${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY time, detection_name, rowid${q.limit !== undefined ? ` LIMIT ${Math.floor(q.limit)}` : ''}`;
    const rows = this.state.open().prepare(sql).all(...args) as { id: string; identity: string; time: number; earliest: number; latest: number; doc: string }[];
    return rows.map((r) => ({ id: r.id, identity: r.identity, time: r.time, earliest: r.earliest, latest: r.latest, doc: JSON.parse(r.doc) as FindingDoc }));
  }

  count(q: FindingQuery = {}): number {
    return this.list(q).length;
  }

  evidence(findingId: string): EvidenceEvent[] {
    if (!this.state.exists()) return [];
    const rows = this.state.open().prepare('SELECT time, raw FROM finding_evidence WHERE finding_id = ? ORDER BY seq').all(findingId) as { time: number; raw: string }[];
    return rows.map((r) => ({ time: iso(r.time), raw: safeJson(r.raw) }));
  }

  riskEvents(q: { since?: number; until?: number } = {}): RiskEvent[] {
    if (!this.state.exists()) return [];
    const rows = this.state
      .open()
      .prepare('SELECT * FROM risk_events WHERE time >= ? AND time < ? ORDER BY time, id')
      .all(q.since ?? -Infinity, q.until ?? Infinity) as Array<Record<string, unknown>>;
    return rows.map((r) => ({
      finding_id: String(r.finding_id),
      time: iso(Number(r.time)),
      object: String(r.object),
      object_type: String(r.object_type),
      score: Number(r.score),
      detection_id: String(r.detection_id),
      detection_name: String(r.detection_name),
      mitre_ids: JSON.parse(String(r.mitre_ids)) as string[],
      tactics: JSON.parse(String(r.tactics)) as string[],
    }));
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
