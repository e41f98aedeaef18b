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

@inline function sameFolded(a: i32, b: i32, n: i32): bool {
  for (let k = 0; k < n; k++) {
    const c = <u32>load<u8>(b + k);
    if (((<u32>load<u8>(a + k)) | foldBit(c)) != c) return false;
  }
  return true;
}
