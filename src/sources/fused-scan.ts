/**
 * The byte side of a fused stats head (src/engine/fused.ts): a ViewSink that reads whole ASCII
 * views of NDJSON lines with WebAssembly (fusedScan in wasm/member-index.ts) and aggregates them
 * there, per group of by-values: count, the earliest and latest time, and the distinct values of
 * dc fields. No string, row or event object is made for a line it reads; the lines it is not
 * certain about are handed back to the reader, which reads them as any other line (so the engine
 * aggregates those through the plain path and merges the two).
 *
 * One scan at a time per thread uses the module's tables (start() returns null while another
 * runs: that scan takes the plain path).
 */
import { FUSED_OUT_AT, FUSED_PLAN_AT, FUSED_PLAN_BYTES, fusedModule, type FusedModule, type Mirror } from './member-index.js';
import type { SunkView, ViewSink } from './types.js';

/**
 * What a path is for: a filter (field=value), a by-field, a dc() field, or an alternative filter
 * (read only when the filter before it finds its field absent and says `onAbsent: 'next'`).
 */
export type FusedRole = 'filter' | 'by' | 'dc' | 'alt';

/** What a filter makes of a line: keep it, drop it, or (absent only) ask the next path, an `alt`. */
export type FusedAction = 'pass' | 'drop' | 'next';

export interface FusedPath {
  role: FusedRole;
  /** The keys from the top level down (`userIdentity.arn` → ['userIdentity', 'arn']). */
  keys: string[];
  /** A filter's value (ASCII), compared without case unless `exact`. */
  value?: string;
  exact?: boolean;
  /** A filter's action when the field is a plain string equal to the value (default pass), another one (drop), or absent (drop). */
  onMatch?: FusedAction;
  onMiss?: FusedAction;
  onAbsent?: FusedAction;
}

export interface FusedSpec {
  earliest?: number;
  latest?: number;
  /** In plan order; filters, then by-fields, then dc fields (the order fusedScan reads them). */
  paths: FusedPath[];
  /**
   * Whether a group (its by-values, in by order) may be aggregated here; a group refused is read
   * through the plain path, every line of it. Asked once per group, before any of its lines counts.
   */
  accept(values: string[]): boolean;
  /** Called per view with the events read there (for progress). */
  onView?(events: number, where: { source: string; line: number; byte: number }): void;
}

/** One group aggregated here. */
export interface FusedGroup {
  values: string[];
  count: number;
  /** Earliest and latest event time (seconds). */
  min: number;
  max: number;
  /** Per dc field (in path order), the distinct values seen. */
  distinct: Set<string>[];
}

/** Limits of the module's plan (wasm/member-index.ts). */
const MAX_TOP = 16;
const MAX_PATHS = 16;
const MAX_SUB = 5;
/** Plan layout (wasm/member-index.ts: PLAN_*, P_*). */
const PLAN_NTOP = 16;
const PLAN_TOP = 20;
const PLAN_NPATHS = 20 + 8 * 16;
const PLAN_PATHS = PLAN_NPATHS + 4;
const PATH_BYTES = 96;
const PLAN_NDC = PLAN_PATHS + 16 * PATH_BYTES;
const PLAN_BYTES_AT = PLAN_NDC + 4;
const ROLES: Record<FusedRole, number> = { filter: 0, by: 1, dc: 2, alt: 3 };
const ACTIONS: Record<FusedAction, number> = { drop: 0, pass: 1, next: 2 };
/** Output layout (O_*). */
const O_RESUME = 1;
const O_LINE = 2;
const O_FALLBACKS = 3;
const O_PAIRS = 4;
const O_MATCHED = 5;
const O_DROPPED = 6;
const O_OUTSIDE = 7;
const O_NEWID = 8;
const O_FB = 16;
const FB_MAX = 512;
const O_PAIR = O_FB + FB_MAX * 3;
/** fusedScan's statuses (FUSED_*). */
const DONE = 0;
const NEW_GROUP = 1;
const OUT_FULL = 2;
const TABLE_FULL = 3;
/** Group flags (GROUP_*): 2 is any value other than pending or fused. */
const GROUP_FUSED = 1;
const GROUP_REFUSED = 2;
/**
 * Table sizes, taken when a module's tables are laid out (tests make them small on a fresh module):
 * ids are groups plus (group, dc value) pairs. A scan that fills them reads the rest of its input
 * through the plain path.
 */
export const fusedTableLimits = { maxIds: 1 << 17, slotsLog2: 18, keyBytes: 16 * 1024 * 1024 };

/** Counts for tests: calls (views, documents, single lines of a selective search), events read, lines handed back. */
export const fusedScanStats = { scans: 0, views: 0, events: 0, fallbackLines: 0 };

/** Modules whose tables are laid out (a test may load a fresh module). */
const laidOut = new WeakSet<object>();
let busy = false;

/** The plan's bytes: the keys and values the module compares. */
function encodePlan(spec: FusedSpec): Uint8Array | null {
  const buf = new ArrayBuffer(FUSED_PLAN_BYTES);
  const dv = new DataView(buf);
  const bytes = new Uint8Array(buf);
  let at = PLAN_BYTES_AT;
  const place = (text: string): number => {
    const start = FUSED_PLAN_AT + at;
    for (let i = 0; i < text.length; i++) bytes[at + i] = text.charCodeAt(i);
    at += (text.length + 3) & ~3;
    if (at > FUSED_PLAN_BYTES) throw new RangeError('plan too large');
    return start;
  };
  const tops: string[] = ['eventTime'];
  for (const p of spec.paths) if (!tops.includes(p.keys[0]!)) tops.push(p.keys[0]!);
  if (tops.length > MAX_TOP || spec.paths.length > MAX_PATHS) return null;
  try {
    dv.setFloat64(0, spec.earliest ?? -Infinity, true);
    dv.setFloat64(8, spec.latest ?? Infinity, true);
    dv.setInt32(PLAN_NTOP, tops.length, true);
    tops.forEach((t, i) => {
      dv.setInt32(PLAN_TOP + i * 8, place(t), true);
      dv.setInt32(PLAN_TOP + i * 8 + 4, t.length, true);
    });
    dv.setInt32(PLAN_NPATHS, spec.paths.length, true);
    let ndc = 0;
    spec.paths.forEach((p, k) => {
      const rec = PLAN_PATHS + k * PATH_BYTES;
      const sub = p.keys.slice(1);
      if (sub.length > MAX_SUB) throw new RangeError('path too deep');
      dv.setInt32(rec, ROLES[p.role], true);
      dv.setInt32(rec + 4, tops.indexOf(p.keys[0]!), true);
      dv.setInt32(rec + 8, sub.length, true);
      if (p.role === 'filter' || p.role === 'alt') {
        const v = p.exact ? p.value! : p.value!.replace(/[A-Z]/g, (c) => c.toLowerCase());
        dv.setInt32(rec + 12, place(v), true);
        dv.setInt32(rec + 16, v.length, true);
        dv.setInt32(rec + 20, p.exact ? 1 : 0, true);
        dv.setInt32(rec + 64, ACTIONS[p.onMatch ?? 'pass'], true);
        dv.setInt32(rec + 68, ACTIONS[p.onMiss ?? 'drop'], true);
        dv.setInt32(rec + 72, ACTIONS[p.onAbsent ?? 'drop'], true);
      }
      if (p.role === 'dc') ndc++;
      sub.forEach((key, i) => {
        dv.setInt32(rec + 24 + i * 8, place(key), true);
        dv.setInt32(rec + 24 + i * 8 + 4, key.length, true);
      });
    });
    dv.setInt32(PLAN_NDC, ndc, true);
  } catch (e) {
    if (e instanceof RangeError) return null;
    throw e;
  }
  return bytes;
}

/**
 * The module reads the plan: keys and values it compares byte for byte, at most 6 keys a path,
 * and each `next` leads to an `alt` (which nothing else reaches).
 */
function planFits(paths: readonly FusedPath[]): boolean {
  return paths.every((p, k) => {
    if (p.keys.length === 0 || p.keys.length > MAX_SUB + 1 || !p.keys.every(plainAscii)) return false;
    const filter = p.role === 'filter' || p.role === 'alt';
    if (filter && !plainAscii(p.value ?? '')) return false;
    if (p.onMatch === 'next' || p.onMiss === 'next') return false;
    const leadsOn = filter && p.onAbsent === 'next';
    const reached = k > 0 && (paths[k - 1]!.role === 'filter' || paths[k - 1]!.role === 'alt') && paths[k - 1]!.onAbsent === 'next';
    return (p.role === 'alt') === reached && (!leadsOn || paths[k + 1]?.role === 'alt');
  });
}

/** True for text the module can compare byte for byte: printable ASCII without `"` or `\`. */
export function plainAscii(text: string): boolean {
  return text.length > 0 && /^[\x20-\x7e]+$/.test(text) && !text.includes('"') && !text.includes('\\');
}

export class FusedScanner implements ViewSink {
  private readonly groups: (FusedGroup | null)[] = [];
  /** Group ids in the order they were made (refused ones included, as null in `groups`). */
  private readonly groupIds: number[] = [];
  private disabled = false;
  private released = false;

  private constructor(private readonly mod: FusedModule, private readonly spec: FusedSpec, private readonly dcPaths: number) {}

  /**
   * A scanner for `spec`, holding the module's tables until release(); null when WebAssembly is
   * not available, another scan holds the tables, or the plan does not fit the module's limits.
   */
  static start(spec: FusedSpec): FusedScanner | null {
    if (busy) return null;
    if (!planFits(spec.paths)) return null;
    const mod = fusedModule();
    if (mod === null) return null;
    const plan = encodePlan(spec);
    if (plan === null) return null;
    const x = mod.exports;
    if (!laidOut.has(x)) {
      // The tables' size is known only once laid out: lay out, then grow the memory to cover them.
      // Memory grown here holds zeroes, which is what the reset leaves in the slots (and the layout
      // empties the rest): the first scan skips the reset, whose writes to a megabyte of fresh
      // pages (page faults, most of them for nothing) took 3-4 ms of every search's start-up.
      const fresh = x.memory.buffer.byteLength <= mod.tablesAt;
      const { maxIds, slotsLog2, keyBytes } = fusedTableLimits;
      const end = x.fusedLayout(mod.tablesAt, maxIds, slotsLog2, keyBytes);
      mod.reserve(end);
      laidOut.add(x);
      if (!fresh) x.fusedReset();
    } else x.fusedReset();
    new Uint8Array(x.memory.buffer, FUSED_PLAN_AT, FUSED_PLAN_BYTES).set(plan);
    busy = true;
    fusedScanStats.scans++;
    return new FusedScanner(mod, spec, spec.paths.filter((p) => p.role === 'dc').length);
  }

  /** Frees the module's tables for the next scan (the groups read so far stay readable here). */
  release(): void {
    if (this.released) return;
    this.released = true;
    busy = false;
  }

  view(m: Mirror, start: number, end: number, where: { source: string; line: number; byte: number }): SunkView | null {
    if (this.disabled || this.released || !this.mod.holds(m)) return null;
    const x = this.mod.exports;
    const d = m.delta;
    // Full tables: the rest of the lines are handed back unread, through the same call.
    return this.drive(m, d + start, 0, (from, line) => x.fusedScan(from, d + end, line, FUSED_PLAN_AT, FUSED_OUT_AT, this.disabled ? 1 : 0), where);
  }

  records(m: Mirror, start: number, end: number, where: { source: string; line: number; byte: number }): SunkView | null {
    if (this.disabled || this.released || !this.mod.holds(m)) return null;
    const x = this.mod.exports;
    const d = m.delta;
    // Full tables: the rest of the elements are handed back unread, through the same call.
    return this.drive(m, d + start, 0, (from) => x.fusedElements(from, d + end, FUSED_PLAN_AT, FUSED_OUT_AT, this.disabled ? 1 : 0), where);
  }

  /**
   * Calls `scan` from `from` until it is done: hands back what it hands back, adds the new pairs,
   * asks the spec about new groups. On full tables the scanner is disabled, and `scan`, called
   * again, hands back the rest unread.
   */
  private drive(m: Mirror, from: number, line: number, scan: (from: number, line: number) => number, where: { source: string; line: number; byte: number }): SunkView {
    const x = this.mod.exports;
    const fallback: number[] = [];
    let outside = 0;
    let events = 0;
    for (;;) {
      const status = scan(from, line);
      const out = new Int32Array(x.memory.buffer, FUSED_OUT_AT, O_PAIR + 256);
      const nfb = out[O_FALLBACKS]!;
      for (let k = 0; k < nfb; k++) {
        const at = O_FB + 3 * k;
        fallback.push(out[at]! - m.delta, out[at + 1]! - m.delta, out[at + 2]!);
      }
      const npairs = out[O_PAIRS]!;
      for (let k = 0; k < npairs; k++) this.pair(out[O_PAIR + k]!);
      outside += out[O_OUTSIDE]!;
      events += out[O_MATCHED]! + out[O_DROPPED]!;
      from = out[O_RESUME]!;
      line = out[O_LINE]!;
      if (status === DONE) break;
      if (status === NEW_GROUP) this.decide(out[O_NEWID]!);
      else if (status === TABLE_FULL) {
        // From here on the reader reads every record (this view's or document's rest included).
        this.disabled = true;
      } else if (status !== OUT_FULL) throw new Error(`fused scan: unexpected status ${status}`);
    }
    fusedScanStats.views++;
    fusedScanStats.events += events;
    fusedScanStats.fallbackLines += fallback.length / 3;
    if (events > 0) this.spec.onView?.(events, where);
    return { fallback, lines: line, outside };
  }

  /** The groups aggregated here (refused groups and groups without events left out). */
  results(): FusedGroup[] {
    const x = this.mod.exports;
    const counts = new Int32Array(x.memory.buffer, x.fusedCounts(), x.fusedIds());
    const mins = new Float64Array(x.memory.buffer, x.fusedMins(), x.fusedIds());
    const maxes = new Float64Array(x.memory.buffer, x.fusedMaxes(), x.fusedIds());
    const out: FusedGroup[] = [];
    for (const id of this.groupIds) {
      const g = this.groups[id];
      if (!g) continue;
      g.count = counts[id]!;
      g.min = mins[id]!;
      g.max = maxes[id]!;
      if (g.count > 0) out.push(g);
    }
    return out;
  }

  /** The bytes of an interned key. */
  private key(id: number): Uint8Array {
    const x = this.mod.exports;
    const buf = x.memory.buffer;
    const off = new Int32Array(buf, x.fusedKeyOffsets() + id * 4, 1)[0]!;
    const len = new Int32Array(buf, x.fusedKeyLengths() + id * 4, 1)[0]!;
    return new Uint8Array(buf, x.fusedKeys() + off, len);
  }

  /** A new group: aggregated here when the spec accepts its by-values. */
  private decide(id: number): void {
    const key = this.key(id);
    // `G`, then the by-values separated by NUL bytes (which plain strings never hold).
    const values = latin1(key.subarray(1)).split('\u0000');
    const ok = this.spec.accept(values);
    new Int32Array(this.mod.exports.memory.buffer, this.mod.exports.fusedFlags() + id * 4, 1)[0] = ok ? GROUP_FUSED : GROUP_REFUSED;
    this.groups[id] = ok ? { values, count: 0, min: Infinity, max: -Infinity, distinct: Array.from({ length: this.dcPaths }, () => new Set<string>()) } : null;
    this.groupIds.push(id);
  }

  /** A new (group, dc value) pair: `P`, the dc field's index, the group id (i32), the value. */
  private pair(id: number): void {
    const key = this.key(id);
    const field = key[1]!;
    const group = key[2]! | (key[3]! << 8) | (key[4]! << 16) | (key[5]! << 24);
    this.groups[group]!.distinct[field]!.add(latin1(key.subarray(6)));
  }
}

function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1');
}
