/**
 * The state database `<stateDir>/state.sqlite` (better-sqlite3, WAL): key-value collections
 * (one rows table keyed by collection; each row's fields as JSON text so multivalues survive),
 * run history and findings dedup for the scheduler, and MLTK models (models.ts). Every
 * replace/append is one transaction, so readers and a crash see the old rows or the new ones,
 * never a mix.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { LookupRow, LookupTable } from './table.js';

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
CREATE TABLE IF NOT EXISTS models (
  name TEXT PRIMARY KEY,             -- the name in fit … into NAME
  format INTEGER NOT NULL,           -- version of the document's layout
  algorithm TEXT NOT NULL,           -- DensityFunction
  document TEXT NOT NULL,            -- JSON (see src/mltk/model.ts)
  fitted_by TEXT,                    -- the baseline or search that wrote it
  created REAL NOT NULL,             -- epoch seconds of the first fit under this name
  updated REAL NOT NULL              -- epoch seconds of the latest fit
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
    this.db = db;
    return db;
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
    tx.immediate();
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
