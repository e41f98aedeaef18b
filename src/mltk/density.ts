/**
 * DensityFunction fit, apply and summary over rows (MLTK.md §3): one distribution per group of
 * by-values; every row gets `IsOutlier(<f>)`, `BoundaryRanges` and, when asked,
 * `ProbabilityDensity(<f>)`. Rows left out of training (null feature or by-field) and rows of groups
 * the model has not seen get those columns empty.
 */
import { TrailguardError } from '../errors.js';
import { Row } from '../engine/row.js';
import type { Options } from '../spl/ast.js';
import { DIST_LABELS, DistributionFitError, distFromParams, distance as fitDistance, fitAuto, fitDist, type FittedDist, type OutlierRange, type Threshold } from './dists/index.js';
import { DENSITY_ALGORITHM, DENSITY_MODEL_FORMAT, type DensityModel, type GroupModel } from './model.js';
import { DEFAULT_THRESHOLD, LIMITS, type DensityOptions } from './options.js';
import { compareKeys, groupId, groupValueCell, prepareRows, type GroupValue, type Prepared } from './prepare.js';
import { pyFloat, pyNumber, pyRound } from './pyformat.js';
import { maxOf, minOf } from './stats.js';
import { seeded } from '../eval/functions/math.js';

export type Warn = (msg: string) => void;

export interface FitSpec {
  feature: string;
  by: string[];
  options: DensityOptions;
  /** The parameters as written, for the model and `_Options`. */
  given: Options;
  /** `as <name>`: replaces the IsOutlier column name. */
  as: string | null;
}

export interface ApplySettings {
  thresholds: Threshold[];
  showDensity: boolean;
  showOptions: boolean;
  as: string | null;
}

function runtimeError(reason: string, hint: string): TrailguardError {
  return new TrailguardError({ code: 'E_MLTK_FIT', phase: 'runtime', reason, hints: [hint] });
}

function describeKey(by: readonly string[], key: readonly GroupValue[]): string {
  return by.length === 0 ? 'the data' : `group ${by.map((b, i) => `${b}=${groupValueCell(key[i]!)}`).join(', ')}`;
}

/** Reservoir sample of `k` rows (seeded), kept in input order. */
function sampleRows<T>(items: readonly T[], k: number, seed: number): T[] {
  const next = seeded(seed); // eval's random() generator (mulberry32)
  const chosen = Array.from({ length: k }, (_, i) => i);
  for (let i = k; i < items.length; i++) {
    const j = Math.floor(next() * (i + 1));
    if (j < k) chosen[j] = i;
  }
  return chosen.sort((a, b) => a - b).map((i) => items[i]!);
}

function warnSmallGroups(groups: readonly { cardinality: number }[], warn: Warn): void {
  const small = groups.filter((g) => g.cardinality < LIMITS.minDataSizeToFit).length;
  if (small > 0) warn(`DensityFunction: ${small} of ${groups.length} group(s) have fewer than ${LIMITS.minDataSizeToFit} values; their distributions may not be reliable`);
}

/** Trains one distribution per group and applies the model to the training rows. */
export function fitDensity(input: readonly Row[], spec: FitSpec, warn: Warn): { rows: Row[]; model: DensityModel } {
  if (spec.by.length > LIMITS.maxFieldsInBy) throw runtimeError(`DensityFunction accepts at most ${LIMITS.maxFieldsInBy} by-fields, got ${spec.by.length}`, 'group by fewer fields');
  let rows = input;
  if (rows.length > LIMITS.maxInputs) {
    rows = sampleRows(rows, LIMITS.maxInputs, spec.options.randomState ?? 0);
    warn(`fit: the input has ${input.length} rows; DensityFunction trains on a sample of ${LIMITS.maxInputs} and returns only those rows (MLTK's max_inputs)`);
  }
  const prepared = prepareRows(rows, spec.feature, spec.by);
  const byGroup = new Map<string, { key: GroupValue[]; values: number[] }>();
  for (const p of prepared.rows) {
    if (p.key === null) continue;
    const id = groupId(p.key);
    let g = byGroup.get(id);
    if (!g) byGroup.set(id, (g = { key: p.key, values: [] }));
    g.values.push(p.value!);
  }
  if (byGroup.size === 0) throw runtimeError('No valid events; check for null or non-numeric values in numeric fields', `every row lacks "${spec.feature}" or a by-field`);
  if (byGroup.size > LIMITS.maxGroups) throw runtimeError(`DensityFunction: ${byGroup.size} groups exceed the limit of ${LIMITS.maxGroups} (max_groups)`, 'group by fewer or coarser fields');
  const opts = spec.options;
  const groups: GroupModel[] = [];
  for (const g of [...byGroup.values()].sort((a, b) => compareKeys(a.key, b.key))) {
    let dist: FittedDist;
    let dd: number;
    try {
      if (opts.dist === 'auto') ({ dist, distance: dd } = fitAuto(g.values, opts.metric, opts.excludeDist));
      else {
        dist = fitDist(opts.dist, g.values);
        dd = fitDistance(dist, opts.metric);
      }
    } catch (err) {
      if (!(err instanceof DistributionFitError)) throw err;
      const label = opts.dist === 'auto' ? 'any distribution' : `the ${DIST_LABELS[opts.dist]} distribution`;
      throw runtimeError(`fitting ${label} failed for ${describeKey(spec.by, g.key)}: ${err.message}`, opts.dist === 'expon' || opts.dist === 'gaussian_kde' || opts.dist === 'beta' ? 'use dist=auto, which skips distributions that cannot be fitted, or dist=norm' : 'check the group\'s values');
    }
    const used = dist.sample();
    groups.push({ key: g.key, dist: dist.name, auto: opts.dist === 'auto', params: dist.params(), min: minOf(used), max: maxOf(used), cardinality: g.values.length, distance: dd });
  }
  warnSmallGroups(groups, warn);
  if (opts.sample || opts.fullSample) warn('fit: sample and full_sample are accepted and ignored (Trailguard adds no SampledValue/FullSampledValue columns)');
  const model: DensityModel = {
    format: DENSITY_MODEL_FORMAT,
    algorithm: DENSITY_ALGORITHM,
    feature: spec.feature,
    featureInteger: prepared.featureInteger,
    by: spec.by.slice(),
    byTypes: prepared.byTypes,
    dist: opts.dist,
    metric: opts.metric,
    thresholds: opts.thresholds ?? [{ two: DEFAULT_THRESHOLD }],
    showDensity: opts.showDensity ?? false,
    showOptions: opts.showOptions ?? false,
    options: { ...spec.given },
    groups,
  };
  const settings: ApplySettings = { thresholds: model.thresholds, showDensity: model.showDensity, showOptions: model.showOptions, as: spec.as };
  annotate(prepared, model, settings, warn);
  return { rows: rows.slice(), model };
}

/** Applies a stored model to rows (MLTK.md §3.6); apply-time options override the stored ones. */
export function applyDensity(rows: readonly Row[], model: DensityModel, opts: DensityOptions, as: string | null, warn: Warn): Row[] {
  if (opts.ignored.length > 0) warn(`apply: ${opts.ignored.join(', ')} ${opts.ignored.length === 1 ? 'is' : 'are'} ignored by apply; the model's are used`);
  if (opts.sample || opts.fullSample) warn('apply: sample and full_sample are accepted and ignored (Trailguard adds no SampledValue/FullSampledValue columns)');
  if (rows.length === 0) return [];
  const prepared = prepareRows(rows, model.feature, model.by);
  warnSmallGroups(model.groups, warn);
  const settings: ApplySettings = {
    thresholds: opts.thresholds ?? model.thresholds,
    showDensity: opts.showDensity ?? model.showDensity,
    showOptions: opts.showOptions ?? model.showOptions,
    as,
  };
  annotate(prepared, model, settings, warn);
  return rows.slice();
}

interface OutputColumns {
  isOutlier: string;
  ranges: string;
}

function outputColumns(feature: string, thresholds: readonly Threshold[], as: string | null): OutputColumns[] {
  if (thresholds.length === 1) return [{ isOutlier: as ?? `IsOutlier(${feature})`, ranges: 'BoundaryRanges' }];
  return thresholds.map((t) => {
    const label = pyFloat((t.two ?? t.lower ?? t.upper)!);
    return { isOutlier: as !== null ? `${as}_th=${label}` : `IsOutlier_th=${label}(${feature})`, ranges: `BoundaryRanges_th=${label}` };
  });
}

/** `lo:hi:area` as MLTK prints a boundary range (MLTK.md §3.5). */
export function rangeText(r: OutlierRange, featureInteger: boolean): string {
  const bound = (x: number, isMin: boolean | undefined) => {
    if (x === -Infinity) return '-Infinity';
    if (x === Infinity) return 'Infinity';
    return isMin && featureInteger && Number.isInteger(x) ? String(x) : pyFloat(pyRound(x, 4));
  };
  return `${bound(r.lo, false)}:${bound(r.hi, r.hiIsMin)}:${r.area}`;
}

export function isOutlierIn(ranges: readonly OutlierRange[], v: number): boolean {
  return ranges.some((r) => r.lo < v && v < r.hi);
}

function annotate(prepared: Prepared, model: DensityModel, s: ApplySettings, warn: Warn): void {
  const columns = outputColumns(model.feature, s.thresholds, s.as);
  const densityColumn = `ProbabilityDensity(${model.feature})`;
  const optionsText = JSON.stringify(model.options);
  const groups = new Map<string, { dist: FittedDist; ranges: OutlierRange[][]; texts: string[][] }>();
  for (const g of model.groups) {
    groups.set(groupId(g.key), { dist: distFromParams(g.dist, g.params), ranges: [], texts: [] });
  }
  let unseen = false;
  for (const p of prepared.rows) {
    const g = p.key === null ? undefined : groups.get(groupId(p.key));
    if (p.key !== null && g === undefined) unseen = true;
    if (g === undefined || p.value === null) {
      for (const c of columns) {
        p.row.set(c.isOutlier, null);
        p.row.set(c.ranges, null);
      }
      if (s.showDensity) p.row.set(densityColumn, null);
      continue;
    }
    if (g.ranges.length === 0) {
      g.ranges = s.thresholds.map((t) => g.dist.ranges(t));
      g.texts = g.ranges.map((rs) => rs.map((r) => rangeText(r, model.featureInteger)));
    }
    columns.forEach((c, i) => {
      p.row.set(c.isOutlier, isOutlierIn(g.ranges[i]!, p.value!) ? 1 : 0);
      p.row.set(c.ranges, g.texts[i]!);
    });
    if (s.showDensity) p.row.set(densityColumn, pyFloat(g.dist.pdf(p.value)));
    if (s.showOptions) p.row.set('_Options', optionsText);
  }
  if (unseen) warn('Some of the data groups do not have a distribution in the model');
}

/** `summary <model>`: one row per group, by-fields first (MLTK.md §3.8). */
export function summaryRows(model: DensityModel): Row[] {
  return model.groups.map((g) => {
    const fields: [string, string | number][] = model.by.map((b, i) => [b, groupValueCell(g.key[i]!)]);
    const dist = distFromParams(g.dist, g.params);
    const label = DIST_LABELS[g.dist];
    const minMax = (x: number): string | number => (model.featureInteger && Number.isInteger(x) ? x : pyNumber(x, false));
    fields.push(
      ['type', g.auto ? `Auto: ${label}` : label],
      ['min', minMax(g.min)],
      ['max', minMax(g.max)],
      ['mean', pyFloat(dist.summaryMean())],
      ['std', pyFloat(dist.summaryStd())],
      ['cardinality', g.cardinality],
      ['distance', `metric: ${model.metric}, distance: ${pyFloat(g.distance)}`],
      ['other', dist.other()],
    );
    return new Row(null, fields);
  });
}
