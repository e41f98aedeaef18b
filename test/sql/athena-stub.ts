/**
 * A local stand-in for Amazon Athena on 127.0.0.1: enough of the Athena JSON protocol
 * (x-amz-json-1.1, X-Amz-Target: AmazonAthena.*) for StartQueryExecution, GetQueryExecution,
 * GetQueryResults (paginated) and StopQueryExecution. Queries run on DuckDB over an emulated
 * Athena CloudTrail table with the Trino shim; the few Trino-only spellings DuckDB cannot take
 * through macros (lambdas, ARRAY(...) types) are rewritten first. Knobs make queries slow, fail,
 * or page in small pages.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DuckRunner, athenaView, listDataFiles } from '../../src/sql/duckdb.js';
import { loadProfile } from '../../src/sql/profile.js';

export interface StubOptions {
  dataPaths: string[];
  profile?: string;
  /** GetQueryExecution answers RUNNING this many times before the final state (Infinity: never finishes). */
  runningPolls?: number;
  /** Rows per GetQueryResults page (the header row counts on the first page, as on Athena). */
  pageSize?: number;
}

interface Execution {
  sql: string;
  state: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';
  reason?: string;
  polls: number;
  columns: { Name: string; Type: string }[];
  rows: (string | null)[][];
}

export interface AthenaStub {
  endpoint: string;
  calls: { op: string; body: Record<string, unknown> }[];
  executions: Map<string, Execution>;
  options: StubOptions;
  close(): Promise<void>;
}

/** Index of the parenthesis closing the one at `open`. */
function closing(s: string, open: number): number {
  let depth = 0;
  let quote: string | null = null;
  for (let i = open; i < s.length; i++) {
    const c = s[i]!;
    if (quote) {
      if (c === quote) quote = null;
      continue;
    }
    if (c === "'" || c === '"') quote = c;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
  }
  return -1;
}

/** Trino text → DuckDB text for the constructs the shim cannot cover. */
export function trinoToDuckdb(sql: string): string {
  let s = sql.replace(/ARRAY\(JSON\)/g, 'JSON[]').replace(/ARRAY\(VARCHAR\)/g, 'VARCHAR[]').replace(/ARRAY\[/g, '[');
  s = s.replace(/\btransform\(/g, 'list_transform(').replace(/\bfilter\(/g, 'list_filter(');
  for (;;) {
    const at = s.search(/\bany_match\(/);
    if (at < 0) break;
    const open = at + 'any_match'.length;
    const end = closing(s, open);
    s = `${s.slice(0, at)}(len(list_filter${s.slice(open, end + 1)}) > 0)${s.slice(end + 1)}`;
  }
  return s.replace(/(\w+) -> /g, 'lambda $1: ');
}

function typeName(v: unknown): string {
  return typeof v === 'number' ? 'double' : 'varchar';
}

export async function startAthenaStub(options: StubOptions): Promise<AthenaStub> {
  const runner = await DuckRunner.open();
  await runner.loadShim();
  const profile = loadProfile(options.profile ?? 'athena-cloudtrail-pp');
  await runner.exec(athenaView(profile, await listDataFiles(options.dataPaths, {})));
  const calls: AthenaStub['calls'] = [];
  const executions = new Map<string, Execution>();
  let next = 1;

  const handle = async (op: string, body: Record<string, unknown>): Promise<[number, unknown]> => {
    calls.push({ op, body });
    const id = String(body.QueryExecutionId ?? '');
    const ex = executions.get(id);
    switch (op) {
      case 'StartQueryExecution': {
        const qid = `q-${next++}`;
        const e: Execution = { sql: String(body.QueryString), state: 'RUNNING', polls: 0, columns: [], rows: [] };
        executions.set(qid, e);
        try {
          const r = await runner.query(trinoToDuckdb(e.sql));
          e.columns = r.columns.map((n, i) => ({ Name: n, Type: typeName(r.rows.find((row) => row[i] !== null)?.[i]) }));
          e.rows = r.rows.map((row) => row.map((v) => (v === null ? null : Array.isArray(v) ? JSON.stringify(v) : String(v))));
        } catch (err) {
          e.reason = `SYNTAX_ERROR: ${(err as Error).message.split('\n')[0]}`;
        }
        return [200, { QueryExecutionId: qid }];
      }
      case 'GetQueryExecution': {
        if (!ex) return [400, { __type: 'InvalidRequestException', Message: `unknown query ${id}` }];
        if (ex.state === 'RUNNING' && ex.polls++ >= (options.runningPolls ?? 0)) ex.state = ex.reason ? 'FAILED' : 'SUCCEEDED';
        return [200, { QueryExecution: { QueryExecutionId: id, Query: ex.sql, Status: { State: ex.state, StateChangeReason: ex.state === 'FAILED' ? ex.reason : undefined }, Statistics: { DataScannedInBytes: 1234 } } }];
      }
      case 'GetQueryResults': {
        if (!ex || ex.state !== 'SUCCEEDED') return [400, { __type: 'InvalidRequestException', Message: `query ${id} has not succeeded` }];
        const header = ex.columns.map((c) => ({ VarCharValue: c.Name }));
        const all = [header, ...ex.rows.map((r) => r.map((v) => (v === null ? {} : { VarCharValue: v })))];
        const size = options.pageSize ?? 1000;
        const from = body.NextToken ? Number(body.NextToken) : 0;
        const page = all.slice(from, from + size);
        const more = from + size < all.length;
        return [200, { ResultSet: { Rows: page.map((Data) => ({ Data })), ResultSetMetadata: { ColumnInfo: ex.columns } }, ...(more ? { NextToken: String(from + size) } : {}) }];
      }
      case 'StopQueryExecution':
        if (ex) ex.state = 'CANCELLED';
        return [200, {}];
      default:
        return [400, { __type: 'UnknownOperationException', Message: op }];
    }
  };

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const op = String(req.headers['x-amz-target'] ?? '').replace(/^AmazonAthena\./, '');
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
      } catch {
        // an empty or broken body is answered below by the operation
      }
      handle(op, body).then(([status, out]) => {
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify(out));
      }, (err: Error) => {
        res.writeHead(500, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify({ __type: 'InternalServerException', Message: err.message }));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    executions,
    options,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        runner.close();
      }),
  };
}
