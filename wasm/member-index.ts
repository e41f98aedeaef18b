// AssemblyScript, compiled by scripts/build-wasm.mjs into dist/member-index.wasm and used by
// src/sources/member-index.ts: indexes the members of one JSON object in linear memory.
//
// indexFrom (below) indexes up to `max` members of an object from a member boundary, so a
// lookup of an early key (eventTime) does not pay for the whole event. It accepts and rejects
// exactly what the JavaScript walk in src/sources/members.ts does: strings and nested values are
// balance-checked (the nested ones 64 bytes a step: quote and bracket masks, a prefix XOR for the
// bytes inside strings), scalars must be true, false, null or a JSON number, and a member counts
// when its value is well formed even if what follows it is not. A key with a backslash is left to
// JavaScript, which decodes it.

const OPEN: i32 = 0;
const DONE: i32 = 1;
const MALFORMED: i32 = 2;
const ESCAPED_KEY: i32 = 3;

@inline function isBlank(c: u32): bool {
  return c == 0x20 || c == 0x0a || c == 0x0d || c == 0x09;
}

@inline function skipBlanks(i: i32, limit: i32): i32 {
  while (i < limit && isBlank(load<u8>(i))) i++;
  return i;
}

@inline function mask16(v: v128, b: v128): u32 {
  return i8x16.bitmask(i8x16.eq(v, b));
}

/** `i` is an opening quote: the offset past the closing quote, or -1. */
function skipString(i: i32, limit: i32): i32 {
  let p = i + 1;
  const vq = i8x16.splat(0x22);
  const vb = i8x16.splat(0x5c);
  while (p + 16 <= limit) {
    const v = v128.load(p);
    const hits = mask16(v, vq) | mask16(v, vb);
    if (hits == 0) {
      p += 16;
      continue;
    }
    const k = <i32>ctz(hits);
    if (load<u8>(p + k) == 0x22) return p + k + 1;
    p += k + 2; // a backslash escapes the next byte
  }
  while (p < limit) {
    const c = load<u8>(p);
    if (c == 0x22) return p + 1;
    p += c == 0x5c ? 2 : 1;
  }
  return -1;
}

@inline function hasBackslash(from: i32, to: i32): bool {
  for (let i = from; i < to; i++) if (load<u8>(i) == 0x5c) return true;
  return false;
}

@inline function mask64(p: usize, b: v128): u64 {
  return <u64>mask16(v128.load(p), b) | (<u64>mask16(v128.load(p, 16), b) << 16) | (<u64>mask16(v128.load(p, 32), b) << 32) | (<u64>mask16(v128.load(p, 48), b) << 48);
}

@inline function prefixXor(x: u64): u64 {
  x ^= x << 1;
  x ^= x << 2;
  x ^= x << 4;
  x ^= x << 8;
  x ^= x << 16;
  x ^= x << 32;
  return x;
}

/** `start` is `{` or `[`: the offset past its matching bracket, or -1 (brackets in strings ignored). */
function skipNested(start: i32, limit: i32): i32 {
  let depth: i32 = 0;
  let inString: u64 = 0;
  let escaped = false;
  let p = start;
  const vq = i8x16.splat(0x22);
  const vb = i8x16.splat(0x5c);
  const vo = i8x16.splat(0x7b);
  const va = i8x16.splat(0x5b);
  const vc = i8x16.splat(0x7d);
  const vz = i8x16.splat(0x5d);
  while (p < limit) {
    if (p + 64 <= limit && !escaped && mask64(p, vb) == 0) {
      const instr = prefixXor(mask64(p, vq)) ^ inString;
      inString = (instr >> 63) != 0 ? ~(<u64>0) : 0;
      const o = (mask64(p, vo) | mask64(p, va)) & ~instr;
      const c = (mask64(p, vc) | mask64(p, vz)) & ~instr;
      if ((o | c) != 0) {
        const closes = <i32>popcnt(c);
        if (depth - closes > 0) depth += <i32>popcnt(o) - closes;
        else {
          let bits = o | c;
          while (bits != 0) {
            const b = ctz(bits);
            if (((o >> b) & 1) != 0) depth++;
            else {
              depth--;
              if (depth == 0) return p + <i32>b + 1;
            }
            bits &= bits - 1;
          }
        }
      }
      p += 64;
      continue;
    }
    // A step with a backslash (or escaped by the last one), or the tail: byte by byte.
    const end = min(p + 64, limit);
    for (; p < end; p++) {
      const c = load<u8>(p);
      if (inString != 0) {
        if (escaped) escaped = false;
        else if (c == 0x5c) escaped = true;
        else if (c == 0x22) inString = 0;
      } else if (c == 0x22) inString = ~(<u64>0);
      else if (c == 0x7b || c == 0x5b) depth++;
      else if (c == 0x7d || c == 0x5d) {
        depth--;
        if (depth == 0) return p + 1;
      }
    }
  }
  return -1;
}

@inline function isDigit(c: u32): bool {
  return c >= 0x30 && c <= 0x39;
}

@inline function matches(i: i32, j: i32, word: u64, len: i32): bool {
  if (j - i != len) return false;
  for (let k = 0; k < len; k++) if (<u64>load<u8>(i + k) != ((word >> (<u64>k * 8)) & 0xff)) return false;
  return true;
}

/** text[i, j) is true, false, null or a JSON number (-?(0|[1-9]d*)(.d+)?([eE][+-]?d+)?). */
function isScalar(i: i32, j: i32): bool {
  const c = load<u8>(i);
  if (c == 0x74) return matches(i, j, 0x65757274, 4); // true
  if (c == 0x66) return matches(i, j, 0x65736c6166, 5); // false
  if (c == 0x6e) return matches(i, j, 0x6c6c756e, 4); // null
  let p = i;
  if (load<u8>(p) == 0x2d) p++;
  if (p >= j) return false;
  if (load<u8>(p) == 0x30) p++;
  else if (isDigit(load<u8>(p))) {
    while (p < j && isDigit(load<u8>(p))) p++;
  } else return false;
  if (p < j && load<u8>(p) == 0x2e) {
    p++;
    const d = p;
    while (p < j && isDigit(load<u8>(p))) p++;
    if (p == d) return false;
  }
  if (p < j && (load<u8>(p) == 0x65 || load<u8>(p) == 0x45)) {
    p++;
    if (p < j && (load<u8>(p) == 0x2b || load<u8>(p) == 0x2d)) p++;
    const d = p;
    while (p < j && isDigit(load<u8>(p))) p++;
    if (p == d) return false;
  }
  return p == j;
}

/** The end of the value at `i` (blanks skipped by the caller), or -1. */
function valueEnd(i: i32, limit: i32): i32 {
  if (i >= limit) return -1;
  const c = load<u8>(i);
  if (c == 0x22) return skipString(i, limit);
  if (c == 0x7b || c == 0x5b) return skipNested(i, limit);
  let j = i;
  while (j < limit) {
    const d = load<u8>(j);
    if (d == 0x2c || d == 0x7d || d == 0x5d || d <= 0x20) break;
    j++;
  }
  return j > i && isScalar(i, j) ? j : -1;
}

/**
 * Indexes members from `i` (where a key's quote should be, after `{` or `,` and blanks) until
 * `max` members, the closing brace, or something this walk leaves to JavaScript. Writes out[0]:
 * the offset past the closing brace (or -1), out[1]: the state (0 open, 1 done, 2 malformed,
 * 3 open at a key with a backslash, for JavaScript to decode), out[2]: where an open walk resumes,
 * then four offsets per member. Returns the number of members written.
 */
export function indexFrom(i: i32, limit: i32, out: i32, max: i32): i32 {
  store<i32>(out, -1);
  store<i32>(out, MALFORMED, 4);
  store<i32>(out, i, 8);
  let n = 0;
  for (;;) {
    if (n == max) {
      store<i32>(out, OPEN, 4);
      store<i32>(out, i, 8);
      return n;
    }
    if (i >= limit || load<u8>(i) != 0x22) return n;
    const keyEnd = skipString(i, limit);
    if (keyEnd < 0) return n;
    if (hasBackslash(i + 1, keyEnd - 1)) {
      store<i32>(out, ESCAPED_KEY, 4);
      store<i32>(out, i, 8);
      return n;
    }
    const keyStart = i;
    i = skipBlanks(keyEnd, limit);
    if (i >= limit || load<u8>(i) != 0x3a) return n;
    const vs = skipBlanks(i + 1, limit);
    const ve = valueEnd(vs, limit);
    if (ve < 0) return n;
    const at = out + 12 + n * 16;
    store<i32>(at, keyStart);
    store<i32>(at, keyEnd, 4);
    store<i32>(at, vs, 8);
    store<i32>(at, ve, 12);
    n++;
    i = skipBlanks(ve, limit);
    const c: u32 = i < limit ? load<u8>(i) : 0xffff;
    if (c == 0x7d) {
      store<i32>(out, i + 1);
      store<i32>(out, DONE, 4);
      return n;
    }
    if (c != 0x2c) return n;
    i = skipBlanks(i + 1, limit);
  }
  return n; // not reached
}

/**
 * Follows a path of keys down from the object at `start` (blanks before its `{` skipped) in one
 * call: in each object the first member whose key is the next key (compared byte for byte), whose
 * value must be an object unless it is the last key. Keys are at `keys`, `nkeys` of them, each an
 * i32 length then its bytes, padded to 4. Returns 1 with out[0], out[1] the value span of the last
 * key's member, or 0 when JavaScript must decide: a key absent, a value on the way that is not an
 * object, a key with a backslash, or malformed text. Members are read exactly as indexFrom reads
 * them (a member counts once its own value is well formed), so a span found here is the one
 * MemberScan finds; a 0 is never an answer, only a hand-back.
 */
export function descend(start: i32, limit: i32, keys: i32, nkeys: i32, out: i32): i32 {
  let lim = limit;
  let i = skipBlanks(start, lim);
  let kp = keys;
  for (let level = 0; level < nkeys; level++) {
    const klen = load<i32>(kp);
    const kb = kp + 4;
    if (i >= lim || load<u8>(i) != 0x7b) return 0;
    i = skipBlanks(i + 1, lim);
    for (;;) {
      if (i >= lim || load<u8>(i) != 0x22) return 0; // `}` (absent), or malformed
      const keyEnd = skipString(i, lim);
      if (keyEnd < 0 || hasBackslash(i + 1, keyEnd - 1)) return 0;
      let match = keyEnd - i - 2 == klen;
      for (let k = 0; match && k < klen; k++) match = load<u8>(i + 1 + k) == load<u8>(kb + k);
      i = skipBlanks(keyEnd, lim);
      if (i >= lim || load<u8>(i) != 0x3a) return 0;
      const vs = skipBlanks(i + 1, lim);
      const ve = valueEnd(vs, lim);
      if (ve < 0) return 0;
      if (match) {
        if (level == nkeys - 1) {
          store<i32>(out, vs);
          store<i32>(out, ve, 4);
          return 1;
        }
        i = vs;
        lim = ve;
        break;
      }
      i = skipBlanks(ve, lim);
      if (i >= lim || load<u8>(i) != 0x2c) return 0;
      i = skipBlanks(i + 1, lim);
    }
    kp = kb + ((klen + 3) & ~3);
  }
  return 0;
}

/**
 * 1 when the `len` bytes at `pat` occur in [start, end), else 0. Candidates are positions whose
 * first and last bytes match, found 16 at a time; only those are compared whole. (String
 * indexOf, for a pattern starting with a quote, costs several times more on an event's text.)
 */
export function contains(start: i32, end: i32, pat: i32, len: i32): i32 {
  if (len <= 0) return 1;
  const stop = end - len; // the last position the pattern can start at
  if (stop < start) return 0;
  const c0 = load<u8>(pat);
  const cn = load<u8>(pat + len - 1);
  const first = i8x16.splat(c0);
  const last = i8x16.splat(cn);
  let p = start;
  while (p + 15 <= stop) {
    let m = i8x16.bitmask(v128.and(i8x16.eq(v128.load(p), first), i8x16.eq(v128.load(p + len - 1), last)));
    while (m != 0) {
      if (sameBytes(p + <i32>ctz(m) + 1, pat + 1, len - 2)) return 1;
      m &= m - 1;
    }
    p += 16;
  }
  for (; p <= stop; p++) {
    if (load<u8>(p) == c0 && load<u8>(p + len - 1) == cn && sameBytes(p + 1, pat + 1, len - 2)) return 1;
  }
  return 0;
}

@inline function sameBytes(a: i32, b: i32, n: i32): bool {
  for (let k = 0; k < n; k++) if (load<u8>(a + k) != load<u8>(b + k)) return false;
  return true;
}

/** The ASCII letter bit for a pattern byte: 0x20 for a lower-case letter (case is ignored), else 0. */
@inline function foldBit(c: u32): u32 {
  return c - 0x61 < 26 ? 0x20 : 0;
}

/**
 * The first position in [start, end) where the `len` bytes at `pat` occur with ASCII letters
 * compared without case, or -1. The pattern is given in lower case: a letter matches either case
 * (setting bit 0x20 turns only A-Z into a-z), any other byte only itself, so this is exactly what a
 * case-insensitive regex finds in a latin1 string of these bytes. Candidates are positions whose
 * first and last bytes match, 16 at a time, as in contains().
 */
export function findFolded(start: i32, end: i32, pat: i32, len: i32): i32 {
  if (len <= 0) return start;
  const stop = end - len;
  if (stop < start) return -1;
  const c0 = <u32>load<u8>(pat);
  const cn = <u32>load<u8>(pat + len - 1);
  const f0 = foldBit(c0);
  const fn = foldBit(cn);
  const first = i8x16.splat(<u8>c0);
  const last = i8x16.splat(<u8>cn);
  const fold0 = i8x16.splat(<u8>f0);
  const foldn = i8x16.splat(<u8>fn);
  let p = start;
  while (p + 15 <= stop) {
    const a = v128.or(v128.load(p), fold0);
    const b = v128.or(v128.load(p + len - 1), foldn);
    let m = i8x16.bitmask(v128.and(i8x16.eq(a, first), i8x16.eq(b, last)));
    while (m != 0) {
      const q = p + <i32>ctz(m);
      if (sameFolded(q + 1, pat + 1, len - 2)) return q;
      m &= m - 1;
    }
    p += 16;
  }
  for (; p <= stop; p++) {
    if (((<u32>load<u8>(p)) | f0) == c0 && ((<u32>load<u8>(p + len - 1)) | fn) == cn && sameFolded(p + 1, pat + 1, len - 2)) return p;
  }
  return -1;
}

/**
 * A selective search's pass over a view of NDJSON lines (src/sources/reader.ts, sparseBytes): in
 * one walk over [start, end) it finds the lines that hold the `len` bytes at `pat` (compared as
 * findFolded compares them), counts the newlines, and notes whether any byte is above 0x7f, which
 * the reader otherwise learns in two more passes (Buffer isAscii, and indexOf per line). The view
 * ends with a newline; the pattern holds none.
 *
 * Writes at `out`: [0] lines written, [1] newlines in [start, end), [2] 1 when a byte above 0x7f
 * occurs in [start, end), [3] where a next call resumes when `max` lines filled the output, else
 * -1; then per line its start, the position of its newline, and its index (newlines in [start,
 * its start)). The whole range is always walked, so [1] and [2] hold after any call.
 */
export function sparseLines(start: i32, end: i32, pat: i32, len: i32, out: i32, max: i32): void {
  const c0 = <u32>load<u8>(pat);
  const cn = <u32>load<u8>(pat + len - 1);
  const f0 = foldBit(c0);
  const fn = foldBit(cn);
  const first = i8x16.splat(<u8>c0);
  const last = i8x16.splat(<u8>cn);
  const fold0 = i8x16.splat(<u8>f0);
  const foldn = i8x16.splat(<u8>fn);
  const newline = i8x16.splat(0x0a);
  const stop = end - len; // the last position the pattern can start at
  let high = i8x16.splat(0);
  let lines = 0; // newlines before p
  let found = 0;
  let resume = -1;
  let p = start;
  // Blocks of 16 bytes, in runs of at most 255 (a lane of `counts` counts one run's newlines).
  while (found < max && p + 15 <= stop) {
    let counts = i8x16.splat(0);
    const runEnd = min(stop - 15, p + 254 * 16);
    let at = -1;
    let nl: u32 = 0;
    while (p <= runEnd) {
      const v = v128.load(p);
      high = v128.or(high, v);
      const isNl = i8x16.eq(v, newline);
      counts = i8x16.sub(counts, isNl);
      const hit = v128.and(i8x16.eq(v128.or(v, fold0), first), i8x16.eq(v128.or(v128.load(p + len - 1), foldn), last));
      if (v128.any_true(hit)) {
        let m = <u32>i8x16.bitmask(hit);
        while (m != 0) {
          const q = p + <i32>ctz(m);
          if (sameFolded(q + 1, pat + 1, len - 2)) {
            at = q;
            break;
          }
          m &= m - 1;
        }
        if (at >= 0) {
          nl = <u32>i8x16.bitmask(isNl);
          break;
        }
      }
      p += 16;
    }
    lines += laneSum(counts);
    if (at < 0) continue;
    // The line holding `at`: its start (the last newline before `at`, in this block or before
    // it), its newline, its index; then on from the next line. (`counts` took in this whole block.)
    const below = nl & ((1 << <u32>(at - p)) - 1);
    const ls = below != 0 ? p + 32 - <i32>clz(below) : newlineBefore(p, start) + 1;
    const index = lines - <i32>popcnt(nl) + <i32>popcnt(below);
    const le = newlineFrom(at, end);
    high = v128.or(high, orOf(p + 16, le));
    storeLine(out, found++, ls, le, index);
    lines = index + 1;
    p = le + 1;
    if (found == max) resume = p;
  }
  // The last bytes (and, once the output is full, all the rest), one at a time or only counted.
  sparseHigh = high;
  if (found == max) {
    lines += newlinesIn(p, end);
    p = end;
  }
  let tail: u32 = 0;
  for (; p < end; p++) {
    const c = <u32>load<u8>(p);
    tail |= c;
    if (c == 0x0a) {
      lines++;
      continue;
    }
    if (found < max && p <= stop && (c | f0) == c0 && ((<u32>load<u8>(p + len - 1)) | fn) == cn && sameFolded(p + 1, pat + 1, len - 2)) {
      const le = newlineFrom(p, end);
      sparseHigh = v128.or(sparseHigh, orOf(p + 1, le));
      storeLine(out, found++, newlineBefore(p, start) + 1, le, lines);
      lines++;
      p = le;
      if (found == max) {
        resume = le + 1;
        lines += newlinesIn(le + 1, end);
        break;
      }
    }
  }
  store<i32>(out, found);
  store<i32>(out + 4, lines);
  store<i32>(out + 8, i8x16.bitmask(sparseHigh) != 0 || (tail & 0x80) != 0 ? 1 : 0);
  store<i32>(out + 12, resume);
}

/** sparseLines' output for the `k`th line found: its start, its newline, its index. */
@inline function storeLine(out: i32, k: i32, ls: i32, le: i32, index: i32): void {
  const o = out + 16 + k * 12;
  store<i32>(o, ls);
  store<i32>(o + 4, le);
  store<i32>(o + 8, index);
}

/** The OR of the bytes sparseLines and newlinesIn walked (only the high bit is read). */
let sparseHigh: v128 = i8x16.splat(0);

/** The sum of a vector's 16 byte lanes. */
@inline function laneSum(v: v128): i32 {
  const words = i32x4.extadd_pairwise_i16x8_u(i16x8.extadd_pairwise_i8x16_u(v));
  return i32x4.extract_lane(words, 0) + i32x4.extract_lane(words, 1) + i32x4.extract_lane(words, 2) + i32x4.extract_lane(words, 3);
}

/** The newlines in [p, end), their bytes OR'ed into sparseHigh. */
function newlinesIn(p: i32, end: i32): i32 {
  const newline = i8x16.splat(0x0a);
  let lines = 0;
  let high = sparseHigh;
  while (p + 16 <= end) {
    let counts = i8x16.splat(0);
    const runEnd = min(end - 16, p + 254 * 16);
    while (p <= runEnd) {
      const v = v128.load(p);
      high = v128.or(high, v);
      counts = i8x16.sub(counts, i8x16.eq(v, newline));
      p += 16;
    }
    lines += laneSum(counts);
  }
  let tail: u32 = 0;
  for (; p < end; p++) {
    const c = <u32>load<u8>(p);
    tail |= c;
    if (c == 0x0a) lines++;
  }
  sparseHigh = v128.or(high, i8x16.splat(<u8>tail));
  return lines;
}

/** The last newline before `p` at or after `start`, or start - 1 when there is none. */
function newlineBefore(p: i32, start: i32): i32 {
  const newline = i8x16.splat(0x0a);
  while (p - 16 >= start) {
    const m = mask16(v128.load(p - 16), newline);
    if (m != 0) return p - 16 + 31 - <i32>clz(m);
    p -= 16;
  }
  for (p--; p >= start; p--) if (load<u8>(p) == 0x0a) return p;
  return start - 1;
}

/** The bytes of [from, to) OR'ed together, 16 lanes wide (for the high bit only). */
@inline function orOf(from: i32, to: i32): v128 {
  let acc = i8x16.splat(0);
  let p = from;
  while (p + 16 <= to) {
    acc = v128.or(acc, v128.load(p));
    p += 16;
  }
  let rest: u32 = 0;
  for (; p < to; p++) rest |= <u32>load<u8>(p);
  return v128.or(acc, i8x16.splat(<u8>rest));
}

@inline function sameFolded(a: i32, b: i32, n: i32): bool {
  for (let k = 0; k < n; k++) {
    const c = <u32>load<u8>(b + k);
    if (((<u32>load<u8>(a + k)) | foldBit(c)) != c) return false;
  }
  return true;
}

// ---- fused stats scan ----------------------------------------------------------------------
//
// fusedScan (below) runs `search f=v … | stats count|dc(x)|earliest(_time)|latest(_time) by …`
// over a whole view of NDJSON lines in one call, for src/engine/fused: per line it walks the
// top level, reads eventTime, follows each path the plan needs, tests the filters and counts
// the event into its group, interned here by its by-values. A line it is not certain about (a key
// with a backslash, a duplicate key on the way, a value that is not a plain string, a time in
// another form, anything malformed, or an absent field where a dotted key could stand in) is
// handed back, to be read by the reader as any other line: a hand-back is never an answer.

/** The plan (written by JavaScript at `plan`): the time window, then top keys and paths. */
const PLAN_EARLIEST: i32 = 0; // f64
const PLAN_LATEST: i32 = 8; // f64
const PLAN_NTOP: i32 = 16;
const PLAN_TOP: i32 = 20; // MAX_TOP × (offset, length) of the top-level keys; key 0 is eventTime
const PLAN_NPATHS: i32 = 20 + 8 * 16;
const PLAN_PATHS: i32 = PLAN_NPATHS + 4; // MAX_PATHS × PATH_BYTES
const PLAN_NDC: i32 = PLAN_PATHS + 16 * 96;
const PATH_BYTES: i32 = 96;
// A path's words: its role, the top key it starts at, its keys below the top (offset, length
// each, at most 5); for a filter the value (offset, length; in lower case unless compared
// exactly) and what a match, a mismatch and an absent field make of the line (ACT_*).
const P_ROLE: i32 = 0;
const P_TOP: i32 = 4;
const P_NSUB: i32 = 8;
const P_LIT: i32 = 12;
const P_LITLEN: i32 = 16;
const P_EXACT: i32 = 20;
const P_SUB: i32 = 24;
const P_ON_MATCH: i32 = 64;
const P_ON_MISS: i32 = 68;
const P_ON_ABSENT: i32 = 72;
const ROLE_FILTER: i32 = 0;
const ROLE_BY: i32 = 1;
const ROLE_DC: i32 = 2;
/** A filter read only when the one before it finds its field absent (ACT_NEXT). */
const ROLE_ALT: i32 = 3;
const ACT_DROP: i32 = 0;
const ACT_PASS: i32 = 1;
const ACT_NEXT: i32 = 2;

/** Results of one call, at `out`: the header words, then the lines handed back, then new pairs. */
const O_STATUS: i32 = 0;
const O_RESUME: i32 = 4;
const O_LINE: i32 = 8;
const O_FALLBACKS: i32 = 12;
const O_PAIRS: i32 = 16;
const O_MATCHED: i32 = 20;
const O_DROPPED: i32 = 24;
const O_OUTSIDE: i32 = 28;
const O_NEWID: i32 = 32;
const O_FB: i32 = 64; // FB_MAX × (start, end, line)
const FB_MAX: i32 = 512;
const O_PAIR: i32 = O_FB + FB_MAX * 12; // PAIR_MAX ids
const PAIR_MAX: i32 = 256;

export const FUSED_DONE: i32 = 0;
/** A group was made at the line at O_RESUME: JavaScript says whether it may be counted here. */
export const FUSED_NEW_GROUP: i32 = 1;
/** The output is full: call again from O_RESUME. */
export const FUSED_OUT_FULL: i32 = 2;
/** The tables are full: the lines from O_RESUME on are the reader's. */
export const FUSED_TABLE_FULL: i32 = 3;

const LINE_MATCHED: i32 = 0;
const LINE_DROPPED: i32 = 1;
const LINE_OUTSIDE: i32 = 2;
const LINE_FALLBACK: i32 = 3;
const LINE_BLANK: i32 = 4;
const LINE_NEW_GROUP: i32 = 5;
const LINE_FULL: i32 = 6;

const PATH_FOUND: i32 = 1;
const PATH_ABSENT: i32 = 0;
const PATH_FALLBACK: i32 = -1;

/** A group's state (GROUP_*) in the flags array: new ones wait for JavaScript's word. */
const GROUP_PENDING: i32 = 0;
const GROUP_FUSED: i32 = 1;

const KEY_MAX: i32 = 4096;

// The tables, laid out by fusedLayout: a hash index of interned keys (groups, and (group, dc
// value) pairs), per id its key, hash, count, flag and time range, and the keys' bytes.
let tSlots: i32 = 0;
let tMask: i32 = 0;
let tMaxIds: i32 = 0;
let tIds: i32 = 0;
let tKeyOff: i32 = 0;
let tKeyLen: i32 = 0;
let tHash: i32 = 0;
let tCount: i32 = 0;
let tFlag: i32 = 0;
let tMin: i32 = 0;
let tMax: i32 = 0;
let tKeys: i32 = 0;
let tKeysSize: i32 = 0;
let tKeysUsed: i32 = 0;
let tScratch: i32 = 0; // per line: top value spans, the group key being built
let tNew: bool = false;
let layoutAt: i32 = 0;

/** The next `bytes` of the layout (8-byte aligned). */
function take(bytes: i32): i32 {
  const at = layoutAt;
  layoutAt = (layoutAt + bytes + 7) & ~7;
  return at;
}

/** Lays the tables out from `base`; returns the offset past them (JavaScript grows memory to it). */
export function fusedLayout(base: i32, maxIds: i32, slotsLog2: i32, keyBytes: i32): i32 {
  layoutAt = (base + 7) & ~7;
  tMask = (1 << slotsLog2) - 1;
  tSlots = take((1 << slotsLog2) * 4);
  tMaxIds = maxIds;
  tKeyOff = take(maxIds * 4);
  tKeyLen = take(maxIds * 4);
  tHash = take(maxIds * 4);
  tCount = take(maxIds * 4);
  tFlag = take(maxIds * 4);
  tMin = take(maxIds * 8);
  tMax = take(maxIds * 8);
  tScratch = take(256 + KEY_MAX + 64);
  tKeys = take(keyBytes);
  tKeysSize = keyBytes;
  tIds = 0;
  tKeysUsed = 0;
  return layoutAt;
}

/** Empties the tables for a new scan. */
export function fusedReset(): void {
  memory.fill(tSlots, 0, (tMask + 1) * 4);
  tIds = 0;
  tKeysUsed = 0;
}

export function fusedIds(): i32 { return tIds; }
export function fusedKeyOffsets(): i32 { return tKeyOff; }
export function fusedKeyLengths(): i32 { return tKeyLen; }
export function fusedKeys(): i32 { return tKeys; }
export function fusedCounts(): i32 { return tCount; }
export function fusedFlags(): i32 { return tFlag; }
export function fusedMins(): i32 { return tMin; }
export function fusedMaxes(): i32 { return tMax; }

/** The id of the key at [key, key + len), interned if new (tNew says so); -1 when the tables are full. */
function intern(key: i32, len: i32): i32 {
  // Four bytes a step (multiply and rotate), then the rest one by one, then mixed.
  let h: u32 = 2166136261 ^ <u32>len;
  let k = 0;
  for (; k + 4 <= len; k += 4) h = rotl<u32>((h ^ load<u32>(key + k)) * 0x9e3779b1, 13);
  for (; k < len; k++) h = (h ^ <u32>load<u8>(key + k)) * 16777619;
  h ^= h >> 15;
  h *= 0x85ebca6b;
  h ^= h >> 13;
  let slot = <i32>h & tMask;
  for (;;) {
    const v = load<i32>(tSlots + (slot << 2));
    if (v == 0) break;
    const id = v - 1;
    if (load<u32>(tHash + (id << 2)) == h && load<i32>(tKeyLen + (id << 2)) == len && sameBytes(tKeys + load<i32>(tKeyOff + (id << 2)), key, len)) {
      tNew = false;
      return id;
    }
    slot = (slot + 1) & tMask;
  }
  // At most half the slots are used, so a probe always ends at an empty one.
  if (tIds >= tMaxIds || tIds * 2 >= tMask || tKeysUsed + len > tKeysSize) return -1;
  const id = tIds++;
  memory.copy(tKeys + tKeysUsed, key, len);
  store<i32>(tKeyOff + (id << 2), tKeysUsed);
  store<i32>(tKeyLen + (id << 2), len);
  store<u32>(tHash + (id << 2), h);
  store<i32>(tCount + (id << 2), 0);
  store<i32>(tFlag + (id << 2), GROUP_PENDING);
  store<f64>(tMin + (id << 3), Infinity);
  store<f64>(tMax + (id << 3), -Infinity);
  tKeysUsed += len;
  store<i32>(tSlots + (slot << 2), id + 1);
  tNew = true;
  return id;
}

@inline function isDigitAt(p: i32): bool {
  return isDigit(load<u8>(p));
}

@inline function two(p: i32): i32 {
  return (<i32>load<u8>(p) - 0x30) * 10 + (<i32>load<u8>(p + 1) - 0x30);
}

/**
 * The time of the 20 bytes `YYYY-MM-DDTHH:MM:SSZ` at p (T or a space between date and time), in
 * seconds; NaN for anything else (the reader then parses it). Whole seconds: exactly what
 * parseCompactUtcAt in src/sources/toplevel.ts computes for them.
 */
function compactTime(p: i32): f64 {
  if (load<u8>(p + 4) != 0x2d || load<u8>(p + 7) != 0x2d || load<u8>(p + 13) != 0x3a || load<u8>(p + 16) != 0x3a || load<u8>(p + 19) != 0x5a) return NaN;
  const sep = load<u8>(p + 10);
  if (sep != 0x54 && sep != 0x20) return NaN;
  for (let k = 0; k < 19; k++) {
    if (k == 4 || k == 7 || k == 10 || k == 13 || k == 16) continue;
    if (!isDigitAt(p + k)) return NaN;
  }
  const y = two(p) * 100 + two(p + 2);
  const mo = two(p + 5);
  const d = two(p + 8);
  const h = two(p + 11);
  const mi = two(p + 14);
  const s = two(p + 17);
  if (y < 100 || mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return NaN;
  const leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  let dim = 31;
  if (mo == 2) dim = leap ? 29 : 28;
  else if (mo == 4 || mo == 6 || mo == 9 || mo == 11) dim = 30;
  if (d > dim) return NaN;
  const yy = mo <= 2 ? y - 1 : y;
  const era = yy / 400;
  const yoe = yy - era * 400;
  const doy = (153 * (mo > 2 ? mo - 3 : mo + 9) + 2) / 5 + d - 1;
  const days = era * 146097 + yoe * 365 + (yoe >> 2) - yoe / 100 + doy - 719468;
  return <f64>days * 86400.0 + <f64>((h * 60 + mi) * 60 + s);
}

/** A key's bytes [from, to) hold a dot (a dotted key could stand in for an absent path). */
@inline function hasDot(from: i32, to: i32): bool {
  for (let i = from; i < to; i++) if (load<u8>(i) == 0x2e) return true;
  return false;
}

// What member() found: the value span.
let mVs: i32 = 0;
let mVe: i32 = 0;

/**
 * The first member `key` (len bytes) of the object at [start, end) (`start` is its `{`), as the
 * walks of MemberScan and descend() find it: PATH_FOUND with mVs/mVe set (the members after it
 * are not read, as they do not read them), PATH_ABSENT after every member, or PATH_FALLBACK for a
 * key with a backslash before it (JavaScript decodes those) or malformed text.
 */
function member(start: i32, end: i32, key: i32, len: i32): i32 {
  let i = skipBlanks(start + 1, end);
  if (i < end && load<u8>(i) == 0x7d) return PATH_ABSENT;
  for (;;) {
    if (i >= end || load<u8>(i) != 0x22) return PATH_FALLBACK;
    const keyEnd = skipString(i, end);
    if (keyEnd < 0 || hasBackslash(i + 1, keyEnd - 1)) return PATH_FALLBACK;
    const match = keyEnd - i - 2 == len && sameBytes(i + 1, key, len);
    i = skipBlanks(keyEnd, end);
    if (i >= end || load<u8>(i) != 0x3a) return PATH_FALLBACK;
    const vs = skipBlanks(i + 1, end);
    const ve = valueEnd(vs, end);
    if (ve < 0) return PATH_FALLBACK;
    if (match) {
      mVs = vs;
      mVe = ve;
      return PATH_FOUND;
    }
    i = skipBlanks(ve, end);
    if (i >= end) return PATH_FALLBACK;
    const c = load<u8>(i);
    if (c == 0x7d) return PATH_ABSENT;
    if (c != 0x2c) return PATH_FALLBACK;
    i = skipBlanks(i + 1, end);
  }
  return PATH_FALLBACK; // not reached
}

/**
 * 0 when no key of the object at [start, end) holds a dot, 1 when one does (a dotted key, as
 * `"userIdentity.arn"`, can stand in for an absent path: src/cloudtrail/json.ts tries them), -1
 * when the reader must decide (a key with a backslash, malformed text). Reads every member.
 */
function keysDotted(start: i32, end: i32): i32 {
  return objectEnd(start, end) < 0 ? -1 : walkDotted ? 1 : 0;
}

// The leaf a path led to (a string's content, no quotes).
let leafS: i32 = 0;
let leafE: i32 = 0;
// The line being read ({ to }), and keysDotted of its top level (-2: not known yet).
let lineS: i32 = 0;
let lineE: i32 = 0;
let lineDotted: i32 = -2;

/**
 * An absent path, sure when no object it went through (the line's top level, then the objects
 * at `objs`, `n` spans) has a dotted key that could lead to it instead: PATH_ABSENT, else
 * PATH_FALLBACK.
 */
function absent(objs: i32, n: i32): i32 {
  if (lineDotted == -2) lineDotted = keysDotted(lineS, lineE);
  if (lineDotted != 0) return PATH_FALLBACK;
  for (let k = 0; k < n; k++) {
    if (keysDotted(load<i32>(objs + k * 8), load<i32>(objs + k * 8 + 4)) != 0) return PATH_FALLBACK;
  }
  return PATH_ABSENT;
}

/**
 * Follows the path at `rec` from its top-level value: PATH_FOUND with leafS/leafE set to a plain
 * string's content (no escape, no control byte, not empty), PATH_ABSENT when the field is surely
 * absent (an object or array is not a field either), PATH_FALLBACK when the reader must decide.
 */
function followPath(rec: i32): i32 {
  const ti = load<i32>(rec + P_TOP);
  let vs = load<i32>(tScratch + ti * 8);
  let ve = load<i32>(tScratch + ti * 8 + 4);
  const objs = tScratch + 160; // the objects gone through below the top level
  if (vs < 0) return absent(objs, 0);
  const nsub = load<i32>(rec + P_NSUB);
  for (let k = 0; k < nsub; k++) {
    // Not an object on the way: no value (what the walk of src/cloudtrail/json.ts concludes).
    if (load<u8>(vs) != 0x7b) return absent(objs, k);
    store<i32>(objs + k * 8, vs);
    store<i32>(objs + k * 8 + 4, ve);
    const r = member(vs, ve, load<i32>(rec + P_SUB + k * 8), load<i32>(rec + P_SUB + k * 8 + 4));
    if (r == PATH_FALLBACK) return PATH_FALLBACK;
    if (r == PATH_ABSENT) return absent(objs, k + 1);
    vs = mVs;
    ve = mVe;
  }
  const c = load<u8>(vs);
  if (c == 0x7b || c == 0x5b) return absent(objs, nsub);
  if (c != 0x22 || ve - vs <= 2) return PATH_FALLBACK; // a number, true, false, null, or ""
  for (let i = vs + 1; i < ve - 1; i++) {
    const b = load<u8>(i);
    if (b == 0x5c || b < 0x20) return PATH_FALLBACK;
  }
  leafS = vs + 1;
  leafE = ve - 1;
  return PATH_FOUND;
}

/** The leaf equals the filter's value: byte for byte, or (given in lower case) ASCII letters without case. */
function leafMatches(rec: i32): bool {
  const lit = load<i32>(rec + P_LIT);
  const len = load<i32>(rec + P_LITLEN);
  if (leafE - leafS != len) return false;
  return load<i32>(rec + P_EXACT) != 0 ? sameBytes(leafS, lit, len) : sameFolded(leafS, lit, len);
}

/**
 * The filter at path record `k` (and the alternatives it falls to): ACT_PASS, ACT_DROP, or -1
 * when the reader must decide.
 */
function filterAction(plan: i32, k: i32, npaths: i32): i32 {
  for (; k < npaths; k++) {
    const rec = plan + PLAN_PATHS + k * PATH_BYTES;
    const r = followPath(rec);
    if (r == PATH_FALLBACK) return -1;
    const act = load<i32>(rec + (r == PATH_FOUND ? (leafMatches(rec) ? P_ON_MATCH : P_ON_MISS) : P_ON_ABSENT));
    if (act != ACT_NEXT) return act;
  }
  return -1; // a chain without an end: not made by the plan
}

let newId: i32 = -1;

/** One line [s0, e0) (no newline): what became of it (LINE_*). */
function fusedLine(s0: i32, e0: i32, plan: i32, out: i32): i32 {
  const s = skipBlanks(s0, e0);
  let e = e0;
  while (e > s && isBlank(load<u8>(e - 1))) e--;
  if (s == e) return LINE_BLANK;
  if (load<u8>(s) != 0x7b || load<u8>(e - 1) != 0x7d) return LINE_FALLBACK;
  // The top level, up to the last key the plan reads (the first member of each key counts, as in
  // MemberScan, and what follows the last is not read, as the reader does not read it either).
  const ntop = load<i32>(plan + PLAN_NTOP);
  for (let t = 0; t < ntop; t++) store<i32>(tScratch + t * 8, -1);
  lineS = s;
  lineE = e;
  lineDotted = -2;
  let missing = ntop;
  let dotted = false;
  let i = skipBlanks(s + 1, e);
  if (i < e && load<u8>(i) == 0x7d) return LINE_FALLBACK; // {}: no eventTime
  while (missing > 0) {
    if (i >= e || load<u8>(i) != 0x22) return LINE_FALLBACK;
    const keyEnd = skipString(i, e);
    if (keyEnd < 0 || hasBackslash(i + 1, keyEnd - 1)) return LINE_FALLBACK;
    const klen = keyEnd - i - 2;
    if (!dotted && hasDot(i + 1, keyEnd - 1)) dotted = true;
    let which = -1;
    for (let t = 0; t < ntop; t++) {
      if (load<i32>(plan + PLAN_TOP + t * 8 + 4) == klen && load<i32>(tScratch + t * 8) < 0 && sameBytes(i + 1, load<i32>(plan + PLAN_TOP + t * 8), klen)) {
        which = t;
        break;
      }
    }
    i = skipBlanks(keyEnd, e);
    if (i >= e || load<u8>(i) != 0x3a) return LINE_FALLBACK;
    const vs = skipBlanks(i + 1, e);
    const ve = valueEnd(vs, e);
    if (ve < 0) return LINE_FALLBACK;
    if (which >= 0) {
      store<i32>(tScratch + which * 8, vs);
      store<i32>(tScratch + which * 8 + 4, ve);
      missing--;
      if (missing == 0) break;
    }
    i = skipBlanks(ve, e);
    if (i >= e) return LINE_FALLBACK;
    const c = load<u8>(i);
    if (c == 0x7d) {
      if (i + 1 != e) return LINE_FALLBACK;
      lineDotted = dotted ? 1 : 0; // every key read: what keysDotted would say
      break;
    }
    if (c != 0x2c) return LINE_FALLBACK;
    i = skipBlanks(i + 1, e);
  }
  // eventTime, in the compact form only.
  const ts = load<i32>(tScratch);
  if (ts < 0 || load<i32>(tScratch + 4) - ts != 22 || load<u8>(ts) != 0x22) return LINE_FALLBACK;
  const time = compactTime(ts + 1);
  if (isNaN(time)) return LINE_FALLBACK;
  if (time < load<f64>(plan + PLAN_EARLIEST) || time >= load<f64>(plan + PLAN_LATEST)) return LINE_OUTSIDE;
  // The paths: filters first (a miss drops the line), then by-fields (building the group key),
  // then dc fields (their spans kept for the pairs).
  const npaths = load<i32>(plan + PLAN_NPATHS);
  const keyAt = tScratch + 256;
  store<u8>(keyAt, 0x47); // G
  let klen = 1;
  let ndc = 0;
  const dcSpans = tScratch + 128; // (start, end) per dc path; start -1 when absent
  for (let k = 0; k < npaths; k++) {
    const rec = plan + PLAN_PATHS + k * PATH_BYTES;
    const role = load<i32>(rec + P_ROLE);
    if (role == ROLE_ALT) continue;
    if (role == ROLE_FILTER) {
      const act = filterAction(plan, k, npaths);
      if (act < 0) return LINE_FALLBACK;
      if (act == ACT_DROP) return LINE_DROPPED;
      continue;
    }
    const r = followPath(rec);
    if (r == PATH_FALLBACK) return LINE_FALLBACK;
    if (role == ROLE_BY) {
      if (r != PATH_FOUND) return LINE_DROPPED; // a null by-field: the row is in no group
      const n = leafE - leafS;
      if (klen + n + 1 > KEY_MAX) return LINE_FALLBACK;
      if (klen > 1) store<u8>(keyAt + klen++, 0);
      memory.copy(keyAt + klen, leafS, n);
      klen += n;
    } else {
      store<i32>(dcSpans + ndc * 8, r == PATH_FOUND ? leafS : -1);
      store<i32>(dcSpans + ndc * 8 + 4, leafE);
      ndc++;
    }
  }
  const gid = intern(keyAt, klen);
  if (gid < 0) return LINE_FULL;
  const flag = load<i32>(tFlag + (gid << 2));
  if (flag == GROUP_PENDING) {
    newId = gid;
    return LINE_NEW_GROUP;
  }
  if (flag != GROUP_FUSED) return LINE_FALLBACK;
  // (group, dc value) pairs: a new one is reported for JavaScript to add to the group's set.
  for (let j = 0; j < ndc; j++) {
    const vs = load<i32>(dcSpans + j * 8);
    if (vs < 0) continue;
    const n = load<i32>(dcSpans + j * 8 + 4) - vs;
    if (n + 6 > KEY_MAX) return LINE_FALLBACK;
    store<u8>(keyAt, 0x50); // P
    store<u8>(keyAt + 1, <u8>j);
    store<i32>(keyAt + 2, gid);
    memory.copy(keyAt + 6, vs, n);
    const pid = intern(keyAt, n + 6);
    if (pid < 0) return LINE_FULL;
    if (tNew) {
      const np = load<i32>(out + O_PAIRS);
      store<i32>(out + O_PAIR + np * 4, pid);
      store<i32>(out + O_PAIRS, np + 1);
    }
  }
  const at = gid << 2;
  store<i32>(tCount + at, load<i32>(tCount + at) + 1);
  const mt = tMin + (gid << 3);
  if (time < load<f64>(mt)) store<f64>(mt, time);
  const xt = tMax + (gid << 3);
  if (time > load<f64>(xt)) store<f64>(xt, time);
  return LINE_MATCHED;
}

/**
 * Reads the lines of [start, end) (whole lines: end follows a newline) for the plan at `plan`,
 * results at `out` (O_*), or with `handBack` set (the tables are full) hands every line back
 * unread. `line` is the index of the first line, counted on in O_LINE. Returns the status
 * (FUSED_*), with O_RESUME the offset to call again from.
 */
export function fusedScan(start: i32, end: i32, line: i32, plan: i32, out: i32, handBack: i32): i32 {
  begin(out);
  const ndc = load<i32>(plan + PLAN_NDC);
  let p = start;
  while (p < end) {
    const nl = newlineFrom(p, end);
    if (full(out, ndc)) return stop(out, FUSED_OUT_FULL, p, line);
    const r = handBack == 0 ? fusedLine(p, nl, plan, out) : LINE_FALLBACK;
    if (r == LINE_NEW_GROUP || r == LINE_FULL) return stopAt(out, r, p, line);
    tally(out, r, p, nl, line);
    p = nl + 1;
    line++;
  }
  return stop(out, FUSED_DONE, p, line);
}

/** Starts a call's results. */
function begin(out: i32): void {
  store<i32>(out + O_FALLBACKS, 0);
  store<i32>(out + O_PAIRS, 0);
  store<i32>(out + O_MATCHED, 0);
  store<i32>(out + O_DROPPED, 0);
  store<i32>(out + O_OUTSIDE, 0);
}

/** No room for another line's results (a hand-back, and a pair per dc field). */
@inline function full(out: i32, ndc: i32): bool {
  return load<i32>(out + O_FALLBACKS) == FB_MAX || load<i32>(out + O_PAIRS) + ndc > PAIR_MAX;
}

/** Counts what became of the line or element [s, e) (LINE_*). */
function tally(out: i32, r: i32, s: i32, e: i32, line: i32): void {
  if (r == LINE_FALLBACK) {
    const nfb = load<i32>(out + O_FALLBACKS);
    const at = out + O_FB + nfb * 12;
    store<i32>(at, s);
    store<i32>(at, e, 4);
    store<i32>(at, line, 8);
    store<i32>(out + O_FALLBACKS, nfb + 1);
  } else if (r == LINE_MATCHED) store<i32>(out + O_MATCHED, load<i32>(out + O_MATCHED) + 1);
  else if (r == LINE_DROPPED) store<i32>(out + O_DROPPED, load<i32>(out + O_DROPPED) + 1);
  else if (r == LINE_OUTSIDE) store<i32>(out + O_OUTSIDE, load<i32>(out + O_OUTSIDE) + 1);
}

/** Stops at the line at `p` for a new group (its id at O_NEWID) or full tables. */
function stopAt(out: i32, r: i32, p: i32, line: i32): i32 {
  if (r == LINE_FULL) return stop(out, FUSED_TABLE_FULL, p, line);
  store<i32>(out + O_NEWID, newId);
  return stop(out, FUSED_NEW_GROUP, p, line);
}

/** The first newline in [p, end), or end. */
function newlineFrom(p: i32, end: i32): i32 {
  const vn = i8x16.splat(0x0a);
  while (p + 16 <= end) {
    const m = mask16(v128.load(p), vn);
    if (m != 0) return p + <i32>ctz(m);
    p += 16;
  }
  while (p < end && load<u8>(p) != 0x0a) p++;
  return p;
}

function stop(out: i32, status: i32, resume: i32, line: i32): i32 {
  store<i32>(out + O_STATUS, status);
  store<i32>(out + O_RESUME, resume);
  store<i32>(out + O_LINE, line);
  return status;
}

/** Whether a key of the object objectEnd walked last holds a dot. */
let walkDotted = false;

/**
 * The offset past the `}` of the object at `i`, its members walked as indexFrom walks them (what
 * MemberScan accepts); -1 when malformed, -2 at a key with a backslash (JavaScript decodes those).
 * Sets walkDotted.
 */
function objectEnd(i: i32, limit: i32): i32 {
  walkDotted = false;
  let p = skipBlanks(i + 1, limit);
  if (p < limit && load<u8>(p) == 0x7d) return p + 1;
  for (;;) {
    if (p >= limit || load<u8>(p) != 0x22) return -1;
    const keyEnd = skipString(p, limit);
    if (keyEnd < 0) return -1;
    if (hasBackslash(p + 1, keyEnd - 1)) return -2;
    if (!walkDotted && hasDot(p + 1, keyEnd - 1)) walkDotted = true;
    p = skipBlanks(keyEnd, limit);
    if (p >= limit || load<u8>(p) != 0x3a) return -1;
    const vs = skipBlanks(p + 1, limit);
    const ve = valueEnd(vs, limit);
    if (ve < 0) return -1;
    p = skipBlanks(ve, limit);
    if (p >= limit) return -1;
    const c = load<u8>(p);
    if (c == 0x7d) return p + 1;
    if (c != 0x2c) return -1;
    p = skipBlanks(p + 1, limit);
  }
  return -1; // not reached
}

/**
 * The offset past the `]` of the array at `start` (its `[`) when its elements are objects that
 * MemberScan accepts, separated by commas: the reader's walk of a `{"Records":[…]}` document
 * (recordElements in src/sources/reader.ts) accepts the same. -1 when that walk would reject it;
 * -2 when it must decide (an element that is not an object, a key with a backslash).
 */
export function arrayEnd(start: i32, limit: i32): i32 {
  let i = skipBlanks(start + 1, limit);
  if (i < limit && load<u8>(i) == 0x5d) return i + 1;
  for (;;) {
    if (i >= limit || load<u8>(i) != 0x7b) return -2;
    const ve = objectEnd(i, limit);
    if (ve < 0) return ve;
    i = skipBlanks(ve, limit);
    if (i >= limit) return -1;
    const c = load<u8>(i);
    if (c == 0x5d) return i + 1;
    if (c != 0x2c) return -1;
    i = skipBlanks(i + 1, limit);
  }
  return -1; // not reached
}

/**
 * fusedScan over the elements of a well-formed array (arrayEnd said so) from the element at
 * `start` (or the array's `[`) to the array's end `end`: each element is read as a line is, or
 * with `handBack` set (the tables are full) handed back unread. The elements handed back are
 * (start, end, 0) triples; O_RESUME is the element to call again from.
 */
export function fusedElements(start: i32, end: i32, plan: i32, out: i32, handBack: i32): i32 {
  begin(out);
  const ndc = load<i32>(plan + PLAN_NDC);
  let p = start;
  if (load<u8>(p) == 0x5b) p = skipBlanks(p + 1, end);
  while (p < end && load<u8>(p) != 0x5d) {
    const ve = valueEnd(p, end);
    if (full(out, ndc)) return stop(out, FUSED_OUT_FULL, p, 0);
    const r = handBack == 0 && load<u8>(p) == 0x7b ? fusedLine(p, ve, plan, out) : LINE_FALLBACK;
    if (r == LINE_NEW_GROUP || r == LINE_FULL) return stopAt(out, r, p, 0);
    tally(out, r, p, ve, 0);
    p = skipBlanks(ve, end);
    if (p < end && load<u8>(p) == 0x2c) p = skipBlanks(p + 1, end);
  }
  return stop(out, FUSED_DONE, p, 0);
}
