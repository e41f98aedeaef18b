/**
 * Lookup writes held back until a run commits. A detection like "Detect new API calls from user
 * roles" rewrites its baseline with `outputlookup` in the middle of its search; if that write
 * reached the disk before the run's findings were stored, a crash in between would lose the
 * finding for good (the re-run would find nothing new). So a run writes into this stage — its own
 * later reads see the staged tables — and `commit` puts the lookups, the findings and the run
 * record into the state database in one transaction.
 */
import type Database from 'better-sqlite3';
import type { LookupStore, StagedWrite, WriteOptions } from './lookups.js';
import type { LookupTable, WritableTable } from './table.js';
import type { ModelRecord, ModelStore, ModelWrite } from './models.js';

export class StagedLookups {
  private readonly writes = new Map<string, StagedWrite>();

  constructor(readonly store: LookupStore) {}

  read(name: string): LookupTable {
    const def = this.store.resolve(name);
    if (def !== undefined) {
      const staged = this.writes.get(this.targetOf(name));
      if (staged !== undefined) return this.store.viewOf(staged);
    }
    return this.store.read(name);
  }

  write(name: string, table: WritableTable, opts: WriteOptions = {}): void {
    const target = this.targetOf(name);
    const w = this.store.planWrite(name, table, opts, this.writes.get(target));
    this.writes.set(w.target, w);
  }

  /** Names of the tables written so far (for messages). */
  written(): string[] {
    return [...this.writes.values()].map((w) => w.def.name);
  }

  /** Rows in each written table, by lookup name. */
  writtenRows(): Map<string, number> {
    return new Map([...this.writes.values()].map((w) => [w.def.name, w.table.rows.length]));
  }

  /** Inside a state transaction: applies every staged write (CSV files land after the commit). */
  applyIn(db: Database.Database): void {
    this.store.applyIn(db, this.writes.values());
  }

  private targetOf(name: string): string {
    // planWrite of an empty table names the target without reading anything.
    return this.store.planWrite(name, { columns: [], rows: [] }).target;
  }
}

/** Model writes (`fit … into`) held back like lookup writes, committed with the run. */
export class StagedModels {
  private readonly writes = new Map<string, ModelWrite>();

  constructor(readonly store: ModelStore) {}

  read(name: string): ModelRecord | undefined {
    const staged = this.writes.get(name);
    if (staged === undefined) return this.store.read(name);
    const old = this.store.read(name);
    const now = Date.now() / 1000;
    return { ...staged, fittedBy: staged.fittedBy ?? null, created: old?.created ?? now, updated: now };
  }

  write(m: ModelWrite): void {
    this.writes.set(m.name, m);
  }

  written(): string[] {
    return [...this.writes.keys()];
  }

  applyIn(db: Database.Database): void {
    for (const m of this.writes.values()) this.store.writeIn(db, m);
  }
}
