/**
 * YAML of the package that the build has already parsed. `npm run build` runs
 * scripts/parse-yaml.mjs, which writes dist/parsed-yaml/<reader>.json: for each YAML file of the
 * package's content/ and of data/fieldmodel, data/datamodels and data/mitre, its text and what
 * the loader makes of it (as JSON text). A loader reading a package file asks here first and gets
 * that value only when the text it has just read is the same, so an edited file, a file
 * outside the package (--content DIR) or a missing cache is parsed from YAML as before: the YAML
 * stays the source of truth, and the cache only saves parsing it at every start-up.
 *
 * One file per reader: a search reads the content and the field model, not the ATT&CK table
 * (a third of the entries' bytes), and every start-up reads and parses the file it asks.
 */
import { readFileSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import { packagePath, packageRoot } from './paths.js';

/**
 * Which loader's reading the entry holds: util/yaml's (content), the field model's (data), or
 * the checked ATT&CK table of content/mitre (mitre).
 */
export type YamlReader = 'content' | 'data' | 'mitre';

export interface ParsedYamlEntry {
  /**
   * The file's text when the build read it. Compared whole rather than by a hash: exact, and a
   * search then loads no node:crypto (about 4 ms of start-up) for it.
   */
  text: string;
  reader: YamlReader;
  /** The value, as JSON text (parsed per request, so no two callers share objects). */
  json: string;
  /** For 'content': the lines util/yaml normalised (PyYAML quotes). */
  normalisedLines?: number[];
  /** For 'content': line of the node at each path of the value (see util/yaml lineOf). */
  nodeLines?: Record<string, number>;
}

/** The cache's format; a file of another one is not read (the YAML is parsed instead). */
export const PARSED_YAML_VERSION = 3;

export interface ParsedYamlFile {
  version: typeof PARSED_YAML_VERSION;
  /** By path relative to the package root, with `/`. */
  files: Record<string, ParsedYamlEntry>;
}

/** Where the build writes the cache of one reader's files, relative to the package root. */
export function parsedYamlPath(reader: YamlReader): string[] {
  return ['dist', 'parsed-yaml', `${reader}.json`];
}

export const YAML_READERS: readonly YamlReader[] = ['content', 'data', 'mitre'];

const tables = new Map<YamlReader, Record<string, ParsedYamlEntry> | null>();

function entries(reader: YamlReader): Record<string, ParsedYamlEntry> | null {
  let table = tables.get(reader);
  if (table === undefined) {
    try {
      const f = JSON.parse(readFileSync(packagePath(...parsedYamlPath(reader)), 'utf8')) as ParsedYamlFile;
      table = f.version === PARSED_YAML_VERSION ? f.files : null;
    } catch {
      table = null; // no cache (running from src/ before a build, or a stripped install): parse YAML
    }
    tables.set(reader, table);
  }
  return table;
}

/** The build's reading of `file` when `text` is still what it read, else undefined. */
export function parsedYaml(file: string, text: string, reader: YamlReader): { value: unknown; normalisedLines: number[]; nodeLines?: Record<string, number> } | undefined {
  const root = packageRoot() + sep;
  const abs = resolve(file);
  if (!abs.startsWith(root)) return undefined; // not a file of the package
  const e = entries(reader)?.[abs.slice(root.length).split(sep).join('/')];
  if (e === undefined || e.reader !== reader || e.text !== text) return undefined;
  return { value: JSON.parse(e.json) as unknown, normalisedLines: e.normalisedLines ?? [], nodeLines: e.nodeLines };
}
