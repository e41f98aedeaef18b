/**
 * Looking after a state directory: an integrity report, an online backup (safe while `run` is
 * ticking: SQLite's backup API copies a consistent snapshot), and a restore. A backup is one
 * SQLite file: the state database plus the directory's CSV lookups in a `backup_files` table.
 */
import { copyFileSync, existsSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { TrailguardError } from '../errors.js';
import { readCsvTable, writeFileAtomic } from './csv.js';
import { sqlite, StateDb, stateError } from './db.js';
import { ServiceLock } from './lock.js';

export interface CheckReport {
  file: string;
  exists: boolean;
  ok: boolean;
  /** Lines of SQLite's integrity_check other than `ok`. */
  problems: string[];
  /** Row counts of the main tables. */
  counts: Record<string, number>;
  bytes: number;
  csvLookups: { file: string; ok: boolean; rows?: number; error?: string }[];
  /** CSV writes committed but not yet on disk (written at the next open). */
  pendingFiles: number;
}

const COUNTED = ['findings', 'finding_evidence', 'risk_events', 'ledger', 'collections', 'collection_rows', 'outbox', 'runs'];

function csvFiles(stateDir: string): string[] {
  const dir = join(stateDir, 'lookups');
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => f.toLowerCase().endsWith('.csv')).sort().map((f) => join(dir, f));
}

export function checkState(stateDir: string): CheckReport {
  const file = join(stateDir, 'state.sqlite');
  const report: CheckReport = { file, exists: existsSync(file), ok: true, problems: [], counts: {}, bytes: 0, csvLookups: [], pendingFiles: 0 };
  if (report.exists) {
    report.bytes = statSync(file).size;
    let db: Database.Database | undefined;
    try {
      db = new (sqlite())(file, { readonly: true, fileMustExist: true });
      const rows = db.pragma('integrity_check') as { integrity_check: string }[];
      report.problems = rows.map((r) => r.integrity_check).filter((l) => l !== 'ok');
      const tables = new Set((db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name));
      for (const t of COUNTED) if (tables.has(t)) report.counts[t] = (db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n;
      if (tables.has('pending_files')) report.pendingFiles = (db.prepare('SELECT count(*) AS n FROM pending_files').get() as { n: number }).n;
    } catch (err) {
      const e = stateError(err, file);
      report.problems.push(e ? e.reason : (err as Error).message);
    } finally {
      db?.close();
    }
  }
  for (const f of csvFiles(stateDir)) {
    try {
      report.csvLookups.push({ file: f, ok: true, rows: readCsvTable(f).rows.length });
    } catch (err) {
      report.csvLookups.push({ file: f, ok: false, error: (err as Error).message });
    }
  }
  report.ok = report.problems.length === 0 && report.csvLookups.every((c) => c.ok);
  return report;
}

/** Writes a consistent copy of the state (database and CSV lookups) to `target`. */
export async function backupState(stateDir: string, target: string): Promise<{ bytes: number; csvFiles: number }> {
  const state = new StateDb(stateDir);
  if (!state.exists()) throw new TrailguardError({ code: 'E_STATE', phase: 'usage', reason: `no state database in ${stateDir}`, hints: ['pass the --state directory that `run`/`detect` use'] });
  if (existsSync(target)) throw new TrailguardError({ code: 'E_USAGE', phase: 'usage', reason: `${target} already exists`, hints: ['choose a new file name; a backup never overwrites'] });
  const temp = `${target}.partial`;
  try {
    await state.open().backup(temp);
  } catch (err) {
    throw stateError(err, state.file) ?? err;
  } finally {
    state.close();
  }
  const copy = new (sqlite())(temp);
  const files = csvFiles(stateDir);
  try {
    copy.exec('CREATE TABLE backup_files (name TEXT PRIMARY KEY, content BLOB NOT NULL)');
    const ins = copy.prepare('INSERT INTO backup_files (name, content) VALUES (?, ?)');
    copy.transaction(() => {
      for (const f of files) ins.run(join('lookups', f.slice(join(stateDir, 'lookups').length + 1)), readFileSync(f));
    })();
  } finally {
    copy.close();
  }
  renameSync(temp, target);
  return { bytes: statSync(target).size, csvFiles: files.length };
}

/** Replaces the state with a backup. Refuses while a `run` holds the state directory. */
export function restoreState(stateDir: string, source: string): { movedAside?: string; csvFiles: number } {
  if (!existsSync(source)) throw new TrailguardError({ code: 'E_USAGE', phase: 'usage', reason: `${source}: no such file`, hints: ['pass a file written by `trailguard state backup`'] });
  let files: { name: string; content: Buffer }[];
  const check = new (sqlite())(source, { readonly: true, fileMustExist: true });
  try {
    const rows = check.pragma('integrity_check') as { integrity_check: string }[];
    if (rows.some((r) => r.integrity_check !== 'ok')) throw new TrailguardError({ code: 'E_STATE', phase: 'state', reason: `${source} is damaged: ${rows[0]!.integrity_check}`, location: { file: source } });
    const hasFiles = check.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'backup_files'").get() !== undefined;
    if (!hasFiles) throw new TrailguardError({ code: 'E_STATE', phase: 'usage', reason: `${source} is not a Trailguard state backup`, location: { file: source }, hints: ['make one with `trailguard state backup FILE`'] });
    files = check.prepare('SELECT name, content FROM backup_files').all() as { name: string; content: Buffer }[];
  } catch (err) {
    throw stateError(err, source) ?? err;
  } finally {
    check.close();
  }
  const lock = ServiceLock.acquire(stateDir);
  try {
    const file = join(stateDir, 'state.sqlite');
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    let movedAside: string | undefined;
    if (existsSync(file)) {
      // Checkpoint the WAL into the file first, so what is moved aside is complete.
      const old = new (sqlite())(file);
      try {
        old.pragma('wal_checkpoint(TRUNCATE)');
      } catch {
        /* a damaged file is moved aside as it is */
      } finally {
        old.close();
      }
      movedAside = `${file}.before-restore-${stamp}`;
      renameSync(file, movedAside);
      for (const ext of ['-wal', '-shm']) if (existsSync(file + ext)) unlinkSync(file + ext);
    }
    const lookups = join(stateDir, 'lookups');
    if (existsSync(lookups)) renameSync(lookups, `${lookups}.before-restore-${stamp}`);
    const temp = `${file}.restoring`;
    copyFileSync(source, temp);
    const db = new (sqlite())(temp);
    db.exec('DROP TABLE backup_files');
    db.close();
    renameSync(temp, file);
    for (const f of files) writeFileAtomic(join(stateDir, f.name), f.content.toString('utf8'));
    return { movedAside, csvFiles: files.length };
  } finally {
    lock.release();
  }
}
