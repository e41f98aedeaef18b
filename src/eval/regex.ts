/**
 * Regular expressions from SPL (`rex`, `match()`, `replace()`, `mvfind()`) run over fields that
 * attackers write (user agents, request parameters), so no single evaluation may stall a search.
 * Splunk bounds PCRE with match limits; Trailguard bounds them as follows.
 *
 * 1. Every pattern the RE2 engine accepts runs on RE2 (`re2js`, a pure-JS port of RE2): time
 *    linear in the input, whatever the pattern (`(a+)+$` over 50 000 characters takes
 *    milliseconds). RE2 keeps what SPL content uses: named groups `(?<n>…)`/`(?P<n>…)`, inline
 *    flags (also mid-pattern: `a(?i:b)`), classes, `\d\w\s\b`, anchors, lazy quantifiers.
 * 2. What RE2 refuses but JS RegExp accepts (lookahead/lookbehind, backreferences, repeat counts
 *    over 1000, JS-only escapes such as `\u0041`) runs on V8's backtracking engine inside
 *    `vm.Script#runInContext` with a timeout: V8 interrupts the regex when the time is up. An
 *    evaluation over that budget counts as no match; the caller warns once per search.
 *
 * Why not the alternatives: V8's linear engine (`--enable-experimental-regexp-engine`, flag `l`)
 * needs a process flag and, in Node 20, refuses the `i` flag, which `(?i)` needs everywhere; a
 * worker thread that can be terminated needs every input copied to it and a synchronous hand-off
 * per evaluation, where the vm watchdog keeps the work on this thread (measured: about 0.1 ms of
 * overhead an evaluation); rejecting lookaround outright would break valid searches.
 * The budget is wall-clock time, so it is generous (a busy machine must not turn ordinary matches
 * into misses); the price is paid only by patterns RE2 cannot run.
 *
 * PCRE spellings JS lacks are translated first, as before: leading inline flags `(?i)`, `(?s)`,
 * `(?m)`, `(?x)` (x is dropped), named groups `(?P<n>…)`, and the anchors `\A`, `\Z`, `\z`.
 * Syntax neither engine accepts (possessive quantifiers, atomic groups) is an invalid regex.
 */
import type * as Vm from 'node:vm';
import type { RE2JS } from 're2js';
import { lazyRequire, re2js } from '../util/lazy-require.js';

/** node:vm, loaded by the first pattern that needs the backtracking engine (most searches have none). */
const vmModule = lazyRequire<typeof Vm>('node:vm');

/** Wall-clock budget of one evaluation of a pattern that runs on the backtracking engine. */
export const BACKTRACK_BUDGET_MS = 200;

export function translatePcre(pattern: string, extraFlags = ''): { source: string; flags: string } {
  let src = pattern;
  const flags = new Set(extraFlags.split('').filter(Boolean));
  for (;;) {
    const m = /^\(\?([imsx]+)\)/.exec(src);
    if (!m) break;
    for (const f of m[1]!) if (f !== 'x') flags.add(f);
    src = src.slice(m[0].length);
  }
  src = src.replace(/\(\?P<([A-Za-z_][A-Za-z0-9_]*)>/g, '(?<$1>').replace(/\\A/g, '^').replace(/\\[zZ]/g, '$');
  return { source: src, flags: [...flags].join('') };
}

/** One match: where it starts, its text, and its groups by number (0 = the match) and by name. */
export interface RegexMatch {
  index: number;
  text: string;
  captures: (string | undefined)[];
  groups: Record<string, string | undefined>;
}

/** A replacement template, parsed once: literal text, and group numbers (`\1` in SPL). */
export type Replacement = (string | number)[];

/**
 * A compiled pattern. Every evaluation returns null when it ran over its budget (only possible
 * on the backtracking engine); callers count that as no match and warn.
 */
export interface BoundedRegex {
  readonly pattern: string;
  readonly engine: 're2' | 'backtracking';
  /** Time one evaluation may take (Infinity on RE2, which needs none). */
  readonly budgetMs: number;
  /** Found anywhere in `s`. */
  test(s: string): boolean | null;
  /** The first `limit` matches, left to right (empty matches advance by one character). */
  matches(s: string, limit?: number): RegexMatch[] | null;
  /** `s` with every match (or only the first) replaced. */
  replace(s: string, replacement: Replacement, global: boolean): string | null;
}

/**
 * SPL replacement text: `\N` (one digit) is group N (`\0` the whole match; a group that did
 * not take part, or does not exist, is empty); everything else is literal, `$` included.
 */
export function parseReplacement(text: string): Replacement {
  const out: Replacement = [];
  let lit = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    const d = text[i + 1];
    if (c === '\\' && d !== undefined && d >= '0' && d <= '9') {
      if (lit) out.push(lit);
      lit = '';
      out.push(Number(d));
      i++;
    } else lit += c;
  }
  if (lit) out.push(lit);
  return out;
}

function substitute(s: string, found: RegexMatch[], replacement: Replacement): string {
  let out = '';
  let at = 0;
  for (const m of found) {
    out += s.slice(at, m.index);
    for (const part of replacement) out += typeof part === 'number' ? (m.captures[part] ?? '') : part;
    at = m.index + m.text.length;
  }
  return out + s.slice(at);
}

function fromExec(m: RegExpMatchArray): RegexMatch {
  return { index: m.index ?? 0, text: m[0] ?? '', captures: [...m], groups: { ...(m.groups ?? {}) } };
}

/** RE2's flag bits for the PCRE flags i, s and m. */
function re2Flags(flags: string, RE2: typeof RE2JS): number {
  const bit: Record<string, number> = { i: RE2.CASE_INSENSITIVE, s: RE2.DOTALL, m: RE2.MULTILINE };
  return [...flags].reduce((a, f) => a | (bit[f] ?? 0), 0);
}

class Re2Regex implements BoundedRegex {
  readonly engine = 're2';
  readonly budgetMs = Infinity;
  constructor(
    readonly pattern: string,
    private readonly re: RE2JS,
  ) {}

  test(s: string): boolean {
    return this.re.test(s);
  }

  matches(s: string, limit = Infinity): RegexMatch[] {
    const out: RegexMatch[] = [];
    // The yes/no test runs on RE2's DFA, far cheaper than finding groups: most values do not match.
    if (limit <= 0 || !this.re.test(s)) return out;
    for (const m of this.re.matchAll(s)) {
      out.push(fromExec(m));
      if (out.length >= limit) break;
    }
    return out;
  }

  replace(s: string, replacement: Replacement, global: boolean): string {
    return substitute(s, this.matches(s, global ? Infinity : 1), replacement);
  }
}

/**
 * One sandbox for every bounded evaluation; `job` is set before each run. Made by the first
 * backtracking pattern: a vm context is a whole new V8 context, which most searches never use.
 */
let jobRunner: { sandbox: Vm.Context; runJob: Vm.Script } | undefined;
const OVER = Symbol('over budget');

function bounded<T>(budgetMs: number, fn: () => T): T | typeof OVER {
  if (jobRunner === undefined) {
    const vm = vmModule();
    jobRunner = { sandbox: vm.createContext({ job: (): unknown => undefined }), runJob: new vm.Script('job()') };
  }
  const { sandbox, runJob } = jobRunner;
  sandbox['job'] = fn;
  try {
    return runJob.runInContext(sandbox, { timeout: budgetMs }) as T;
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') return OVER;
    throw err;
  } finally {
    sandbox['job'] = () => undefined;
  }
}

class BacktrackingRegex implements BoundedRegex {
  readonly engine = 'backtracking';
  private readonly once: RegExp;
  private readonly all: RegExp;
  constructor(
    readonly pattern: string,
    source: string,
    flags: string,
    readonly budgetMs: number,
  ) {
    this.once = new RegExp(source, flags.replace('g', ''));
    this.all = new RegExp(source, flags.includes('g') ? flags : flags + 'g');
  }

  test(s: string): boolean | null {
    const r = bounded(this.budgetMs, () => this.once.test(s));
    return r === OVER ? null : r;
  }

  matches(s: string, limit = Infinity): RegexMatch[] | null {
    const r = bounded(this.budgetMs, () => {
      const out: RegexMatch[] = [];
      if (limit <= 0) return out;
      for (const m of s.matchAll(this.all)) {
        out.push(fromExec(m));
        if (out.length >= limit) break;
      }
      return out;
    });
    return r === OVER ? null : r;
  }

  replace(s: string, replacement: Replacement, global: boolean): string | null {
    const found = this.matches(s, global ? Infinity : 1);
    return found === null ? null : substitute(s, found, replacement);
  }
}

const cache = new Map<string, BoundedRegex | Error>();

/**
 * The bounded, cached form of a PCRE-ish pattern (`flags` may add i, s, m). Throws a SyntaxError
 * (JS's message) when neither engine accepts the pattern.
 */
export function compileRegex(pattern: string, flags = '', budgetMs = BACKTRACK_BUDGET_MS): BoundedRegex {
  const key = `${flags}\u0000${budgetMs}\u0000${pattern}`;
  let re = cache.get(key);
  if (re === undefined) {
    const t = translatePcre(pattern, flags.replace('g', ''));
    const RE2 = re2js().RE2JS;
    try {
      re = new Re2Regex(pattern, RE2.compile(t.source, re2Flags(t.flags, RE2)));
    } catch {
      try {
        re = new BacktrackingRegex(pattern, t.source, t.flags, budgetMs);
      } catch (e) {
        re = e instanceof Error ? e : new Error(String(e));
      }
    }
    if (cache.size > 5_000) cache.clear();
    cache.set(key, re);
  }
  if (re instanceof Error) throw re;
  return re;
}

/**
 * Index of the first text `re` is found in, or -1. A text over the budget counts as no match,
 * and `warn` hears about it (as `where`).
 */
export function firstFoundIn(re: BoundedRegex, texts: readonly string[], where: string, warn?: (msg: string) => void): number {
  let over = false;
  const i = texts.findIndex((t) => {
    const hit = re.test(t);
    if (hit === null) over = true;
    return hit === true;
  });
  if (over) warn?.(overBudgetWarning(where, re));
  return i;
}

/**
 * The warning for a pattern that ran over its budget on some value. The text does not depend on
 * the value, so the run's deduplicated warnings show it once per search.
 */
export function overBudgetWarning(where: string, re: BoundedRegex): string {
  return (
    `${where}: the regular expression ${JSON.stringify(re.pattern)} ran longer than its ${re.budgetMs} ms budget on a value, which counted as no match; ` +
    'the linear-time engine (RE2) cannot run it (lookaround, backreferences), so it runs on a backtracking engine: rewrite it without those to lift the budget'
  );
}
