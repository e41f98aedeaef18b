/**
 * Lookup tables by name (SPL.md §7): resolves a name to a CSV file or a collection, reads it into
 * a LookupTable, and writes (`outputlookup`) atomically.
 *
 * - CSV lookups are user-editable files. Reading looks in `<stateDir>/lookups/<file>` first,
 *   then in each content dir's `lookups/<file>` (later dirs first). Writing always goes to
 *   `<stateDir>/lookups/<file>`: shipped content is never modified.
 * - Collections live in `<stateDir>/state.sqlite` (see db.ts).
 * - A name ending in `.csv` that no definition names is a bare CSV file of that name.
 * - A missing table reads as empty, with a warning (as Splunk does).
 */
import { existsSync } from 'node:fs';
import { join, resolve as resolvePath } from 'node:path';
import { TrailguardError } from '../errors.js';
import { packagePath } from '../util/paths.js';
import { cleanStaleTempFiles, csvText, readCsvTable, writeCsvTable } from './csv.js';
import type Database from 'better-sqlite3';
import { StateDb } from './db.js';
import { checkLookupFilename, loadLookupDefinitionSet, type LookupDefinition, type LookupDefinitionSet } from './definitions.js';
import { emptyTable, normaliseTable, unionColumns, type LookupTable, type WritableTable } from './table.js';

export const DEFAULT_STATE_DIR = './.trailguard/';

export interface LookupStoreOptions {
  /** Where written lookups and the state database live (default `./.trailguard/`). */
  stateDir?: string;
  /** Extra security_content-style dirs (`lookups/` inside), after the project's own content. */
  contentDirs?: readonly string[];
  /** Receives "missing lookup" and similar warnings. */
  warn?: (msg: string) => void;
  /** Include the project's own `content/` first (default true; tests may turn it off). */
  includeProjectContent?: boolean;
  /** Share an open state database (StateStore passes its own). */
  db?: StateDb;
  /** Definitions already loaded from the content dirs (the content model passes its own). */
  definitions?: LookupDefinitionSet;
}

export interface WriteOptions {
  append?: boolean;
}

/** A lookup write planned but not yet applied: its target and the table it leaves behind. */
export interface StagedWrite {
  /** `collection:<name>` or `csv:<path>`: two writes with one target replace each other. */
  target: string;
  def: LookupDefinition;
  /** The CSV file written (csv targets). */
  path?: string;
  table: LookupTable;
}

/** A collection as its lookup exposes it: fields_list decides the columns and their order. */
function collectionView(def: Extract<LookupDefinition, { kind: 'collection' }>, stored: LookupTable | null): LookupTable {
  const fields = def.fieldsList.filter((f) => f !== '_key');
  if (stored === null) return emptyTable(fields);
  if (fields.length === 0) return stored;
  const rows = stored.rows.map((r) => {
    const out: (typeof stored.rows)[number] = {};
    for (const f of fields) if (r[f] !== undefined) out[f] = r[f]!;
    return out;
  });
  return { columns: fields, rows };
}

export class LookupStore {
  readonly stateDir: string;
  readonly contentDirs: readonly string[];
  readonly definitions: ReadonlyMap<string, LookupDefinition>;
  private readonly broken: LookupDefinitionSet['broken'];
  private readonly warn: (msg: string) => void;
  private readonly db: StateDb;
  private readonly ownsDb: boolean;

  constructor(opts: LookupStoreOptions = {}) {
    this.stateDir = resolvePath(opts.stateDir ?? DEFAULT_STATE_DIR);
    const dirs = [...(opts.includeProjectContent === false ? [] : [packagePath('content')]), ...(opts.contentDirs ?? [])];
    this.contentDirs = [...new Set(dirs.map((d) => resolvePath(d)))];
    const set = opts.definitions ?? loadLookupDefinitionSet(this.contentDirs);
    this.definitions = set.definitions;
    this.broken = set.broken;
    this.warn = opts.warn ?? (() => {});
    this.ownsDb = opts.db === undefined;
    this.db = opts.db ?? new StateDb(this.stateDir);
    cleanStaleTempFiles(this.writableLookupDir());
  }

  /** `<stateDir>/lookups`: where CSV lookups are written. */
  writableLookupDir(): string {
    return join(this.stateDir, 'lookups');
  }

  /**
   * The definition for a name as written in SPL (`aws_service_accounts`, `x.csv`), or undefined.
   * A `.csv` name matches a definition of that name, then a definition with that filename, then
   * stands for a bare CSV file.
   */
  resolve(name: string): LookupDefinition | undefined {
    const def = this.definitions.get(name);
    if (def !== undefined) return def;
    this.failIfBroken(name);
    if (!name.toLowerCase().endsWith('.csv')) return undefined;
    for (const d of this.definitions.values()) if (d.kind === 'csv' && d.filename === name) return d;
    checkLookupFilename(name, name);
    return { kind: 'csv', name, filename: name };
  }

  /** A name whose definition file could not be read fails here, naming that file. */
  private failIfBroken(name: string): void {
    const bad = this.broken.get(name) ?? this.broken.get(name.replace(/\.csv$/i, ''));
    if (bad === undefined) return;
    throw new TrailguardError({
      code: 'lookup-definition',
      phase: 'content',
      reason: `lookup '${name}' cannot be used: its definition ${bad.file}${bad.line !== undefined ? `:${bad.line}` : ''} could not be read (${bad.reason})`,
      location: { file: bad.file, line: bad.line },
      hints: ['fix that file; `trailguard validate` lists every content problem'],
    });
  }

  /** The file a CSV lookup reads from, or undefined if none exists. */
  csvPath(filename: string): string | undefined {
    const own = join(this.writableLookupDir(), filename);
    if (existsSync(own)) return own;
    for (let i = this.contentDirs.length - 1; i >= 0; i--) {
      const p = join(this.contentDirs[i]!, 'lookups', filename);
      if (existsSync(p)) return p;
    }
    return undefined;
  }

  /** Reads a table. Undefined names and missing files warn and read as an empty table. */
  read(name: string): LookupTable {
    const def = this.resolve(name);
    if (def === undefined) {
      this.warn(`lookup '${name}' is not defined (no lookups/*.yml names it); using an empty table`);
      return emptyTable();
    }
    if (def.kind === 'csv') {
      const path = this.csvPath(def.filename);
      if (path === undefined) {
        this.warn(`lookup file '${def.filename}' for '${name}' does not exist; using an empty table`);
        return emptyTable();
      }
      return readCsvTable(path);
    }
    return collectionView(def, this.db.readCollection(def.collection));
  }

  /** Whether the table exists: a CSV file in the state or the content, or a collection ever written. */
  exists(name: string): boolean {
    const def = this.resolve(name);
    if (def === undefined) return false;
    if (def.kind === 'csv') return this.csvPath(def.filename) !== undefined;
    return this.db.readCollection(def.collection) !== null;
  }

  /**
   * What `outputlookup` of `table` into `name` would leave behind, without writing it: the target
   * and its full new contents (an append merges the current table, or `current` when given — a
   * staged write not yet committed).
   */
  planWrite(name: string, table: WritableTable, opts: WriteOptions = {}, current?: StagedWrite): StagedWrite {
    const def = this.resolve(name);
    if (def === undefined) {
      throw new TrailguardError({
        code: 'lookup-undefined',
        phase: 'runtime',
        reason: `cannot write lookup '${name}': no lookup definition has that name`,
        hints: [
          `write a CSV file with \`outputlookup ${name}.csv\``,
          'or define it in a lookups/*.yml file of a --content directory',
        ],
      });
    }
    const incoming = normaliseTable(table);
    const merge = (old: LookupTable | null): LookupTable =>
      opts.append === true && old !== null
        ? { columns: unionColumns(old.columns, incoming.columns), rows: [...old.rows, ...incoming.rows] }
        : incoming;
    if (def.kind === 'collection') {
      const old = current?.table ?? (opts.append === true ? this.db.readCollection(def.collection) : null);
      return { target: `collection:${def.collection}`, def, table: merge(old) };
    }
    const path = join(this.writableLookupDir(), def.filename);
    let old: LookupTable | null = current?.table ?? null;
    if (old === null && opts.append === true) {
      const source = this.csvPath(def.filename);
      if (source !== undefined) old = readCsvTable(source);
    }
    return { target: `csv:${path}`, def, path, table: merge(old) };
  }

  /** The table a reader sees once `w` is committed. */
  viewOf(w: StagedWrite): LookupTable {
    return w.def.kind === 'collection' ? collectionView(w.def, w.table) : w.table;
  }

  /** Applies planned writes inside a state-database transaction the caller holds (files land after commit). */
  applyIn(db: Database.Database, writes: Iterable<StagedWrite>): void {
    for (const w of writes) {
      if (w.def.kind === 'collection') this.db.writeCollectionIn(db, w.def.collection, w.table, false);
      else this.db.stageFile(db, w.path!, csvText(w.table));
    }
  }

  /**
   * `outputlookup`: replaces the table (or appends with `append: true`) atomically and creates it
   * if missing. Numbers become their SPL text; null cells are left empty.
   */
  write(name: string, table: WritableTable, opts: WriteOptions = {}): void {
    const w = this.planWrite(name, table, opts);
    if (w.def.kind === 'collection') this.db.writeCollection(w.def.collection, w.table, false);
    else writeCsvTable(w.path!, w.table);
  }

  /** The state database these lookups share. */
  stateDb(): StateDb {
    return this.db;
  }

  close(): void {
    if (this.ownsDb) this.db.close();
  }
}
