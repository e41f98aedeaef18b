/** The tables crash-writer.ts writes: size and contents derive from the version, so a reader can tell a complete table from a torn one. */
import type { LookupTable } from '../../src/state/index.js';

export function crashRowCount(version: number): number {
  return 6000 + (version % 5) * 700;
}

export function crashTable(version: number): LookupTable {
  const rows = [];
  for (let i = 0; i < crashRowCount(version); i++) {
    rows.push({ user: `user-${i}`, command: ['a', `v${version}`], firstTimeSeen: String(version), lastTimeSeen: String(i) });
  }
  return { columns: ['user', 'command', 'firstTimeSeen', 'lastTimeSeen'], rows };
}

/** The version a table holds if it is exactly one complete crashTable(version), else throws. */
export function versionOf(table: LookupTable): number {
  const first = table.rows[0];
  if (first === undefined) throw new Error('table is empty');
  const version = Number(first.firstTimeSeen);
  const expected = crashTable(version);
  if (table.rows.length !== expected.rows.length) {
    throw new Error(`torn table: ${table.rows.length} rows, version ${version} has ${expected.rows.length}`);
  }
  for (let i = 0; i < expected.rows.length; i++) {
    const got = JSON.stringify(table.rows[i]);
    const want = JSON.stringify(expected.rows[i]);
    if (got !== want) throw new Error(`torn table at row ${i}: ${got} instead of ${want}`);
  }
  return version;
}
