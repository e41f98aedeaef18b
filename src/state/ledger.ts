/**
 * The run ledger: one row per (search, scheduled time) the service has run or skipped. A tick's
 * row is written in the same transaction as the tick's lookup writes and findings, so a tick is
 * either wholly done (and never runs again) or not done at all (and runs again after a restart).
 */
import type Database from 'better-sqlite3';
import { extendSchema, type StateDb } from './db.js';

extendSchema((db) =>
  db.exec(`
CREATE TABLE IF NOT EXISTS ledger (
  search_id TEXT NOT NULL,
  scheduled REAL NOT NULL,           -- the tick's scheduled time = the run's now(), epoch seconds
  search_name TEXT NOT NULL,
  status TEXT NOT NULL,              -- 'done' | 'skipped' (catch-up limit)
  earliest REAL,
  latest REAL,
  rows INTEGER,
  findings INTEGER,
  finished REAL NOT NULL,            -- wall clock when it was recorded
  PRIMARY KEY (search_id, scheduled)
) WITHOUT ROWID;
`),
);

export interface LedgerEntry {
  searchId: string;
  scheduled: number;
  searchName: string;
  status: 'done' | 'skipped';
  earliest?: number;
  latest?: number;
  rows?: number;
  findings?: number;
  finished: number;
}

export class Ledger {
  constructor(private readonly state: StateDb) {}

  /** Inside a transaction: records a tick. */
  record(db: Database.Database, e: LedgerEntry): void {
    db.prepare(
      'INSERT INTO ledger (search_id, scheduled, search_name, status, earliest, latest, rows, findings, finished) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ).run(e.searchId, e.scheduled, e.searchName, e.status, e.earliest ?? null, e.latest ?? null, e.rows ?? null, e.findings ?? null, e.finished);
  }

  has(searchId: string, scheduled: number): boolean {
    return this.state.open().prepare('SELECT 1 FROM ledger WHERE search_id = ? AND scheduled = ?').get(searchId, scheduled) !== undefined;
  }

  /** The latest scheduled time recorded for the search (done or skipped), or undefined. */
  last(searchId: string): number | undefined {
    const r = this.state.open().prepare('SELECT MAX(scheduled) AS t FROM ledger WHERE search_id = ?').get(searchId) as { t: number | null };
    return r.t ?? undefined;
  }

  /** Whether the search ever ran (for `run: once` baselines). */
  everRan(searchId: string): boolean {
    return this.state.open().prepare("SELECT 1 FROM ledger WHERE search_id = ? AND status = 'done' LIMIT 1").get(searchId) !== undefined;
  }

  entries(): LedgerEntry[] {
    if (!this.state.exists()) return [];
    const rows = this.state.open().prepare('SELECT * FROM ledger ORDER BY scheduled, search_id').all() as Array<Record<string, unknown>>;
    return rows.map((r) => ({
      searchId: String(r.search_id),
      scheduled: Number(r.scheduled),
      searchName: String(r.search_name),
      status: r.status as LedgerEntry['status'],
      earliest: r.earliest === null ? undefined : Number(r.earliest),
      latest: r.latest === null ? undefined : Number(r.latest),
      rows: r.rows === null ? undefined : Number(r.rows),
      findings: r.findings === null ? undefined : Number(r.findings),
      finished: Number(r.finished),
    }));
  }
}
