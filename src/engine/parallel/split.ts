/**
 * Dividing the input between workers. Several files: contiguous runs of files with about the
 * same number of bytes each (contiguous, so merging partials in chunk order is input order).
 * One uncompressed NDJSON file: equal byte ranges (the sources align them to line starts).
 * Gzip files and Records/array files are only ever split by file.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { PathExpander } from '../../sources/paths.js';
import { isS3Url } from '../../sources/s3-url.js';
import { detectFormat } from '../../sources/reader.js';
import { isGzip } from '../../sources/decode.js';
import { sampledPassRate } from './selectivity.js';
import type { Share } from './protocol.js';

const SNIFF_BYTES = 64 * 1024;

/**
 * The files `paths` name (as the sources would read them, in order) split into ≤ `parts` shares,
 * with the scan's estimated work (see estimatedWork; `terms`: the prefilter's literal terms).
 */
export async function splitInput(
  paths: string[],
  window: { earliest?: number; latest?: number },
  parts: number,
  terms: readonly string[] = [],
): Promise<{ shares: Share[]; bytes: number; work: number } | { reason: string }> {
  if (paths.length === 0) return { reason: 'no data paths' };
  if (paths.some(isS3Url)) return { reason: 'S3 objects are read in this thread (GETs run concurrently)' };
  const expander = new PathExpander(window);
  const found: string[] = [];
  for (const arg of paths) {
    for await (const input of expander.expand(arg)) {
      if (input.kind === 'stdin') return { reason: 'standard input cannot be split' };
      if (input.kind === 'missing') return { reason: `${input.path} cannot be read` };
      if (input.kind === 'file') {
        // A pipe (`--data <(zcat …)`) can be read once, from its start: never split or sniffed.
        if (input.regular !== true && !isRegularFile(input.path)) return { reason: `${input.path} is not a regular file: it is read by one thread` };
        found.push(input.path);
      }
    }
  }
  if (found.length === 0) return { reason: 'no input files' };
  const files = sized(found);
  if (files === null) return { reason: 'an input file cannot be read' };
  const bytes = files.reduce((a, f) => a + f.size, 0);
  // Sniffed once per path: the estimate and the split of a single file both ask.
  const sniffed = new Map<string, boolean>();
  const plainNdjson = (path: string): boolean => sniffed.get(path) ?? sniffed.set(path, isPlainNdjson(path)).get(path)!;
  const work = estimatedWork(files, terms, plainNdjson);
  if (files.length === 1) {
    const f = files[0]!;
    if (!plainNdjson(f.path)) return { reason: `${f.path} is compressed or not NDJSON: it is read by one thread` };
    const shares: Share[] = [];
    for (let i = 0; i < parts; i++) {
      shares.push({ files: [f.path], range: { start: Math.floor((i * f.size) / parts), end: Math.floor(((i + 1) * f.size) / parts) } });
    }
    return { shares, bytes, work };
  }
  const n = Math.min(parts, files.length);
  const shares: Share[] = [];
  let current: string[] = [];
  let seen = 0;
  for (const [i, f] of files.entries()) {
    current.push(f.path);
    seen += f.size;
    const left = files.length - i - 1;
    const sharesLeft = n - shares.length - 1;
    // Close this share once it reaches its quota, or when every remaining share needs a file.
    if (sharesLeft > 0 && (seen >= ((shares.length + 1) * bytes) / n || left === sharesLeft)) {
      shares.push({ files: current });
      current = [];
    }
  }
  if (current.length > 0) shares.push({ files: current });
  return { shares, bytes, work };
}

/** Bytes a gzip file stands for (CloudTrail JSON inflates about tenfold). */
const GZIP_FACTOR = 8;
/**
 * A file's fixed cost (open, read, inflate, close) in plain-NDJSON bytes: a tree of 6,366 small
 * delivery files holding 25 MB of JSON takes as long to scan as about 170 MB of NDJSON.
 */
const PER_FILE_BYTES = 20 * 1024;
/** More files than this: the sizes of this many, evenly spread, stand for the rest. */
const SIZE_SAMPLE = 256;

/**
 * The files with their sizes. A stat per file costs as much as reading a small delivery file,
 * so a large tree is sized from a sample (CloudTrail writes files of similar size; the sizes only
 * decide whether workers pay off and where chunks end). Null when a file cannot be stat'ed.
 */
function sized(paths: string[]): { path: string; size: number }[] | null {
  const step = Math.max(1, paths.length / SIZE_SAMPLE);
  const sampled: number[] = [];
  try {
    for (let i = 0; i < paths.length; i += step) sampled.push(statSync(paths[Math.floor(i)]!).size);
  } catch {
    return null;
  }
  if (sampled.length === paths.length) return paths.map((path, i) => ({ path, size: sampled[i]! }));
  const mean = sampled.reduce((a, b) => a + b, 0) / sampled.length;
  return paths.map((path) => ({ path, size: mean }));
}

/**
 * What a byte of plain NDJSON costs a selective search (one whose prefilter lets fewer than one
 * line in eight through, the reader's own rule for reading views as bytes), against a full scan.
 * Measured on this project's 2-core machine (bench/README.md, "Workers only when they pay"): a
 * selective search over 1M events took 0.6–0.9 s of scan against 2.7–3.0 s for full scans, and
 * two threads tied with one over those 1.26 GB and won by 13–17 % over 5 GB.
 */
const SELECTIVE_BYTE_COST = 1 / 3;
const SELECTIVE_PASS_RATE = 1 / 8;

/**
 * The scan work of `files` in full-scan NDJSON-byte equivalents, to decide whether workers pay
 * off: a gzip file counts for its inflated size, and every file for its open/read/inflate
 * overhead (thousands of small delivery files cost more than their bytes say). Uncompressed bytes
 * count for a third when samples of the largest file, if it is plain NDJSON, show the search to
 * be selective (`terms`: the prefilter's literal terms).
 */
function estimatedWork(files: { path: string; size: number }[], terms: readonly string[], plainNdjson: (path: string) => boolean): number {
  let plainCost = 1;
  if (terms.length > 0) {
    const largest = files.reduce((a, f) => (f.size > a.size ? f : a));
    if (!/\.gz$/i.test(largest.path) && plainNdjson(largest.path)) {
      const rate = sampledPassRate(largest.path, largest.size, terms);
      if (rate !== null && rate < SELECTIVE_PASS_RATE) plainCost = SELECTIVE_BYTE_COST;
    }
  }
  let work = 0;
  for (const f of files) work += (/\.gz$/i.test(f.path) ? f.size * GZIP_FACTOR : f.size * plainCost) + PER_FILE_BYTES;
  return work;
}

function isRegularFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function isPlainNdjson(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(SNIFF_BYTES);
    const n = readSync(fd, head, 0, SNIFF_BYTES, 0);
    const buf = head.subarray(0, n);
    return !isGzip(buf) && detectFormat(buf, n < SNIFF_BYTES) === 'lines';
  } finally {
    closeSync(fd);
  }
}
