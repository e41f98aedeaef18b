/**
 * The state database `<stateDir>/state.sqlite` (better-sqlite3, WAL): key-value collections
 * (one rows table keyed by collection; each row's fields as JSON text so multivalues survive),
 * run history and findings dedup for the scheduler, and MLTK models (models.ts). Every
 * replace/append is one transaction, so readers and a crash see the old rows or the new ones,
 * never a mix.
 */
import { chmodSync, existsSync, mkdirSync, readdirSync, renameSync, unlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { TrailguardError } from '../errors.js';
import type Database from 'better-sqlite3';
import { lazyRequire, nodeCrypto } from '../util/lazy-require.js';
import type { LookupRow, LookupTable } from './table.js';
import { writeFileAtomic } from './csv.js';
import { faultPoint } from './faults.js';

/** better-sqlite3, loaded by the first store that opens a database (not by every CLI run). */
export const sqlite = lazyRequire<typeof Database>('better-sqlite3');

function removeQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    /* never written, or already gone */
  }
}

/** The state database most recently opened in this process (for errors raised outside it). */
let lastStateFile: string | undefined;

/** What SQLite's result codes mean for a user, and what to do next. */
const SQLITE_ADVICE: Record<string, { what: string; hint: string }> = {
  SQLITE_CORRUPT: { what: 'is damaged (database disk image is malformed)', hint: 'run `trailguard state check --state DIR` for a report, then `trailguard state restore BACKUP` from a backup made with `trailguard state backup FILE`' },
  SQLITE_NOTADB: { what: 'is not a SQLite database (overwritten or truncated?)', hint: 'restore it with `trailguard state restore BACKUP`, or move it away to start a fresh state (baselines and findings are then rebuilt from scratch)' },
  SQLITE_FULL: { what: 'could not be written: the disk is full', hint: 'free space on that disk; the previous state is intact and the run can be repeated' },
  SQLITE_IOERR: { what: 'could not be read or written (I/O error)', hint: 'check the disk and the file system; the previous state is intact' },
  SQLITE_READONLY: { what: 'is read-only', hint: 'make the state directory and state.sqlite writable by this user, or use another --state' },
  SQLITE_CANTOPEN: { what: 'cannot be opened', hint: 'check that the state directory exists and is writable by this user (--state DIR)' },
  SQLITE_PERM: { what: 'cannot be accessed: permission denied', hint: 'make the state directory writable by this user, or use another --state' },
  SQLITE_BUSY: { what: 'is locked by another process for longer than the busy timeout', hint: 'wait for the other trailguard process, or check for a stuck one' },
};

/** A TrailguardError naming the state file for a SQLite failure, or undefined when `err` is not one. */
export function stateError(err: unknown, file: string | undefined = lastStateFile): TrailguardError | undefined {
  const code = (err as { code?: unknown }).code;
  if (typeof code !== 'string' || !code.startsWith('SQLITE_')) return undefined;
  const base = Object.keys(SQLITE_ADVICE).find((k) => code === k || code.startsWith(`${k}_`));
  const advice = base ? SQLITE_ADVICE[base]! : { what: `failed (${code})`, hint: 'run `trailguard state check` for a report' };
  const where = file ?? 'the state database';
  return new TrailguardError({
    code: 'E_STATE', phase: 'state', location: file ? { file } : undefined,
    reason: `state database ${where} ${advice.what}: ${(err as Error).message}`,
    hints: [advice.hint.replace('DIR', file ? dirname(file) : 'DIR')],
  });
}

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
-- CSV lookup writes committed with a run but not yet in place (see rollForward).
CREATE TABLE IF NOT EXISTS pending_files (
  path TEXT PRIMARY KEY,
  content TEXT NOT NULL,
  temp TEXT                          -- the file written before the commit, renamed into place after it
);
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

  /**
   * Opens (creating the state dir and schema if needed). The directory and the database are
   * readable by the owner only: findings and baselines are sensitive.
   */
  open(): Database.Database {
    if (this.db !== null) return this.db;
    lastStateFile = this.file;
    mkdirSync(this.stateDir, { recursive: true, mode: 0o700 });
    const fresh = !existsSync(this.file);
    let db: Database.Database | undefined;
    try {
      db = new (sqlite())(this.file);
      if (fresh) chmodSync(this.file, 0o600);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      db.pragma('busy_timeout = 10000');
      db.exec(SCHEMA);
      for (const extend of SCHEMA_EXTENSIONS) extend(db);
    } catch (err) {
      db?.close();
      throw stateError(err, this.file) ?? err;
    }
    this.db = db;
    this.rollForward();
    this.removeOrphanTemps();
    return db;
  }

  /** Temp files prepared by a transaction that never committed (its process died first). */
  private removeOrphanTemps(): void {
    const dir = join(this.stateDir, 'lookups');
    if (!existsSync(dir)) return;
    const live = new Set((this.db!.prepare('SELECT temp FROM pending_files').all() as { temp: string | null }[]).map((r) => r.temp));
    for (const f of readdirSync(dir)) {
      if (/^\..+\.pending-[0-9a-f]+$/.test(f) && !live.has(join(dir, f))) removeQuietly(join(dir, f));
    }
  }

  /**
   * Runs `fn` in one immediate transaction: everything it writes commits together or not at all.
   * CSV files staged with `stageFile` inside it reach the disk after the commit (rollForward).
   */
  transaction<T>(fn: (db: Database.Database) => T): T {
    const db = this.open();
    const prepared: string[] = [];
    this.preparing = prepared;
    let result: T;
    try {
      result = db.transaction(() => fn(db)).immediate();
    } catch (err) {
      // Rolled back: the files prepared for it are not part of any state.
      for (const t of prepared) removeQuietly(t);
      throw stateError(err, this.file) ?? err;
    } finally {
      this.preparing = null;
    }
    faultPoint('after-commit');
    this.rollForward();
    return result;
  }

  /** Temp files written by `stageFile` in the transaction in progress. */
  private preparing: string[] | null = null;

  /**
   * Inside `transaction`: the file's new content. It is written to a temp file now, before the
   * commit — a full disk or a read-only directory fails the transaction and leaves the previous
   * state intact — and renamed into place after the commit. The content is also kept in the
   * journal, so a crash between the commit and the rename loses nothing.
   */
  stageFile(db: Database.Database, path: string, content: string): void {
    const temp = join(dirname(path), `.${basename(path)}.pending-${nodeCrypto().randomBytes(6).toString('hex')}`);
    writeFileAtomic(temp, content);
    this.preparing?.push(temp);
    const old = db.prepare('SELECT temp FROM pending_files WHERE path = ?').get(path) as { temp: string | null } | undefined;
    if (old?.temp) this.preparing?.push(old.temp);
    db.prepare('INSERT INTO pending_files (path, content, temp) VALUES (?, ?, ?) ON CONFLICT(path) DO UPDATE SET content = excluded.content, temp = excluded.temp').run(path, content, temp);
  }

  /**
   * Puts committed-but-pending files in place (the prepared temp file renamed, or the journal's
   * content written atomically when a crash lost the temp) and clears them from the journal. A
   * crash between a commit and here leaves them in the journal; the next open finishes the job,
   * so a reader never sees a lookup older than the committed run that wrote it.
   */
  rollForward(): void {
    const db = this.db;
    if (db === null) return;
    const pending = db.prepare('SELECT path, content, temp FROM pending_files').all() as { path: string; content: string; temp: string | null }[];
    for (const p of pending) {
      try {
        if (p.temp !== null && existsSync(p.temp)) renameSync(p.temp, p.path);
        else writeFileAtomic(p.path, p.content);
      } catch (err) {
        const why = err instanceof TrailguardError ? err.reason : (err as Error).message;
        throw new TrailguardError({
          code: 'E_STATE_PENDING', phase: 'state', location: { file: p.path },
          reason: `the run was committed, but its lookup file could not be put in place yet: ${why}`,
          hints: ['it is kept in the state database and written the next time Trailguard opens this state; fix the cause and run any command with this --state'],
        });
      }
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
