/**
 * Loads security_content-style macros (`<dir>/macros/*.yml`: name, definition, arguments) into a
 * MacroTable keyed by `name` or `name(N)`. The project's own content/ comes first; later
 * directories override earlier definitions of the same key. A file that cannot be read is
 * skipped and remembered: a search that calls the macro it would have defined fails naming it.
 */
import { existsSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { macroKey, type MacroDef, type MacroTable } from '../spl/macros.js';
import { packagePath } from '../util/paths.js';
import type { ContentProblem } from './problems.js';
import { readContentYaml, YamlReadError, type YamlFailure, type YamlFile } from '../util/yaml.js';

export type { MacroDef, MacroTable } from '../spl/macros.js';

/** A macro file that could not be loaded, by the macro name it most likely defines. */
export type BrokenFiles = Map<string, YamlFailure>;

export interface MacroSet {
  table: MacroTable;
  broken: BrokenFiles;
  problems: ContentProblem[];
}

const HINT = 'a macro file needs `name:` and `definition:` (and `arguments:` for macros that take arguments)';

function macroFromYaml(y: YamlFile): MacroDef {
  const fail = (reason: string): never => {
    throw new YamlReadError({ file: y.file, line: 1, reason });
  };
  const d = y.value;
  if (typeof d !== 'object' || d === null || Array.isArray(d)) return fail('expected a mapping');
  const m = d as Record<string, unknown>;
  if (typeof m.name !== 'string' || m.name === '') return fail('missing `name`');
  if (typeof m.definition !== 'string' && typeof m.definition !== 'number') return fail('missing `definition`');
  const args = m.arguments ?? [];
  if (!Array.isArray(args) || !args.every((a) => typeof a === 'string')) return fail('`arguments` must be a list of names');
  // security_content writes some names with the arity already attached (`foo(1)`): strip it.
  const name = m.name.replace(/\(\d+\)$/, '');
  return { name, args: args as string[], definition: String(m.definition), file: y.file };
}

/** Reads one macro YAML file. Throws YamlReadError. */
export function readMacroFile(file: string): MacroDef {
  return macroFromYaml(readContentYaml(file));
}

/** The macro name a broken file was probably meant to define: its `name:` line, else its stem. */
function likelyName(file: string): string {
  return basename(file).replace(/\.ya?ml$/i, '');
}

/** Macros of the given content dirs (the project's content/ first unless `includeProject` is false). */
export function loadMacroSet(dirs: readonly string[] = [], opts: { includeProject?: boolean } = {}): MacroSet {
  const table: MacroTable = new Map();
  const broken: BrokenFiles = new Map();
  const problems: ContentProblem[] = [];
  const all = opts.includeProject === false ? dirs : [packagePath('content'), ...dirs];
  for (const dir of all) {
    const macroDir = join(dir, 'macros');
    if (!existsSync(macroDir)) continue;
    for (const f of readdirSync(macroDir).filter((n) => /\.ya?ml$/.test(n)).sort()) {
      const file = join(macroDir, f);
      try {
        const y = readContentYaml(file);
        const def = macroFromYaml(y);
        table.set(macroKey(def.name, def.args.length), def);
        if (y.normalisedLines.length > 0) problems.push(normalisedNote(y));
      } catch (err) {
        if (!(err instanceof YamlReadError)) throw err;
        broken.set(likelyName(file), err.failure);
        problems.push({ severity: 'error', code: 'macro-unreadable', ...err.failure, message: `macro file skipped: ${err.failure.reason}`, hint: HINT });
      }
    }
  }
  return { table, broken, problems };
}

/** Macros only (for callers that do not report content problems). */
export function loadMacros(dirs: readonly string[] = [], opts: { includeProject?: boolean } = {}): MacroTable {
  return loadMacroSet(dirs, opts).table;
}

export function normalisedNote(y: YamlFile): ContentProblem {
  const lines = y.normalisedLines;
  const span = lines.length === 1 ? `line ${lines[0]}` : `lines ${lines[0]}–${lines[lines.length - 1]}`;
  return {
    severity: 'info',
    code: 'yaml-pyyaml-indent',
    file: y.file,
    line: lines[0],
    message: `read as PyYAML reads it: a quoted value continues in column 0 (${span}); Trailguard indented those lines before parsing`,
    hint: 'indent continuation lines of quoted values so strict YAML parsers accept the file',
  };
}
