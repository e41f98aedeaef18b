/**
 * A JSON-aware byte scanner that finds where each record of a container starts and ends, without
 * parsing the records. It works on UTF-8 bytes: every structural character of JSON is ASCII and
 * no byte of a multi-byte UTF-8 sequence is below 0x80, so scanning bytes is exact.
 *
 * The scanner is resumable: feed it consecutive chunks of one stream (`scan`) and it reports each
 * record's start and end as absolute byte offsets, keeping its state (depth, inside a string, …)
 * between chunks. It is deliberately free of I/O so the engine's workers can run it on a chunk.
 */

/** Where the records are: elements of a top-level array, of the top-level object's `Records`
 *  array (CloudTrail delivery files), or a sequence of top-level values (concatenated JSON). */
export type ContainerMode = 'array' | 'records' | 'values';

export interface ElementSink {
  /** A complete record: bytes [start, end) of the stream, starting on 1-based `line`. */
  element(start: number, end: number, line: number): void;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;
const NEWLINE = 0x0a;
const RECORDS_KEY = [0x52, 0x65, 0x63, 0x6f, 0x72, 0x64, 0x73]; // "Records"

function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}

export class ContainerScanner {
  private depth = 0;
  private inString = false;
  private escape = false;
  /** Absolute offset where the current record starts, or -1 between records. */
  private elemStart = -1;
  private elemLine = 0;
  /** The current record is a scalar (ends at a delimiter, not at a closing bracket). */
  private elemScalar = false;
  private line = 1;
  /** Absolute offset of byte 0 of the next chunk. */
  private base = 0;
  // 'records' mode: tracking the keys of the top-level object.
  private expectKey = false;
  private keyPos = 0;
  private keyMatches = false;
  private lastKeyIsRecords = false;
  private inRecords = false;
  /** Depth at which records start (their container has this depth). */
  private readonly target: number;

  constructor(readonly mode: ContainerMode) {
    this.target = mode === 'values' ? 0 : mode === 'array' ? 1 : 2;
  }

  /** Bytes consumed so far (absolute offset of the end of the last chunk). */
  get offset(): number {
    return this.base;
  }

  /** Skips `n` bytes of the stream without scanning them (e.g. a byte-order mark). */
  advance(n: number): void {
    this.base += n;
  }

  /** Absolute start of a record still open at the end of the last chunk, or -1. */
  get openElementStart(): number {
    return this.elemStart;
  }

  get openElementLine(): number {
    return this.elemLine;
  }

  /** True if the stream so far ended cleanly (no open record, string or container). */
  get complete(): boolean {
    return this.elemStart < 0 && this.depth === 0 && !this.inString;
  }

  /** True when a scalar record is open (it ends at end of input). */
  get openScalar(): boolean {
    return this.elemStart >= 0 && this.elemScalar;
  }

  private inTargetContainer(): boolean {
    return this.mode !== 'records' || this.inRecords;
  }

  /** Scans `buf[from, to)`, the next bytes of the stream, reporting completed records. */
  scan(buf: Uint8Array, sink: ElementSink, from = 0, to = buf.length): void {
    const base = this.base - from;
    let { depth, inString, escape, elemStart, line } = this;
    const target = this.target;
    for (let i = from; i < to; i++) {
      if (inString && !escape && !(depth === 1 && this.expectKey && this.mode === 'records')) {
        // Fast path: jump to the next quote with a native search (most bytes are inside strings;
        // valid JSON strings hold no raw newline, so no line is skipped), then decide from the
        // run of backslashes before it whether that quote is escaped.
        // Short strings (most of them) are walked; the native search pays off on long ones.
        let j = i;
        const short = Math.min(to, i + 32);
        while (j < short && buf[j] !== QUOTE) j++;
        if (j === short && j < to) {
          j = buf.indexOf(QUOTE, j);
          if (j < 0 || j >= to) j = to;
        }
        let k = j - 1;
        while (k >= i && buf[k] === BACKSLASH) k--;
        const escaped = (j - 1 - k) % 2 === 1;
        if (j === to) {
          escape = escaped;
          break;
        }
        if (escaped) {
          i = j;
          continue;
        }
        i = j; // the closing quote: handled below
      }
      const b = buf[i]!;
      if (b === NEWLINE) line++;
      if (inString) {
        if (escape) escape = false;
        else if (b === BACKSLASH) {
          escape = true;
          if (this.expectKey && depth === 1) this.keyMatches = false;
        } else if (b === QUOTE) {
          inString = false;
          if (elemStart >= 0 && depth === target && this.elemScalar) {
            sink.element(elemStart, base + i + 1, this.elemLine);
            elemStart = -1;
          } else if (this.mode === 'records' && depth === 1 && this.expectKey) {
            this.lastKeyIsRecords = this.keyMatches && this.keyPos === RECORDS_KEY.length;
          }
        } else if (this.mode === 'records' && depth === 1 && this.expectKey) {
          if (this.keyPos < RECORDS_KEY.length && b === RECORDS_KEY[this.keyPos]) this.keyPos++;
          else this.keyMatches = false;
        }
        continue;
      }
      if (isSpace(b)) {
        if (elemStart >= 0 && this.elemScalar && depth === target) {
          sink.element(elemStart, base + i, this.elemLine);
          elemStart = -1;
        }
        continue;
      }
      // A scalar record ends at the first delimiter.
      if (elemStart >= 0 && this.elemScalar && depth === target &&
          (b === COMMA || b === RBRACKET || b === RBRACE || b === LBRACE || b === LBRACKET || b === QUOTE)) {
        sink.element(elemStart, base + i, this.elemLine);
        elemStart = -1;
      }
      // The start of a record: any value beginning directly in the target container.
      if (elemStart < 0 && depth === target && b !== COMMA && b !== RBRACKET && b !== RBRACE &&
          b !== COLON && this.inTargetContainer()) {
        elemStart = base + i;
        this.elemLine = line;
        // Anything but an object or array (a string ends at its closing quote, a number or
        // literal at the next delimiter) is a scalar record.
        this.elemScalar = !(b === LBRACE || b === LBRACKET);
      }
      switch (b) {
        case QUOTE:
          inString = true;
          if (this.mode === 'records' && depth === 1 && this.expectKey) {
            this.keyPos = 0;
            this.keyMatches = true;
          }
          break;
        case LBRACE:
        case LBRACKET:
          if (this.mode === 'records' && depth === 1 && b === LBRACKET && !this.expectKey && this.lastKeyIsRecords) {
            this.inRecords = true;
          }
          depth++;
          if (this.mode === 'records' && depth === 1) {
            this.expectKey = b === LBRACE;
            this.lastKeyIsRecords = false;
          }
          break;
        case RBRACE:
        case RBRACKET:
          depth--;
          if (depth < 0) depth = 0; // stray closer; the record check downstream reports it
          if (elemStart >= 0 && depth === target && !this.elemScalar) {
            sink.element(elemStart, base + i + 1, this.elemLine);
            elemStart = -1;
          }
          if (this.mode === 'records' && depth === 1) {
            this.inRecords = false;
            this.lastKeyIsRecords = false;
          }
          break;
        case COMMA:
          if (this.mode === 'records' && depth === 1) {
            this.expectKey = true;
            this.lastKeyIsRecords = false;
          }
          break;
        case COLON:
          if (this.mode === 'records' && depth === 1) this.expectKey = false;
          break;
      }
    }
    this.depth = depth;
    this.inString = inString;
    this.escape = escape;
    this.elemStart = elemStart;
    this.line = line;
    this.base = base + to;
  }

  /** Ends the stream: a scalar record still open at the end is complete (e.g. `… 42`). */
  finish(sink: ElementSink): void {
    if (this.elemStart >= 0 && this.elemScalar && !this.inString && this.depth === this.target) {
      sink.element(this.elemStart, this.base, this.elemLine);
      this.elemStart = -1;
    }
  }
}

/** One record found in a chunk: byte range (relative to the chunk) and 1-based line. */
export interface ElementBoundary {
  start: number;
  end: number;
  line: number;
}

/**
 * Boundaries of every complete record in `buf` (a whole document or a self-contained chunk).
 * Convenience wrapper over ContainerScanner for callers holding all the bytes at once.
 */
export function findElementBoundaries(buf: Uint8Array | string, mode: ContainerMode): ElementBoundary[] {
  const bytes = typeof buf === 'string' ? Buffer.from(buf, 'utf8') : buf;
  const out: ElementBoundary[] = [];
  const scanner = new ContainerScanner(mode);
  const sink: ElementSink = { element: (start, end, line) => out.push({ start, end, line }) };
  scanner.scan(bytes, sink);
  scanner.finish(sink);
  return out;
}
