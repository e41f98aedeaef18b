/**
 * Everything one run of a compiled plan needs and the plan itself must not hold: the clock, the
 * time range, where the data and the state live, and where warnings go. A plan is compiled once;
 * every run (each schedule tick, each worker) gets its own RunContext.
 */
import type { FieldModel } from '../cloudtrail/index.js';
import type { IssueKind, ReadOptions, SourceIssue } from '../sources/types.js';
import { emptyIssueCounts } from '../sources/issues.js';
import type { LookupTable, WritableTable } from '../state/table.js';
import type { ModelRecord, ModelWrite } from '../state/models.js';

/** The limits Splunk applies to subsearches (SPL.md §2.8, §5 join). */
export interface RunLimits {
  /** Rows a subsearch used as a search filter may return before truncation (Splunk: 10 000). */
  subsearchRows: number;
  /** Rows a join/append subsearch may return (Splunk: 50 000). */
  joinRows: number;
  /** lookup max_matches default (SPL.md §7.4). */
  lookupMaxMatches: number;
}

export const DEFAULT_LIMITS: RunLimits = { subsearchRows: 10_000, joinRows: 50_000, lookupMaxMatches: 1000 };

/** Collects warnings once each (a missing lookup is reported once, not per row). */
export class Warnings {
  private readonly seen = new Set<string>();
  readonly messages: string[] = [];
  constructor(private readonly sink?: (msg: string) => void) {}
  add(msg: string): void {
    if (this.seen.has(msg)) return;
    this.seen.add(msg);
    this.messages.push(msg);
    this.sink?.(msg);
  }
}

/** Bytes/files progress of a scan, for the CLI's progress line. */
export interface ScanProgress {
  onBatch?(info: { events: number; source: string; line: number; byte: number }): void;
}

/**
 * The lookup store as the engine uses it (implemented by src/state's LookupStore; see
 * engine/lookups.ts for the adapter).
 */
export interface LookupAccess {
  /** The table, or null when no such lookup exists. */
  read(name: string): LookupTable | null | Promise<LookupTable | null>;
  /** Replace (or append to) the table's rows atomically. */
  write(name: string, table: WritableTable, opts: { append: boolean }): void | Promise<void>;
}

/**
 * The model store as `fit`/`apply`/`summary` use it (src/state's ModelStore, or MemoryModels in
 * tests). An interface so a scheduler can stage writes and commit them with its findings.
 */
export interface ModelAccess {
  read(name: string): ModelRecord | undefined | Promise<ModelRecord | undefined>;
  /** Creates or replaces the model atomically. */
  write(model: ModelWrite): void | Promise<void>;
}

/** A content search that fits a model (`fit … into NAME`), for the "model missing" error. */
export interface ModelFitter {
  kind: 'baseline' | 'detection';
  name: string;
  file: string;
}

export interface RunContext {
  /** now() of the search, epoch seconds (SPL.md §6.2); constant for the run and its subsearches. */
  now: number;
  /** Time zone for snapping and strftime (IANA name, default UTC). */
  tz: string;
  /** Inclusive lower bound of the search's time range, epoch seconds; undefined = all time. */
  earliest?: number;
  /** Exclusive upper bound; undefined = no bound. */
  latest?: number;
  /** CloudTrail sources: files, directories, globs, `-`. */
  dataPaths: string[];
  fieldModel: FieldModel;
  lookups: LookupAccess;
  /** Extra security_content-style content dirs (the project's own content/ is always used). */
  contentDirs: string[];
  /** MaxMind .mmdb file for iplocation, if configured. */
  geoipFile?: string;
  limits: RunLimits;
  /** Warning sink; each distinct message is kept once. */
  warnings: Warnings;
  /**
   * Issues reported by the sources (unparsable lines, …), summarised by the CLI: the first
   * SOURCE_ISSUES_KEPT in full (hostile input can hold millions), every one in sourceIssueCounts.
   */
  sourceIssues: SourceIssue[];
  /** How many issues of each kind the sources reported (all of them, kept or not). */
  sourceIssueCounts: Record<IssueKind, number>;
  progress?: ScanProgress;
  /** Scratch space shared by the operators of one run (e.g. the opened GeoIP reader). */
  cache: Map<string, unknown>;
  /** (MLTK) Where `fit … into` writes models and `apply`/`summary` read them; unset = no store. */
  models?: ModelAccess;
  /** (MLTK) The loaded content searches that fit a model, so a missing model's error can name them. */
  modelFitters?: (model: string) => ModelFitter[];
  /** What is running (a baseline's name, a file, the search), recorded as a model's `fitted_by`. */
  searchLabel?: string;
  /** Events kept per group by stats/tstats as a finding's evidence (0 or undefined: none). */
  evidenceLimit?: number;
  /** EvalContext view: eval functions warn through this. */
  warn(msg: string): void;
  /**
   * (parallel scans, engine/parallel) Worker threads for an eligible search … | stats: undefined
   * = TRAILGUARD_THREADS or the machine's cores; 1 = always the single-thread path.
   */
  threads?: number;
  /** (parallel scans) Estimated work (NDJSON-byte equivalents) below which one thread is used (default 256 MiB). */
  parallelMinBytes?: number;
  /** Extra source options of this run's scans: a worker's byte range, the record size limit, strict. */
  sourceOptions?: Pick<ReadOptions, 'range' | 'onRange' | 'maxRecordBytes' | 'strict' | 'filesExpanded'>;
}

/** Issues kept in full per run (ctx.sourceIssues); the rest are only counted. */
export const SOURCE_ISSUES_KEPT = 1000;

/** Records one source issue in the run's counts (and in full while under the cap). */
export function noteSourceIssue(ctx: Pick<RunContext, 'sourceIssues' | 'sourceIssueCounts'>, issue: SourceIssue): void {
  ctx.sourceIssueCounts[issue.kind] = (ctx.sourceIssueCounts[issue.kind] ?? 0) + 1;
  if (ctx.sourceIssues.length < SOURCE_ISSUES_KEPT) ctx.sourceIssues.push(issue);
}

export interface RunContextInit {
  now: number;
  tz?: string;
  earliest?: number;
  latest?: number;
  dataPaths?: string[];
  fieldModel: FieldModel;
  lookups: LookupAccess;
  contentDirs?: string[];
  geoipFile?: string;
  limits?: Partial<RunLimits>;
  onWarning?: (msg: string) => void;
  progress?: ScanProgress;
  threads?: number;
  parallelMinBytes?: number;
  sourceOptions?: Pick<ReadOptions, 'range' | 'onRange' | 'maxRecordBytes' | 'strict' | 'filesExpanded'>;
  models?: ModelAccess;
  modelFitters?: (model: string) => ModelFitter[];
  searchLabel?: string;
  evidenceLimit?: number;
}

export function createRunContext(init: RunContextInit): RunContext {
  const warnings = new Warnings(init.onWarning);
  return {
    now: init.now,
    tz: init.tz ?? 'UTC',
    earliest: init.earliest,
    latest: init.latest,
    dataPaths: init.dataPaths ?? [],
    fieldModel: init.fieldModel,
    lookups: init.lookups,
    contentDirs: init.contentDirs ?? [],
    geoipFile: init.geoipFile,
    limits: { ...DEFAULT_LIMITS, ...init.limits },
    warnings,
    sourceIssues: [],
    sourceIssueCounts: emptyIssueCounts(),
    progress: init.progress,
    cache: new Map(),
    warn: (msg: string) => warnings.add(msg),
    threads: init.threads,
    parallelMinBytes: init.parallelMinBytes,
    sourceOptions: init.sourceOptions,
    models: init.models,
    modelFitters: init.modelFitters,
    searchLabel: init.searchLabel,
    evidenceLimit: init.evidenceLimit,
  };
}
