/**
 * CloudTrail sources: `openSources(paths, opts)` turns files, directories, globs and `-` (stdin)
 * into batches of raw events with their time, pruning by the AWSLogs/ layout, and reporting every
 * bad record as a SourceIssue (fatal with `strict`).
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { IssueKind, RawEvent, ReadOptions, SourceIssue } from './types.js';
import { IssueLog, emptyIssueCounts } from './issues.js';
import { PathExpander } from './paths.js';
import { readBuffer, readEvents, type ReaderContext } from './reader.js';
import { lineAlignedRange } from './range.js';
import { isS3Url, parseS3Url } from './s3-url.js';
import type { S3Lister } from './s3.js';
import { DecodeError, isGzip } from './decode.js';
import { wasmReadBuffer } from './member-index.js';
import { nodeZlib } from '../util/lazy-require.js';

export type { RawEvent, ReadOptions, SourceIssue, IssueKind } from './types.js';
export { findElementBoundaries, ContainerScanner, type ContainerMode, type ElementBoundary } from './scanner.js';
export { classifyRecord } from './event.js';
export { parseEventTime, topLevelSpans } from './toplevel.js';
export { fileNameSpan, directorySpan, FILE_MARGIN_SECONDS, DIRECTORY_MARGIN_SECONDS } from './pruning.js';
export { issueError } from './issues.js';
export { readEvents, readBuffer, detectFormat, RecordReader, DEFAULT_MAX_RECORD_BYTES } from './reader.js';
export { EventView } from './view.js';
export { MemberScan, ABSENT, UNREADABLE } from './members.js';
export type { RawPrefilter } from './types.js';
export { alignLineStart, lineAlignedRange } from './range.js';

async function* emptyChunks(): AsyncGenerator<Buffer> {}

async function* oneChunk(b: Buffer): AsyncGenerator<Buffer> {
  yield b;
}

async function collect(found: AsyncIterable<RawEvent[]>): Promise<RawEvent[]> {
  const out: RawEvent[] = [];
  for await (const list of found) out.push(...list);
  return out;
}

let s3Lister: S3Lister | undefined;

/** One lister per process: a running service lists each prefix incrementally across ticks. */
export async function sharedS3Lister(): Promise<S3Lister> {
  if (s3Lister === undefined) {
    const { S3Lister } = await import('./s3.js');
    s3Lister = new S3Lister();
  }
  return s3Lister;
}

/**
 * Bytes [from, to) of a file in READ_CHUNK_BYTES chunks, read synchronously (a read from the page
 * cache is a memory copy; a stream's machinery per chunk costs more than the read). Each chunk is
 * read into the WebAssembly module's read buffer where there is one (wasmReadBuffer: the views
 * the reader hands to WebAssembly there and then are not copied into its arena first), else into
 * one buffer per file, refilled. Either way the reader copies what it keeps of a chunk, and the
 * buffer is asked for again at every read. (A new buffer per chunk would
 * be external memory the collector frees late: hundreds of MB of RSS on a scan that allocates
 * little else, such as a selective search.)
 */
async function* fileChunks(path: string, from: number, to: number): AsyncGenerator<Buffer> {
  const fd = openSync(path, 'r');
  try {
    let pos = from;
    const size = Math.max(1, Math.min(READ_CHUNK_BYTES, to - from));
    let own: Buffer | undefined;
    // A whole file is read from where the descriptor stands (0), which a pipe also allows; a
    // range needs positions.
    const whole = from === 0 && to === Infinity;
    while (pos < to) {
      const want = Math.min(size, to - pos);
      const buf = wasmReadBuffer(want) ?? (own ??= Buffer.allocUnsafe(size));
      const n = readSync(fd, buf, 0, want, whole ? null : pos);
      if (n <= 0) break;
      pos += n;
      yield n < buf.length ? buf.subarray(0, n) : buf;
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * Events per batch handed to the pipeline. Everything a batch's rows build (field caches, nested
 * member indexes, values) stays alive until the whole batch has gone through the pipeline, so a
 * large batch outlives V8's young generation and is promoted to the old one: at 1024 events a
 * full scan of 300k events spent about a third of its CPU in the collector (and 2× the RSS) that
 * it does not spend at 256.
 */
export const DEFAULT_BATCH_SIZE = 256;
/** A batch short of batchSize is handed out after this many reads (chunks or whole files). */
const FLUSH_AFTER_READS = 4;
/** Read-ahead per file; large enough that the disk read overlaps the scanning of the previous chunk. */
const READ_CHUNK_BYTES = 960 * 1024;
/**
 * Files up to this size are read whole with one synchronous read and, when gzipped, inflated in
 * one call: no stream objects per file, which is what CloudTrail's thousands of small delivery
 * files need. Larger files stream in READ_CHUNK_BYTES chunks.
 */
export const WHOLE_FILE_BYTES = 8 * 1024 * 1024;
/** A small gzip file that inflates to more than this is streamed instead (a gzip bomb, say). */
const WHOLE_INFLATED_BYTES = 64 * 1024 * 1024;

/** readWhole's first read of every file (files that do not fit are read again, whole). */
const scratch = Buffer.allocUnsafe(256 * 1024);

/**
 * The decompressed bytes of a small file, or null when it should be streamed (too large, or a
 * corrupt gzip: the stream then keeps what comes before the damage and reports it). A gzip cut
 * off is inflated as far as it goes (everything zlib can recover, which a stream's final flush
 * would drop) and comes back with `cut` set. Errors opening or reading it are thrown (reported
 * as unreadable).
 */
function readWhole(path: string, regular: boolean): { bytes: Buffer; cut?: DecodeError } | null {
  const fd = openSync(path, 'r');
  let buf: Buffer;
  try {
    // A delivery file is a few KB: one read into a shared buffer, no stat, no buffer of its own.
    // A regular file's read stops short only at its end, so a read that does not fill the buffer
    // got all of it. Gzip is inflated into a buffer of its own right away; other bytes are copied.
    const n = regular ? readSync(fd, scratch, 0, scratch.length, 0) : 0;
    if (regular && n < scratch.length) {
      const got = scratch.subarray(0, n);
      return isGzip(got) ? decodeWhole(got) : { bytes: Buffer.from(got) };
    }
    const st = fstatSync(fd);
    // A pipe or a device has no size to read up to: it is streamed to its end instead.
    if (!st.isFile()) return null;
    const size = st.size;
    if (size > WHOLE_FILE_BYTES) return null;
    buf = Buffer.allocUnsafe(size);
    let got = scratch.copy(buf, 0, 0, Math.min(n, size));
    while (got < size) {
      const n = readSync(fd, buf, got, size - got, got);
      if (n <= 0) break;
      got += n;
    }
    if (got < size) buf = buf.subarray(0, got);
  } finally {
    closeSync(fd);
  }
  return decodeWhole(buf);
}

/**
 * A whole file's bytes, inflated in one call when gzipped; null when that is not possible within
 * the memory cap (the caller streams it instead).
 */
function decodeWhole(buf: Buffer): { bytes: Buffer; cut?: DecodeError } | null {
  if (!isGzip(buf)) return { bytes: buf };
  try {
    return { bytes: nodeZlib().gunzipSync(buf, { maxOutputLength: WHOLE_INFLATED_BYTES }) };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'Z_BUF_ERROR') return null;
  }
  try {
    const bytes = nodeZlib().gunzipSync(buf, { maxOutputLength: WHOLE_INFLATED_BYTES, finishFlush: nodeZlib().constants.Z_SYNC_FLUSH });
    return { bytes, cut: new DecodeError(true, 'gzip data is truncated (unexpected end of file)') };
  } catch {
    return null;
  }
}

export interface SourceStats {
  /** Candidate files found (including those pruned by their name). */
  filesSeen: number;
  filesOpened: number;
  /** Files skipped without opening (their name puts them outside the time window). */
  filesSkipped: number;
  /** AWSLogs/ date directories skipped without listing them. */
  dirsSkipped: number;
  /** Events delivered (inside the time window). */
  events: number;
  /** Well-formed events dropped because their time is outside [earliest, latest). */
  outsideWindow: number;
  /** Decompressed bytes read. */
  bytes: number;
  /** Issues by kind. */
  issues: Record<IssueKind, number>;
  /** The first issues in full (at most 10). */
  firstIssues: SourceIssue[];
}

export interface EventSource {
  batches(): AsyncIterable<RawEvent[]>;
  readonly stats: SourceStats;
}

export function openSources(paths: string[], opts: ReadOptions = {}): EventSource {
  const log = new IssueLog(opts);
  const stats: SourceStats = {
    filesSeen: 0,
    filesOpened: 0,
    filesSkipped: 0,
    dirsSkipped: 0,
    events: 0,
    outsideWindow: 0,
    bytes: 0,
    issues: log.counts,
    firstIssues: log.first,
  };
  const batchSize = Math.max(1, opts.batchSize ?? DEFAULT_BATCH_SIZE);
  const ctx: ReaderContext = {
    report: (i) => log.report(i),
    earliest: opts.earliest,
    latest: opts.latest,
    validateJson: opts.validateJson,
    keepUntimed: opts.keepUntimed,
    outside: (n) => { stats.outsideWindow += n; },
    bytes: (n) => { stats.bytes += n; },
    strict: opts.strict,
    maxRecordBytes: opts.maxRecordBytes,
    prefilter: opts.prefilter,
    viewSink: opts.viewSink,
  };

  async function* batches(): AsyncGenerator<RawEvent[]> {
    const expander = new PathExpander({ earliest: opts.earliest, latest: opts.latest });
    const sync = (): void => {
      stats.filesSeen = expander.stats.filesSeen;
      stats.filesSkipped = expander.stats.filesSkipped;
      stats.dirsSkipped = expander.stats.dirsSkipped;
    };
    let batch: RawEvent[] = [];
    let readsSinceBatch = 0;
    /** The batch filled so far, counted, and a new one begun. */
    const handOut = (): RawEvent[] => {
      const full = batch;
      stats.events += full.length;
      readsSinceBatch = 0;
      batch = [];
      return full;
    };
    /**
     * Adds the events of one read (a chunk or a whole file) to the batch being filled, handing out
     * each batch as it reaches batchSize, or once FLUSH_AFTER_READS reads have gone by: a selective
     * search keeps few events, and events held for tens of megabytes of input outlive the young
     * generation and pile up in the old one until a full collection.
     */
    function* filled(events: Iterable<RawEvent>): Generator<RawEvent[]> {
      for (const ev of events) {
        batch.push(ev);
        if (batch.length >= batchSize) yield handOut();
      }
      if (++readsSinceBatch >= FLUSH_AFTER_READS && batch.length > 0) yield handOut();
    }
    for (const arg of paths) {
      if (isS3Url(arg)) {
        // s3://bucket/prefix: listed with the same time pruning, fetched concurrently, read whole.
        const { fetchObjects } = await import('./s3.js');
        const lister = opts.s3Lister ?? (await sharedS3Lister());
        const objects = await lister.list(parseS3Url(arg), { earliest: opts.earliest, latest: opts.latest });
        stats.filesSeen += lister.stats.objectsSeen;
        for await (const { object, bytes } of fetchObjects(lister.client, objects)) {
          stats.filesOpened++;
          const whole = decodeWhole(bytes);
          const found = whole !== null ? readBuffer(object.url, whole.bytes, ctx, whole.cut) : await collect(readEvents(object.url, oneChunk(bytes), ctx));
          yield* filled(found);
        }
        continue;
      }
      for await (const input of opts.filesExpanded && arg !== '-' ? expander.knownFile(arg) : expander.expand(arg)) {
        sync();
        if (input.kind === 'missing') {
          log.report({ kind: 'unreadable', file: input.path, message: `cannot read ${input.path}: ${input.message}` });
          continue;
        }
        const name = input.kind === 'stdin' ? '-' : input.path;
        const unreadable = (e: unknown): void => {
          const err = e as NodeJS.ErrnoException;
          if (typeof err.code !== 'string' || !/^E[A-Z]+$/.test(err.code)) throw e;
          log.report({ kind: 'unreadable', file: name, message: `cannot read ${name}: ${err.message}` });
        };
        if (input.kind === 'file' && !opts.range) {
          // Small files: one read, one inflate, one synchronous pass.
          let whole: { bytes: Buffer; cut?: DecodeError } | null;
          try {
            whole = readWhole(input.path, input.regular === true);
          } catch (e) {
            stats.filesOpened++;
            unreadable(e);
            continue;
          }
          if (whole !== null) {
            stats.filesOpened++;
            yield* filled(readBuffer(name, whole.bytes, ctx, whole.cut));
            continue;
          }
        }
        const ranged = opts.range && input.kind === 'file' ? lineAlignedRange(input.path, opts.range) : undefined;
        const stream = input.kind === 'stdin'
          ? (opts.stdin ?? process.stdin)
          : ranged
            ? fileChunks(input.path, ranged.from, ranged.to)
            : fileChunks(input.path, 0, Infinity);
        // A range's lines (for the line numbers of the ranges after it) are counted by the reader.
        const counter = { lines: 0 };
        const chunks = ranged && ranged.to <= ranged.from ? emptyChunks() : (stream as AsyncIterable<Buffer>);
        const readCtx: ReaderContext = ranged ? { ...ctx, format: 'lines', startByte: ranged.from, onNewlines: (n) => { counter.lines = n; } } : ctx;
        stats.filesOpened++;
        try {
          for await (const found of readEvents(name, chunks, readCtx)) {
            yield* filled(found);
          }
        } catch (e) {
          unreadable(e);
        }
        if (ranged) opts.onRange?.({ file: name, from: ranged.from, to: ranged.to, lines: counter.lines });
      }
      sync();
    }
    if (batch.length > 0) yield handOut();
  }

  return { batches, stats };
}

/** Convenience for tests and small inputs: every event of `paths` in one array. */
export async function readAllEvents(paths: string[], opts: ReadOptions = {}): Promise<{ events: RawEvent[]; stats: SourceStats }> {
  const src = openSources(paths, opts);
  const events: RawEvent[] = [];
  for await (const b of src.batches()) for (const e of b) events.push(e);
  return { events, stats: src.stats };
}

export { emptyIssueCounts };
