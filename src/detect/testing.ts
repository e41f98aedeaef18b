/**
 * Content tests (`trailguard test`): each test of a detection runs in its own temporary state
 * directory, on its own data, through the same operations `trailguard baseline` and `detect` use
 * (selectBaselines for the detection → runBaselines → runDetections), so a test never touches the
 * user's state and tests what a user would run.
 *
 * Verdicts, like Splunk's content tests plus what those cannot express:
 * - `expect: some` (the default, Splunk's rule): at least one result with every risk-object field
 *   of the detection present;
 * - `expect: none`: no result;
 * - `expect: N` / `{ count: N }`: exactly N results, each with every risk-object field.
 * A test whose dataset is unavailable (an attack_data URL with no local copy, another sourcetype)
 * is skipped with the reason, never passed. Baselines the detection needs run first over the
 * test's own data unless the test says `baselines: false`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Content } from '../content/load.js';
import type { ContentSearch, ContentTest, TestExpectation } from '../content/model.js';
import { rowKeyFields } from '../content/analysis.js';
import type { Row } from '../engine/row.js';
import { renderError, TrailguardError, TrailguardErrors } from '../errors.js';
import { displayText } from '../eval/value.js';
import { StateStore } from '../state/index.js';
import { runBaselines, runDetections, selectBaselines } from './operations.js';
import type { RunEnvironment } from './runner.js';
import { locateDataset, prepareData } from './test-data.js';

export type TestVerdict = 'pass' | 'fail' | 'skip';

export interface TestResult {
  detection: ContentSearch;
  test: ContentTest;
  verdict: TestVerdict;
  /** Why it failed or was skipped; for a pass, what it found. */
  reason: string;
  durationMs: number;
  /** Result rows of the detection (null when it did not run). */
  rows: number | null;
  /** now() of the run, epoch seconds (null when it did not run). */
  now: number | null;
  shiftSeconds: number | null;
  warnings: string[];
  /** The test's directory (data/ and state/), when kept. */
  dir?: string;
}

export interface TestOptions {
  /** Keep each test's temporary directory (data and state) instead of removing it. */
  keep?: boolean;
  tz?: string;
  threads?: number;
  /** Parent of the temporary directories (default: the OS temp directory). */
  tmpRoot?: string;
}

/** The detections' tests, in content order: with refs, the named detections only. */
export function testCases(detections: readonly ContentSearch[]): { detection: ContentSearch; test: ContentTest }[] {
  return detections.flatMap((detection) => detection.tests.map((test) => ({ detection, test })));
}

function errorText(err: unknown): string {
  if (err instanceof TrailguardErrors) return err.errors.map(renderError).join('\n');
  if (err instanceof TrailguardError) return renderError(err);
  return err instanceof Error ? err.message : String(err);
}

function describeRows(rows: readonly Row[], keyFields: readonly string[] | null, limit = 3): string {
  const shown = rows.slice(0, limit).map((r) => {
    const names = keyFields ?? r.fieldNames().filter((n) => !n.startsWith('_')).slice(0, 4);
    return names.map((n) => `${n}=${displayText(r.get(n), ',')}`).join(' ');
  });
  return shown.join('; ') + (rows.length > limit ? `; … ${rows.length - limit} more` : '');
}

/** Pass or fail for the rows a detection returned, and why. */
export function judge(expect: TestExpectation, rows: readonly Row[], riskFields: readonly string[], keyFields: readonly string[] | null): { pass: boolean; reason: string } {
  const missing = (r: Row) => riskFields.filter((f) => r.get(f) === null);
  const complete = rows.filter((r) => missing(r).length === 0);
  const n = rows.length;
  const found = n === 0 ? 'no result' : `${n} result(s): ${describeRows(rows, keyFields)}`;
  switch (expect.kind) {
    case 'some':
      if (complete.length > 0) return { pass: true, reason: found };
      if (n === 0) return { pass: false, reason: 'expected at least one result, got none' };
      return { pass: false, reason: `expected a result with every risk-object field (${riskFields.join(', ')}); ${found}, each missing ${missing(rows[0]!).join(', ')}` };
    case 'none':
      return n === 0 ? { pass: true, reason: 'no result, as expected' } : { pass: false, reason: `expected no result, got ${found}` };
    case 'count':
      if (n !== expect.count) return { pass: false, reason: `expected ${expect.count} result(s), got ${found}` };
      if (complete.length !== n) return { pass: false, reason: `${found}; ${n - complete.length} without every risk-object field (${riskFields.join(', ')})` };
      return { pass: true, reason: found };
  }
}

/** Runs one test of one detection in a fresh temporary directory. */
export async function runContentTest(content: Content, detection: ContentSearch, test: ContentTest, opts: TestOptions = {}): Promise<TestResult> {
  const started = Date.now();
  const base = { detection, test, rows: null, now: null, shiftSeconds: null, warnings: [] as string[] };
  const done = (verdict: TestVerdict, reason: string, extra: Partial<TestResult> = {}): TestResult => ({ ...base, verdict, reason, durationMs: Date.now() - started, ...extra });

  if (test.datasets.length === 0) return done('skip', 'the test names no attack_data');
  const found: { ref: (typeof test.datasets)[number]; path: string }[] = [];
  for (const ref of test.datasets) {
    const loc = locateDataset(ref, test, content.dirs);
    if (loc.kind === 'unavailable') return done('skip', loc.reason);
    if (loc.kind === 'missing') return done('fail', loc.reason);
    found.push(loc);
  }
  const compiled = content.tryCompile(detection);
  if (!compiled.ok) return done('fail', `the detection does not compile:\n${errorText(compiled.error)}`);

  const dir = mkdtempSync(join(opts.tmpRoot ?? tmpdir(), 'trailguard-test-'));
  const kept = opts.keep ? { dir } : {};
  try {
    const data = await prepareData(detection, test, found, dir, opts.tz);
    const state = new StateStore({ stateDir: join(dir, 'state'), contentDirs: [...content.dirs], includeProjectContent: false, definitions: content.lookups });
    const warnings: string[] = [];
    try {
      const env: RunEnvironment = {
        content, state, dataPaths: [data.dataDir], now: data.now, tz: opts.tz, threads: opts.threads,
        onWarning: (s, m) => warnings.push(`[${s.name}] ${m}`),
      };
      if (test.baselines) await runBaselines(env, selectBaselines(content, [detection.id]));
      const report = await runDetections(env, [detection], true);
      const ran = { now: data.now, shiftSeconds: data.shiftSeconds, warnings, ...kept };
      const failure = report.failures[0];
      if (failure) return done('fail', `the detection failed:\n${errorText(failure.error)}`, ran);
      const rows = report.outcomes[0]?.rows ?? [];
      const verdict = judge(test.expect, rows, detection.riskObjects.map((o) => o.field), rowKeyFields(compiled.compiled.pipeline));
      return done(verdict.pass ? 'pass' : 'fail', verdict.reason, { ...ran, rows: rows.length });
    } finally {
      state.close();
    }
  } catch (err) {
    if (!(err instanceof TrailguardError) && !(err instanceof TrailguardErrors)) throw err;
    return done('fail', errorText(err), kept);
  } finally {
    if (!opts.keep) rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs tests one after another; `onResult` sees each as it finishes. */
export async function runContentTests(content: Content, list: readonly { detection: ContentSearch; test: ContentTest }[], opts: TestOptions = {}, onResult?: (r: TestResult) => void): Promise<TestResult[]> {
  const out: TestResult[] = [];
  for (const { detection, test } of list) {
    const r = await runContentTest(content, detection, test, opts);
    onResult?.(r);
    out.push(r);
  }
  return out;
}
