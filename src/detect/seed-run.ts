/**
 * Runs the seed detections the way their documents say to deploy them: the baselines that build
 * their "previously seen" tables first, then each detection over its scheduled window at a fixed
 * now(). Used by `trailguard demo` and by the end-to-end tests on generated data.
 */
import { loadContent, type ContentSearch } from '../content/detections.js';
import { runSearch, type EngineChoice } from '../engine/session.js';
import type { Row } from '../engine/row.js';
import { TrailguardError } from '../errors.js';
import { toText, valuesOf } from '../eval/value.js';
import { toFindings, type Finding } from './findings.js';

/**
 * The baselines the seed detections need, in order, with the window each one learns from.
 * "Create a list of approved AWS service accounts" is deliberately absent: it would allow-list
 * every identity (its exclusion list, ES's identity_lookup_expanded, does not exist here); the
 * demo installs the generator's reviewed service-account list instead, as its how_to_implement asks.
 */
export const SEED_BASELINES: { name: string; earliest: string; latest: string }[] = [
  { name: 'Previously seen API call per user roles in CloudTrail', earliest: '-30d@d', latest: '-70m@m' },
  { name: 'Previously Seen Cloud API Calls Per User Role - Initial', earliest: '-90d@d', latest: '-1d@d' },
];

export interface DetectionOutcome {
  detection: ContentSearch;
  rows: Row[];
  findings: Finding[];
  warnings: string[];
}

function byName(list: ContentSearch[], name: string): ContentSearch {
  const found = list.find((s) => s.name === name);
  if (!found) {
    throw new TrailguardError({ code: 'E_CONTENT_MISSING', phase: 'content', reason: `the seed detections need "${name}" in content/, and it is missing` });
  }
  return found;
}

/** Baselines end either with `outputlookup` (its rows pass through) or with `| stats count` of them. */
function writtenRows(rows: readonly Row[]): number {
  const only = rows.length === 1 ? rows[0]!.fieldNames() : [];
  return only.length === 1 && only[0] === 'count' ? Number(toText(valuesOf(rows[0]!.get('count'))[0] ?? 0)) : rows.length;
}

export interface SeedRunOptions {
  dataPaths: string[];
  stateDir: string;
  /** now() of every search, epoch seconds. */
  now: number;
  contentDirs?: string[];
  onWarning?: (msg: string) => void;
  /** Where the searches run (default in-process; duckdb/athena push their SQL part, src/sql). */
  engine?: EngineChoice;
}

export interface BaselineOutcome {
  baseline: ContentSearch;
  earliest: string;
  latest: string;
  writtenRows: number;
}

export async function runSeedDetections(opts: SeedRunOptions): Promise<{ baselines: BaselineOutcome[]; detections: DetectionOutcome[] }> {
  const content = loadContent(opts.contentDirs ?? []);
  const setup = { dataPaths: opts.dataPaths, stateDir: opts.stateDir, now: opts.now, contentDirs: opts.contentDirs, engine: opts.engine };
  const baselines: BaselineOutcome[] = [];
  for (const b of SEED_BASELINES) {
    const baseline = byName(content.baselines, b.name);
    const { rows } = await runSearch(baseline.search, { ...setup, earliest: b.earliest, latest: b.latest, file: baseline.file, onWarning: opts.onWarning });
    baselines.push({ baseline, earliest: b.earliest, latest: b.latest, writtenRows: writtenRows(rows) });
  }
  const detections: DetectionOutcome[] = [];
  for (const detection of content.detections) {
    const warnings: string[] = [];
    const { rows } = await runSearch(detection.search, {
      ...setup, earliest: detection.schedule.earliest, latest: detection.schedule.latest, file: detection.file,
      onWarning: (m) => warnings.push(m),
    });
    detections.push({ detection, rows, findings: toFindings(detection, rows, opts.now), warnings });
  }
  return { baselines, detections };
}
