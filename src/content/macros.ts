/**
 * Loads security_content-style macros (`<dir>/macros/*.yml`: name, definition, arguments) into a
 * MacroTable keyed by `name` or `name(N)`. The project's own content/ comes first; later
 * directories override earlier definitions of the same key.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { TrailguardError } from '../errors.js';
import { macroKey, type MacroDef, type MacroTable } from '../spl/macros.js';
import { packagePath } from '../util/paths.js';

export type { MacroDef, MacroTable } from '../spl/macros.js';

function contentError(file: string, reason: string): TrailguardError {
  return new TrailguardError({ code: 'SPL105', phase: 'content', reason: `${file}: ${reason}`, location: { file }, hints: ['a macro file needs `name:` and `definition:` (and `arguments:` for macros that take arguments)'] });
}

/** Reads one macro YAML file. */
export function readMacroFile(file: string): MacroDef {
  let doc: unknown;
  try {
    doc = parseYaml(readFileSync(file, 'utf8'));
  } catch (err) {
    throw contentError(file, `not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  if (typeof doc !== 'object' || doc === null) throw contentError(file, 'expected a mapping');
  const d = doc as Record<string, unknown>;
  if (typeof d.name !== 'string' || d.name === '') throw contentError(file, 'missing `name`');
  if (typeof d.definition !== 'string' && typeof d.definition !== 'number') throw contentError(file, 'missing `definition`');
  const args = d.arguments ?? [];
  if (!Array.isArray(args) || !args.every((a) => typeof a === 'string')) throw contentError(file, '`arguments` must be a list of names');
  // security_content writes some names with the arity already attached (`foo(1)`): strip it.
  const name = d.name.replace(/\(\d+\)$/, '');
  return { name, args: args as string[], definition: String(d.definition), file };
}

/** Macros from `<dir>/macros/*.yml` of the project content and each extra directory, in order. */
export function loadMacros(dirs: string[] = [], opts: { includeProject?: boolean } = {}): MacroTable {
  const table: MacroTable = new Map();
  const all = opts.includeProject === false ? dirs : [packagePath('content'), ...dirs];
  for (const dir of all) {
    const macroDir = join(dir, 'macros');
    if (!existsSync(macroDir)) continue;
    for (const f of readdirSync(macroDir).filter((n) => /\.ya?ml$/.test(n)).sort()) {
      const def = readMacroFile(join(macroDir, f));
      table.set(macroKey(def.name, def.args.length), def);
    }
  }
  return table;
}
