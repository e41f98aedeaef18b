/**
 * The members of a JSON object indexed by WebAssembly (wasm/member-index.ts, built into
 * dist/member-index.wasm) a few at a time: keys, values and the closing brace found with SIMD
 * compares, strings and nested values skipped 16 and 64 bytes at a time, instead of MemberScan
 * walking member by member in JavaScript, which is most of a full scan's time.
 *
 * WebAssembly reads bytes in its own memory, so the reader copies a latin1 view's bytes there
 * (`mirror`, on the view's first read record): an arena written front to back and wrapped around,
 * whose older copies stay readable until the writes come round to them again. A Mirror remembers
 * where its bytes went. When they are overwritten (an event read long after its chunk), at a key
 * with a backslash, or when the module is missing (src/ run through tsx without a build) or cannot
 * load (TRAILGUARD_NO_WASM=1 turns it off), MemberScan walks on in JavaScript as before. Both give
 * the same members, state and end for every input (a property test compares them).
 */
import { readFileSync } from 'node:fs';
import { packagePath } from '../util/paths.js';

/**
 * Bytes of the arena: four read chunks (or many small delivery files) stay readable at once, so
 * the events of a batch, read after their chunk, are still indexed here. Every byte of it is
 * touched, in every scan thread: it is resident memory.
 */
const ARENA_BYTES = 4 * 1024 * 1024;
/**
 * Members one call indexes: an early key (eventTime, eventName) costs one call over the first
 * part of an event, a late one (eventType) three.
 */
const MEMBERS_PER_CALL = 8;
/**
 * Linear memory layout: the module's own first page (it keeps nothing in memory, but leaves its
 * start alone), the call's output in the second half of that page, then the arena.
 */
const OUT_AT = 32 * 1024;
/** The keys of descents (descentKeys), after the output. */
const KEYS_AT = 36 * 1024;
const KEYS_MAX = 4 * 1024;
/** The patterns of contains() searches, after the keys. */
const PATTERN_AT = 40 * 1024;
const PATTERN_MAX = 4 * 1024;
const ARENA_AT = 64 * 1024;
/** The read buffer's size (wasmReadBuffer): one read chunk of a large file. */
const READ_BUFFER_BYTES = 1024 * 1024;
/** The plan and the output of a fused scan (src/sources/fused-scan.ts), after the patterns. */
export const FUSED_PLAN_AT = 44 * 1024;
export const FUSED_PLAN_BYTES = 4 * 1024;
export const FUSED_OUT_AT = 48 * 1024;
/** sparseLines' output: four words, then three per line, in the output region (OUT_AT to KEYS_AT). */
const SPARSE_HEAD = 4;
const SPARSE_MAX_LINES = Math.floor((KEYS_AT - OUT_AT - 4 * SPARSE_HEAD) / 12);

interface Exports {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  indexFrom(start: number, limit: number, out: number, max: number): number;
  descend(start: number, limit: number, keys: number, nkeys: number, out: number): number;
  contains(start: number, end: number, pattern: number, length: number): number;
  findFolded(start: number, end: number, pattern: number, length: number): number;
  sparseLines(start: number, end: number, pattern: number, length: number, out: number, max: number): void;
  fusedLayout(base: number, maxIds: number, slotsLog2: number, keyBytes: number): number;
  fusedReset(): void;
  fusedScan(start: number, end: number, line: number, plan: number, out: number, handBack: number): number;
  fusedElements(start: number, end: number, plan: number, out: number, handBack: number): number;
  arrayEnd(start: number, limit: number): number;
  fusedIds(): number;
  fusedKeyOffsets(): number;
  fusedKeyLengths(): number;
  fusedKeys(): number;
  fusedCounts(): number;
  fusedFlags(): number;
  fusedMins(): number;
  fusedMaxes(): number;
}

/** The part of the WebAssembly global used here (the project's TypeScript libs do not declare it). */
const Wasm = (globalThis as unknown as {
  WebAssembly: {
    Module: new (bytes: Uint8Array) => object;
    Instance: new (module: object, imports: object) => { exports: unknown };
  };
}).WebAssembly;

/** Where a view's bytes sit in the module's memory: view index i is at linear-memory offset i + delta. */
export interface Mirror {
  /** Absolute arena position of the copy (its offset in the arena is abs mod the arena size); -1 for a view of the read buffer. */
  readonly abs: number;
  readonly delta: number;
  /** For a view of the read buffer (not copied): the read it belongs to. */
  readonly read?: number;
}

/** indexFrom's states (wasm/member-index.ts). */
export const INDEXED_OPEN = 0;
export const INDEXED_DONE = 1;
export const INDEXED_MALFORMED = 2;
/** Stopped at a key with a backslash, for JavaScript to decode. */
export const INDEXED_ESCAPED_KEY = 3;

/** Where the last indexFrom call stopped: the closing offset (or -1) and the resume offset. */
export const indexed = { close: -1, resume: 0 };

/** The value span the last descend() found (view offsets). */
export const descended = { start: 0, end: 0 };

/** A path's keys as descend() reads them: each an i32 length, its bytes, padding to 4. */
export interface DescentKeys {
  readonly bytes: Uint8Array;
  readonly count: number;
}

/**
 * The keys for descend(), or null when it cannot follow them: an empty key (never a field's), a
 * key with a character a mirrored (ASCII) record spells only with an escape, or a long path.
 */
export function descentKeys(keys: readonly string[]): DescentKeys | null {
  if (keys.length === 0 || keys.some((k) => !/^[\x20-\x7e]+$/.test(k) || k.includes('"') || k.includes('\\'))) return null;
  const size = keys.reduce((n, k) => n + 4 + ((k.length + 3) & ~3), 0);
  if (size > KEYS_MAX) return null;
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  let at = 0;
  for (const k of keys) {
    view.setInt32(at, k.length, true);
    bytes.set(Buffer.from(k, 'latin1'), at + 4);
    at += 4 + ((k.length + 3) & ~3);
  }
  return { bytes, count: keys.length };
}

/**
 * A region of the module's memory for the byte strings an export reads beside the text (a
 * descent's keys, a search pattern). A scan uses the same few event after event, so each is
 * copied in once and keeps its place until the region is full; then the region starts over.
 */
class Staging {
  private bytes: Uint8Array;
  /** Memory offset of each string placed (-1: it cannot be placed). */
  private readonly places = new Map<unknown, number>();
  private used = 0;

  constructor(buffer: ArrayBuffer, private readonly at: number, private readonly size: number) {
    this.bytes = new Uint8Array(buffer, at, size);
  }

  /** The same region in the memory's new buffer (after it grew). */
  rebind(buffer: ArrayBuffer): void {
    this.bytes = new Uint8Array(buffer, this.at, this.size);
  }

  /** The memory offset of the string placed for `key`, or undefined when it has not been. */
  get(key: unknown): number | undefined {
    return this.places.get(key);
  }

  /** Places `bytes` for `key` (null: remembers that it cannot be placed); returns get(key). */
  place(key: unknown, bytes: Uint8Array | null): number {
    if (bytes === null || bytes.length > this.size) {
      this.places.set(key, -1);
      return -1;
    }
    if (this.used + bytes.length > this.size || this.places.size >= 1024) {
      this.places.clear();
      this.used = 0;
    }
    const offset = this.at + this.used;
    this.bytes.set(bytes, this.used);
    this.used += (bytes.length + 3) & ~3; // keys are read as i32 lengths: keep places aligned
    this.places.set(key, offset);
    return offset;
  }
}

/** The bytes of an ASCII text, or null (mirrored records are ASCII: other text is never in them). */
function asciiBytes(text: string): Uint8Array | null {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0x7f) return null;
    bytes[i] = c;
  }
  return bytes;
}

/**
 * An ASCII term's bytes with A-Z made a-z, or null for any other term (toLowerCase() would make
 * some non-ASCII letters ASCII, as the Kelvin sign K, which a case-insensitive regex does not).
 */
function foldedAsciiBytes(term: string): Uint8Array | null {
  const bytes = asciiBytes(term);
  if (bytes === null) return null;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i]!;
    if (c >= 0x41 && c <= 0x5a) bytes[i] = c | 0x20;
  }
  return bytes;
}

class Indexer {
  private bytes: Uint8Array;
  private out: Int32Array;
  /** Descent keys and search patterns, each in its own region. */
  private readonly keys: Staging;
  private readonly patterns: Staging;
  /** Absolute arena position just past the last copy (only grows). */
  private written = 0;
  /** Where the read buffer is (after the arena), and the reads into it so far. */
  private readonly readAt: number;
  private reads = 0;

  constructor(private readonly wasm: Exports, private readonly size: number) {
    this.readAt = ARENA_AT + size;
    const need = Math.ceil((this.readAt + READ_BUFFER_BYTES) / 65536) - Math.floor(wasm.memory.buffer.byteLength / 65536);
    if (need > 0) wasm.memory.grow(need);
    this.bytes = new Uint8Array(wasm.memory.buffer, ARENA_AT, size);
    this.out = new Int32Array(wasm.memory.buffer, OUT_AT, 3 + 4 * MEMBERS_PER_CALL);
    this.keys = new Staging(wasm.memory.buffer, KEYS_AT, KEYS_MAX);
    this.patterns = new Staging(wasm.memory.buffer, PATTERN_AT, PATTERN_MAX);
  }

  /** The first byte past the arena and the read buffer (where the fused scan's tables go). */
  get arenaEnd(): number {
    return this.readAt + READ_BUFFER_BYTES;
  }

  /** Grows the memory to at least `bytes` (the views into it are made again). */
  reserve(bytes: number): void {
    const buffer = this.wasm.memory.buffer;
    if (buffer.byteLength >= bytes) return;
    this.wasm.memory.grow(Math.ceil((bytes - buffer.byteLength) / 65536));
    const grown = this.wasm.memory.buffer;
    this.bytes = new Uint8Array(grown, ARENA_AT, this.size);
    this.out = new Int32Array(grown, OUT_AT, 3 + 4 * MEMBERS_PER_CALL);
    this.keys.rebind(grown);
    this.patterns.rebind(grown);
  }

  get exports(): Exports {
    return this.wasm;
  }

  /**
   * Copies src[from, to) into the arena; views longer than half the arena are not copied (their
   * events are walked in JavaScript). With `passing`, a view of the read buffer (readBuffer) is
   * not copied: its mirror is good only until the buffer is read into again.
   */
  copy(src: Uint8Array, from: number, to: number, passing = false): Mirror | null {
    const len = to - from;
    const offset = src.byteOffset + from;
    if (passing && src.buffer === this.wasm.memory.buffer && offset >= this.readAt && offset + len <= this.readAt + READ_BUFFER_BYTES) {
      return { abs: -1, delta: offset, read: this.reads };
    }
    if (len > this.size / 2) return null;
    let abs = this.written;
    // A copy never wraps around the end: it starts again at the front.
    if ((abs % this.size) + len > this.size) abs += this.size - (abs % this.size);
    const at = abs % this.size;
    this.bytes.set(src.subarray(from, to), at);
    this.written = abs + len;
    return { abs, delta: ARENA_AT + at };
  }

  /**
   * The read buffer, `length` bytes of it (null when longer): a file's chunks are read into it,
   * and the views the reader passes over or hands straight to WebAssembly (a selective search's,
   * a fused stats head's) are then not copied. Each call starts a new read: the mirrors of the
   * last one are not good any more. The Buffer is asked for again at every read: memory that grows
   * (a fused scan's tables, laid out when a scan starts, between a reader's chunks) detaches the
   * old one. The reader copies what it keeps of a chunk, so no chunk is read after that.
   */
  readBuffer(length: number): Buffer | null {
    if (length > READ_BUFFER_BYTES) return null;
    this.reads++;
    return Buffer.from(this.wasm.memory.buffer, this.readAt, length);
  }

  /** The bytes of `m` are still there: no later copy has come round to them. */
  holds(m: Mirror): boolean {
    return m.read === undefined ? this.written <= m.abs + this.size : m.read === this.reads;
  }

  descend(m: Mirror, start: number, limit: number, keys: DescentKeys): number {
    const at = this.keys.get(keys) ?? this.keys.place(keys, keys.bytes);
    if (at < 0) return 0; // not placed: the walk decides
    const d = m.delta;
    const found = this.wasm.descend(start + d, limit + d, at, keys.count, OUT_AT);
    if (found === 1) {
      descended.start = this.out[0]! - d;
      descended.end = this.out[1]! - d;
    }
    return found;
  }

  contains(m: Mirror, start: number, end: number, pattern: string): number {
    const at = this.patterns.get(pattern) ?? this.patterns.place(pattern, asciiBytes(pattern));
    // -1: not ASCII (mirrored text is ASCII, but say so only where it is searched).
    return at < 0 ? -1 : this.wasm.contains(start + m.delta, end + m.delta, at, pattern.length);
  }

  /** Where the lower-cased `term` is placed, under its own key (a contains() pattern may be the same text); -1: it cannot be. */
  private foldedAt(term: string): number {
    const key = foldKeys.get(term) ?? foldKeys.set(term, { term }).get(term)!;
    return this.patterns.get(key) ?? this.patterns.place(key, foldedAsciiBytes(term));
  }

  findFolded(m: Mirror, start: number, end: number, term: string): number {
    const at = this.foldedAt(term);
    if (at < 0) return -2;
    const found = this.wasm.findFolded(start + m.delta, end + m.delta, at, term.length);
    return found < 0 ? -1 : found - m.delta;
  }

  sparseLines(m: Mirror, start: number, end: number, term: string, into: SparseLines): boolean {
    const at = this.foldedAt(term);
    if (at < 0) return false;
    const d = m.delta;
    this.wasm.sparseLines(start + d, end + d, at, term.length, OUT_AT, SPARSE_MAX_LINES);
    const head = new Int32Array(this.wasm.memory.buffer, OUT_AT, SPARSE_HEAD + 3 * SPARSE_MAX_LINES);
    const found = head[0]!;
    into.newlines = head[1]!;
    into.ascii = head[2] === 0;
    into.resume = head[3]! < 0 ? -1 : head[3]! - d;
    // A copy: reading the lines found calls into the module again (a fused head, a record's index).
    const lines = head.slice(SPARSE_HEAD, SPARSE_HEAD + 3 * found);
    for (let k = 0; k < lines.length; k += 3) {
      lines[k] -= d;
      lines[k + 1] -= d;
    }
    into.lines = lines;
    return true;
  }

  indexFrom(m: Mirror, start: number, limit: number, members: number[]): number {
    const d = m.delta;
    const n = this.wasm.indexFrom(start + d, limit + d, OUT_AT, MEMBERS_PER_CALL);
    const out = this.out;
    for (let k = 3; k < 3 + 4 * n; k++) members.push(out[k]! - d);
    const close = out[0]!;
    indexed.close = close < 0 ? -1 : close - d;
    indexed.resume = out[2]! - d;
    return out[1]!;
  }
}

let indexer: Indexer | null | undefined;
/** The Staging key of each term findFolded placed (one object per term, for the run). */
const foldKeys = new Map<string, object>();

function load(size: number): Indexer | null {
  try {
    const module = new Wasm.Module(readFileSync(packagePath('dist', 'member-index.wasm')));
    const wasm = new Wasm.Instance(module, { env: { abort: () => undefined } }).exports as Exports;
    return new Indexer(wasm, size);
  } catch {
    return null; // not built, or no WebAssembly SIMD here: MemberScan walks in JavaScript
  }
}

function current(): Indexer | null {
  if (indexer === undefined) indexer = process.env['TRAILGUARD_NO_WASM'] ? null : load(ARENA_BYTES);
  return indexer;
}

/**
 * Copies bytes[from, to) (the bytes of a latin1 view, view index 0 = bytes[from]) into the arena;
 * null when WebAssembly is not available or the view is longer than half the arena.
 */
export function mirror(bytes: Uint8Array, from = 0, to = bytes.length): Mirror | null {
  return current()?.copy(bytes, from, to) ?? null;
}

/**
 * The module's read buffer, `length` bytes of it, to read a file's next chunk into; null when
 * WebAssembly is not available or `length` is over 1 MiB. The views the reader passes straight to
 * WebAssembly (LazyMirror.passing) are then not copied. Good until the next call.
 */
export function wasmReadBuffer(length: number): Buffer | null {
  return current()?.readBuffer(length) ?? null;
}

/**
 * A view's bytes, mirrored on first use: a selective search reads few of a view's records, and
 * copying every view it skips would cost more than the index saves it.
 */
export class LazyMirror {
  private value: Mirror | null | undefined;
  private passed: Mirror | null | undefined;

  constructor(private readonly bytes: Uint8Array) {}

  /** The view's mirror, good for as long as the arena holds it (a record's, read later). */
  get(): Mirror | null {
    if (this.value === undefined) this.value = mirror(this.bytes);
    return this.value;
  }

  /**
   * A mirror for use now, before the next chunk is read (a search over the view, a fused head's
   * pass): a view of the read buffer is not copied.
   */
  passing(): Mirror | null {
    if (this.value !== undefined) return this.value;
    if (this.passed !== undefined) return this.passed;
    const m = current()?.copy(this.bytes, 0, this.bytes.length, true) ?? null;
    // A copy (the view was not in the read buffer) is as good as get()'s.
    if (m === null || m.read === undefined) this.value = m;
    else this.passed = m;
    return m;
  }
}

/** The indexer, when it still holds the bytes of `m` (no later copy has come round to them). */
function withBytesOf(m: Mirror): Indexer | null {
  return indexer && indexer.holds(m) ? indexer : null;
}

/**
 * Indexes up to MEMBERS_PER_CALL members of an object from view index `start` (where a key's
 * quote should be, after `{` or `,` and blanks; nothing at or past `limit` is read),
 * pushing four view offsets per member onto `members` (key start, key end, value start, value
 * end). Returns the state (INDEXED_*) with `indexed.close` and `indexed.resume` set, or -1 when
 * the mirror's bytes are gone and the caller must walk in JavaScript (nothing pushed).
 */
export function indexFrom(m: Mirror, start: number, limit: number, members: number[]): number {
  return withBytesOf(m)?.indexFrom(m, start, limit, members) ?? -1;
}

/**
 * Follows `keys` down from the object at view index `start` (nothing at or past `limit` read):
 * 1 with `descended` set to the value span of the last key's member, found as MemberScan would
 * find it level by level; 0 when the caller must walk (absent, not an object on the way, an
 * escaped key, malformed); -1 when the mirror's bytes are gone.
 */
export function descend(m: Mirror, start: number, limit: number, keys: DescentKeys): number {
  return withBytesOf(m)?.descend(m, start, limit, keys) ?? -1;
}

/**
 * Whether the text `pattern` occurs in view[start, end): 1 or 0; -1 when the mirror's bytes are
 * gone or the pattern is not ASCII or longer than 4 KiB (the caller searches the string instead).
 */
export function containsText(m: Mirror, start: number, end: number, pattern: string): number {
  if (pattern.length > PATTERN_MAX) return -1;
  return withBytesOf(m)?.contains(m, start, end, pattern) ?? -1;
}

/**
 * Where the ASCII `term` first occurs in view[start, end) with letters compared without case (what
 * a case-insensitive regex finds in the view's latin1 text): the view offset, -1 when it does
 * not occur, or -2 when this cannot tell (the mirror's bytes are gone, or the term is not ASCII or
 * longer than 4 KiB).
 */
export function findFolded(m: Mirror, start: number, end: number, term: string): number {
  if (term.length > PATTERN_MAX) return -2;
  return withBytesOf(m)?.findFolded(m, start, end, term) ?? -2;
}

/** What sparseLines found in a view's range. */
export interface SparseLines {
  /** Per line holding the term: its start, the offset of its newline, its index (newlines before it, from the range's start). */
  lines: Int32Array;
  /** Newlines in the range. */
  newlines: number;
  /** No byte of the range is above 0x7f. */
  ascii: boolean;
  /** Where to ask again for more lines (the output was full), or -1. */
  resume: number;
}

/**
 * One pass over view[start, end) (a range of whole lines, ending with a newline) for a selective
 * search: the lines holding the ASCII `term`, letters compared without case as findFolded
 * compares them, the range's newlines, and whether all its bytes are ASCII, written to `into`.
 * False when this cannot tell (the mirror's bytes are gone; the term is empty, not ASCII or
 * longer than 4 KiB): nothing is written then.
 */
export function sparseLines(m: Mirror, start: number, end: number, term: string, into: SparseLines): boolean {
  if (term.length === 0 || term.length > PATTERN_MAX) return false;
  return withBytesOf(m)?.sparseLines(m, start, end, term, into) ?? false;
}

/**
 * True when `pattern` does not occur in view[start, end), searched in the mirrored bytes when the
 * indexer still holds them, else in `same` (the string of those characters).
 */
export function lacksText(m: Mirror | null, start: number, end: number, pattern: string, same: string): boolean {
  const found = m === null ? -1 : containsText(m, start, end, pattern);
  return found === 0 || (found < 0 && same.indexOf(pattern) < 0);
}

/**
 * The view index past the `]` of the array at view index `start` (its `[`; nothing at or past
 * `limit` read) when each element is an object MemberScan accepts: -1 when the reader's walk of
 * the elements would reject the array, -2 when it must walk them itself (an element that is not
 * an object, a key with a backslash, the mirror's bytes gone).
 */
export function arrayEndIn(m: Mirror, start: number, limit: number): number {
  const ix = withBytesOf(m);
  if (ix === null) return -2;
  const e = ix.exports.arrayEnd(start + m.delta, limit + m.delta);
  return e < 0 ? e : e - m.delta;
}

/** The module, for a fused scan (src/sources/fused-scan.ts): null when WebAssembly is not available. */
export interface FusedModule {
  readonly exports: Exports;
  /** The first byte the fused scan's tables may use. */
  readonly tablesAt: number;
  /** Grows the memory to at least `bytes`. */
  reserve(bytes: number): void;
  /** True when `m` is a copy in this module's arena that is still there. */
  holds(m: Mirror): boolean;
}

export function fusedModule(): FusedModule | null {
  const ix = current();
  if (ix === null) return null;
  return { exports: ix.exports, tablesAt: ix.arenaEnd, reserve: (b) => ix.reserve(b), holds: (m) => ix === indexer && ix.holds(m) };
}

/** Tests: a fresh indexer whose arena holds `size` bytes, or null when WebAssembly is unavailable. */
export function resetIndexerForTests(size = ARENA_BYTES): boolean {
  indexer = load(size);
  return indexer !== null;
}
