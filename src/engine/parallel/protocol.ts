/** Messages between the main thread and the scan workers (structured-clone data only). */
import type { Pipeline, TstatsCommand } from '../../spl/ast.js';
import type { ErrorDetails } from '../../errors.js';
import type { SourceIssue } from '../../sources/types.js';
import type { RunLimits } from '../context.js';
import type { GroupTableState } from '../aggregation.js';

/** One worker's share of the input: whole files, or one byte range of one NDJSON file. */
export interface Share {
  files: string[];
  range?: { start: number; end: number };
}

/**
 * What a worker computes on its share: the stats of a pipeline's streaming head (its commands up
 * to and including the stats, macros expanded), or a tstats data model scan (its where clause
 * with subsearches already resolved).
 */
export type ScanJob =
  | { kind: 'head'; head: Pipeline; statsIndex: number }
  | { kind: 'tstats'; command: TstatsCommand };

/** workerData of a scan worker. */
export interface WorkerTask {
  job: ScanJob;
  now: number;
  tz: string;
  earliest?: number;
  latest?: number;
  contentDirs: string[];
  limits: RunLimits;
  share: Share;
  /** The field model's parsed files (cloudtrail/model parsedModelFiles), so workers skip the YAML. */
  modelFiles?: Record<string, unknown>;
  /** The run's record size limit and strictness (ReadOptions). */
  maxRecordBytes?: number;
  strict?: boolean;
  /** Events kept per group as evidence (RunContext.evidenceLimit). */
  evidenceLimit?: number;
}

export type WorkerMessage =
  /** A worker started ahead (standby.ts) has its task: from here on its failures are the scan's. */
  | { type: 'taken' }
  | { type: 'progress'; events: number; source: string; line: number; byte: number }
  | {
      type: 'done';
      groups: GroupTableState;
      warnings: string[];
      /** The first issues in full, and how many of each kind there were. */
      issues: SourceIssue[];
      issueCounts: Record<string, number>;
      /** Newlines read in the byte range (to turn range-relative issue lines into file lines). */
      rangeLines?: number;
    }
  | { type: 'error'; error: ErrorDetails & { located: boolean } }
  | { type: 'crash'; message: string; stack?: string };
