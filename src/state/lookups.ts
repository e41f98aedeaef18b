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
import { cleanStaleTempFiles, readCsvTable, writeCsvTable } from './csv.js';
import { StateDb } from './db.js';
import { checkLookupFilename, loadLookupDefinitions, type LookupDefinition } from './definitions.js';
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
}

export interface WriteOptions {
  append?: boolean;
}

export class LookupStore {
  readonly stateDir: string;
  readonly contentDirs: readonly string[];
  readonly definitions: ReadonlyMap<string, LookupDefinition>;
  private readonly warn: (msg: string) => void;
  private readonly db: StateDb;
  private readonly ownsDb: boolean;

  constructor(opts: LookupStoreOptions = {}) {
    this.stateDir = resolvePath(opts.stateDir ?? DEFAULT_STATE_DIR);
    const dirs = [...(opts.includeProjectContent === false ? [] : [packagePath('content')]), ...(opts.contentDirs ?? [])];
    this.contentDirs = [...new Set(dirs.map((d) => resolvePath(d)))];
    this.definitions = loadLookupDefinitions(this.contentDirs);
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
    if (!name.toLowerCase().endsWith('.csv')) return undefined;
    for (const d of this.definitions.values()) if (d.kind === 'csv' && d.filename === name) return d;
    checkLookupFilename(name, name);
    return { kind: 'csv', name, filename: name };
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
    const stored = this.db.readCollection(def.collection);
    const fields = def.fieldsList.filter((f) => f !== '_key');
    if (stored === null) return emptyTable(fields);
    if (fields.length === 0) return stored;
    // fields_list decides what the lookup exposes, in its order; other stored fields stay hidden.
    const rows = stored.rows.map((r) => {
      const out: (typeof stored.rows)[number] = {};
      for (const f of fields) if (r[f] !== undefined) out[f] = r[f]!;
      return out;
    });
    return { columns: fields, rows };
  }

  /**
   * `outputlookup`: replaces the table (or appends with `append: true`) atomically and creates it
   * if missing. Numbers become their SPL text; null cells are left empty.
   */
  write(name: string, table: WritableTable, opts: WriteOptions = {}): void {
    const def = this.resolve(name);
    if (def === undefined) {
      throw new TrailguardError({
        code: 'lookup-undefined',
        phase: 'state',
        reason: `cannot write lookup '${name}': no lookup definition has that name`,
        hints: [
          `write a CSV file with \`outputlookup ${name}.csv\``,
          'or define it in a lookups/*.yml file of a --content directory',
        ],
      });
    }
    const incoming = normaliseTable(table);
    if (def.kind === 'collection') {
      this.db.writeCollection(def.collection, incoming, opts.append === true);
      return;
    }
    const target = join(this.writableLookupDir(), def.filename);
    let out = incoming;
    if (opts.append === true) {
      const source = this.csvPath(def.filename);
      if (source !== undefined) {
        const old = readCsvTable(source);
        out = { columns: unionColumns(old.columns, incoming.columns), rows: [...old.rows, ...incoming.rows] };
      }
    }
    writeCsvTable(target, out);
  }

  close(): void {
    if (this.ownsDb) this.db.close();
  }
}
