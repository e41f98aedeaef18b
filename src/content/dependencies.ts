/**
 * Which baselines a detection needs and in what order they run. A baseline feeds a detection when
 * its `tags.detections` names it, or when it writes a table the detection reads — unless that
 * table ships as a file in the content (an allow-list people curate: the baseline that writes it
 * only proposes entries, and runs when named).
 *
 * Order: a baseline that writes a table without reading it (an "Initial" build) runs before one
 * that reads and rewrites it (an "Update"); otherwise by name.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Content } from './load.js';
import type { ContentSearch } from './model.js';
import { tableUse, type TableUse } from './analysis.js';

const NO_USE: TableUse = { reads: new Set(), writes: new Set() };

export function searchTables(content: Content, s: ContentSearch): TableUse {
  const out = content.tryCompile(s);
  return out.ok ? tableUse(out.compiled.pipeline) : NO_USE;
}

/** True when the table is a CSV file shipped in one of the content dirs. */
export function isShippedFile(content: Content, table: string): boolean {
  const def = content.lookups.definitions.get(table);
  const filename = def?.kind === 'csv' ? def.filename : table.toLowerCase().endsWith('.csv') ? table : undefined;
  if (filename === undefined) return false;
  return content.dirs.some((d) => existsSync(join(d, 'lookups', filename)));
}

/** The tables through which `baseline` feeds `detection` (empty when it does not). */
export function sharedTables(content: Content, baseline: ContentSearch, detection: ContentSearch): string[] {
  const reads = searchTables(content, detection).reads;
  return [...searchTables(content, baseline).writes].filter((t) => reads.has(t) && !isShippedFile(content, t));
}

export function feeds(content: Content, baseline: ContentSearch, detection: ContentSearch): boolean {
  const named = baseline.feeds.some((n) => n.trim().toLowerCase() === detection.name.toLowerCase());
  return named || sharedTables(content, baseline, detection).length > 0;
}

/** The baselines a detection needs, in run order. */
export function baselinesFor(content: Content, detection: ContentSearch): ContentSearch[] {
  return orderBaselines(content, content.baselines.filter((b) => feeds(content, b, detection)));
}

/** Dependency order (see the module comment); stable by name otherwise. */
export function orderBaselines(content: Content, list: readonly ContentSearch[]): ContentSearch[] {
  const use = new Map(list.map((b) => [b, searchTables(content, b)]));
  const before = (a: ContentSearch, b: ContentSearch): boolean => {
    const ua = use.get(a)!;
    const ub = use.get(b)!;
    return [...ua.writes].some((t) => !ua.reads.has(t) && ub.reads.has(t) && ub.writes.has(t));
  };
  const pending = [...list].sort((a, b) => a.name.localeCompare(b.name));
  const out: ContentSearch[] = [];
  while (pending.length > 0) {
    const i = pending.findIndex((b) => !pending.some((a) => a !== b && before(a, b)));
    out.push(...pending.splice(i < 0 ? 0 : i, 1));
  }
  return out;
}
