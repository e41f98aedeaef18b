/**
 * Everything Trailguard keeps between runs, behind one object: lookups (CSV files and
 * collections), the findings store, and the run history, all in `<stateDir>`.
 */
import { resolve as resolvePath } from 'node:path';
import type Database from 'better-sqlite3';
import { StateDb, type RunRecord } from './db.js';
import { FindingsStore } from './findings.js';
import { Ledger } from './ledger.js';
import { ModelStore } from './models.js';
import { DEFAULT_STATE_DIR, LookupStore, type LookupStoreOptions } from './lookups.js';

export type StateStoreOptions = Omit<LookupStoreOptions, 'db'>;

export class StateStore {
  readonly stateDir: string;
  readonly lookups: LookupStore;
  readonly findings: FindingsStore;
  readonly ledger: Ledger;
  readonly models: ModelStore;
  readonly db: StateDb;

  constructor(opts: StateStoreOptions = {}) {
    this.stateDir = resolvePath(opts.stateDir ?? DEFAULT_STATE_DIR);
    this.db = new StateDb(this.stateDir);
    this.lookups = new LookupStore({ ...opts, stateDir: this.stateDir, db: this.db });
    this.findings = new FindingsStore(this.db);
    this.ledger = new Ledger(this.db);
    this.models = new ModelStore({ stateDir: this.stateDir, db: this.db });
  }

  /** Runs `fn` in one transaction of the state database (see StateDb.transaction). */
  transaction<T>(fn: (db: Database.Database) => T): T {
    return this.db.transaction(fn);
  }

  recordRun(run: RunRecord): number {
    return this.db.recordRun(run);
  }

  /** Most recent runs of a detection/baseline, newest first. */
  runs(name: string, limit?: number): RunRecord[] {
    return this.db.runs(name, limit);
  }

  /** True the first time `key` is seen for `name` (findings dedup). */
  markFindingSeen(name: string, key: string, at: number): boolean {
    return this.db.markFindingSeen(name, key, at);
  }

  close(): void {
    this.db.close();
  }
}
