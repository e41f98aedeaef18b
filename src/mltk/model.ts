/**
 * The DensityFunction model document: what `fit … into NAME` stores and `apply`/`summary` read
 * (MLTK.md §3.6). It is versioned JSON; `parseDensityModel` checks a stored document before use so a
 * damaged or foreign model gives a clear error instead of wrong numbers.
 */
import { TrailguardError } from '../errors.js';
import { DIST_NAMES, type DistName, type Metric, type Threshold } from './dists/index.js';
import type { ByType, GroupValue } from './prepare.js';

export const DENSITY_MODEL_FORMAT = 1;
export const DENSITY_ALGORITHM = 'DensityFunction';

export interface GroupModel {
  /** The by-values (canonical: integers as numbers, booleans as booleans). */
  key: GroupValue[];
  dist: DistName;
  /** True when dist=auto chose this distribution (summary shows `Auto: <Name>`). */
  auto: boolean;
  params: Record<string, unknown>;
  min: number;
  max: number;
  /** Training rows of the group (all of them, even when a KDE used a subsample). */
  cardinality: number;
  distance: number;
}

export interface DensityModel {
  format: number;
  algorithm: typeof DENSITY_ALGORITHM;
  feature: string;
  /** The training feature column held only integers (prints `2`, not `2.0`). */
  featureInteger: boolean;
  by: string[];
  byTypes: ByType[];
  dist: DistName | 'auto';
  metric: Metric;
  thresholds: Threshold[];
  showDensity: boolean;
  showOptions: boolean;
  /** The parameters as written at fit, for `_Options`. */
  options: Record<string, string>;
  groups: GroupModel[];
}

function damaged(name: string, why: string): TrailguardError {
  return new TrailguardError({
    code: 'E_MODEL_INVALID', phase: 'state', reason: `model "${name}" cannot be read: ${why}`,
    hints: [`fit it again (fit … into ${name}), or remove it with \`trailguard models rm ${name}\``],
  });
}

/** Checks a stored document and returns it typed. */
export function parseDensityModel(name: string, doc: unknown): DensityModel {
  if (doc === null || typeof doc !== 'object') throw damaged(name, 'the document is not a JSON object');
  const d = doc as Partial<DensityModel>;
  if (d.algorithm !== DENSITY_ALGORITHM) throw damaged(name, `it is a ${String(d.algorithm)} model, and Trailguard applies only DensityFunction models`);
  if (d.format !== DENSITY_MODEL_FORMAT) throw damaged(name, `its format version ${String(d.format)} is not one this Trailguard reads (${DENSITY_MODEL_FORMAT})`);
  if (typeof d.feature !== 'string' || !Array.isArray(d.by) || !Array.isArray(d.groups) || !Array.isArray(d.thresholds)) throw damaged(name, 'fields are missing');
  for (const g of d.groups) {
    if (!Array.isArray(g.key) || g.key.length !== d.by.length || !DIST_NAMES.includes(g.dist) || typeof g.params !== 'object') throw damaged(name, 'a group is malformed');
  }
  return d as DensityModel;
}
