/**
 * Reads content YAML the way Splunk's content tooling does. That tooling uses PyYAML, which accepts
 * a multi-line quoted scalar whose continuation lines start in column 0 (a handful of files in a
 * security_content checkout are written that way); the `yaml` package, following the spec,
 * rejects them. When a file fails to parse, continuation lines of an open quoted scalar are
 * indented by one space — line folding drops leading white space, so the value is unchanged —
 * and the file is parsed again; the caller is told which lines were normalised.
 */
import { readFileSync } from 'node:fs';
import type * as Yaml from 'yaml';
import type { Document, LineCounter } from 'yaml';
import { lazyRequire } from './lazy-require.js';
import { parsedYaml } from './parsed-yaml.js';

/** The `yaml` package, loaded only when a file has to be parsed (see util/parsed-yaml). */
export const yamlPackage = lazyRequire<typeof Yaml>('yaml');

export interface YamlFile {
  file: string;
  text: string;
  doc: Document;
  /** The document as plain JS (mapping, list, scalar or null). */
  value: unknown;
  lineCounter: LineCounter;
  /** 1-based lines indented to make PyYAML-style quoted continuations parse (empty when none). */
  normalisedLines: number[];
  /**
   * For a file the build parsed: the line of the node at each path of the value, keyed by
   * JSON.stringify(path) (what `lineOf` answers without parsing the document).
   */
  nodeLines?: Readonly<Record<string, number>>;
}

export interface YamlFailure {
  file: string;
  line?: number;
  column?: number;
  reason: string;
}

/** Thrown (as a value) when a file cannot be read as YAML even after normalising. */
export class YamlReadError extends Error {
  constructor(readonly failure: YamlFailure) {
    super(failure.reason);
  }
}

const KEY_VALUE = /^(\s*)(?:-\s+)?(?:"(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#'"-][^#]*?|-[^\s#]+?)\s*:(?:\s+|$)/;
const LIST_ITEM = /^(\s*)-\s+/;

/** Where the quoted scalar that starts at `from` (at a quote character) ends on this line, or -1. */
function closingQuote(line: string, from: number, quote: string): number {
  for (let i = from; i < line.length; i++) {
    const c = line[i];
    if (quote === '"' && c === '\\') {
      i++;
      continue;
    }
    if (c === quote) {
      if (quote === "'" && line[i + 1] === "'") {
        i++;
        continue;
      }
      return i;
    }
  }
  return -1;
}

/**
 * Indents column-0 continuation lines of multi-line quoted scalars. Block scalars (`|`, `>`) and
 * comments are left alone. Returns the new text and the 1-based lines it changed.
 */
export function normalisePyYamlQuotes(text: string): { text: string; lines: number[] } {
  const lines = text.split('\n');
  const changed: number[] = [];
  let open: string | null = null;
  let blockIndent = -1;
  for (let n = 0; n < lines.length; n++) {
    let line = lines[n]!;
    if (open !== null) {
      if (line.length > 0 && !/^\s/.test(line)) {
        line = ' ' + line;
        lines[n] = line;
        changed.push(n + 1);
      }
      const end = closingQuote(line, 0, open);
      if (end >= 0) open = null;
      continue;
    }
    const indent = line.length - line.trimStart().length;
    if (blockIndent >= 0) {
      if (line.trim() === '' || indent > blockIndent) continue;
      blockIndent = -1;
    }
    const kv = KEY_VALUE.exec(line) ?? LIST_ITEM.exec(line);
    if (kv === null) continue;
    const rest = line.slice(kv[0].length);
    const first = rest.trimStart();
    const at = kv[0].length + (rest.length - first.length);
    if (/^[|>][-+0-9]*\s*(#.*)?$/.test(first)) {
      blockIndent = kv[1]!.length;
      continue;
    }
    if (first.startsWith("'") || first.startsWith('"')) {
      const q = first[0]!;
      if (closingQuote(line, at + 1, q) < 0) open = q;
    }
  }
  return { text: lines.join('\n'), lines: changed };
}

function firstError(doc: Document, file: string): YamlFailure | undefined {
  const e = doc.errors[0];
  if (e === undefined) return undefined;
  const pos = e.linePos?.[0];
  return { file, line: pos?.line, column: pos?.col, reason: `invalid YAML: ${e.message.split('\n')[0]}` };
}

/** Parses YAML text (see the module comment for the PyYAML normalisation). Throws YamlReadError. */
export function parseContentYaml(text: string, file: string): YamlFile {
  const clean = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const built = parsedYaml(file, text, 'content');
  if (built !== undefined) return fromBuild(file, clean, built);
  const { LineCounter, parseDocument } = yamlPackage();
  let lineCounter = new LineCounter();
  let doc = parseDocument(clean, { lineCounter, prettyErrors: true });
  const strictError = firstError(doc, file);
  let normalisedLines: number[] = [];
  let used = clean;
  if (strictError !== undefined) {
    const norm = normalisePyYamlQuotes(clean);
    if (norm.lines.length === 0) throw new YamlReadError(strictError);
    lineCounter = new LineCounter();
    doc = parseDocument(norm.text, { lineCounter, prettyErrors: true });
    if (doc.errors.length > 0) throw new YamlReadError(strictError);
    normalisedLines = norm.lines;
    used = norm.text;
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 1000 });
  } catch (err) {
    throw new YamlReadError({ file, reason: `invalid YAML: ${(err as Error).message.split('\n')[0]}` });
  }
  return { file, text: used, doc, value, lineCounter, normalisedLines };
}

/**
 * A file the build parsed (util/parsed-yaml): the value is the build's; the document and line
 * counter, which only position lookups need, are parsed from the same text on first use.
 */
function fromBuild(file: string, clean: string, built: { value: unknown; normalisedLines: number[]; nodeLines?: Record<string, number> }): YamlFile {
  const { value, normalisedLines, nodeLines } = built;
  const text = normalisedLines.length > 0 ? normalisePyYamlQuotes(clean).text : clean;
  let parsed: { doc: Document; lineCounter: LineCounter } | undefined;
  const parse = () => {
    if (parsed === undefined) {
      const { LineCounter, parseDocument } = yamlPackage();
      const lineCounter = new LineCounter();
      parsed = { doc: parseDocument(text, { lineCounter, prettyErrors: true }), lineCounter };
    }
    return parsed;
  };
  return {
    file, text, value, normalisedLines, nodeLines,
    get doc() {
      return parse().doc;
    },
    get lineCounter() {
      return parse().lineCounter;
    },
  };
}

/** Reads and parses a content YAML file. Throws YamlReadError (also for an unreadable file). */
export function readContentYaml(file: string): YamlFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new YamlReadError({ file, reason: `cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` });
  }
  return parseContentYaml(text, file);
}

/**
 * 1-based line where the node at `path` (keys and list indexes) starts, if it exists. A path the
 * build recorded is answered from `nodeLines`; any other is looked up in the parsed document.
 */
export function lineOf(y: YamlFile, path: readonly (string | number)[]): number | undefined {
  const known = y.nodeLines?.[JSON.stringify(path)];
  if (known !== undefined) return known;
  const node = y.doc.getIn(path, true) as { range?: [number, number, number] } | undefined;
  return node?.range ? y.lineCounter.linePos(node.range[0]).line : undefined;
}

/** 1-based line of a top-level key's value in the file, if the key exists. */
export function keyLine(y: YamlFile, key: string): number | undefined {
  return lineOf(y, [key]);
}
