/**
 * A lookup name that nothing defines: no lookups/*.yml names it, no CSV file of that name ships
 * in a content dir, and no content search writes it. Reading it gives an empty table (every
 * `lookup` adds nothing, `inputlookup` returns no rows); writing it fails unless it ends in
 * `.csv`. A name whose definition file could not be read is reported by `validate` as invalid
 * instead (naming that file), not here.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { allCommands } from '../analysis.js';
import type { Content } from '../load.js';
import type { LintFinding, LintRule } from './types.js';

/** The definition file of `name` that could not be read, if any (as the lookup store resolves names). */
export function brokenLookup(content: Content, name: string): { file: string; line?: number; reason: string } | undefined {
  return content.lookups.broken.get(name) ?? content.lookups.broken.get(name.replace(/\.csv$/i, ''));
}

/** True when `name` resolves: a definition, a CSV definition's file name, or a CSV file in a content dir. */
export function lookupKnown(content: Content, name: string): boolean {
  if (content.lookups.definitions.has(name)) return true;
  if (!name.toLowerCase().endsWith('.csv')) return false;
  for (const d of content.lookups.definitions.values()) if (d.kind === 'csv' && d.filename === name) return true;
  return content.dirs.some((dir) => existsSync(join(dir, 'lookups', name)));
}

export const unknownLookup: LintRule = {
  code: 'lint-unknown-lookup',
  severity: 'warning',
  summary: 'a lookup that no lookups/*.yml defines, no CSV file provides and no content search writes',
  hint: 'define it in lookups/<name>.yml (filename: <name>.csv, or collection: + fields_list:), or ship the CSV file in lookups/',
  needsAst: true,
  check(ctx) {
    const out: LintFinding[] = [];
    const seen = new Set<string>();
    for (const c of allCommands(ctx.compiled!.pipeline)) {
      if (c.name !== 'lookup' && c.name !== 'inputlookup' && c.name !== 'outputlookup') continue;
      const name = c.table;
      const writes = c.name === 'outputlookup';
      const key = `${name}\u0000${writes}`;
      if (seen.has(key) || lookupKnown(ctx.content, name) || brokenLookup(ctx.content, name) !== undefined) continue;
      // `outputlookup x.csv` creates the file; a bare `x.csv` some search writes exists once it has run.
      const csv = name.toLowerCase().endsWith('.csv');
      if (csv && (writes || ctx.index.writtenTables.has(name))) continue;
      seen.add(key);
      out.push({
        message: writes
          ? `\`outputlookup ${name}\`: no lookup definition has that name, so the write fails`
          : `lookup \`${name}\` is not defined: no lookups/*.yml names it${csv ? ` and no lookups/${name} ships` : ''}; it reads as an empty table`,
        position: ctx.at(c.span),
      });
    }
    return out;
  },
};
