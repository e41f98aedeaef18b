/**
 * Lookup tables as the commands see them: reading warns (once) about a missing table and gives
 * null; writing goes through the run's LookupAccess (src/state guarantees old-or-new atomicity).
 */
import type { LookupTable, LookupCell } from '../state/table.js';
import type { Value, Scalar } from '../eval/value.js';
import type { RunContext } from './context.js';

export async function readTable(ctx: RunContext, name: string): Promise<LookupTable | null> {
  const t = await ctx.lookups.read(name);
  if (t === null) ctx.warn(`lookup table \`${name}\` does not exist; it was read as empty`);
  return t;
}

export async function writeTable(ctx: RunContext, name: string, columns: string[], rows: Record<string, Value>[], opts: { append: boolean }): Promise<void> {
  await ctx.lookups.write(name, { columns, rows }, opts);
}

/** A cell's values (absent/empty → []). */
export function cellValues(cell: LookupCell | undefined): Scalar[] {
  if (cell === undefined) return [];
  if (Array.isArray(cell)) return cell.filter((c) => c !== '');
  return cell === '' ? [] : [cell];
}

/** An in-memory LookupAccess (tests, and runs without a state directory). */
export class MemoryLookups {
  readonly tables = new Map<string, LookupTable>();
  read(name: string): LookupTable | null {
    return this.tables.get(name) ?? this.tables.get(name.replace(/\.csv$/i, '')) ?? null;
  }
  write(name: string, table: { columns: string[]; rows: Array<Record<string, Value | undefined>> }, opts: { append: boolean }): void {
    const rows = table.rows.map((r) => {
      const out: Record<string, LookupCell> = {};
      for (const c of table.columns) {
        const v = r[c];
        if (v === null || v === undefined) continue;
        out[c] = Array.isArray(v) ? v.map(String) : String(v);
      }
      return out;
    });
    const old = opts.append ? this.tables.get(name) : undefined;
    if (old) {
      const columns = [...old.columns, ...table.columns.filter((c) => !old.columns.includes(c))];
      this.tables.set(name, { columns, rows: [...old.rows, ...rows] });
    } else this.tables.set(name, { columns: table.columns.slice(), rows });
  }
}
