/**
 * Byte ranges of one NDJSON file, so several readers can share a large file without losing or
 * repeating a line: a range [start, end) owns exactly the lines whose first byte lies in it.
 * Both bounds are moved to a line start the same way (just past the first newline at or after
 * offset − 1), so adjacent ranges meet at the same byte.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

const PROBE_BYTES = 64 * 1024;

/** The first line start at or after `offset` (the file size when no line starts there). */
export function alignLineStart(fd: number, offset: number, size = fstatSync(fd).size): number {
  if (offset <= 0) return 0;
  if (offset >= size) return size;
  const buf = Buffer.allocUnsafe(PROBE_BYTES);
  for (let pos = offset - 1; pos < size; ) {
    const n = readSync(fd, buf, 0, Math.min(PROBE_BYTES, size - pos), pos);
    if (n <= 0) break;
    const nl = buf.indexOf(0x0a, 0);
    if (nl >= 0 && nl < n) return pos + nl + 1;
    pos += n;
  }
  return size;
}

/** The byte bounds [from, to) of the lines a range owns in the file at `path`. */
export function lineAlignedRange(path: string, range: { start: number; end: number }): { from: number; to: number } {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const from = alignLineStart(fd, range.start, size);
    const to = Math.max(from, alignLineStart(fd, range.end, size));
    return { from, to };
  } finally {
    closeSync(fd);
  }
}

/** The newlines in buf[from, to). */
export function newlines(buf: Buffer, from = 0, to = buf.length): number {
  let n = 0;
  for (let nl = buf.indexOf(0x0a, from); nl >= 0 && nl < to; nl = buf.indexOf(0x0a, nl + 1)) n++;
  return n;
}

