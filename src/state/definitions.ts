/**
 * Lookup definitions (SPL.md §7.1): `lookups/*.yml` in each content directory defines either a
 * CSV file (`filename:`) or a key-value collection (`collection:` + `fields_list:`).
 * Directories are read in order; a later directory's definition of the same name replaces an
 * earlier one, so user `--content` dirs (given after the project's own content) can override it.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseContentYaml, YamlReadError } from '../util/yaml.js';
import { TrailguardError } from '../errors.js';

export interface CsvLookupDefinition {
  kind: 'csv';
  name: string;
  /** File name inside a `lookups/` directory (no path separators). */
  filename: string;
  description?: string;
  /** The YAML file that defined it; undefined for a bare `name.csv` reference. */
  definedIn?: string;
}

export interface CollectionLookupDefinition {
  kind: 'collection';
  name: string;
  collection: string;
  /** `fields_list` split on commas, trimmed, in order (includes `_key` when listed). */
  fieldsList: string[];
  description?: string;
  definedIn?: string;
}

export type LookupDefinition = CsvLookupDefinition | CollectionLookupDefinition;

function contentError(file: string, reason: string): TrailguardError {
  return new TrailguardError({
    code: 'lookup-definition',
    phase: 'content',
    reason,
    location: { file },
    hints: ['a lookup definition needs `name:` and either `filename: X.csv` or `collection:` with `fields_list:`'],
  });
}

/** A safe file name for a CSV lookup: no directories, no `..`, so writes stay inside `lookups/`. */
export function checkLookupFilename(filename: string, where: string): void {
  if (filename === '' || /[\\/]/.test(filename) || filename === '.' || filename === '..') {
    throw new TrailguardError({
      code: 'lookup-filename',
      phase: 'state',
      reason: `lookup file name '${filename}' must be a plain file name (no directories)`,
      location: { file: where },
    });
  }
}

function fieldsListOf(raw: unknown): string[] {
  if (Array.isArray(raw)) return raw.map((f) => String(f).trim()).filter((f) => f !== '');
  if (typeof raw === 'string') return raw.split(',').map((f) => f.trim()).filter((f) => f !== '');
  return [];
}

export function parseLookupDefinition(text: string, file: string): LookupDefinition {
  let doc: unknown;
  try {
    doc = parseContentYaml(text, file).value;
  } catch (e) {
    if (!(e instanceof YamlReadError)) throw e;
    throw new TrailguardError({
      code: 'lookup-definition',
      phase: 'content',
      reason: e.failure.reason,
      location: { file, line: e.failure.line },
    });
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw contentError(file, 'expected a YAML mapping');
  const d = doc as Record<string, unknown>;
  if (typeof d.name !== 'string' || d.name.trim() === '') throw contentError(file, 'missing `name:`');
  const name = d.name.trim();
  const description = typeof d.description === 'string' ? d.description : undefined;
  if (typeof d.filename === 'string' && d.filename.trim() !== '') {
    const filename = d.filename.trim();
    checkLookupFilename(filename, file);
    return { kind: 'csv', name, filename, description, definedIn: file };
  }
  if (typeof d.collection === 'string' && d.collection.trim() !== '') {
    return {
      kind: 'collection',
      name,
      collection: d.collection.trim(),
      fieldsList: fieldsListOf(d.fields_list),
      description,
      definedIn: file,
    };
  }
  throw contentError(file, `lookup '${name}' has neither \`filename:\` nor \`collection:\``);
}

export interface LookupDefinitionSet {
  definitions: Map<string, LookupDefinition>;
  /** Files that could not be read, by the lookup name they most likely define (their stem). */
  broken: Map<string, { file: string; line?: number; reason: string }>;
}

/**
 * All definitions from `<dir>/lookups/*.yml` for each dir, keyed by name (later dirs win). A file
 * that cannot be read is skipped and remembered, so only a search that uses it fails.
 */
export function loadLookupDefinitionSet(contentDirs: readonly string[]): LookupDefinitionSet {
  const definitions = new Map<string, LookupDefinition>();
  const broken: LookupDefinitionSet['broken'] = new Map();
  for (const dir of contentDirs) {
    const lookups = join(dir, 'lookups');
    if (!existsSync(lookups)) continue;
    const files = readdirSync(lookups)
      .filter((f) => f.endsWith('.yml') || f.endsWith('.yaml'))
      .sort();
    for (const f of files) {
      const file = join(lookups, f);
      try {
        const def = parseLookupDefinition(readFileSync(file, 'utf8'), file);
        definitions.set(def.name, def);
      } catch (err) {
        if (!(err instanceof TrailguardError)) throw err;
        broken.set(f.replace(/\.ya?ml$/, ''), { file, line: err.location?.line, reason: err.reason });
      }
    }
  }
  return { definitions, broken };
}

/** Definitions only; throws on the first unreadable file (strict callers and tests). */
export function loadLookupDefinitions(contentDirs: readonly string[]): Map<string, LookupDefinition> {
  const set = loadLookupDefinitionSet(contentDirs);
  const first = [...set.broken.values()][0];
  if (first) throw new TrailguardError({ code: 'lookup-definition', phase: 'content', reason: first.reason, location: { file: first.file, line: first.line } });
  return set.definitions;
}
