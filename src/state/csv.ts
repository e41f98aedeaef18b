/**
 * CSV lookup files. Multivalue cells are stored as their values joined by a newline inside one
 * (quoted) CSV cell, and a cell containing a newline reads back as a multivalue. An empty cell is
 * an absent value. Writes are atomic: the new table is written to a temp file in the same
 * directory, fsynced, and renamed over the old one, so a reader or a crash sees either the old
 * file or the new one.
 */
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { csvParse, csvStringify, nodeCrypto } from '../util/lazy-require.js';
import { TrailguardError } from '../errors.js';
import { faultPoint } from './faults.js';
import type { LookupRow, LookupTable } from './table.js';

export const MV_SEPARATOR = '\n';

interface CsvParseError extends Error {
  code?: string;
  lines?: number;
}

export function readCsvTable(file: string): LookupTable {
  let text = readFileSync(file, 'utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let lastRecordEndLine = 0;
  let records: string[][];
  try {
    records = csvParse().parse(text, {
      relax_column_count: false,
      skip_empty_lines: true,
      on_record: (record: string[], ctx: { lines: number }) => {
        lastRecordEndLine = ctx.lines;
        return record;
      },
    }) as string[][];
  } catch (e) {
    const err = e as CsvParseError;
    // The failing record starts on the line after the last good one; for ragged rows csv-parse
    // reports the record's own line, which is the same line unless the record spans lines.
    const line = err.code === 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH' ? (err.lines ?? lastRecordEndLine + 1) : lastRecordEndLine + 1;
    const what =
      err.code === 'CSV_QUOTE_NOT_CLOSED'
        ? 'a quoted cell is never closed'
        : err.code === 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH'
          ? 'this row has a different number of cells than the header'
          : err.message.split(' at line')[0]!;
    throw new TrailguardError({
      code: 'lookup-csv',
      phase: 'state',
      reason: `malformed CSV lookup ${basename(file)} at line ${line}: ${what}`,
      location: { file, line },
      hints: ['fix the file (every row needs as many cells as the header; quotes must be balanced) or delete it'],
    });
  }
  if (records.length === 0) return { columns: [], rows: [] };
  const columns = records[0]!;
  const rows: LookupRow[] = [];
  for (let i = 1; i < records.length; i++) {
    const rec = records[i]!;
    const row: LookupRow = {};
    for (let c = 0; c < columns.length; c++) {
      const cell = rec[c] ?? '';
      if (cell === '') continue;
      row[columns[c]!] = cell.includes(MV_SEPARATOR) ? cell.split(MV_SEPARATOR) : cell;
    }
    rows.push(row);
  }
  return { columns, rows };
}

export function csvText(table: LookupTable): string {
  const data: string[][] = [table.columns];
  for (const r of table.rows) {
    data.push(
      table.columns.map((c) => {
        const cell = r[c];
        if (cell === undefined) return '';
        return Array.isArray(cell) ? cell.join(MV_SEPARATOR) : cell;
      }),
    );
  }
  // quoted_match on newlines keeps multivalue cells quoted; csv-stringify quotes them anyway.
  return csvStringify().stringify(data, { record_delimiter: '\n' });
}

const TEMP_MARK = '.tmp-';

/** `.name.csv.tmp-<pid>-<random>`: hidden, and carries the writer's pid for stale cleanup. */
function tempNameFor(file: string): string {
  return join(dirname(file), `.${basename(file)}${TEMP_MARK}${process.pid}-${nodeCrypto().randomBytes(4).toString('hex')}`);
}

const FS_ADVICE: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is exhausted',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  EIO: 'an I/O error occurred',
};

/** A failed file write as a located error that says the previous file is intact. */
export function fileWriteError(err: unknown, file: string): TrailguardError | undefined {
  const code = (err as NodeJS.ErrnoException).code;
  if (typeof code !== 'string' || FS_ADVICE[code] === undefined) return undefined;
  return new TrailguardError({
    code: 'E_STATE_WRITE', phase: 'state', location: { file },
    reason: `cannot write ${file}: ${FS_ADVICE[code]} (${code}); the previous version of the file is intact`,
    hints: [code === 'ENOSPC' || code === 'EDQUOT' ? 'free space on that disk and run again' : 'make the directory writable by this user, or use another --state'],
  });
}

/** Writes `text` to `file` atomically (temp file + fsync + rename + directory fsync). */
export function writeFileAtomic(file: string, text: string): void {
  const temp = tempNameFor(file);
  let fd: number | undefined;
  try {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    fd = openSync(temp, 'w', 0o600);
    const buf = Buffer.from(text, 'utf8');
    let off = 0;
    faultPoint('write-file');
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(temp, file);
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(temp);
    } catch {
      /* never created, or already gone */
    }
    throw fileWriteError(e, file) ?? e;
  }
  try {
    const dfd = openSync(dirname(file), 'r');
    try {
      fsyncSync(dfd);
    } finally {
      closeSync(dfd);
    }
  } catch {
    // Some platforms cannot fsync a directory; the rename is still atomic.
  }
}

export function writeCsvTable(file: string, table: LookupTable): void {
  writeFileAtomic(file, csvText(table));
}

function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes temp files left by writers that died mid-write (their pid is gone). */
export function cleanStaleTempFiles(dir: string): number {
  if (!existsSync(dir)) return 0;
  let removed = 0;
  for (const f of readdirSync(dir)) {
    const m = /^\..+\.tmp-(\d+)-[0-9a-f]+$/.exec(f);
    if (!m || processAlive(Number(m[1]))) continue;
    try {
      unlinkSync(join(dir, f));
      removed++;
    } catch {
      /* raced with another cleaner */
    }
  }
  return removed;
}
