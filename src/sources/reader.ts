/**
 * Reads one input (a file or standard input) into events: detects the format from the first
 * bytes, then either splits lines (NDJSON) or runs the container scanner (a `Records` file, a
 * JSON array, concatenated/pretty-printed objects). Memory holds at most one read chunk plus the
 * record that straddles it, whatever the file size.
 */
import { ContainerScanner, findElementBoundaries, type ContainerMode } from './scanner.js';
import { classifyRecord } from './event.js';
import { DecodeError, decodedChunks } from './decode.js';
import type { RawEvent, SourceIssue } from './types.js';

export type Format = 'lines' | ContainerMode | 'empty';

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
}

/** How much of the start is looked at to decide the format. */
const SNIFF_BYTES = 64 * 1024;
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
  if (c === 0x5b) return 'array';
  if (c !== 0x7b) return 'lines';
  if (RECORDS_START.test(head.toString('latin1', i, Math.min(head.length, i + 4096)))) return 'records';
  // One object per line, or objects spread over several lines (pretty-printed)?
  const newline = head.indexOf(0x0a, i);
  if (newline < 0) return 'lines';
  const scanner = new ContainerScanner('values');
  let firstEnd = -1;
  scanner.scan(head, { element: (_s, e) => { if (firstEnd < 0) firstEnd = e; } }, i, Math.min(head.length, newline + 1));
  return firstEnd >= 0 && firstEnd <= newline ? 'lines' : 'values';
}

class EventCollector {
  out: RawEvent[] = [];
  constructor(private readonly source: string, private readonly ctx: ReaderContext) {}

  /** One record's text, starting at `byte` on `line`. */
  record(text: string, line: number, byte: number, nested = false): void {
    const c = classifyRecord(text, this.ctx.validateJson);
    if (c.kind === 'event') {
      const { earliest, latest } = this.ctx;
      if ((earliest !== undefined && c.time < earliest) || (latest !== undefined && c.time >= latest)) {
        this.ctx.outside(1);
        return;
      }
      this.out.push({ raw: c.raw, time: c.time, source: this.source, line, byte });
    } else if (c.kind === 'issue') {
      this.ctx.report({ kind: c.issue, file: this.source, line, byte, message: c.message });
      if (c.issue === 'no-time' && this.ctx.keepUntimed) this.out.push({ raw: text, time: NaN, source: this.source, line, byte });
    } else if (nested) {
      this.ctx.report({ kind: 'not-object', file: this.source, line, byte, message: 'a record is itself a container of records nested twice' });
    } else {
      // A wrapper where an event was expected: its elements are the events.
      const bytes = Buffer.from(c.text, 'utf8');
      for (const el of findElementBoundaries(bytes, c.mode)) {
        this.record(bytes.toString('utf8', el.start, el.end), line + el.line - 1, byte + el.start, true);
      }
    }
  }

  take(): RawEvent[] {
    const o = this.out;
    this.out = [];
    return o;
  }
}

/**
 * Events of one input, yielded as they are found (one array per read chunk, possibly empty).
 * Issues go to ctx.report (which throws in strict mode).
 */
export async function* readEvents(source: string, chunks: AsyncIterable<Buffer | string>, ctx: ReaderContext): AsyncGenerator<RawEvent[]> {
  const collector = new EventCollector(source, ctx);
  const decoded = decodedChunks(chunks);
  // Sniff the format from the first SNIFF_BYTES.
  const head: Buffer[] = [];
  let headLength = 0;
  let decodeError: DecodeError | undefined;
  let ended = false;
  const seen = { content: false, newline: false };
  try {
    while (headLength < SNIFF_BYTES) {
      const r = await decoded.next();
      if (r.done) {
        ended = true;
        break;
      }
      head.push(r.value);
      headLength += r.value.length;
      // The format is decided by the first line once it holds content (and enough bytes to see a
      // pretty-printed `{\n  "Records": [`), so a live stream is not held back for SNIFF_BYTES.
      if (newlineAfterContent(r.value, seen) && headLength >= 4096) break;
    }
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
    decodeError = e;
    ended = true;
  }
  const first = Buffer.concat(head);
  const format = ctx.format ?? detectFormat(first, ended);
  async function* rest(): AsyncGenerator<Buffer> {
    if (first.length > 0) yield first;
    if (ended) return;
    try {
      for (let r = await decoded.next(); !r.done; r = await decoded.next()) yield r.value;
    } catch (e) {
      if (!(e instanceof DecodeError)) throw e;
      decodeError = e;
    }
  }
  let bytes = 0;
  let cutAt: { line: number; byte: number } | undefined;
  if (format === 'empty') {
    bytes = first.length;
  } else if (format === 'lines') {
    bytes = ctx.startByte ?? 0;
    let pending: Buffer | undefined;
    let pendingBase = 0;
    let line = 1;
    for await (const chunk of rest()) {
      ctx.bytes(chunk.length);
      const base = bytes;
      bytes += chunk.length;
      let pos = 0;
      if (pending) {
        // Only the line straddling the chunk boundary is copied.
        const nl = chunk.indexOf(0x0a);
        if (nl < 0) {
          pending = Buffer.concat([pending, chunk]);
          continue;
        }
        const joined = Buffer.concat([pending, chunk.subarray(0, nl)]);
        lineRecord(collector, joined, 0, joined.length, line, pendingBase);
        line++;
        pos = nl + 1;
        pending = undefined;
      }
      for (let nl = chunk.indexOf(0x0a, pos); nl >= 0; nl = chunk.indexOf(0x0a, pos)) {
        lineRecord(collector, chunk, pos, nl, line, base);
        line++;
        pos = nl + 1;
      }
      if (pos < chunk.length) {
        pending = chunk.subarray(pos);
        pendingBase = base + pos;
      }
      yield collector.take();
    }
    if (pending) {
      if (decodeError) cutAt = { line, byte: pendingBase };
      else lineRecord(collector, pending, 0, pending.length, line, pendingBase);
    }
  } else {
    const scanner = new ContainerScanner(format);
    let pending: Buffer[] = [];
    let pendingBase = 0;
    for await (let chunk of rest()) {
      ctx.bytes(chunk.length);
      if (bytes === 0 && chunk.length >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) {
        chunk = chunk.subarray(3); // a byte-order mark is not part of the JSON
        scanner.advance(3);
        bytes = 3;
      }
      const chunkBase = bytes;
      bytes += chunk.length;
      scanner.scan(chunk, {
        element(start, end, line) {
          let text: string;
          if (start >= chunkBase) text = chunk.toString('utf8', start - chunkBase, end - chunkBase);
          else text = Buffer.concat([...pending, chunk.subarray(0, end - chunkBase)]).toString('utf8', start - pendingBase);
          collector.record(text, line, start);
        },
      });
      const open = scanner.openElementStart;
      if (open < 0) pending = [];
      else if (open >= chunkBase) {
        pending = [chunk.subarray(open - chunkBase)];
        pendingBase = open;
      } else pending.push(chunk);
      yield collector.take();
    }
    if (!decodeError) {
      scanner.finish({
        element(start, end, line) {
          const all = Buffer.concat(pending);
          collector.record(all.toString('utf8', start - pendingBase, end - pendingBase), line, start);
        },
      });
    }
    if (!scanner.complete) {
      if (decodeError) cutAt = scanner.openElementStart >= 0 ? { line: scanner.openElementLine, byte: scanner.openElementStart } : { line: 0, byte: bytes };
      else {
        const open = scanner.openElementStart;
        ctx.report({
          kind: 'truncated',
          file: source,
          line: open >= 0 ? scanner.openElementLine : undefined,
          byte: open >= 0 ? open : bytes,
          message: open >= 0
            ? `the input ends inside a record (the record starting here is lost)`
            : `the input ends before its closing bracket (${bytes} bytes read); the records before are kept`,
        });
      }
    }
  }
  if (decodeError) {
    ctx.report({
      kind: decodeError.truncated ? 'truncated' : 'unparsable',
      file: source,
      line: cutAt && cutAt.line > 0 ? cutAt.line : undefined,
      byte: cutAt ? cutAt.byte : bytes,
      message: `${decodeError.message} after ${bytes} decompressed bytes${cutAt && cutAt.line > 0 ? '; the record starting here is lost' : ''}`,
    });
  }
  const tail = collector.take();
  if (tail.length > 0) yield tail;
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

function lineRecord(collector: EventCollector, buf: Buffer, start: number, end: number, line: number, base: number): void {
  while (start < end && isSpace(buf[start]!)) start++;
  while (end > start && isSpace(buf[end - 1]!)) end--;
  if (start === end) return;
  // A BOM at the very start of the file.
  if (base + start === 0 && end - start >= 3 && buf[start] === 0xef && buf[start + 1] === 0xbb && buf[start + 2] === 0xbf) start += 3;
  collector.record(buf.toString('utf8', start, end), line, base + start);
}
