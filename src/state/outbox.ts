/**
 * The outbox: findings waiting to be delivered to each configured output (a JSON-lines file, a
 * webhook, …). A finding's outbox rows are written in the transaction that stores the finding, so
 * a committed finding always reaches every output, across crashes and restarts; a row is marked
 * delivered only after its output confirmed it (at-least-once, with the finding's stable id).
 */
import type Database from 'better-sqlite3';
import { extendSchema, type StateDb } from './db.js';
import type { FindingDoc } from './findings.js';

extendSchema((db) =>
  db.exec(`
CREATE TABLE IF NOT EXISTS outbox (
  output TEXT NOT NULL,              -- the output's stable key (type and target)
  finding_id TEXT NOT NULL,
  created REAL NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt REAL NOT NULL,        -- epoch seconds: not before
  status TEXT NOT NULL,              -- 'pending' | 'delivered' | 'dead'
  last_error TEXT,
  PRIMARY KEY (output, finding_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS outbox_pending ON outbox (output, status, next_attempt);
`),
);

export interface OutboxItem {
  output: string;
  findingId: string;
  attempts: number;
  doc: FindingDoc;
}

export class Outbox {
  constructor(private readonly state: StateDb) {}

  /** Inside the transaction that stores the findings. */
  enqueue(db: Database.Database, outputs: readonly string[], findingIds: readonly string[], now = Date.now() / 1000): void {
    const ins = db.prepare("INSERT OR IGNORE INTO outbox (output, finding_id, created, next_attempt, status) VALUES (?, ?, ?, ?, 'pending')");
    for (const o of outputs) for (const id of findingIds) ins.run(o, id, now, now);
  }

  /** Pending items of an output that are due, oldest first. */
  due(output: string, now = Date.now() / 1000, limit = 1000): OutboxItem[] {
    const rows = this.state
      .open()
      .prepare(
        "SELECT o.output, o.finding_id, o.attempts, f.doc FROM outbox o JOIN findings f ON f.id = o.finding_id WHERE o.output = ? AND o.status = 'pending' AND o.next_attempt <= ? ORDER BY o.created, f.time, o.finding_id LIMIT ?",
      )
      .all(output, now, limit) as { output: string; finding_id: string; attempts: number; doc: string }[];
    return rows.map((r) => ({ output: r.output, findingId: r.finding_id, attempts: r.attempts, doc: JSON.parse(r.doc) as FindingDoc }));
  }

  pendingCount(output?: string): number {
    if (!this.state.exists()) return 0;
    const r = (output === undefined
      ? this.state.open().prepare("SELECT count(*) AS n FROM outbox WHERE status = 'pending'").get()
      : this.state.open().prepare("SELECT count(*) AS n FROM outbox WHERE status = 'pending' AND output = ?").get(output)) as { n: number };
    return r.n;
  }

  delivered(output: string, findingIds: readonly string[]): void {
    const db = this.state.open();
    const upd = db.prepare("UPDATE outbox SET status = 'delivered', attempts = attempts + 1, last_error = NULL WHERE output = ? AND finding_id = ?");
    db.transaction(() => {
      for (const id of findingIds) upd.run(output, id);
    })();
  }

  /** A failed attempt: retry after `retryAt`, or give up (`dead`) when `dead` is true. */
  failed(output: string, findingId: string, error: string, retryAt: number, dead: boolean): void {
    this.state
      .open()
      .prepare('UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt = ?, status = ? WHERE output = ? AND finding_id = ?')
      .run(error, retryAt, dead ? 'dead' : 'pending', output, findingId);
  }

  statuses(output: string): { findingId: string; status: string; attempts: number }[] {
    return (this.state.open().prepare('SELECT finding_id, status, attempts FROM outbox WHERE output = ? ORDER BY created, finding_id').all(output) as { finding_id: string; status: string; attempts: number }[]).map(
      (r) => ({ findingId: r.finding_id, status: r.status, attempts: r.attempts }),
    );
  }
}
