/**
 * Where a character of a detection's `search:` value lies in its YAML file.
 *
 * The SPL front end reports positions inside the search text. That text is the YAML scalar's
 * *value*, which differs from the file: a quoted or plain scalar spread over several lines is
 * folded into one line (each line break becomes a space, indentation is dropped, `''` is one
 * quote), and a block scalar (`|`, `>`) loses its indentation. So "line 1, column 140 of the
 * search" is, in the file, line `searchLine + 2`, column 17. This module rebuilds, for each
 * character of the value, the file offset it came from, following YAML 1.2's folding rules; the
 * result is checked against the parsed value, and when the two disagree (an exotic scalar) no
 * column is given rather than a wrong one.
 */
import { yamlPackage, type YamlFile } from '../util/yaml.js';

export interface FilePosition {
  line: number;
  column?: number;
}

const isBlank = (c: string | undefined) => c === ' ' || c === '\t';
const isBreak = (text: string, i: number) => text[i] === '\n' || (text[i] === '\r' && text[i + 1] === '\n');
const breakLength = (text: string, i: number) => (text[i] === '\r' ? 2 : 1);

/** Value index → file offset for a plain, single- or double-quoted scalar whose body is text[from, to). */
function flowOffsets(text: string, from: number, to: number, style: 'plain' | 'single' | 'double'): number[] {
  const out: number[] = [];
  // Entries that must survive line folding (escapes, folded breaks) are marked kept.
  const kept: boolean[] = [];
  const push = (offset: number, keep: boolean) => {
    out.push(offset);
    kept.push(keep);
  };
  let lineStart = 0;
  let i = from;
  while (i < to) {
    const c = text[i]!;
    if (isBreak(text, i)) {
      // Folding: white space before the break is dropped, one break is a space, and each
      // empty line after it is a newline (the first break then disappears).
      while (out.length > lineStart && !kept[out.length - 1] && /[ \t\r]/.test(text[out[out.length - 1]!]!)) {
        out.pop();
        kept.pop();
      }
      const empties: number[] = [];
      let j = i + breakLength(text, i);
      for (;;) {
        let k = j;
        while (k < to && isBlank(text[k])) k++;
        if (k < to && isBreak(text, k)) {
          empties.push(k);
          j = k + breakLength(text, k);
          continue;
        }
        j = k;
        break;
      }
      if (empties.length === 0) push(i, true);
      else for (const e of empties) push(e, true);
      lineStart = out.length;
      i = j;
      continue;
    }
    if (style === 'single' && c === "'" && text[i + 1] === "'") {
      push(i, true);
      i += 2;
      continue;
    }
    if (style === 'double' && c === '\\') {
      const n = text[i + 1];
      if (n !== undefined && isBreak(text, i + 1)) {
        // An escaped line break joins the lines without a space; white space before it stays.
        let j = i + 1 + breakLength(text, i + 1);
        while (j < to && isBlank(text[j])) j++;
        lineStart = out.length;
        i = j;
        continue;
      }
      const len = n === 'x' ? 4 : n === 'u' ? 6 : n === 'U' ? 10 : 2;
      const code = len > 2 ? parseInt(text.slice(i + 2, i + len), 16) : 0;
      const units = code > 0xffff ? 2 : 1;
      for (let u = 0; u < units; u++) push(i, true);
      i += len;
      continue;
    }
    push(i, false);
    i++;
  }
  return out;
}

/** Value index → file offset for a block scalar whose header (`|`, `>-`, `|2`…) starts at `header`. */
function blockOffsets(text: string, header: number, end: number, folded: boolean, parentIndent: number): number[] {
  const out: number[] = [];
  const headerEnd = text.indexOf('\n', header);
  if (headerEnd < 0) return out;
  const explicit = /^[|>][-+]?([1-9])|^[|>]([1-9])/.exec(text.slice(header, headerEnd));
  // Lines of the body: [start, end) without the line break.
  const lines: Array<{ start: number; end: number }> = [];
  for (let s = headerEnd + 1; s < end; ) {
    const nl = text.indexOf('\n', s);
    const e = nl < 0 || nl > end ? end : nl;
    lines.push({ start: s, end: e > s && text[e - 1] === '\r' ? e - 1 : e });
    s = e + 1;
  }
  let indent: number;
  if (explicit) indent = parentIndent + Number(explicit[1] ?? explicit[2]);
  else {
    const first = lines.find((l) => text.slice(l.start, l.end).trim() !== '');
    if (!first) return out;
    indent = 0;
    while (text[first.start + indent] === ' ') indent++;
  }
  const empty = (l: { start: number; end: number }) => l.end - l.start <= indent && text.slice(l.start, l.end).trim() === '';
  let prev: 'none' | 'normal' | 'more' = 'none';
  let pendingBreak = -1;
  let empties: number[] = [];
  for (const l of lines) {
    if (empty(l)) {
      empties.push(l.start);
      continue;
    }
    const kind = isBlank(text[l.start + indent]) ? 'more' : 'normal';
    if (prev !== 'none') {
      if (!folded || prev === 'more' || kind === 'more' || empties.length === 0) out.push(pendingBreak);
      out.push(...empties);
    } else out.push(...empties);
    for (let i = l.start + indent; i < l.end; i++) out.push(i);
    pendingBreak = l.end;
    prev = kind;
    empties = [];
  }
  if (pendingBreak >= 0) out.push(pendingBreak);
  return out;
}

/** Value index → file offset for a YAML scalar node, or undefined when the node is not a string scalar. */
export function scalarOffsets(y: YamlFile, node: unknown): number[] | undefined {
  const { isScalar, Scalar } = yamlPackage();
  if (!isScalar(node) || typeof node.value !== 'string' || !node.range) return undefined;
  const [start, valueEnd] = node.range;
  const text = y.text;
  switch (node.type) {
    case Scalar.QUOTE_SINGLE:
      return flowOffsets(text, start + 1, valueEnd - 1, 'single');
    case Scalar.QUOTE_DOUBLE:
      return flowOffsets(text, start + 1, valueEnd - 1, 'double');
    case Scalar.PLAIN:
      return flowOffsets(text, start, valueEnd, 'plain');
    case Scalar.BLOCK_LITERAL:
    case Scalar.BLOCK_FOLDED: {
      const lineStart = text.lastIndexOf('\n', start - 1) + 1;
      let parentIndent = 0;
      while (text[lineStart + parentIndent] === ' ') parentIndent++;
      return blockOffsets(text, start, valueEnd, node.type === Scalar.BLOCK_FOLDED, parentIndent);
    }
    default:
      return undefined;
  }
}

/** True when every value character maps to a file character that can have produced it. */
function consistent(text: string, value: string, offsets: number[], upTo: number): boolean {
  if (offsets.length < upTo) return false;
  for (let k = 0; k < upTo; k++) {
    const v = value[k]!;
    const f = text[offsets[k]!];
    if (f === v) continue;
    if ((v === ' ' || v === '\n') && (f === '\n' || f === '\r' || f === ' ' || f === '\t')) continue;
    if (f === '\\') continue; // a double-quoted escape
    return false;
  }
  return true;
}

/**
 * Maps offsets of a ContentSearch's `search` text (the YAML value, trimmed) to positions in its
 * file. `locate` gives the line always and the column when the mapping could be verified.
 */
export class SearchPositions {
  private readonly offsets: number[] | undefined;
  private readonly lead: number;

  constructor(
    private readonly y: YamlFile,
    private readonly searchLine: number,
    search: string,
    key: (string | number)[] = ['search'],
  ) {
    const node = y.doc.getIn(key, true);
    const value = yamlPackage().isScalar(node) && typeof node.value === 'string' ? node.value : undefined;
    const offsets = value === undefined ? undefined : scalarOffsets(y, node);
    this.lead = value === undefined ? 0 : value.length - value.trimStart().length;
    const fits = value !== undefined && value.trim() === search && offsets !== undefined && consistent(y.text, value, offsets, this.lead + search.length);
    this.offsets = fits ? offsets : undefined;
  }

  /** 1-based line and column in the file of offset `at` of the search text. */
  locate(at: number): FilePosition {
    if (this.offsets === undefined) return { line: this.searchLine };
    const k = Math.max(0, this.lead + at);
    // The end of the text (an error "at the end") is one past the last character.
    const off = k < this.offsets.length ? this.offsets[k]! : this.offsets.length > 0 ? this.offsets[this.offsets.length - 1]! + 1 : 0;
    const pos = this.y.lineCounter.linePos(off);
    // Lines Trailguard indented by one space to read PyYAML-style files are one column off.
    const column = this.y.normalisedLines.includes(pos.line) ? Math.max(1, pos.col - 1) : pos.col;
    return { line: pos.line, column };
  }
}
