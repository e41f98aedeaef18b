/**
 * How selective a search is over an NDJSON file, guessed before the scan: the share of lines, in
 * a few samples spread over the file, that hold every literal term of the prefilter. A search
 * whose prefilter lets few lines through reads its views as bytes and parses only those lines
 * (sources/reader.ts, sparseBytes), so each byte costs it a fraction of what a full scan pays and
 * a worker's fixed cost (its start, and compiling the scan's code again in its own isolate) is
 * repaid only over a larger input. Only the decision to split depends on it, never the rows.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { holdsAllTerms } from '../prefilter.js';

/** Places sampled (evenly spread from the start) and the bytes read at each. */
const SAMPLES = 4;
const SAMPLE_BYTES = 256 * 1024;
/** Fewer whole lines than this in the samples: no guess. */
const MIN_LINES = 64;

/**
 * The share of sampled lines of `path` (of `size` bytes) that hold every term, compared without
 * case as the prefilter compares them; 1 without terms; null when the samples hold too few lines
 * (or the file cannot be read) to tell.
 */
export function sampledPassRate(path: string, size: number, terms: readonly string[]): number | null {
  if (terms.length === 0) return 1;
  const holds = holdsAllTerms(terms);
  const buf = Buffer.allocUnsafe(SAMPLE_BYTES);
  let lines = 0;
  let passed = 0;
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return null;
  }
  try {
    for (let i = 0; i < SAMPLES; i++) {
      const at = Math.floor((i * size) / SAMPLES);
      const n = readSync(fd, buf, 0, SAMPLE_BYTES, at);
      // Whole lines only: past the first newline unless at the start, up to the last one.
      const from = at === 0 ? 0 : buf.indexOf(0x0a) + 1;
      const to = n > 0 ? buf.lastIndexOf(0x0a, n - 1) : -1;
      if ((at !== 0 && from === 0) || to < from) continue;
      for (const line of buf.toString('utf8', from, to).split('\n')) {
        if (line.trim() === '') continue;
        lines++;
        if (holds(line)) passed++;
      }
    }
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
  return lines >= MIN_LINES ? passed / lines : null;
}
