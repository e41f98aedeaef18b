/**
 * What CloudTrail sources hand to the engine: one raw event at a time (in batches), with its
 * time already extracted and where it came from. The text is the event's own JSON object, never
 * the surrounding `{"Records":[…]}` wrapper, so `_raw` is exactly one event.
 */
export interface RawEvent {
  /** JSON text of exactly one event object (for EventBridge envelopes: the `detail` object). */
  raw: string;
  /** Epoch seconds (milliseconds kept as a fraction) from `eventTime` (or `@timestamp`). */
  time: number;
  /** File path the event came from, or `-` for standard input. */
  source: string;
  /** 1-based line of the event's first byte in the (decompressed) file. */
  line: number;
  /** Byte offset of the event's first byte in the (decompressed) file. */
  byte: number;
}

/**
 * A raw-text test a record must pass to be read at all (the engine's byte prefilter). `terms`,
 * when given, are literals every passing record contains (compared case-insensitively): the
 * reader then searches them over whole chunks instead of calling the function per record.
 */
export interface RawPrefilter {
  (raw: string): boolean;
  readonly terms?: readonly string[];
}

export type IssueKind =
  | 'unparsable'      // a line or record that is not valid JSON
  | 'not-object'      // valid JSON but not an object
  | 'no-time'         // an event without eventTime/@timestamp (or an unreadable one)
  | 'truncated'       // a truncated gzip or a file cut off mid-record
  | 'oversized'       // a record longer than --max-record-bytes (skipped, never held in memory)
  | 'unreadable';     // a path that cannot be opened

/** A problem with the input; never silently dropped, reported with where it happened. */
export interface SourceIssue {
  kind: IssueKind;
  file: string;
  line?: number;
  byte?: number;
  message: string;
}

export interface ReadOptions {
  /** (S3 sources) The lister to use; default one per process, so listings are incremental. */
  s3Lister?: import('./s3.js').S3Lister;
  /** Inclusive lower bound (epoch seconds); events before it are skipped. */
  earliest?: number;
  /** Exclusive upper bound (epoch seconds). */
  latest?: number;
  /** Make every SourceIssue fatal (a TrailguardError with phase 'input'). */
  strict?: boolean;
  /** Receives every issue as it is found. */
  onIssue?: (issue: SourceIssue) => void;
  /** Events per batch handed to the pipeline. */
  batchSize?: number;
  /** (added by sources) Also JSON.parse every event to reject records malformed below the top
   *  level. Default false: the reader checks structure and the top level; the field model parses. */
  validateJson?: boolean;
  /**
   * Also deliver events that have no usable time (with `time` NaN) after reporting them, for
   * tools that inspect single events (`trailguard fields`); searches never set it.
   */
  keepUntimed?: boolean;
  /** (added by sources) The stream read for `-` (default process.stdin). */
  stdin?: NodeJS.ReadableStream | AsyncIterable<Buffer | string>;
  /**
   * (added for parallel scans) Read only part of each uncompressed NDJSON file: the lines whose
   * first byte lies in [start, end). Ranges that meet (one's end is the next one's start) read
   * every line exactly once. Byte offsets stay those of the whole file; line numbers count from
   * the range's first line (see `onRange`). The format is taken to be NDJSON, not sniffed.
   */
  range?: { start: number; end: number };
  /** With `range`: called per file read with the line-aligned bounds and the newlines read. */
  onRange?: (info: { file: string; from: number; to: number; lines: number }) => void;
  /**
   * Records longer than this many bytes (decompressed) are reported as `oversized` issues, with
   * file and byte offset, and skipped; memory stays bounded whatever the input holds. Default
   * 8 MiB (CloudTrail's own events are far smaller).
   */
  maxRecordBytes?: number;
  /**
   * Skip records that cannot pass this raw-text test before reading them (the engine's byte
   * prefilter; the search still decides on every record it lets through). Skipped records are not
   * checked for issues either, except with `strict`, where every record is checked first. While
   * it lets three in four records through it is not applied (it would cost more than it saves):
   * the records read then are checked like any other.
   */
  prefilter?: RawPrefilter | null;
  /**
   * (parallel scans) The paths are regular files already found by a directory walk or glob (a
   * worker's share): they are read as they are, without a stat each.
   */
  filesExpanded?: boolean;
  /**
   * (fused stats heads, src/engine/fused.ts) Reads whole ASCII views of NDJSON lines into its own
   * aggregates; the lines it hands back are read as usual. Not used with `strict` or
   * `validateJson`.
   */
  viewSink?: ViewSink | null;
}

/** What a ViewSink made of one view. */
export interface SunkView {
  /** The lines left to the reader: [start, end, line index in the view] per line (view offsets). */
  fallback: number[];
  /** The view's lines (its newlines). */
  lines: number;
  /** Events the sink dropped for their time (outside [earliest, latest)). */
  outside: number;
}

/**
 * Takes whole views of NDJSON lines (ASCII, mirrored into WebAssembly memory: see
 * member-index.ts) before the reader makes text of them. Returns null when it does not take this
 * view (the reader then reads it as usual).
 */
export interface ViewSink {
  /** The whole lines at view[start, end) (end just past a newline), mirrored at m; line indexes count from `start`'s line. */
  view(m: import('./member-index.js').Mirror, start: number, end: number, where: { source: string; line: number; byte: number }): SunkView | null;
  /**
   * The elements of a `{"Records":[…]}` document's array at view[start, end) (`[` to past `]`),
   * mirrored at m: returns the elements left to the reader as [start, end, 0] triples (`lines`
   * is 0), or null when it does not take them. Called only for a document the reader has found
   * well formed (recordsArrayEnd), so nothing is read twice.
   */
  records(m: import('./member-index.js').Mirror, start: number, end: number, where: { source: string; line: number; byte: number }): SunkView | null;
}

