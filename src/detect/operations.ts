/**
 * The operations users run: build baselines, run detections. `trailguard baseline`/`detect`, the
 * demo, `trailguard test` and the `run` service all call these.
 */
import { distance } from 'fastest-levenshtein';
import { basename } from 'node:path';
import type { Content } from '../content/load.js';
import type { ContentSearch } from '../content/model.js';
import { baselinesFor, orderBaselines } from '../content/dependencies.js';
import { TrailguardError, TrailguardErrors } from '../errors.js';
import { runBaseline, runDetection, type BaselineOutcome, type DetectionOutcome, type RunEnvironment } from './runner.js';

function notFound(content: Content, ref: string, what: string): TrailguardError {
  const all = content.all();
  const near = all
    .map((s) => ({ s, d: distance(s.name.toLowerCase(), ref.toLowerCase()) }))
    .filter((x) => x.d <= Math.max(3, Math.floor(ref.length / 4)))
    .sort((a, b) => a.d - b.d)
    .slice(0, 3)
    .map((x) => `"${x.s.name}"`);
  const broken = [...content.brokenSearchFiles.keys()].filter((f) => basename(f).replace(/\.ya?ml$/i, '').toLowerCase() === ref.toLowerCase().replace(/\s+/g, '_'));
  const hints: string[] = [];
  if (broken.length > 0) hints.push(`${broken[0]} could not be read; \`trailguard validate\` says why`);
  if (near.length > 0) hints.push(`did you mean ${near.join(', ')}?`);
  hints.push('`trailguard validate` lists every detection and baseline with its id');
  return new TrailguardError({ code: 'E_UNKNOWN_SEARCH', phase: 'usage', reason: `no ${what} named or with id "${ref}"`, hints });
}

/** The detections to run: the named ones, or every enabled one. */
export function selectDetections(content: Content, refs: readonly string[]): ContentSearch[] {
  if (refs.length === 0) return content.detections.filter((d) => d.enabled);
  return refs.map((r) => {
    const d = content.find(r, 'detection');
    if (d) return d;
    if (content.find(r, 'baseline')) usageError(`"${r}" is a baseline; build it with \`trailguard baseline\``);
    throw notFound(content, r, 'detection');
  });
}

function usageError(reason: string): never {
  throw new TrailguardError({ code: 'E_USAGE', phase: 'usage', reason });
}

/**
 * The baselines to run, in dependency order: the named baselines, plus every baseline a named
 * detection needs; with no names, every baseline the enabled detections need. Baselines marked
 * `run: manual` (they write a list people review) run only when named themselves.
 */
export function selectBaselines(content: Content, refs: readonly string[]): ContentSearch[] {
  const chosen = new Set<ContentSearch>();
  const forDetection = (d: ContentSearch) => {
    for (const b of baselinesFor(content, d)) if (b.runMode !== 'manual') chosen.add(b);
  };
  if (refs.length === 0) {
    for (const d of content.detections) if (d.enabled) forDetection(d);
  } else {
    for (const r of refs) {
      const b = content.find(r, 'baseline');
      if (b) {
        chosen.add(b);
        continue;
      }
      const d = content.find(r, 'detection');
      if (!d) throw notFound(content, r, 'baseline or detection');
      forDetection(d);
    }
  }
  return orderBaselines(content, [...chosen]);
}

export async function runBaselines(env: RunEnvironment, list: readonly ContentSearch[], onDone?: (o: BaselineOutcome) => void): Promise<BaselineOutcome[]> {
  const out: BaselineOutcome[] = [];
  for (const b of list) {
    const o = await runBaseline(b, env);
    onDone?.(o);
    out.push(o);
  }
  return out;
}

export interface DetectReport {
  outcomes: DetectionOutcome[];
  /** Detections that could not run (unsupported SPL, a missing baseline, a run-time error). */
  failures: { detection: ContentSearch; error: TrailguardError | TrailguardErrors | Error }[];
  /** Enabled detections not run because their SPL is not supported (only when none were named). */
  unsupported: { detection: ContentSearch; error: TrailguardError | TrailguardErrors }[];
}

/**
 * Runs detections one after another; one that fails does not stop the others. With no names,
 * enabled detections whose SPL Trailguard cannot compile are set aside as unsupported.
 */
export async function runDetections(env: RunEnvironment, list: readonly ContentSearch[], named: boolean, onDone?: (o: DetectionOutcome) => void): Promise<DetectReport> {
  const report: DetectReport = { outcomes: [], failures: [], unsupported: [] };
  for (const d of list) {
    const compiled = env.content.tryCompile(d);
    if (!compiled.ok) {
      if (named) report.failures.push({ detection: d, error: compiled.error });
      else report.unsupported.push({ detection: d, error: compiled.error });
      continue;
    }
    try {
      const o = await runDetection(d, env);
      onDone?.(o);
      report.outcomes.push(o);
    } catch (err) {
      if (!(err instanceof Error)) throw err;
      if (!(err instanceof TrailguardError) && !(err instanceof TrailguardErrors)) throw err;
      report.failures.push({ detection: d, error: err });
    }
  }
  return report;
}
