/**
 * Runs one baseline or one detection the way a scheduler would: over its own window relative to
 * the run's now(), with every lookup write staged, and then — in one state-database transaction —
 * the lookup writes, the findings (new ones only: a finding already stored for this window, or
 * raised within the suppression period, is not stored again) and the run record.
 *
 * `trailguard baseline`, `detect`, `test`, `demo` and the `run` service all come through here.
 */
import type { Content } from '../content/load.js';
import type { ContentSearch } from '../content/model.js';
import { baselinesFor, sharedTables } from '../content/dependencies.js';
import { rowKeyFields } from '../content/analysis.js';
import type { ScanProgress } from '../engine/context.js';
import type { Row } from '../engine/row.js';
import { parseBound, runCompiled, type SearchSetup } from '../engine/session.js';
import { TrailguardError } from '../errors.js';
import type { SourceIssue } from '../sources/types.js';
import { StagedLookups, StagedModels } from '../state/staged.js';
import { modelFitterLookup } from '../content/models.js';
import type { FindingStatus, StoredFinding } from '../state/findings.js';
import type { StateStore } from '../state/store.js';
import { buildFindings } from './findings.js';
import { faultPoint } from '../state/faults.js';
import type Database from 'better-sqlite3';

export interface RunEnvironment {
  content: Content;
  state: StateStore;
  dataPaths: string[];
  /** now() of the run, epoch seconds. */
  now: number;
  tz?: string;
  threads?: number;
  geoipFile?: string;
  progress?: ScanProgress;
  /** Extra search settings every search of the run gets (source limits, engine). */
  setup?: Partial<SearchSetup>;
  onWarning?: (search: ContentSearch, msg: string) => void;
}

export interface RunWindow {
  /** Epoch seconds; `latest` is exclusive. */
  earliest: number;
  latest: number;
  earliestText: string;
  latestText: string;
}

export function windowOf(s: ContentSearch, now: number, tz = 'UTC'): RunWindow {
  const earliest = parseBound('earliest', s.schedule.earliest, now, tz)!;
  const latest = parseBound('latest', s.schedule.latest, now, tz)!;
  return { earliest, latest, earliestText: s.schedule.earliest, latestText: s.schedule.latest };
}

interface SearchRun {
  rows: Row[];
  warnings: string[];
  sourceIssues: SourceIssue[];
  staged: StagedLookups;
  models: StagedModels;
  window: RunWindow;
  started: number;
  /** Events the scan delivered to the pipeline (after time pruning). */
  eventsScanned: number;
}

async function execute(s: ContentSearch, env: RunEnvironment): Promise<SearchRun> {
  const compiled = env.content.compile(s);
  const window = windowOf(s, env.now, env.tz);
  const staged = new StagedLookups(env.state.lookups);
  const models = new StagedModels(env.state.models);
  const warnings: string[] = [];
  const started = Date.now();
  let eventsScanned = 0;
  const progress: ScanProgress = {
    onBatch: (info) => {
      eventsScanned += info.events;
      env.progress?.onBatch?.(info);
    },
  };
  const result = await runCompiled(compiled, {
    ...env.setup,
    dataPaths: env.dataPaths,
    now: env.now,
    tz: env.tz,
    earliest: String(window.earliest),
    latest: String(window.latest),
    contentDirs: [...env.content.dirs],
    lookups: staged,
    models,
    modelFitters: modelFitterLookup(env.content),
    searchLabel: `${s.kind} "${s.name}"`,
    evidenceLimit: s.kind === 'detection' ? s.evidenceLimit : 0,
    threads: env.threads,
    geoipFile: env.geoipFile,
    progress,
    onWarning: (m) => {
      warnings.push(m);
      env.onWarning?.(s, m);
    },
  });
  return { rows: result.rows, warnings, sourceIssues: result.ctx.sourceIssues, staged, models, window, started, eventsScanned };
}

export interface BaselineOutcome {
  baseline: ContentSearch;
  window: RunWindow;
  /** Rows in each table the baseline wrote, by lookup name. */
  tables: Map<string, number>;
  warnings: string[];
  sourceIssues: SourceIssue[];
  durationMs: number;
  eventsScanned: number;
}

/** Extra writes a caller (the service's ledger) commits in the run's transaction. */
export interface CommitHooks {
  onCommit?: (db: Database.Database, summary: { window: RunWindow; rows: number; newFindingIds: string[] }) => void;
}

export async function runBaseline(b: ContentSearch, env: RunEnvironment, hooks: CommitHooks = {}): Promise<BaselineOutcome> {
  const run = await execute(b, env);
  faultPoint('before-commit');
  env.state.transaction((db) => {
    run.staged.applyIn(db);
    run.models.applyIn(db);
    faultPoint('in-commit');
    hooks.onCommit?.(db, { window: run.window, rows: run.rows.length, newFindingIds: [] });
    env.state.recordRun({ name: b.name, started: run.started / 1000, finished: Date.now() / 1000, earliest: run.window.earliest, latest: run.window.latest, status: 'ok', rows: run.rows.length });
  });
  return { baseline: b, window: run.window, tables: run.staged.writtenRows(), warnings: run.warnings, sourceIssues: run.sourceIssues, durationMs: Date.now() - run.started, eventsScanned: run.eventsScanned };
}

export interface DetectionOutcome {
  detection: ContentSearch;
  window: RunWindow;
  rows: Row[];
  findings: { finding: StoredFinding; status: FindingStatus }[];
  warnings: string[];
  sourceIssues: SourceIssue[];
  durationMs: number;
  eventsScanned: number;
}

/**
 * Refuses to run a detection whose baseline never ran in this state directory: it would compare
 * the window with an empty history and report everything as new.
 */
export function checkBaselinesBuilt(d: ContentSearch, env: Pick<RunEnvironment, 'content' | 'state'>): void {
  for (const b of baselinesFor(env.content, d)) {
    for (const table of sharedTables(env.content, b, d)) {
      if (env.state.lookups.exists(table)) continue;
      throw new TrailguardError({
        code: 'E_BASELINE_MISSING',
        phase: 'runtime',
        reason: `detection "${d.name}" reads the table \`${table}\`, which its baseline "${b.name}" builds, and that baseline has not been run in ${env.state.stateDir}`,
        hints: [
          `run \`trailguard baseline "${d.name}" --data … --state ${env.state.stateDir}\` first (it runs every baseline this detection needs), with the same --data and --now`,
        ],
      });
    }
  }
}

export async function runDetection(d: ContentSearch, env: RunEnvironment, hooks: CommitHooks = {}): Promise<DetectionOutcome> {
  checkBaselinesBuilt(d, env);
  const run = await execute(d, env);
  const keyFields = rowKeyFields(env.content.compile(d).pipeline);
  const built = buildFindings(d, run.rows, { now: env.now, earliest: run.window.earliest, latest: run.window.latest }, keyFields);
  const suppress = d.suppressSeconds ?? run.window.latest - run.window.earliest;
  faultPoint('before-commit');
  const findings = env.state.transaction((db) => {
    run.staged.applyIn(db);
    run.models.applyIn(db);
    faultPoint('in-commit');
    const out = built.map((finding) => {
      const status = env.state.findings.classify(db, { id: finding.id, identity: finding.identity, detectionId: d.id, latest: finding.latest }, suppress);
      if (status === 'new') env.state.findings.insert(db, finding, finding.evidence);
      return { finding, status };
    });
    hooks.onCommit?.(db, { window: run.window, rows: run.rows.length, newFindingIds: out.filter((f) => f.status === 'new').map((f) => f.finding.id) });
    env.state.recordRun({ name: d.name, started: run.started / 1000, finished: Date.now() / 1000, earliest: run.window.earliest, latest: run.window.latest, status: 'ok', rows: run.rows.length });
    return out;
  });
  return { detection: d, window: run.window, rows: run.rows, findings, warnings: run.warnings, sourceIssues: run.sourceIssues, durationMs: Date.now() - run.started, eventsScanned: run.eventsScanned };
}
