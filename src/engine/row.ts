/**
 * A result row: an ordered map of field name → Value, resolved lazily.
 *
 * Rows that come from CloudTrail events do not flatten the whole event up front. They hold a
 * FieldSource (the event plus the field model) that resolves a field only when a command asks for
 * it, and caches it. Commands write to an overlay; a write or delete never touches the source.
 * Rows built by commands (stats, makeresults, inputlookup) have no source, just the overlay.
 *
 * Enumerating all fields (`fieldNames()`) forces the source to list everything; commands that
 * need it (table with wildcards, fields, fillnull without a list, subsearch formatting, stats
 * with wildcards) pay for it, the others do not.
 */
import type { Value } from '../eval/value.js';

/** Lazily resolves the fields of one underlying record (an event, through the field model). */
export interface FieldSource {
  /** The value of `name`, or null if the record has no such field. Must be cheap to call twice. */
  get(name: string): Value;
  /** Every field name the record has, in a stable order (internal `_`-fields included). */
  names(): string[];
}

const DELETED = Symbol('deleted');
type Slot = Value | typeof DELETED;

export class Row {
  /** Fields set or deleted by commands, in insertion order; shadows the source. Made on the
   *  first write: most event rows are only ever read. */
  private overlay: Map<string, Slot> | null;
  private readonly source: FieldSource | null;

  constructor(source: FieldSource | null = null, fields?: Iterable<[string, Value]>) {
    this.source = source;
    this.overlay = null;
    if (fields) {
      const o = (this.overlay = new Map());
      for (const [k, v] of fields) if (v !== null && v !== undefined) o.set(k, v);
    }
  }

  /** A row holding exactly these fields (nulls skipped). */
  static of(fields: Record<string, Value>): Row {
    return new Row(null, Object.entries(fields));
  }

  get(name: string): Value {
    if (this.overlay !== null) {
      const o = this.overlay.get(name);
      if (o !== undefined) return o === DELETED ? null : o;
    }
    if (this.source === null) return null;
    const v = this.source.get(name);
    return v === undefined ? null : v;
  }

  has(name: string): boolean {
    return this.get(name) !== null;
  }

  /** Assigning null removes the field (SPL.md §3.4). */
  set(name: string, value: Value): void {
    if (value === null || value === undefined || (Array.isArray(value) && value.length === 0)) {
      this.delete(name);
      return;
    }
    (this.overlay ??= new Map()).set(name, Array.isArray(value) && value.length === 1 ? value[0]! : value);
  }

  delete(name: string): void {
    if (this.source === null) this.overlay?.delete(name);
    else (this.overlay ??= new Map()).set(name, DELETED);
  }

  /** All present field names: the source's (minus deletions) then fields added by commands. */
  fieldNames(): string[] {
    const out: string[] = [];
    const seen = new Set<string>();
    if (this.source !== null) {
      for (const n of this.source.names()) {
        const o = this.overlay?.get(n);
        if (o === DELETED) continue;
        if (o === undefined && this.source.get(n) === null) continue;
        out.push(n);
        seen.add(n);
      }
    }
    for (const [n, v] of this.overlay ?? []) {
      if (v === DELETED || seen.has(n)) continue;
      out.push(n);
    }
    return out;
  }

  /**
   * Where an aggregated row came from: the first events of its group (a finding's evidence). Kept
   * by copies and projections, so it follows the row to the end of the pipeline.
   */
  provenance: Provenance | null = null;

  /** A copy with its own overlay; the (immutable) source is shared. */
  clone(): Row {
    const r = new Row(this.source);
    r.overlay = this.overlay === null ? null : new Map(this.overlay);
    r.provenance = this.provenance;
    return r;
  }

  /** A source-less copy holding only the named fields, in that order (for table/stats outputs). */
  project(names: readonly string[]): Row {
    const r = new Row(null);
    r.provenance = this.provenance;
    const o = (r.overlay = new Map());
    for (const n of names) {
      const v = this.get(n);
      if (v !== null) o.set(n, v);
    }
    return r;
  }

  /** Plain object of every field (forces full resolution; for output and tests). */
  toObject(): Record<string, Value> {
    const o: Record<string, Value> = {};
    for (const n of this.fieldNames()) o[n] = this.get(n);
    return o;
  }
}

/** One event behind an aggregated row: its time (epoch seconds) and JSON text. */
export interface EvidenceSample {
  time: number;
  raw: string;
}

export interface Provenance {
  evidence: EvidenceSample[];
}
