/**
 * The state database `<stateDir>/state.sqlite` (better-sqlite3, WAL): key-value collections
 * (one rows table keyed by collection; each row's fields as JSON text so multivalues survive),
 * run history and findings dedup for the scheduler. Every replace/append is one transaction,
 * so readers and a crash see the old rows or the new ones, never a mix.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { LookupRow, LookupTable } from './table.js';
import { writeFileAtomic } from './csv.js';
import { faultPoint } from './faults.js';

/** Schema parts owned by other state modules (findings, ledger, models), applied at open. */
const SCHEMA_EXTENSIONS: Array<(db: Database.Database) => void> = [];

/** Registers a schema part; it must be idempotent (CREATE … IF NOT EXISTS). */
export function extendSchema(extend: (db: Database.Database) => void): void {
  SCHEMA_EXTENSIONS.push(extend);
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS collections (
  name TEXT PRIMARY KEY,
  columns TEXT NOT NULL              -- JSON array: column order of the last write
);
CREATE TABLE IF NOT EXISTS collection_rows (
  collection TEXT NOT NULL,
  seq INTEGER NOT NULL,              -- insertion order
  data TEXT NOT NULL,                -- JSON object: field -> string | string[]
  PRIMARY KEY (collection, seq)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS runs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL,                -- detection or baseline name
  started REAL NOT NULL,             -- epoch seconds
  finished REAL,
  earliest REAL,                     -- the run's search window
  latest REAL,
  status TEXT NOT NULL,              -- 'ok' | 'error' | …
  rows INTEGER,
  message TEXT
);
CREATE INDEX IF NOT EXISTS runs_by_name ON runs (name, started);
-- CSV lookup writes committed with a run but not yet on disk (see rollForward).
CREATE TABLE IF NOT EXISTS pending_files (
  path TEXT PRIMARY KEY,
  content TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS findings_seen (
  name TEXT NOT NULL,
  key TEXT NOT NULL,                 -- a finding's dedup key
  first_seen REAL NOT NULL,
  PRIMARY KEY (name, key)
) WITHOUT ROWID;
`;

export interface RunRecord {
  id?: number;
  name: string;
  started: number;
  finished?: number | null;
  earliest?: number | null;
  latest?: number | null;
  status: string;
  rows?: number | null;
  message?: string | null;
}

export class StateDb {
  private db: Database.Database | null = null;
  readonly file: string;

  constructor(readonly stateDir: string) {
    this.file = join(stateDir, 'state.sqlite');
  }

  /** True when the database file exists (reads of a never-written state need not create it). */
  exists(): boolean {
    return this.db !== null || existsSync(this.file);
  }

  /** Opens (creating the state dir and schema if needed). */
  open(): Database.Database {
    if (this.db !== null) return this.db;
    mkdirSync(this.stateDir, { recursive: true });
    const db = new Database(this.file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 10000');
    db.exec(SCHEMA);
    for (const extend of SCHEMA_EXTENSIONS) extend(db);
    this.db = db;
    this.rollForward();
    return db;
  }

  /**
   * Runs `fn` in one immediate transaction: everything it writes commits together or not at all.
   * CSV files staged with `stageFile` inside it reach the disk after the commit (rollForward).
   */
  transaction<T>(fn: (db: Database.Database) => T): T {
    const db = this.open();
    const result = db.transaction(() => fn(db)).immediate();
    faultPoint('after-commit');
    this.rollForward();
    return result;
  }

  /** Inside `transaction`: the file's new content, written to disk once the transaction commits. */
  stageFile(db: Database.Database, path: string, content: string): void {
    db.prepare('INSERT INTO pending_files (path, content) VALUES (?, ?) ON CONFLICT(path) DO UPDATE SET content = excluded.content').run(path, content);
  }

  /**
   * Writes committed-but-pending files (atomically, temp + rename) and clears them from the
   * journal. A crash between a commit and here leaves them in the journal; the next open finishes
   * the job, so a reader never sees a lookup older than the committed run that wrote it.
   */
  rollForward(): void {
    const db = this.db;
    if (db === null) return;
    const pending = db.prepare('SELECT path, content FROM pending_files').all() as { path: string; content: string }[];
    for (const p of pending) {
      writeFileAtomic(p.path, p.content);
      db.prepare('DELETE FROM pending_files WHERE path = ? AND content = ?').run(p.path, p.content);
    }
  }

  close(): void {
    this.db?.close();
    this.db = null;
  }

  // ---- collections ------------------------------------------------------------------------

  /** Stored rows in insertion order, or null when the collection was never written. */
  readCollection(name: string): LookupTable | null {
    if (!this.exists()) return null;
    const db = this.open();
    const meta = db.prepare('SELECT columns FROM collections WHERE name = ?').get(name) as
      | { columns: string }
      | undefined;
    if (meta === undefined) return null;
    const rows = (
      db.prepare('SELECT data FROM collection_rows WHERE collection = ? ORDER BY seq').all(name) as Array<{
        data: string;
      }>
    ).map((r) => JSON.parse(r.data) as LookupRow);
    return { columns: JSON.parse(meta.columns) as string[], rows };
  }

  /** Replaces (or appends to) a collection in one transaction. */
  writeCollection(name: string, table: LookupTable, append: boolean): void {
    const db = this.open();
    db.transaction(() => this.writeCollectionIn(db, name, table, append)).immediate();
  }

  /** The body of writeCollection, inside a transaction the caller holds. */
  writeCollectionIn(db: Database.Database, name: string, table: LookupTable, append: boolean): void {
    const insert = db.prepare('INSERT INTO collection_rows (collection, seq, data) VALUES (?, ?, ?)');
    const tx = db.transaction(() => {
      let columns = table.columns;
      let seq = 0;
      if (append) {
        const meta = db.prepare('SELECT columns FROM collections WHERE name = ?').get(name) as
          | { columns: string }
          | undefined;
        if (meta) {
          const old = JSON.parse(meta.columns) as string[];
          columns = [...old, ...table.columns.filter((c) => !old.includes(c))];
        }
        const max = db.prepare('SELECT MAX(seq) AS m FROM collection_rows WHERE collection = ?').get(name) as {
          m: number | null;
        };
        seq = (max.m ?? -1) + 1;
      } else {
        db.prepare('DELETE FROM collection_rows WHERE collection = ?').run(name);
      }
      db.prepare('INSERT INTO collections (name, columns) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET columns = excluded.columns').run(
        name,
        JSON.stringify(columns),
      );
      for (const row of table.rows) insert.run(name, seq++, JSON.stringify(row));
    });
    tx();
  }

  // ---- run history and findings dedup ------------------------------------------------------

  recordRun(run: RunRecord): number {
    const info = this.open()
      .prepare(
        'INSERT INTO runs (name, started, finished, earliest, latest, status, rows, message) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        run.name,
        run.started,
        run.finished ?? null,
        run.earliest ?? null,
        run.latest ?? null,
        run.status,
        run.rows ?? null,
        run.message ?? null,
      );
    return Number(info.lastInsertRowid);
  }

  /** Most recent runs of `name`, newest first. */
  runs(name: string, limit = 20): RunRecord[] {
    if (!this.exists()) return [];
    return this.open()
      .prepare('SELECT * FROM runs WHERE name = ? ORDER BY started DESC, id DESC LIMIT ?')
      .all(name, limit) as RunRecord[];
  }

  /** Records a finding key; true when it was not seen before for this detection. */
  markFindingSeen(name: string, key: string, at: number): boolean {
    const info = this.open()
      .prepare('INSERT OR IGNORE INTO findings_seen (name, key, first_seen) VALUES (?, ?, ?)')
      .run(name, key, at);
    return info.changes > 0;
  }
}
