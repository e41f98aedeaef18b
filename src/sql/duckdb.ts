/**
 * Embedded DuckDB (@duckdb/node-api): the local engine for `--engine duckdb`, and the test bed that
 * runs the generated Trino text (SCALEOUT.md §2.3, §3).
 *
 *  - `sourceView` defines the profile's table over the --data files: NDJSON (one event per line)
 *    and AWSLogs `{"Records":[…]}` files, read with CloudTrail's own key spelling; with `_raw`
 *    (the record text) when the search needs it.
 *  - `athenaView` emulates an Athena CloudTrail table (lower-case columns, JSON text columns,
 *    partition columns) over the same files, for running Trino text locally.
 *  - `TRINO_SHIM` are the macros that let DuckDB run Trino's function spellings.
 */
import { open as openFile } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { createReadStream } from 'node:fs';
import { TrailguardError } from '../errors.js';
import { PathExpander } from '../sources/paths.js';
import { detectFormat } from '../sources/reader.js';
import { duckType, columnName, type Profile } from './profile.js';
import { quoteId, quoteString } from './render.js';

/** Trino function spellings on DuckDB (SCALEOUT.md §2.3), run once per connection. */
export const TRINO_SHIM = [
  `SET TimeZone = 'UTC'`,
  `CREATE OR REPLACE MACRO from_iso8601_timestamp(s) AS CAST(s AS TIMESTAMPTZ)`,
  `CREATE OR REPLACE MACRO to_unixtime(t) AS epoch(t)`,
  `CREATE OR REPLACE MACRO from_unixtime(e) AS to_timestamp(e)`,
  `CREATE OR REPLACE MACRO regexp_like(s, p) AS regexp_matches(s, p)`,
  // Trino gives NULL when the pattern does not match; DuckDB's built-in gives ''.
  `CREATE OR REPLACE MACRO regexp_extract(s, p) AS CASE WHEN regexp_matches(s, p) THEN system.main.regexp_extract(s, p, 0) END, (s, p, g) AS CASE WHEN regexp_matches(s, p) THEN system.main.regexp_extract(s, p, g) END`,
  // Trino's json_extract_scalar is NULL for objects and arrays; DuckDB's json_extract_string gives their text.
  `CREATE OR REPLACE MACRO json_extract_scalar(j, p) AS CASE WHEN json_type(j, p) IN ('OBJECT', 'ARRAY') THEN NULL ELSE json_extract_string(j, p) END`,
  `CREATE OR REPLACE MACRO json_format(j) AS CAST(j AS VARCHAR)`,
  `CREATE OR REPLACE MACRO cardinality(a) AS len(a)`,
  `CREATE OR REPLACE MACRO element_at(a, i) AS list_extract(a, i)`,
  // Trino's concat() is NULL if any argument is NULL (the compiler emits || anyway).
  `CREATE OR REPLACE MACRO concat(a, b) AS a || b, (a, b, c) AS a || b || c`,
];

export interface SqlResult {
  columns: string[];
  rows: unknown[][];
}

type DuckModule = typeof import('@duckdb/node-api');

let duck: Promise<DuckModule> | undefined;

async function duckdb(): Promise<DuckModule> {
  duck ??= import('@duckdb/node-api');
  return duck;
}

/** Plain JS from a DuckDB value: strings, numbers (BIGINT → number), lists → arrays, NULL → null. */
export function plainValue(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (typeof v === 'object' && 'items' in v && Array.isArray((v as { items: unknown[] }).items)) {
    return (v as { items: unknown[] }).items.map(plainValue);
  }
  return String(v);
}

interface Conn {
  run(sql: string): Promise<unknown>;
  runAndReadAll(sql: string): Promise<{ columnNames(): string[]; getRows(): unknown[][] }>;
  interrupt(): void;
  closeSync(): void;
}

export class DuckRunner {
  private constructor(
    private readonly instance: { closeSync(): void },
    private readonly conn: Conn,
  ) {}

  static async open(): Promise<DuckRunner> {
    const m = await duckdb();
    const threads = Number(process.env.TRAILGUARD_DUCKDB_THREADS ?? '');
    const instance = await m.DuckDBInstance.create(':memory:', Number.isInteger(threads) && threads > 0 ? { threads: String(threads) } : {});
    const conn = await instance.connect();
    // Times without a zone are UTC, as in-process (and on Athena).
    await conn.run(`SET TimeZone = 'UTC'`);
    return new DuckRunner(instance, conn as unknown as Conn);
  }

  async exec(sql: string): Promise<void> {
    for (const s of sql.split(/;\n/)) if (s.trim()) await this.conn.run(s);
  }

  async loadShim(): Promise<void> {
    for (const s of TRINO_SHIM) await this.conn.run(s);
  }

  async query(sql: string): Promise<SqlResult> {
    const r = await this.conn.runAndReadAll(sql);
    return { columns: r.columnNames(), rows: r.getRows().map((row) => row.map(plainValue)) };
  }

  interrupt(): void {
    this.conn.interrupt();
  }

  close(): void {
    this.conn.closeSync();
    this.instance.closeSync();
  }
}

// ───────────────────────── the files under --data ─────────────────────────

export interface DataFiles {
  ndjson: string[];
  records: string[];
}

async function headOf(path: string): Promise<Buffer> {
  if (/\.gz$/i.test(path)) {
    const chunks: Buffer[] = [];
    let size = 0;
    const stream = createReadStream(path).pipe(createGunzip());
    try {
      for await (const c of stream as AsyncIterable<Buffer>) {
        chunks.push(c);
        size += c.length;
        if (size >= 4096) break;
      }
    } catch {
      // a short or damaged gzip: whatever was read decides
    } finally {
      stream.destroy();
    }
    return Buffer.concat(chunks);
  }
  const fh = await openFile(path, 'r');
  try {
    const buf = Buffer.alloc(4096);
    const { bytesRead } = await fh.read(buf, 0, 4096, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

export function engineError(reason: string, hints: string[]): TrailguardError {
  return new TrailguardError({ code: 'E_ENGINE', phase: 'input', reason, hints });
}

/**
 * The --data files DuckDB reads, pruned by the search window exactly as the in-process reader
 * prunes them (AWSLogs day folders and file-name stamps), split by format.
 */
export async function listDataFiles(paths: string[], range: { earliest?: number; latest?: number }): Promise<DataFiles> {
  const out: DataFiles = { ndjson: [], records: [] };
  const expander = new PathExpander({ earliest: range.earliest, latest: range.latest });
  for (const arg of paths) {
    if (arg === '-') throw engineError('--engine duckdb reads files, not standard input', ['save the events to a file, or use --engine inprocess']);
    for await (const input of expander.expand(arg)) {
      if (input.kind === 'missing') throw engineError(`cannot read ${input.path}: ${input.message}`, ['check the --data path']);
      if (input.kind !== 'file') continue;
      const head = await headOf(input.path);
      const format = detectFormat(head, head.length < 4096);
      if (format === 'empty') continue;
      if (format === 'lines') out.ndjson.push(input.path);
      else if (format === 'records') out.records.push(input.path);
      else throw engineError(`${input.path}: DuckDB reads NDJSON and {"Records":[…]} files; this one is a ${format === 'array' ? 'JSON array' : String(format)} file`, ['use --engine inprocess for this file']);
    }
  }
  return out;
}

const MAX_OBJECT = 1024 * 1024 * 1024;

function fileList(files: string[]): string {
  return `[${files.map(quoteString).join(', ')}]`;
}

function readColumns(p: Profile): string {
  return `{${Object.entries(p.columns).map(([k, t]) => `${quoteString(k)}: ${quoteString(duckType(t, 'as-is'))}`).join(', ')}}`;
}

/** The profile with only the given top-level columns (what a query reads; the readers then skip the rest). */
export function onlyColumns(p: Profile, used: Iterable<string> | undefined): Profile {
  if (!used) return p;
  const keep = new Set(used);
  const columns = Object.fromEntries(Object.entries(p.columns).filter(([k]) => keep.has(k) || k === p.timeColumn || k === p.timeFallback));
  return { ...p, columns };
}

function typedParts(p: Profile, files: DataFiles): string[] {
  const parts: string[] = [];
  if (files.ndjson.length) {
    parts.push(`SELECT * FROM read_json(${fileList(files.ndjson)}, format = 'newline_delimited', columns = ${readColumns(p)}, maximum_object_size = ${MAX_OBJECT})`);
  }
  if (files.records.length) {
    const recordsType = `STRUCT(${Object.entries(p.columns).map(([k, t]) => `${quoteId(k)} ${duckType(t, 'as-is')}`).join(', ')})[]`;
    parts.push(`SELECT unnest(r) FROM (SELECT unnest("Records") AS r FROM read_json(${fileList(files.records)}, format = 'auto', columns = {'Records': ${quoteString(recordsType)}}, maximum_object_size = ${MAX_OBJECT}))`);
  }
  return parts;
}

/**
 * The typed columns beside each record's text. Both readers go through the files in the same
 * order (DuckDB keeps insertion order), so a POSITIONAL JOIN pairs every record with its text;
 * json_transform on the text would be re-run for every column a query reads.
 */
function rawParts(p: Profile, files: DataFiles): string[] {
  const typed = typedParts(p, { ndjson: files.ndjson, records: [] });
  const parts: string[] = [];
  if (files.ndjson.length) {
    parts.push(`SELECT * FROM (${typed[0]}) POSITIONAL JOIN (SELECT CAST(json AS VARCHAR) AS "_raw" FROM read_ndjson_objects(${fileList(files.ndjson)}, maximum_object_size = ${MAX_OBJECT}))`);
  }
  if (files.records.length) {
    const [rec] = typedParts(p, { ndjson: [], records: files.records });
    parts.push(`SELECT * FROM (${rec}) POSITIONAL JOIN (SELECT CAST(r AS VARCHAR) AS "_raw" FROM (SELECT unnest(CAST(json_extract(json, '$.Records') AS JSON[])) AS r FROM read_json_objects(${fileList(files.records)}, format = 'auto', maximum_object_size = ${MAX_OBJECT})))`);
  }
  return parts;
}

function emptyTyped(p: Profile, raw: boolean): string {
  const cols = Object.entries(p.columns).map(([k, t]) => `CAST(NULL AS ${duckType(t, 'as-is')}) AS ${quoteId(k)}`);
  if (raw) cols.push(`CAST(NULL AS VARCHAR) AS "_raw"`);
  return `SELECT ${cols.join(', ')} WHERE FALSE`;
}

/** `CREATE VIEW <name>` over the files in CloudTrail's spelling (the duckdb profile's table). */
export function sourceView(name: string, p: Profile, files: DataFiles, raw: boolean): string {
  const parts = raw ? rawParts(p, files) : typedParts(p, files);
  return `CREATE OR REPLACE TEMP VIEW ${quoteId(name)} AS ${parts.length ? parts.join('\nUNION ALL BY NAME\n') : emptyTyped(p, raw)}`;
}

/**
 * `CREATE VIEW <table>` shaped like the Athena table of `athena` (SCALEOUT.md §3.1): lower-case
 * columns, object columns as JSON text, and its partition columns computed from eventTime.
 */
export function athenaView(athena: Profile, files: DataFiles): string {
  const base = '__tg_files';
  const cols = Object.entries(athena.columns).map(([k, t]) => {
    const target = columnName(athena, k);
    if (t === 'json') return `CAST(${quoteId(k)} AS VARCHAR) AS ${quoteId(target)}`;
    if (t === 'varchar') return `${quoteId(k)} AS ${quoteId(target)}`;
    return `CAST(${quoteId(k)} AS ${duckType(t, athena.naming)}) AS ${quoteId(target)}`;
  });
  // TRY_CAST: a record whose eventTime is no date (test events have 2019-01-00) lands in no
  // partition, as the in-process reader skips it, instead of failing the query.
  const et = `TRY_CAST(${quoteId(athena.timeColumn)} AS TIMESTAMPTZ)`;
  const rule = athena.partitions;
  if (rule.kind === 'day') cols.push(`strftime(${et}, '${rule.format === 'yyyy/MM/dd' ? '%Y/%m/%d' : '%Y-%m-%d'}') AS ${quoteId(rule.column)}`);
  if (rule.kind === 'ymd') {
    cols.push(`strftime(${et}, '%Y') AS ${quoteId(rule.year)}`, `strftime(${et}, '%m') AS ${quoteId(rule.month)}`, `strftime(${et}, '%d') AS ${quoteId(rule.day)}`, `"awsRegion" AS "region"`);
  }
  return [
    sourceView(base, athena, files, false),
    `CREATE OR REPLACE TEMP VIEW ${quoteId(athena.table)} AS SELECT ${cols.join(', ')} FROM ${quoteId(base)}`,
  ].join(';\n');
}
