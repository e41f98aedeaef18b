/**
 * DensityFunction parameters (MLTK.md §2, §3.1): which keys fit and apply accept, how values are
 * read (booleans, threshold lists), and the rules that combine them. Errors name the parameter and
 * say what is allowed.
 */
import { TrailguardError, type Span } from '../errors.js';
import type { Options } from '../spl/ast.js';
import { AUTO_CANDIDATES, DIST_NAMES, type DistName, type Metric, type Threshold } from './dists/index.js';

export interface DensityOptions {
  dist: DistName | 'auto';
  metric: Metric;
  /** Thresholds asked for, or null when none was given (apply then uses the model's). */
  thresholds: Threshold[] | null;
  showDensity: boolean | null;
  showOptions: boolean | null;
  sample: boolean | null;
  fullSample: boolean | null;
  excludeDist: DistName[];
  randomState: number | null;
  partialFit: boolean;
  /** Names MLTK warns about and ignores at this stage (apply: dist, metric). */
  ignored: string[];
}

/** mlspl.conf [DensityFunction] limits (current shipped values, MLTK.md §3.1). */
export const LIMITS = { maxGroups: 5000, maxFieldsInBy: 8, minDataSizeToFit: 50, maxThresholds: 5, maxInputs: 100_000 } as const;

export const DEFAULT_THRESHOLD = 0.01;

const FIT_KEYS = ['dist', 'threshold', 'lower_threshold', 'upper_threshold', 'show_density', 'sample', 'full_sample', 'metric', 'exclude_dist', 'random_state', 'show_options', 'partial_fit'];
const APPLY_KEYS = ['threshold', 'lower_threshold', 'upper_threshold', 'show_density', 'sample', 'full_sample', 'show_options', 'dist', 'metric'];
const APPLY_IGNORED = ['dist', 'metric'];

const TRUE = new Set(['1', 't', 'true', 'y', 'yes', 'enable', 'enabled']);
const FALSE = new Set(['0', 'f', 'false', 'n', 'no', 'disable', 'disabled']);

function optionError(cmd: string, span: Span | undefined, reason: string, hint: string): TrailguardError {
  return new TrailguardError({ code: 'E_MLTK_PARAM', phase: 'plan', span, reason: `${cmd}: ${reason}`, hints: [hint] });
}

/** Reads DensityFunction parameters for `fit` or `apply`. */
export function readDensityOptions(given: Options, stage: 'fit' | 'apply', span?: Span): DensityOptions {
  const fail = (reason: string, hint: string) => optionError(stage, span, reason, hint);
  const opts: Record<string, string> = {};
  const allowed = stage === 'fit' ? FIT_KEYS : APPLY_KEYS;
  for (const [k, v] of Object.entries(given)) {
    const key = k.toLowerCase();
    if (!allowed.includes(key)) {
      const fitOnly = stage === 'apply' && FIT_KEYS.includes(key);
      throw fail(
        fitOnly ? `parameter "${k}" can only be given to fit` : `unknown parameter "${k}" for DensityFunction`,
        `${stage} accepts ${allowed.filter((a) => !(stage === 'apply' && APPLY_IGNORED.includes(a))).join(', ')}`,
      );
    }
    opts[key] = v;
  }
  const bool = (key: string): boolean | null => {
    const v = opts[key];
    if (v === undefined) return null;
    const l = v.toLowerCase();
    if (TRUE.has(l)) return true;
    if (FALSE.has(l)) return false;
    throw fail(`${key}=${v} is not a boolean`, 'use true or false (also t/f, yes/no, 1/0)');
  };
  const numbers = (key: string): number[] | null => {
    const v = opts[key];
    if (v === undefined) return null;
    const parts = v.split(',').map((s) => s.trim());
    const out = parts.map((s) => {
      const n = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(s) ? Number(s) : NaN;
      if (!Number.isFinite(n)) throw fail(`${key}=${v}: "${s}" is not a number`, `write for example ${key}=0.01, or a quoted list ${key}="0.01,0.005"`);
      if (n < 1e-9 || n > 1) throw fail(`${key}=${v}: every threshold must lie between 1e-9 and 1`, `for example ${key}=0.01`);
      return n;
    });
    if (out.length > LIMITS.maxThresholds) throw fail(`${key}=${v}: at most ${LIMITS.maxThresholds} threshold values are allowed`, 'drop some values');
    return out;
  };

  const two = numbers('threshold');
  const lower = numbers('lower_threshold');
  const upper = numbers('upper_threshold');
  if (two && (lower || upper)) throw fail('threshold cannot be combined with lower_threshold or upper_threshold', 'use threshold=t for both tails, or lower_threshold/upper_threshold for one tail each');
  let thresholds: Threshold[] | null = null;
  if (two) thresholds = two.map((t) => ({ two: t }));
  else if (lower && upper) {
    if (lower.length > 1 || upper.length > 1) throw fail('with lists of thresholds, give only one of lower_threshold and upper_threshold', 'split the search, or use single values');
    if (lower[0]! + upper[0]! > 1) throw fail('lower_threshold plus upper_threshold must not exceed 1', 'use smaller thresholds');
    thresholds = [{ lower: lower[0], upper: upper[0] }];
  } else if (lower) thresholds = lower.map((a) => ({ lower: a }));
  else if (upper) thresholds = upper.map((b) => ({ upper: b }));

  let dist: DistName | 'auto' = 'auto';
  if (opts.dist !== undefined && stage === 'fit') {
    const d = opts.dist.toLowerCase();
    if (d !== 'auto' && !DIST_NAMES.includes(d as DistName)) throw fail(`dist=${opts.dist} is not a distribution DensityFunction knows`, `use one of auto, ${DIST_NAMES.join(', ')}`);
    dist = d as DistName | 'auto';
  }
  let metric: Metric = 'wasserstein';
  if (opts.metric !== undefined && stage === 'fit') {
    const m = opts.metric.toLowerCase();
    if (m !== 'wasserstein' && m !== 'kolmogorov_smirnov') throw fail(`metric=${opts.metric} is not a metric DensityFunction knows`, 'use wasserstein or kolmogorov_smirnov');
    metric = m;
  }
  let excludeDist: DistName[] = [];
  if (opts.exclude_dist !== undefined) {
    if (dist !== 'auto') throw fail('exclude_dist can only be used with dist=auto', 'remove exclude_dist, or use dist=auto');
    excludeDist = opts.exclude_dist.split(',').map((s) => s.trim().toLowerCase()) as DistName[];
    for (const d of excludeDist) if (!DIST_NAMES.includes(d)) throw fail(`exclude_dist: "${d}" is not a distribution`, `use names from ${DIST_NAMES.join(', ')}`);
    if (AUTO_CANDIDATES.every((c) => excludeDist.includes(c))) throw fail('exclude_dist excludes every distribution dist=auto could choose', `leave at least one of ${AUTO_CANDIDATES.join(', ')}`);
  }
  let randomState: number | null = null;
  if (opts.random_state !== undefined) {
    if (!/^\d+$/.test(opts.random_state)) throw fail(`random_state=${opts.random_state} is not a whole number`, 'for example random_state=42');
    randomState = Number(opts.random_state);
  }
  const partialFit = bool('partial_fit') ?? false;
  return {
    dist,
    metric,
    thresholds,
    showDensity: bool('show_density'),
    showOptions: bool('show_options'),
    sample: bool('sample'),
    fullSample: bool('full_sample'),
    excludeDist,
    randomState,
    partialFit,
    ignored: stage === 'apply' ? Object.keys(opts).filter((k) => APPLY_IGNORED.includes(k)) : [],
  };
}
