/**
 * Reads one input (a file or standard input) into events: detects the format from the first
 * bytes, then either splits lines (NDJSON) or runs the container scanner (a `Records` file, a
 * JSON array, concatenated/pretty-printed objects).
 *
 * The core (RecordReader) is synchronous and push-based: it takes the input's decompressed bytes
 * in one buffer (a small file read whole) or chunk by chunk (large files, stdin). It works on
 * bytes and on one latin1 view of each chunk: line and record boundaries, the raw prefilter, and
 * the walk to eventTime all run on that view, and an event's `_raw` is a slice of it (exact for
 * ASCII records, which is nearly all of CloudTrail; a record with other bytes is decoded as UTF-8
 * and read from that text). Memory holds at most one chunk plus the record straddling it, and a
 * record longer than `maxRecordBytes` is reported and skipped, never accumulated, so no input can
 * make the reader grow without bound.
 */
import { isAscii } from 'node:buffer';
import { ContainerScanner, findElementBoundaries, type ContainerMode } from './scanner.js';
import { classifyRecord } from './event.js';
import { DecodeError, decodedChunks } from './decode.js';
import { ABSENT, MemberScan, hasBackslash } from './members.js';
import { LazyMirror, arrayEndIn, sparseLines, type SparseLines } from './member-index.js';
import { parseCompactUtcAt, parseEventTime, skipSpace, skipString, skipValue } from './toplevel.js';
import type { RawEvent, RawPrefilter, SourceIssue, ViewSink } from './types.js';
import { EventView } from './view.js';
import { ChunkPrefilter, FILTER_SAMPLE, UNFILTERED_VIEWS, chunkPrefilter } from './chunk-prefilter.js';
import { newlines } from './range.js';

export type Format = 'lines' | ContainerMode | 'empty';

/** Default for ReadOptions.maxRecordBytes: CloudTrail's own events are far smaller. */
export const DEFAULT_MAX_RECORD_BYTES = 8 * 1024 * 1024;

export interface ReaderContext {
  report(issue: SourceIssue): void;
  earliest?: number;
  latest?: number;
  validateJson?: boolean;
  keepUntimed?: boolean;
  /** Counts events dropped by the time window. */
  outside(n: number): void;
  /** Counts decompressed bytes. */
  bytes(n: number): void;
  /** Take this format instead of sniffing it (a byte range of an NDJSON file). */
  format?: Format;
  /** Byte offset of the stream's first byte in its file (a byte range of an NDJSON file). */
  startByte?: number;
  /** Every issue is fatal: the prefilter then applies after each record has been checked. */
  strict?: boolean;
  /** Records longer than this are reported (`oversized`) and skipped. Default 8 MiB. */
  maxRecordBytes?: number;
  /**
   * Records that cannot pass this raw-text test are skipped before they are read (no time parse,
   * no issue check): see ReadOptions.prefilter.
   */
  prefilter?: RawPrefilter | null;
  /** Takes whole ASCII views of NDJSON lines (ReadOptions.viewSink). */
  viewSink?: ViewSink | null;
  /** Told, at the end of NDJSON input, how many newlines it held (a byte range's lines). */
  onNewlines?: (n: number) => void;
}

/**
 * Lines are read through latin1 views of about this many bytes: small enough to be ordinary
 * young-generation strings (a string over V8's 128 KiB regular-object limit goes to large-object
 * space, which only a full collection frees: a scan that allocates little else then piles them
 * up), large enough that making the view costs nothing per line.
 */
const VIEW_BYTES = 96 * 1024;

/** How much of the start is looked at to decide the format. */
const SNIFF_BYTES = 64 * 1024;
/** What sparseBytes did with a view: read it, or not (declined; the view is not ASCII). */
const SPARSE_READ = 0;
const SPARSE_DECLINED = 1;
const SPARSE_NOT_ASCII = 2;
type SparseOutcome = typeof SPARSE_READ | typeof SPARSE_DECLINED | typeof SPARSE_NOT_ASCII;
const RECORDS_START = /^\s*\{\s*"Records"\s*:\s*\[/;

function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}

/** The format of a stream from its first bytes (`atEnd`: these are all of them). */
export function detectFormat(head: Buffer, atEnd: boolean): Format {
  let i = head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  while (i < head.length && isSpace(head[i]!)) i++;
  if (i >= head.length) return atEnd ? 'empty' : 'lines';
  const c = head[i];
  if (c !== 0x5b && c !== 0x7b) return 'lines';
  const newline = head.indexOf(0x0a, i);
  // A container whose first line is not one complete value, but whose next lines are one object
  // each, is NDJSON with a damaged first line: read line by line, so the damage stays in that line.
  if (newline >= 0 && !completeLine(head, i, newline) && nextLinesAreObjects(head, newline)) return 'lines';
  if (c === 0x5b) return 'array';
  if (RECORDS_START.test(head.toString('latin1', i, Math.min(head.length, i + 4096)))) return 'records';
  // One object per line, or objects spread over several lines (pretty-printed)?
  if (newline < 0) return 'lines';
  return completeLine(head, i, newline) ? 'lines' : 'values';
}

/** True when head[from, newline] starts with one complete JSON value that ends on that line. */
function completeLine(head: Buffer, from: number, newline: number): boolean {
  const scanner = new ContainerScanner('values');
  let firstEnd = -1;
  scanner.scan(head, { element: (_s, e) => { if (firstEnd < 0) firstEnd = e; } }, from, newline + 1);
  return firstEnd >= 0 && firstEnd <= newline;
}

/** True when the (up to two) complete lines after `newline` in head are each one `{…}` object. */
function nextLinesAreObjects(head: Buffer, newline: number): boolean {
  let checked = 0;
  let pos = newline + 1;
  while (checked < 2) {
    const nl = head.indexOf(0x0a, pos);
    if (nl < 0) break;
    let s = pos;
    let e = nl;
    while (s < e && isSpace(head[s]!)) s++;
    while (e > s && isSpace(head[e - 1]!)) e--;
    pos = nl + 1;
    if (s === e) continue;
    if (head[s] !== 0x7b || head[e - 1] !== 0x7d || !completeLine(head, s, nl)) return false;
    checked++;
  }
  return checked > 0;
}

/**
 * The synchronous reader of one input. `push` its decompressed bytes (all at once or in chunks),
 * then `end()`; events accumulate in `take()`. Issues go to ctx.report (which throws in strict
 * mode).
 */
export class RecordReader {
  private format: Format | undefined;
  private head: Buffer[] = [];
  private headLength = 0;
  private readonly seen = { content: false, newline: false };
  /** Absolute offset of the next byte pushed. */
  private bytes: number;
  private out: RawEvent[] = eventArray();
  private readonly max: number;
  private readonly chunkFilter: ChunkPrefilter | null;
  private readonly recordFilter: RawPrefilter | null;
  /** In strict mode every record is checked before the prefilter drops it. */
  private readonly filterLate: boolean;
  private readonly viewSink: ViewSink | null;
  // The chunk prefilter's pass rate (see viewRecord).
  private filterSeen = 0;
  private filterPassed = 0;
  private sparse = true;
  /** What sparseLines last found (one object, refilled per view). */
  private readonly found: SparseLines = { lines: new Int32Array(0), newlines: 0, ascii: true, resume: -1 };
  /** Views still to read without the chunk prefilter (it let most records through lately). */
  private unfilteredViews = 0;
  // lines
  private line = 1;
  private pending: Buffer[] = [];
  private pendingLength = 0;
  private pendingBase = 0;
  private skippingLine = false;
  // containers
  private scanner: ContainerScanner | undefined;
  private open: Buffer[] = [];
  private openBase = 0;
  private oversizedAt = -1;
  private started = false;

  constructor(private readonly source: string, private readonly ctx: ReaderContext) {
    this.format = ctx.format;
    this.bytes = ctx.startByte ?? 0;
    this.max = Math.max(1, ctx.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES);
    this.filterLate = Boolean(ctx.strict) && Boolean(ctx.prefilter);
    this.chunkFilter = this.filterLate ? null : chunkPrefilter(ctx.prefilter);
    this.recordFilter = this.filterLate ? null : (ctx.prefilter ?? null);
    this.viewSink = ctx.strict || ctx.validateJson ? null : (ctx.viewSink ?? null);
  }

  /**
   * Events found since the last take(). A pushed chunk is not kept after push() returns (what must
   * outlive it is copied), so the caller may read the next chunk into the same buffer.
   */
  take(): RawEvent[] {
    const o = this.out;
    this.out = eventArray();
    return o;
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    if (this.format === undefined) {
      this.head.push(chunk);
      this.headLength += chunk.length;
      // The format is decided by the first line once it holds content (and enough bytes to see a
      // pretty-printed `{\n  "Records": [`), so a live stream is not held back for SNIFF_BYTES.
      if (this.headLength < SNIFF_BYTES && !(newlineAfterContent(chunk, this.seen) && this.headLength >= 4096)) {
        this.head[this.head.length - 1] = Buffer.from(chunk); // kept past this call: a copy
        return;
      }
      this.decide(false);
      return;
    }
    this.feed(chunk);
  }

  /** The input ended (cleanly, or with a decompression error after the bytes pushed so far). */
  end(decodeError?: DecodeError): void {
    if (this.format === undefined) this.decide(true);
    let cutAt: { line: number; byte: number } | undefined;
    if (this.format === 'lines') {
      if (this.pendingLength > 0 && !this.skippingLine) {
        if (decodeError) cutAt = { line: this.line, byte: this.pendingBase };
        else {
          const joined = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending);
          this.lineRecord(joined, joined.toString('latin1', 0, joined.length), 0, joined.length, this.line, this.pendingBase, isAscii(joined));
        }
      }
      this.pending = [];
      this.pendingLength = 0;
      this.ctx.onNewlines?.(this.line - 1);
    } else if (this.scanner) {
      const scanner = this.scanner;
      if (!decodeError) {
        scanner.finish({
          element: (start, end, line) => {
            if (start === this.oversizedAt) return;
            const all = Buffer.concat(this.open);
            this.containerRecord(all, start - this.openBase, end - this.openBase, line, start);
          },
        });
      }
      if (!scanner.complete) {
        const open = scanner.openElementStart;
        if (decodeError) cutAt = open >= 0 ? { line: scanner.openElementLine, byte: open } : { line: 0, byte: this.bytes };
        else if (open !== this.oversizedAt || open < 0) {
          this.ctx.report({
            kind: 'truncated',
            file: this.source,
            line: open >= 0 ? scanner.openElementLine : undefined,
            byte: open >= 0 ? open : this.bytes,
            message: open >= 0
              ? `the input ends inside a record (the record starting here is lost)`
              : `the input ends before its closing bracket (${this.bytes} bytes read); the records before are kept`,
          });
        }
      }
    }
    if (decodeError) {
      this.ctx.report({
        kind: decodeError.truncated ? 'truncated' : 'unparsable',
        file: this.source,
        line: cutAt && cutAt.line > 0 ? cutAt.line : undefined,
        byte: cutAt ? cutAt.byte : this.bytes,
        message: `${decodeError.message} after ${this.bytes} decompressed bytes${cutAt && cutAt.line > 0 ? '; the record starting here is lost' : ''}`,
      });
    }
  }

  private decide(atEnd: boolean): void {
    const first = this.head.length === 1 ? this.head[0]! : Buffer.concat(this.head);
    this.head = [];
    this.format = detectFormat(first, atEnd);
    if (first.length > 0) this.feed(first);
  }

  private feed(chunk: Buffer): void {
    this.ctx.bytes(chunk.length);
    if (this.format === 'empty') {
      this.bytes += chunk.length;
      return;
    }
    if (this.format === 'lines') this.feedLines(chunk);
    else this.feedContainer(chunk);
  }

  // ---- NDJSON --------------------------------------------------------------------------------

  private feedLines(chunk: Buffer): void {
    const base = this.bytes;
    this.bytes += chunk.length;
    let pos = 0;
    if (this.pendingLength > 0 || this.skippingLine) {
      const nl = chunk.indexOf(0x0a);
      if (nl < 0) {
        this.holdLine(chunk, base);
        return;
      }
      if (!this.skippingLine) {
        if (this.pendingLength + nl > this.max) this.oversized(this.line, this.pendingBase, this.pendingLength + nl);
        else {
          const joined = Buffer.concat([...this.pending, chunk.subarray(0, nl)]);
          this.lineRecord(joined, joined.toString('latin1', 0, joined.length), 0, joined.length, this.line, this.pendingBase, isAscii(joined));
        }
      }
      this.pending = [];
      this.pendingLength = 0;
      this.skippingLine = false;
      this.line++;
      pos = nl + 1;
    }
    // Complete lines are viewed in pieces of about VIEW_BYTES (a line longer than that gets a view
    // of its own); the tail waits for the next chunk.
    while (pos < chunk.length) {
      let lastNl = chunk.lastIndexOf(0x0a, Math.min(chunk.length, pos + VIEW_BYTES) - 1);
      if (lastNl < pos) {
        lastNl = chunk.indexOf(0x0a, pos + VIEW_BYTES);
        if (lastNl < 0) break;
      }
      const part = chunk.subarray(pos, lastNl + 1);
      const mirrored = new LazyMirror(part);
      const partBase = base + pos;
      // A selective search reads the view from its bytes; any other skips it when no record
      // can pass (its lines are counted, not read: no text is made for them).
      const sparse = this.sparseBytes(part, mirrored, partBase);
      if (sparse === SPARSE_READ) {
        pos = lastNl + 1;
        continue;
      }
      const ascii = sparse === SPARSE_NOT_ASCII ? false : isAscii(part);
      let line = this.line;
      if (ascii && this.noRecordPasses(part, mirrored)) {
        this.line = line + newlines(part, 0, part.length);
        pos = lastNl + 1;
        continue;
      }
      if (ascii && this.viewSink !== null && part.length <= this.max && this.sunk(part, mirrored, partBase)) {
        pos = lastNl + 1;
        continue;
      }
      const view = part.toString('latin1');
      let p = 0;
      for (let nl = view.indexOf('\n'); nl >= 0; nl = view.indexOf('\n', p)) {
        if (nl - p > this.max) this.oversized(line, partBase + p, nl - p);
        else this.lineRecord(part, view, p, nl, line, partBase, ascii, mirrored);
        line++;
        p = nl + 1;
      }
      this.line = line;
      pos = lastNl + 1;
    }
    if (pos < chunk.length) {
      this.pendingBase = base + pos;
      this.holdLine(chunk.subarray(pos), base + pos);
    }
  }

  /**
   * True when the chunk prefilter would drop every record of an ASCII view that is read as text:
   * a term it tests is nowhere in the view's bytes. (sparseBytes, which reads a selective search's
   * views, finds such a view in the same search it uses for candidates, and counts its records
   * toward the filter's pass rate.) Not while the filter is paused (it then drops nothing), nor
   * for a view that may hold a line over --max-record-bytes (which is reported, term or not). A
   * view with other bytes than ASCII keeps the per-record test: Unicode case folding lets some of
   * them match.
   */
  private noRecordPasses(part: Buffer, mirrored: LazyMirror): boolean {
    return this.chunkFilter !== null && this.unfilteredViews === 0 && part.length <= this.max && this.chunkFilter.lacksAnyIn(mirrored.passing(), part.length);
  }

  /**
   * A view of a selective search (the chunk prefilter lets fewer than one record in eight through)
   * read from its bytes: one pass over the mirrored bytes (sparseLines) finds the lines holding
   * the rarest term, counts the view's newlines and tells whether the view is ASCII; only a line
   * found is tested for the other terms and, when it holds them all, given its own text. The
   * view's text is never made, and the lines in between are only counted. SPARSE_DECLINED
   * (nothing read) when the view must be read as text: the filter is off, paused or not
   * selective, tests no term, the view may hold a line over --max-record-bytes, or its bytes are
   * not mirrored; SPARSE_NOT_ASCII (nothing read) when the view has a byte above 0x7f (its text is
   * UTF-8 to decode, and Unicode case folding is the per-record test's to apply).
   */
  private sparseBytes(part: Buffer, mirrored: LazyMirror, partBase: number): SparseOutcome {
    const filter = this.chunkFilter;
    if (filter === null || this.unfilteredViews > 0 || !this.sparse || part.length > this.max) return SPARSE_DECLINED;
    const m = mirrored.passing();
    if (m === null) return SPARSE_DECLINED;
    filter.beginBytes();
    this.measureFilter();
    const lead = filter.leadTerm();
    const n = part.length;
    const found = this.found;
    if (lead === null || !sparseLines(m, 0, n, lead, found)) return SPARSE_DECLINED;
    if (!found.ascii) return SPARSE_NOT_ASCII;
    const total = found.newlines;
    // Lines are counted from the view's start: `next` is the index of the line after the last one read.
    let next = 0;
    let base = 0;
    scan: for (;;) {
      const lines = found.lines;
      for (let k = 0; k < lines.length; k += 3) {
        if (filter.restLacksTerm()) break scan;
        const ls = lines[k]!;
        const le = lines[k + 1]!;
        const index = base + lines[k + 2]!;
        // The lines before this one lack the lead term: dropped, counted.
        const before = index - next;
        this.filterSeen += before + 1;
        filter.rejected(before);
        next = index + 1;
        let s = ls;
        let e = le;
        while (s < e && isSpaceCode(part[s]!)) s++;
        while (e > s && isSpaceCode(part[e - 1]!)) e--;
        if (s < e && filter.holdsBytes(m, s, e, n)) {
          this.filterPassed++;
          const line = this.line + index;
          // A fused stats head reads the line where it is; one it hands back is read here.
          const got = this.viewSink === null ? null : this.viewSink.view(m, ls, le + 1, { source: this.source, line, byte: partBase + ls });
          if (got !== null && got.outside > 0) this.ctx.outside(got.outside);
          if (got === null || got.fallback.length > 0) {
            const own = part.toString('latin1', s, e);
            this.textRecord(own, 0, own.length, line, partBase + s, own);
          }
        }
      }
      // The output was full: the rest of the view's lines from the last one found.
      if (found.resume < 0) break;
      base = next;
      if (!sparseLines(m, found.resume, n, lead, found)) throw new Error('internal: the view\'s mirrored bytes went while it was read');
    }
    // The lines after the last one read lack the lead term, or the term found missing from the rest.
    const rest = total - next;
    this.filterSeen += rest;
    filter.restLacksTerm();
    filter.rejected(rest);
    this.line += total;
    return SPARSE_READ;
  }

  /**
   * An ASCII view taken by the view sink (a fused stats head): the lines it hands back are read
   * here as any line of a text view (the view's text made only for them). False when the sink
   * does not take the view. (No line of the view is over --max-record-bytes: the caller checked.)
   */
  private sunk(part: Buffer, mirrored: LazyMirror, partBase: number): boolean {
    const m = mirrored.passing();
    if (m === null) return false;
    const got = this.viewSink!.view(m, 0, part.length, { source: this.source, line: this.line, byte: partBase });
    if (got === null) return false;
    if (got.outside > 0) this.ctx.outside(got.outside);
    const fb = got.fallback;
    if (fb.length > 0) {
      const view = part.toString('latin1');
      for (let k = 0; k < fb.length; k += 3) this.lineRecord(part, view, fb[k]!, fb[k + 1]!, this.line + fb[k + 2]!, partBase, true, mirrored);
    }
    this.line += got.lines;
    return true;
  }

  /**
   * The reader's own decisions at a new view, from the pass rate measured since the last ones:
   * a prefilter that lets few records through (a selective search) gives each its own text, so a
   * kept event does not hold a whole view alive; one that lets most through keeps slicing the
   * view. One that lets three in four through is not worth its search (the search itself still
   * decides): the next 16 views go unfiltered, then it is measured again. Both are decided from
   * at least FILTER_SAMPLE records (a chunk's last view may hold one record: its rate once paused
   * a selective search for 16 views).
   */
  private measureFilter(): void {
    if (this.unfilteredViews > 0) this.unfilteredViews--;
    else if (this.filterSeen >= FILTER_SAMPLE) {
      this.sparse = this.filterPassed * 8 < this.filterSeen;
      if (this.filterPassed * 4 >= this.filterSeen * 3) this.unfilteredViews = UNFILTERED_VIEWS;
      this.filterSeen = 0;
      this.filterPassed = 0;
    }
  }

  /** Keeps the start of a line that continues in the next chunk, unless it is already too long. */
  private holdLine(part: Buffer, at: number): void {
    if (this.skippingLine) return;
    if (this.pendingLength === 0) this.pendingBase = at;
    if (this.pendingLength + part.length > this.max) {
      this.oversized(this.line, this.pendingBase, this.pendingLength + part.length);
      this.pending = [];
      this.pendingLength = 0;
      this.skippingLine = true;
      return;
    }
    this.pending.push(Buffer.from(part)); // a copy: the caller may reuse its read buffer
    this.pendingLength += part.length;
  }

  private oversized(line: number | undefined, byte: number, length: number): void {
    this.ctx.report({
      kind: 'oversized',
      file: this.source,
      line,
      byte,
      message: `a record of ${length >= this.max ? `more than ${this.max}` : length} bytes is larger than --max-record-bytes (${this.max})`,
    });
  }

  /** One line: view[start, end) of `buf` (same offsets), at absolute byte base + start. */
  private lineRecord(buf: Buffer, view: string, start: number, end: number, line: number, base: number, ascii: boolean, mirrored: LazyMirror | null = null): void {
    while (start < end && isSpaceCode(view.charCodeAt(start))) start++;
    while (end > start && isSpaceCode(view.charCodeAt(end - 1))) end--;
    if (start === end) return;
    // A BOM at the very start of the file.
    if (base + start === 0 && end - start >= 3 && view.charCodeAt(start) === 0xef && view.charCodeAt(start + 1) === 0xbb && view.charCodeAt(start + 2) === 0xbf) start += 3;
    this.viewRecord(buf, view, start, end, line, base + start, ascii, undefined, mirrored);
  }

  // ---- containers ----------------------------------------------------------------------------

  private feedContainer(chunk: Buffer): void {
    const scanner = (this.scanner ??= new ContainerScanner(this.format as ContainerMode));
    if (!this.started) {
      this.started = true;
      if (chunk.length >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf && this.bytes === (this.ctx.startByte ?? 0)) {
        chunk = chunk.subarray(3); // a byte-order mark is not part of the JSON
        scanner.advance(3);
        this.bytes += 3;
      }
    }
    const chunkBase = this.bytes;
    this.bytes += chunk.length;
    let view: string | undefined;
    let mirrored: LazyMirror | null = null;
    let ascii = false;
    scanner.scan(chunk, {
      element: (start, end, line) => {
        if (start === this.oversizedAt) return;
        if (start >= chunkBase) {
          if (view === undefined) {
            view = chunk.toString('latin1', 0, chunk.length);
            mirrored = new LazyMirror(chunk);
            ascii = isAscii(chunk);
          }
          this.containerRecordIn(chunk, view as string, start - chunkBase, end - chunkBase, line, start, ascii, mirrored);
        } else {
          const all = Buffer.concat([...this.open, chunk.subarray(0, end - chunkBase)]);
          this.containerRecord(all, start - this.openBase, all.length, line, start);
        }
      },
    });
    const open = scanner.openElementStart;
    if (open < 0 || open === this.oversizedAt) {
      this.open = [];
    } else if (open >= chunkBase) {
      this.open = [Buffer.from(chunk.subarray(open - chunkBase))];
      this.openBase = open;
    } else {
      this.open.push(Buffer.from(chunk));
    }
    if (open >= 0 && open !== this.oversizedAt && this.bytes - open > this.max) {
      this.oversized(scanner.openElementLine, open, this.bytes - open);
      this.oversizedAt = open;
      this.open = [];
    }
  }

  private containerRecord(buf: Buffer, start: number, end: number, line: number, byte: number): void {
    this.containerRecordIn(buf, buf.toString('latin1', 0, buf.length), start, end, line, byte, isAscii(buf));
  }

  private containerRecordIn(buf: Buffer, view: string, start: number, end: number, line: number, byte: number, ascii: boolean, mirrored: LazyMirror | null = null): void {
    if (end - start > this.max) {
      this.oversized(line, byte, end - start);
      return;
    }
    this.viewRecord(buf, view, start, end, line, byte, ascii, undefined, mirrored);
  }

  /**
   * A whole `{"Records":[…]}` document held in memory (a delivery file), read with one walk per
   * record: each element's top level is indexed to its closing brace, which gives both its end
   * and its eventTime. Returns false, having reported and emitted nothing, when the document is
   * anything but a well-formed wrapper (the general path then reads it).
   */
  wholeRecords(buf: Buffer): boolean {
    if (this.format !== undefined || this.bytes !== 0 || this.validateOrRange()) return false;
    const bom = buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
    if (detectFormat(buf, true) !== 'records') return false;
    const view = buf.toString('latin1', 0, buf.length);
    const mirrored = new LazyMirror(buf);
    const n = view.length;
    // The wrapper's members are walked here, and the Records array element by element, so each
    // byte is walked once (each record's own scan finds its end and is kept for the field model).
    const spans: number[] = [];
    const scans: (MemberScan | undefined)[] = [];
    // A fused stats head takes the records of an ASCII document in one call, and the reader reads
    // only those it hands back. The array is checked first, accepting what the element walk
    // accepts, so the sink never sees a document the general path will read again.
    const sinking = this.viewSink !== null && buf.length <= this.max && isAscii(buf);
    const sinkMirror = sinking ? mirrored.get() : null;
    let sunk: { start: number; end: number } | null = null;
    let records = 0;
    let i = skipSpace(view, bom, n);
    if (view.charCodeAt(i) !== 0x7b) return false;
    i = skipSpace(view, i + 1, n);
    if (view.charCodeAt(i) !== 0x7d) {
      for (;;) {
        if (view.charCodeAt(i) !== 0x22) return false;
        const keyEnd = skipString(view, i, n);
        // A key with an escape might spell Records: the general path decodes keys.
        if (keyEnd < 0 || hasBackslash(view, i + 1, keyEnd - 1)) return false;
        const isRecords = keyEnd - i === 9 && view.startsWith('"Records"', i);
        i = skipSpace(view, keyEnd, n);
        if (view.charCodeAt(i) !== 0x3a) return false;
        i = skipSpace(view, i + 1, n);
        if (isRecords) {
          if (++records > 1 || view.charCodeAt(i) !== 0x5b) return false;
          const end = sinkMirror !== null ? arrayEndIn(sinkMirror, i, n) : -2;
          if (end === -1) return false;
          if (end >= 0) {
            sunk = { start: i, end };
            i = end;
          } else i = this.recordElements(view, i, n, spans, scans, mirrored);
        } else i = skipValue(view, i, n);
        if (i < 0) return false;
        i = skipSpace(view, i, n);
        const c = view.charCodeAt(i);
        if (c === 0x7d) break;
        if (c !== 0x2c) return false;
        i = skipSpace(view, i + 1, n);
      }
    }
    if (records !== 1 || skipSpace(view, i + 1, n) !== n) return false;
    this.format = 'records';
    this.ctx.bytes(buf.length);
    this.bytes = buf.length;
    if (sunk !== null) {
      const got = this.viewSink!.records(sinkMirror!, sunk.start, sunk.end, { source: this.source, line: 1, byte: 0 });
      if (got === null) this.recordElements(view, sunk.start, n, spans, scans, mirrored); // not taken: walked here after all
      else {
        if (got.outside > 0) this.ctx.outside(got.outside);
        for (let k = 0; k < got.fallback.length; k += 3) {
          spans.push(got.fallback[k]!, got.fallback[k + 1]!);
          scans.push(undefined);
        }
      }
    }
    const ascii = sinking || isAscii(buf);
    let line = 1;
    let counted = 0;
    let nextNl = view.indexOf('\n');
    for (let r = 0; r < scans.length; r++) {
      const s = spans[2 * r]!;
      const e = spans[2 * r + 1]!;
      while (nextNl >= 0 && nextNl < s) {
        line++;
        counted = nextNl + 1;
        nextNl = view.indexOf('\n', counted);
      }
      if (e - s > this.max) this.oversized(line, s, e - s);
      else this.viewRecord(buf, view, s, e, line, s, ascii, scans[r], mirrored);
    }
    return true;
  }

  /**
   * The elements of the array at view[open] (`[`), each object indexed by its own MemberScan
   * (which finds its end), into spans/scans. Returns the offset past `]`, or -1 when malformed.
   */
  private recordElements(view: string, open: number, n: number, spans: number[], scans: (MemberScan | undefined)[], mirrored: LazyMirror): number {
    let i = skipSpace(view, open + 1, n);
    if (view.charCodeAt(i) === 0x5d) return i + 1;
    for (;;) {
      let e: number;
      if (view.charCodeAt(i) === 0x7b) {
        const m = new MemberScan(view, i, n, mirrored.get());
        if (!m.finish()) return -1;
        e = m.endOffset;
        scans.push(m);
      } else {
        e = skipValue(view, i, n);
        if (e < 0) return -1;
        scans.push(undefined);
      }
      spans.push(i, e);
      i = skipSpace(view, e, n);
      const c = view.charCodeAt(i);
      if (c === 0x5d) return i + 1;
      if (c !== 0x2c) return -1;
      i = skipSpace(view, i + 1, n);
    }
  }

  private validateOrRange(): boolean {
    return Boolean(this.ctx.validateJson) || this.ctx.format !== undefined;
  }

  // ---- one record ----------------------------------------------------------------------------

  /**
   * A record view[start, end) (no surrounding blanks) of `buf` at absolute `byte`. `ascii` says
   * the whole view is ASCII; otherwise the record's own bytes are checked, and a non-ASCII record
   * is decoded as UTF-8 and read from that text.
   */
  private viewRecord(buf: Buffer, view: string, start: number, end: number, line: number, byte: number, ascii: boolean, scan?: MemberScan, mirrored: LazyMirror | null = null): void {
    if (!ascii && !isAscii(buf.subarray(start, end))) {
      const text = buf.toString('utf8', start, end);
      if (this.recordFilter !== null && !this.recordFilter(text)) return;
      this.textRecord(text, 0, text.length, line, byte, text);
      return;
    }
    if (this.chunkFilter !== null) {
      if (this.chunkFilter.begins(view, start)) this.measureFilter();
      if (this.unfilteredViews > 0) {
        this.textRecord(view, start, end, line, byte, undefined, scan, mirrored);
        return;
      }
      this.filterSeen++;
      if (!this.chunkFilter.holds(view, start, end)) return;
      this.filterPassed++;
      if (this.sparse) {
        const own = buf.toString('latin1', start, end);
        this.textRecord(own, 0, own.length, line, byte, own, undefined);
        return;
      }
    } else if (this.recordFilter !== null && !this.recordFilter(view.slice(start, end))) return;
    this.textRecord(view, start, end, line, byte, undefined, scan, mirrored);
  }

  /**
   * The fast path: an object whose top level is walked only up to eventTime. Anything else (no
   * eventTime, EventBridge envelopes, arrays, scalars, validateJson) goes to classifyRecord on
   * the record's text. `text` is the decoded text when view is that text already.
   */
  private textRecord(view: string, start: number, end: number, line: number, byte: number, text: string | undefined, scan?: MemberScan, mirrored: LazyMirror | null = null): void {
    if (view.charCodeAt(start) === 0x7b && view.charCodeAt(end - 1) === 0x7d && !this.ctx.validateJson) {
      const members = scan ?? new MemberScan(view, start, end, mirrored?.get() ?? null);
      const k = members.find('eventTime');
      if (k >= 0) {
        const vs = members.valueStart(k);
        const ve = members.valueEnd(k);
        let t: number | null = null;
        if (view.charCodeAt(vs) === 0x22) {
          // The compact form read in place; anything else (or a time with an escape) as before.
          t = parseCompactUtcAt(view, vs + 1, ve - 1) ?? null;
          if (t === null) {
            const inner = view.slice(vs + 1, ve - 1);
            t = inner.indexOf('\\') < 0 ? parseEventTime(inner) : null;
          }
        }
        if (t !== null) {
          const raw = start === 0 && end === view.length ? view : view.slice(start, end);
          this.event(EventView.attach({ raw, time: t, source: this.source, line, byte }, view, start, end, members));
          return;
        }
      } else if (k !== ABSENT) {
        this.issue('unparsable', `not valid JSON (malformed or cut-off object): ${describe(view.slice(start, Math.min(end, start + 200)))}`, line, byte);
        return;
      }
    }
    this.record(text ?? view.slice(start, end), line, byte, false);
  }

  private event(ev: RawEvent): void {
    const { earliest, latest } = this.ctx;
    if ((earliest !== undefined && ev.time < earliest) || (latest !== undefined && ev.time >= latest)) {
      this.ctx.outside(1);
      return;
    }
    if (this.filterLate && !this.ctx.prefilter!(ev.raw)) return;
    this.out.push(ev);
  }

  private issue(kind: SourceIssue['kind'], message: string, line: number, byte: number): void {
    this.ctx.report({ kind, file: this.source, line, byte, message });
  }

  /** The general path: one record's text, starting at `byte` on `line`. */
  private record(text: string, line: number, byte: number, nested: boolean): void {
    const c = classifyRecord(text, this.ctx.validateJson);
    if (c.kind === 'event') {
      this.event({ raw: c.raw, time: c.time, source: this.source, line, byte });
    } else if (c.kind === 'issue') {
      this.issue(c.issue, c.message, line, byte);
      if (c.issue === 'no-time' && this.ctx.keepUntimed) this.out.push({ raw: text, time: NaN, source: this.source, line, byte });
    } else if (nested) {
      this.issue('not-object', 'a record is itself a container of records nested twice', line, byte);
    } else {
      // A wrapper where an event was expected: its elements are the events.
      const bytes = Buffer.from(c.text, 'utf8');
      for (const el of findElementBoundaries(bytes, c.mode)) {
        this.record(bytes.toString('utf8', el.start, el.end), line + el.line - 1, byte + el.start, true);
      }
    }
  }
}

/**
 * An empty array of events whose elements are objects from the start. An empty literal starts as
 * an array of small integers and changes kind at its first push; the optimized reader then met that
 * change at `out.push` (a deoptimization, and the reader compiled again, on every scan).
 */
function eventArray(): RawEvent[] {
  return OBJECTS.slice(0, 0);
}

const OBJECTS: RawEvent[] = [{ raw: '', time: 0, source: '', line: 0, byte: 0 }];

function describe(text: string): string {
  const t = text.length > 60 ? `${text.slice(0, 57)}...` : text;
  return JSON.stringify(t);
}

function isSpaceCode(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/**
 * Events of one input, yielded as they are found (one array per read chunk, possibly empty).
 * Issues go to ctx.report (which throws in strict mode).
 */
export async function* readEvents(source: string, chunks: AsyncIterable<Buffer | string>, ctx: ReaderContext): AsyncGenerator<RawEvent[]> {
  const reader = new RecordReader(source, ctx);
  let decodeError: DecodeError | undefined;
  try {
    for await (const chunk of decodedChunks(chunks)) {
      reader.push(chunk);
      yield reader.take();
    }
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
    decodeError = e;
  }
  reader.end(decodeError);
  const tail = reader.take();
  if (tail.length > 0) yield tail;
}

/** Events of one input held whole in memory (already decompressed). */
export function readBuffer(source: string, bytes: Buffer, ctx: ReaderContext, decodeError?: DecodeError): RawEvent[] {
  const reader = new RecordReader(source, ctx);
  if (decodeError || !reader.wholeRecords(bytes)) {
    reader.push(bytes);
    reader.end(decodeError);
  }
  return reader.take();
}

/** True once a newline follows the first non-blank byte (tracked across chunks in `seen`). */
function newlineAfterContent(chunk: Buffer, seen: { content: boolean; newline: boolean }): boolean {
  if (seen.newline) return true;
  let i = 0;
  if (!seen.content) {
    while (i < chunk.length && (isSpace(chunk[i]!) || chunk[i]! >= 0xbb)) i++; // blanks, BOM
    if (i === chunk.length) return false;
    seen.content = true;
  }
  seen.newline = chunk.indexOf(0x0a, i) >= 0;
  return seen.newline;
}
