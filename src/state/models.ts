/**
 * MLTK models in the state database (`models` table of state.sqlite, schema in db.ts): one row per
 * model name holding a versioned JSON document. A write replaces the row in one transaction, so a
 * crash during `fit … into NAME` leaves the previous model or the new one, never a mix.
 */
import { resolve as resolvePath } from 'node:path';
import { TrailguardError } from '../errors.js';
import type Database from 'better-sqlite3';
import { StateDb } from './db.js';
import { DEFAULT_STATE_DIR } from './lookups.js';

export interface ModelWrite {
  name: string;
  /** Version of the document's layout (the algorithm module defines it). */
  format: number;
  algorithm: string;
  /** JSON-serialisable document. */
  document: unknown;
  /** The baseline or search that fitted it. */
  fittedBy?: string | null;
}

export interface ModelRecord extends ModelWrite {
  fittedBy: string | null;
  /** Epoch seconds of the first fit under this name, and of the latest. */
  created: number;
  updated: number;
}

interface ModelRow {
  name: string;
  format: number;
  algorithm: string;
  document: string;
  fitted_by: string | null;
  created: number;
  updated: number;
}

function toRecord(r: ModelRow): ModelRecord {
  let document: unknown;
  try {
    document = JSON.parse(r.document);
  } catch {
    throw new TrailguardError({
      code: 'E_MODEL_INVALID', phase: 'state', reason: `model "${r.name}" is damaged: its document is not JSON`,
      hints: [`fit it again, or remove it with \`trailguard models rm ${r.name}\``],
    });
  }
  return { name: r.name, format: r.format, algorithm: r.algorithm, document, fittedBy: r.fitted_by, created: r.created, updated: r.updated };
}

export class ModelStore {
  readonly stateDir: string;
  private readonly db: StateDb;
  private readonly ownsDb: boolean;

  constructor(opts: { stateDir?: string; db?: StateDb } = {}) {
    this.stateDir = resolvePath(opts.stateDir ?? DEFAULT_STATE_DIR);
    this.ownsDb = opts.db === undefined;
    this.db = opts.db ?? new StateDb(this.stateDir);
  }

  /** The stored model, or undefined. Reading a never-written state creates nothing. */
  read(name: string): ModelRecord | undefined {
    if (!this.db.exists()) return undefined;
    const row = this.db.open().prepare('SELECT * FROM models WHERE name = ?').get(name) as ModelRow | undefined;
    return row && toRecord(row);
  }

  /** Creates or replaces a model in one transaction (keeps its first `created` time). */
  write(m: ModelWrite, at: number = Date.now() / 1000): void {
    const db = this.db.open();
    db.transaction(() => this.writeIn(db, m, at)).immediate();
  }

  /** The body of `write`, inside a transaction the caller holds (a run's staged commit). */
  writeIn(db: Database.Database, m: ModelWrite, at: number = Date.now() / 1000): void {
    db.prepare(
      `INSERT INTO models (name, format, algorithm, document, fitted_by, created, updated) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(name) DO UPDATE SET format = excluded.format, algorithm = excluded.algorithm, document = excluded.document,
         fitted_by = excluded.fitted_by, updated = excluded.updated`,
    ).run(m.name, m.format, m.algorithm, JSON.stringify(m.document), m.fittedBy ?? null, at, at);
  }

  /** Every model, by name. */
  list(): ModelRecord[] {
    if (!this.db.exists()) return [];
    return (this.db.open().prepare('SELECT * FROM models ORDER BY name').all() as ModelRow[]).map(toRecord);
  }

  /** Removes a model; false when there was none of that name. */
  remove(name: string): boolean {
    if (!this.db.exists()) return false;
    return this.db.open().prepare('DELETE FROM models WHERE name = ?').run(name).changes > 0;
  }

  close(): void {
    if (this.ownsDb) this.db.close();
  }
}

/** Models kept in memory (tests, and runs without a state directory). */
export class MemoryModels {
  readonly models = new Map<string, ModelRecord>();
  read(name: string): ModelRecord | undefined {
    const m = this.models.get(name);
    // A deep copy, as a database read would give.
    return m && { ...m, document: JSON.parse(JSON.stringify(m.document)) as unknown };
  }
  write(m: ModelWrite, at: number = Date.now() / 1000): void {
    const old = this.models.get(m.name);
    this.models.set(m.name, { ...m, document: JSON.parse(JSON.stringify(m.document)) as unknown, fittedBy: m.fittedBy ?? null, created: old?.created ?? at, updated: at });
  }
}
