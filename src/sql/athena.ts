/**
 * `--engine athena`: the Trino text runs on Amazon Athena through the AWS SDK v3 Athena client
 * (StartQueryExecution, GetQueryExecution polled with backoff, paginated GetQueryResults,
 * StopQueryExecution on Ctrl-C or abort). Credentials come from the SDK's standard provider chain;
 * `endpoint` overrides the service URL (tests run a local stub of the Athena JSON protocol).
 */
import {
  AthenaClient, GetQueryExecutionCommand, GetQueryResultsCommand, StartQueryExecutionCommand, StopQueryExecutionCommand,
  type AthenaClientConfig,
} from '@aws-sdk/client-athena';
import { TrailguardError } from '../errors.js';
import type { RunContext } from '../engine/context.js';
import type { SqlPlan } from './planner.js';
import type { Profile } from './profile.js';
import { quoteId, type DialectName } from './render.js';
import type { Backend } from './backend.js';

/**
 * Where and how Athena runs the query. Every field can come from flags or the environment now,
 * and from `trailguard.yml` once its loader exists (same names, under `athena:`).
 */
export interface AthenaOptions {
  /** AWS region (default: AWS_REGION / the SDK's chain). */
  region?: string;
  /** Service endpoint override (e.g. http://127.0.0.1:PORT for a local stub). */
  endpoint?: string;
  workgroup?: string;
  /** Glue data catalog (default AwsDataCatalog). */
  catalog?: string;
  database?: string;
  /** Table name (default: the profile's). */
  table?: string;
  /** s3://bucket/prefix/ for query results (optional when the workgroup sets one). */
  outputLocation?: string;
  /** First poll delay, ms (default 250); doubles up to pollMaxMs (default 5000). */
  pollInitialMs?: number;
  pollMaxMs?: number;
  /** Give up (and stop the query) after this many ms (default: no limit). */
  timeoutMs?: number;
  /** Aborts a running query (StopQueryExecution is sent). Ctrl-C does the same. */
  signal?: AbortSignal;
  /** Extra SDK client settings (tests: credentials, maxAttempts). */
  client?: Partial<AthenaClientConfig>;
}

/** The options from the environment (TRAILGUARD_ATHENA_*), flags override them. */
export function athenaOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): AthenaOptions {
  const o: AthenaOptions = {};
  if (env.TRAILGUARD_ATHENA_WORKGROUP) o.workgroup = env.TRAILGUARD_ATHENA_WORKGROUP;
  if (env.TRAILGUARD_ATHENA_DATABASE) o.database = env.TRAILGUARD_ATHENA_DATABASE;
  if (env.TRAILGUARD_ATHENA_TABLE) o.table = env.TRAILGUARD_ATHENA_TABLE;
  if (env.TRAILGUARD_ATHENA_OUTPUT) o.outputLocation = env.TRAILGUARD_ATHENA_OUTPUT;
  if (env.TRAILGUARD_ATHENA_CATALOG) o.catalog = env.TRAILGUARD_ATHENA_CATALOG;
  if (env.TRAILGUARD_ATHENA_ENDPOINT) o.endpoint = env.TRAILGUARD_ATHENA_ENDPOINT;
  return o;
}

function athenaError(reason: string, hints: string[] = []): TrailguardError {
  return new TrailguardError({ code: 'E_ATHENA', phase: 'runtime', reason, hints });
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const wake = () => {
      clearTimeout(t);
      resolve();
    };
    const t = setTimeout(() => {
      signal.removeEventListener('abort', wake);
      resolve();
    }, ms);
    signal.addEventListener('abort', wake, { once: true });
  });

export interface AthenaRun {
  id: string;
  columns: string[];
  types: string[];
  rows: (string | null)[][];
  /** Bytes Athena scanned (billing). */
  scannedBytes?: number;
}

/** One query on Athena, start to last page. */
export async function runAthenaQuery(client: AthenaClient, sql: string, o: AthenaOptions): Promise<AthenaRun> {
  if (o.signal?.aborted) throw athenaError('the Athena query was cancelled before it started');
  const start = await client.send(new StartQueryExecutionCommand({
    QueryString: sql,
    WorkGroup: o.workgroup,
    QueryExecutionContext: o.database || o.catalog ? { Database: o.database, Catalog: o.catalog } : undefined,
    ResultConfiguration: o.outputLocation ? { OutputLocation: o.outputLocation } : undefined,
  }));
  const id = start.QueryExecutionId;
  if (!id) throw athenaError('Athena did not return a query execution id');

  const controller = new AbortController();
  const onAbort = () => controller.abort();
  o.signal?.addEventListener('abort', onAbort, { once: true });
  // Aborted before the listener existed (while the query was being started).
  if (o.signal?.aborted) controller.abort();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  const stop = async (why: string): Promise<never> => {
    try {
      await client.send(new StopQueryExecutionCommand({ QueryExecutionId: id }));
    } catch {
      // the query may have finished meanwhile; the error below says what happened
    }
    throw athenaError(`Athena query ${id} ${why}; it was stopped (StopQueryExecution)`);
  };
  try {
    let delay = o.pollInitialMs ?? 250;
    const max = o.pollMaxMs ?? 5000;
    const deadline = o.timeoutMs === undefined ? Infinity : Date.now() + o.timeoutMs;
    let scannedBytes: number | undefined;
    for (;;) {
      if (controller.signal.aborted) return await stop('was cancelled');
      if (Date.now() > deadline) return await stop(`ran longer than ${o.timeoutMs} ms`);
      const q = await client.send(new GetQueryExecutionCommand({ QueryExecutionId: id }));
      const state = q.QueryExecution?.Status?.State;
      scannedBytes = q.QueryExecution?.Statistics?.DataScannedInBytes ?? scannedBytes;
      if (state === 'SUCCEEDED') break;
      if (state === 'FAILED' || state === 'CANCELLED') {
        const reason = q.QueryExecution?.Status?.StateChangeReason ?? q.QueryExecution?.Status?.AthenaError?.ErrorMessage ?? 'no reason given';
        throw athenaError(`Athena query ${id} ${state === 'FAILED' ? 'failed' : 'was cancelled'}: ${reason}`, ['`trailguard sql … --dialect trino` prints the statement that was sent']);
      }
      await sleep(delay, controller.signal);
      delay = Math.min(max, delay * 2);
    }
    const rows: (string | null)[][] = [];
    let columns: string[] = [];
    let types: string[] = [];
    let token: string | undefined;
    let firstPage = true;
    do {
      if (controller.signal.aborted) return await stop('was cancelled');
      const page = await client.send(new GetQueryResultsCommand({ QueryExecutionId: id, NextToken: token }));
      const info = page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? [];
      if (firstPage) {
        columns = info.map((c) => c.Name ?? '');
        types = info.map((c) => c.Type ?? 'varchar');
      }
      const data = page.ResultSet?.Rows ?? [];
      data.forEach((r, i) => {
        // The first row of the first page repeats the column names (SELECT results).
        if (firstPage && i === 0) return;
        rows.push((r.Data ?? []).map((d) => (d.VarCharValue === undefined ? null : d.VarCharValue)));
      });
      firstPage = false;
      token = page.NextToken;
    } while (token);
    return { id, columns, types, rows, scannedBytes };
  } finally {
    o.signal?.removeEventListener('abort', onAbort);
    process.removeListener('SIGINT', onSigint);
  }
}

export function athenaClient(o: AthenaOptions): AthenaClient {
  return new AthenaClient({ ...(o.region ? { region: o.region } : {}), ...(o.endpoint ? { endpoint: o.endpoint } : {}), ...o.client });
}

export class AthenaBackend implements Backend {
  dialect: DialectName = 'trino';
  local = false;
  source: string;
  private client: AthenaClient | null = null;
  /** Query ids and scanned bytes of this run (for reports and cost estimates). */
  readonly runs: { id: string; scannedBytes?: number }[] = [];

  constructor(
    readonly profile: Profile,
    private readonly o: AthenaOptions,
  ) {
    const table = o.table ?? profile.table;
    this.source = o.database ? `${quoteId(o.database)}.${quoteId(table)}` : quoteId(table);
  }

  async prepare(_plan: SqlPlan, _ctx: RunContext): Promise<void> {
    this.client ??= athenaClient(this.o);
  }

  /** Arrays come back as JSON text (Athena renders arrays as `[a, b]`, which is ambiguous). */
  readonly jsonArrays = true;

  async run(sql: string): Promise<unknown[][]> {
    const r = await runAthenaQuery(this.client!, sql, this.o);
    this.runs.push({ id: r.id, scannedBytes: r.scannedBytes });
    return r.rows.map((row) => row.map((v, i) => (v === null ? null : /^(double|real|bigint|integer|smallint|tinyint|decimal)/.test(r.types[i] ?? '') ? Number(v) : v)));
  }

  close(): void {
    this.client?.destroy();
    this.client = null;
  }
}

