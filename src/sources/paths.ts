/**
 * Expands the user's source arguments into files: plain files, directories (recursive, pruned by
 * the AWSLogs/ time layout), globs (`*`, `?`, `**`, `[…]`, `{a,b}` — a small matcher of our own,
 * as Node 20 has no fs.glob), and `-` for standard input.
 */
import { readdirSync, type Dirent } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join, sep, isAbsolute } from 'node:path';
import { directorySpan, fileNameSpan, outsideWindow, type Window } from './pruning.js';

export type Input =
  | { kind: 'stdin' }
  /** `regular`: known to be a regular file (not a pipe or device), so a short read means its end. */
  | { kind: 'file'; path: string; regular?: boolean }
  /** A path that could not be listed or does not exist (reported as an issue). */
  | { kind: 'missing'; path: string; message: string };

export interface ExpandStats {
  filesSeen: number;
  filesSkipped: number;
  dirsSkipped: number;
}

/** Files a directory walk picks up (an explicitly named file is always read, whatever its name). */
const DATA_FILE = /\.(json|jsonl|ndjson|log|txt)(\.gz)?$|\.gz$/i;
/** CloudTrail digest files hold hashes of log files, not events. */
const DIGEST = /CloudTrail-Digest/;

export function hasGlob(p: string): boolean {
  return /[*?[{]/.test(p);
}

/** Translates one path segment of a glob into a RegExp. */
export function segmentRegex(seg: string): RegExp {
  let re = '';
  for (let i = 0; i < seg.length; i++) {
    const c = seg[i]!;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const close = seg.indexOf(']', i + 1);
      if (close < 0) re += '\\[';
      else {
        let body = seg.slice(i + 1, close);
        if (body.startsWith('!')) body = `^${body.slice(1)}`;
        re += `[${body.replace(/\\/g, '\\\\')}]`;
        i = close;
      }
    } else if (c === '{') {
      const close = seg.indexOf('}', i + 1);
      if (close < 0) re += '\\{';
      else {
        re += `(?:${seg.slice(i + 1, close).split(',').map((a) => a.replace(/[.+^$()|\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')).join('|')})`;
        i = close;
      }
    } else re += c.replace(/[.+^$()|\\\]]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** A directory being walked: its sorted entries and the next one to look at. */
interface Listing {
  dir: string;
  entries: Dirent[];
  next: number;
}

interface GlobMatch {
  path: string;
  dir: boolean;
}

export class PathExpander {
  readonly stats: ExpandStats = { filesSeen: 0, filesSkipped: 0, dirsSkipped: 0 };
  constructor(private readonly window: Window) {}

  /** Inputs for one argument, in a stable (sorted) order. */
  async *expand(arg: string): AsyncGenerator<Input> {
    if (arg === '-') {
      yield { kind: 'stdin' };
      return;
    }
    if (hasGlob(arg)) {
      let any = false;
      for await (const f of this.glob(arg)) {
        any = true;
        if (f.dir) yield* this.walk(f.path);
        else yield* this.consider(f.path, true);
      }
      if (!any) yield { kind: 'missing', path: arg, message: 'no file matches this pattern' };
      return;
    }
    let st;
    try {
      st = await stat(arg);
    } catch (e) {
      yield { kind: 'missing', path: arg, message: (e as Error).message };
      return;
    }
    if (st.isDirectory()) yield* this.walk(arg);
    else yield* this.consider(arg, true, st.isFile());
  }

  /** A path already known to be a regular file (found by an earlier walk): no stat. */
  *knownFile(path: string): Generator<Input> {
    yield* this.consider(path, true, true);
  }

  private *consider(path: string, explicit: boolean, regular = false): Generator<Input> {
    if (!explicit && (!DATA_FILE.test(path) || DIGEST.test(path))) return;
    this.stats.filesSeen++;
    if (outsideWindow(fileNameSpan(path), this.window)) {
      this.stats.filesSkipped++;
      return;
    }
    yield regular ? { kind: 'file', path, regular } : { kind: 'file', path };
  }

  /**
   * The entries of `dir` sorted by name, 'skipped' when the directory's date puts it outside the
   * window (counted, never read), or the error that kept it from being read. Listed synchronously:
   * the scan waits for the listing either way, and an asynchronous one left the thread idle for
   * each of the hundreds of directories of a delivery tree.
   */
  private entriesOf(dir: string): Dirent[] | 'skipped' | Error {
    if (outsideWindow(directorySpan(dir), this.window)) {
      this.stats.dirsSkipped++;
      return 'skipped';
    }
    try {
      const entries = readdirSync(dir, { withFileTypes: true });
      return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    } catch (e) {
      return e as Error;
    }
  }

  /**
   * Files under `root`, depth first in name order. One generator with a stack of listings rather
   * than one generator per directory level: each file of a delivery tree (eight levels deep) was
   * handed up through eight generators.
   */
  private *walk(root: string): Generator<Input> {
    const stack: Listing[] = [];
    yield* this.enter(root, stack);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      if (top.next >= top.entries.length) {
        stack.pop();
        continue;
      }
      const e = top.entries[top.next++]!;
      if (e.name.startsWith('.')) continue;
      const p = join(top.dir, e.name);
      if (e.isDirectory()) yield* this.enter(p, stack);
      else if (e.isFile() || e.isSymbolicLink()) yield* this.consider(p, false, e.isFile());
    }
  }

  /** Lists `dir` onto the walk's stack (or says why it cannot be read; skipped ones say nothing). */
  private *enter(dir: string, stack: Listing[]): Generator<Input> {
    if (DIGEST.test(dir.slice(dir.lastIndexOf(sep) + 1))) return;
    const entries = this.entriesOf(dir);
    if (entries === 'skipped') return;
    if (entries instanceof Error) yield { kind: 'missing', path: dir, message: entries.message };
    else stack.push({ dir, entries, next: 0 });
  }

  /** Files matching a glob; `**` matches any number of directories. Directories matched by the
   *  pattern's last segment are walked like a directory argument. */
  private async *glob(pattern: string): AsyncGenerator<GlobMatch> {
    const norm = pattern.split(sep).join('/');
    const parts = norm.split('/');
    let base = isAbsolute(pattern) ? '/' : '.';
    let i = 0;
    if (parts[0] === '') i = 1;
    while (i < parts.length - 1 && !hasGlob(parts[i]!)) {
      base = base === '.' && !isAbsolute(pattern) ? parts[i]! : join(base, parts[i]!);
      i++;
    }
    yield* this.globFrom(base, parts.slice(i), base === '.' && !isAbsolute(pattern));
  }

  private async *globFrom(dir: string, rest: string[], relative: boolean): AsyncGenerator<GlobMatch> {
    if (rest.length === 0) return;
    const [seg, ...tail] = rest as [string, ...string[]];
    const show = (name: string): string => (relative && dir === '.' ? name : join(dir, name));
    if (!hasGlob(seg)) {
      const p = show(seg);
      if (tail.length === 0) {
        try {
          yield { path: p, dir: (await stat(p)).isDirectory() };
        } catch {
          /* not there: no match */
        }
      } else yield* this.globFrom(p, tail, false);
      return;
    }
    const entries = this.entriesOf(dir);
    // A glob over an unreadable directory simply matches nothing there.
    if (entries === 'skipped' || entries instanceof Error) return;
    if (seg === '**') {
      // zero directories
      yield* this.globFrom(dir, tail, relative);
      for (const e of entries) {
        if (e.isDirectory() && !e.name.startsWith('.')) yield* this.globFrom(show(e.name), rest, false);
      }
      return;
    }
    const re = segmentRegex(seg);
    for (const e of entries) {
      if (e.name.startsWith('.') && !seg.startsWith('.')) continue;
      if (!re.test(e.name)) continue;
      const p = show(e.name);
      if (tail.length === 0) yield { path: p, dir: e.isDirectory() };
      else if (e.isDirectory()) yield* this.globFrom(p, tail, false);
    }
  }
}
