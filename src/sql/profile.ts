/**
 * Table profiles (data/sql-profiles/*.yml): where CloudTrail lives in a SQL engine and how its
 * columns are spelled and typed (SCALEOUT.md §5.2). A profile names its dialect, its table, its
 * schema (cloudtrail-schema.yml: CloudTrail keys with types), the naming rule of its columns, whether
 * `_raw` exists, and its partition rule. This module loads them and resolves an SPL JSON path
 * (`userIdentity.sessionContext.attributes.mfaAuthenticated`, `resources{}.ARN`,
 * `requestParameters.instancesSet.items{}.instanceId`) to a typed SQL expression.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { TrailguardError } from '../errors.js';
import { packagePath } from '../util/paths.js';
import { NULL, fn, id, lit, type Ex, type Typed } from './ir.js';
import { jsonPath, type DialectName } from './render.js';

/** A column type of the schema: text, JSON text, map, struct (members) or array of struct. */
export type ColumnType = 'varchar' | 'json' | 'map' | { struct: Record<string, ColumnType> } | { array: ColumnType };

export type PartitionRule =
  | { kind: 'day'; column: string; format: string; lagDays: number }
  | { kind: 'ymd'; year: string; month: string; day: string; lagDays: number }
  | { kind: 'files' }
  | { kind: 'none' };

export interface Profile {
  name: string;
  description: string;
  dialect: Exclude<DialectName, 'trino-on-duckdb'>;
  schemaName: string;
  columns: Record<string, ColumnType>;
  naming: 'lower' | 'as-is';
  table: string;
  /** `source`: the table can give each record's text; `none`: it cannot (Athena). */
  raw: 'source' | 'none';
  /** How bare search words are matched without _raw: over the text columns, or not at all. */
  rawTerms: 'raw' | 'columns' | 'none';
  timeColumn: string;
  /**
   * Read when a record has no `timeColumn` (raw files only): `@timestamp`, which Logstash-style
   * exports carry instead of eventTime and the in-process reader accepts too.
   */
  timeFallback?: string;
  partitions: PartitionRule;
  file: string;
  /**
   * A table of SPL fields rather than CloudTrail records (tests feed hand-built rows this way):
   * each column is a field of that name and kind; no field model applies.
   */
  direct?: Record<string, 'text' | 'mv' | 'num'>;
  /** Column of each direct field when it differs from the field name (names that differ only by case). */
  directColumns?: Record<string, string>;
}

type Obj = Record<string, unknown>;

function profileError(file: string, reason: string): TrailguardError {
  return new TrailguardError({ code: 'E_SQL_PROFILE', phase: 'content', reason: `${file}: ${reason}`, location: { file }, hints: ['see data/sql-profiles/README.md for the profile format'] });
}

function readYaml(file: string): Obj {
  let doc: unknown;
  try {
    doc = parseYaml(readFileSync(file, 'utf8'));
  } catch (err) {
    throw profileError(file, (err as Error).message);
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw profileError(file, 'the top level is not a mapping');
  return doc as Obj;
}

function columnType(v: unknown, where: string, file: string): ColumnType {
  if (v === 'varchar' || v === 'json' || v === 'map') return v;
  if (Array.isArray(v) && v.length === 1) return { array: columnType(v[0], `${where}[]`, file) };
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    const members: Record<string, ColumnType> = {};
    for (const [k, m] of Object.entries(v as Obj)) members[k] = columnType(m, `${where}.${k}`, file);
    return { struct: members };
  }
  throw profileError(file, `${where}: unknown column type ${JSON.stringify(v)} (varchar, json, map, a mapping, or [mapping])`);
}

export function profilesDir(): string {
  return packagePath('data', 'sql-profiles');
}

function loadSchema(dir: string, name: string): Record<string, ColumnType> {
  const file = join(dir, `${name}-schema.yml`);
  const doc = readYaml(file);
  const cols = doc.columns;
  if (cols === null || typeof cols !== 'object') throw profileError(file, 'missing columns');
  const t = columnType(cols, 'columns', file);
  return (t as { struct: Record<string, ColumnType> }).struct;
}

function parsePartitions(v: unknown, file: string): PartitionRule {
  if (v === undefined || v === null) return { kind: 'none' };
  const p = v as Obj;
  const lag = p.lag_days === undefined ? 1 : Number(p.lag_days);
  if (!Number.isFinite(lag) || lag < 0) throw profileError(file, 'partitions.lag_days must be a number >= 0');
  switch (p.kind) {
    case 'day':
      if (p.format !== 'yyyy/MM/dd' && p.format !== 'yyyy-MM-dd') throw profileError(file, `partitions.format ${String(p.format)} is not supported (yyyy/MM/dd or yyyy-MM-dd)`);
      return { kind: 'day', column: String(p.column ?? 'timestamp'), format: String(p.format), lagDays: lag };
    case 'ymd':
      return { kind: 'ymd', year: String(p.year ?? 'year'), month: String(p.month ?? 'month'), day: String(p.day ?? 'day'), lagDays: lag };
    case 'files':
      return { kind: 'files' };
    case 'none':
      return { kind: 'none' };
    default:
      throw profileError(file, `partitions.kind must be day, ymd, files or none, got ${String(p.kind)}`);
  }
}

const cache = new Map<string, Profile>();

/** Every profile name shipped (and in `dir`), sorted. */
export function profileNames(dir = profilesDir()): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yml') && !f.endsWith('-schema.yml'))
    .map((f) => f.replace(/\.yml$/, ''))
    .sort();
}

export function loadProfile(name: string, dir = profilesDir()): Profile {
  const key = `${dir}\u0000${name}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const names = profileNames(dir);
  if (!names.includes(name)) {
    throw new TrailguardError({ code: 'E_SQL_PROFILE', phase: 'usage', reason: `unknown table profile \`${name}\``, hints: [`known profiles: ${names.join(', ')}`] });
  }
  const file = join(dir, `${name}.yml`);
  const doc = readYaml(file);
  const dialect = doc.dialect;
  if (dialect !== 'trino' && dialect !== 'duckdb') throw profileError(file, 'dialect must be trino or duckdb');
  const schemaName = String(doc.schema ?? 'cloudtrail');
  const rawTerms = String(doc.raw_terms ?? 'none');
  if (!['raw', 'columns', 'none'].includes(rawTerms)) throw profileError(file, 'raw_terms must be raw, columns or none');
  const p: Profile = {
    name: String(doc.name ?? name),
    description: String(doc.description ?? ''),
    dialect,
    schemaName,
    columns: loadSchema(dir, schemaName),
    naming: doc.naming === 'lower' ? 'lower' : 'as-is',
    table: String(doc.table ?? 'cloudtrail'),
    raw: doc.raw === 'source' ? 'source' : 'none',
    rawTerms: rawTerms as Profile['rawTerms'],
    timeColumn: String(doc.time_column ?? 'eventTime'),
    partitions: parsePartitions(doc.partitions, file),
    file,
  };
  if (doc.time_fallback !== undefined) {
    p.timeFallback = String(doc.time_fallback);
    p.columns = { ...p.columns, [p.timeFallback]: p.columns[p.timeFallback] ?? 'varchar' };
  }
  cache.set(key, p);
  return p;
}

/** The default profile of a dialect / engine. */
export function defaultProfile(dialect: 'trino' | 'duckdb'): string {
  return dialect === 'trino' ? 'athena-cloudtrail-pp' : 'duckdb-cloudtrail';
}

/** Column name as the profile's table spells it. */
export function columnName(p: Profile, key: string): string {
  return p.naming === 'lower' ? key.toLowerCase() : key;
}

/** Source alias of the table in the first stage. */
export const SOURCE = 't';

// ───────────────────────── JSON path → SQL ─────────────────────────

interface Step {
  key: string;
  /** `key{}`: iterate the array at this key. */
  arr: boolean;
}

function parseSteps(path: string): Step[] | null {
  const out: Step[] = [];
  for (const part of path.split('.')) {
    const m = /^([^{}]+)((?:\{\})*)$/.exec(part);
    if (!m) return null;
    const depth = m[2]!.length / 2;
    if (depth > 1) return null;
    out.push({ key: m[1]!, arr: depth === 1 });
  }
  return out;
}

export type Resolved = Typed | { unsupported: string };

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * SPL JSON leaf semantics over a JSON-text expression: the steps after a `json` column.
 * `a.b` → one leaf; `a.items{}.b` → the leaves of every element (nulls dropped); deeper arrays or
 * keys with special characters are not handled (the caller cuts there).
 */
function jsonSteps(j: Ex, steps: Step[], path: string): Resolved {
  if (steps.some((s) => !PLAIN_KEY.test(s.key))) return { unsupported: `${path}: a JSON key with characters other than letters, digits and _ is not compiled to SQL` };
  const arrays = steps.filter((s) => s.arr).length;
  if (arrays === 0) return { ex: fn('tg_json_leaf', j, lit(jsonPath(steps.map((s) => s.key)))), kind: 'text' };
  if (arrays > 1) return { unsupported: `${path}: nested arrays inside a JSON text column are not compiled to SQL` };
  const at = steps.findIndex((s) => s.arr);
  const head = steps.slice(0, at + 1).map((s) => s.key);
  const tail = steps.slice(at + 1).map((s) => s.key);
  const elems = fn('tg_json_array', j, lit(jsonPath(head)));
  const leaf = { k: 'lambda', kind: 'map', arr: elems, v: 'x', body: fn('tg_json_leaf', id('x'), lit(jsonPath(tail))) } as const;
  return { ex: { k: 'lambda', kind: 'filter', arr: leaf, v: 'y', body: { k: 'isnull', e: id('y'), neg: true } }, kind: 'mv' };
}

/**
 * The SQL for an SPL JSON path over the profile's source table (alias SOURCE), or why it cannot
 * be compiled. Paths the schema types rule out (a member of a text column, `{}` on text) are NULL,
 * as the in-process reader finds no value there either.
 */
export function resolvePath(p: Profile, path: string): Resolved {
  const steps = parseSteps(path);
  if (!steps) return { unsupported: `${path}: not a field path the SQL compiler reads (nested {} steps)` };
  let node: ColumnType = { struct: p.columns };
  const sqlPath: string[] = [SOURCE];
  for (let i = 0; i < steps.length; i++) {
    const s = steps[i]!;
    if (typeof node !== 'object' || !('struct' in node)) return { unsupported: `${path}: internal path error` };
    const member: ColumnType | undefined = node.struct[s.key];
    if (member === undefined && i === 0) {
      // Not a key of the CloudTrail record (the schema lists every top-level key it writes): the
      // field is absent, as it is in-process for a record without such a key.
      return { ex: NULL, kind: 'text', absentKey: s.key } as Typed;
    }
    if (member === undefined) {
      return { unsupported: `${path}: \`${steps.slice(0, i + 1).map((x) => x.key).join('.')}\` is not a column of ${p.table} (profile ${p.name}, schema ${p.schemaName})` };
    }
    sqlPath.push(columnName(p, s.key));
    const rest = steps.slice(i + 1);
    if (member === 'varchar') {
      // A text column: no members, and never an array (SPL finds nothing there either).
      if (s.arr || rest.length > 0) return { ex: NULL, kind: 'text' };
      return { ex: id(...sqlPath), kind: 'text' };
    }
    if (member === 'map') return { unsupported: `${path}: map columns are not compiled to SQL` };
    if (member === 'json') {
      if (s.arr) return { unsupported: `${path}: {} on a JSON text column is not compiled to SQL` };
      if (rest.length === 0) return { unsupported: `${path}: the object column itself (SPL gives it a value only when it is JSON null) is not compiled to SQL` };
      return jsonSteps(id(...sqlPath), rest, path);
    }
    if ('array' in member) {
      if (!s.arr) return { ex: NULL, kind: 'text' };
      const elem = member.array;
      if (rest.length !== 1 || typeof elem !== 'object' || !('struct' in elem)) return { unsupported: `${path}: only one member of an array of structs is compiled to SQL` };
      const m = elem.struct[rest[0]!.key];
      if (m === undefined) return { unsupported: `${path}: \`${rest[0]!.key}\` is not a member of ${s.key} in ${p.table}` };
      if (m !== 'varchar' || rest[0]!.arr) return { ex: NULL, kind: 'mv' };
      const arr = id(...sqlPath);
      const mapped = { k: 'lambda', kind: 'map', arr, v: 'x', body: id('x', columnName(p, rest[0]!.key)) } as const;
      return { ex: { k: 'lambda', kind: 'filter', arr: mapped, v: 'y', body: { k: 'isnull', e: id('y'), neg: true } }, kind: 'mv' };
    }
    // A struct: objects are not fields (SPL.md §1.5), members are.
    if (s.arr) return { ex: NULL, kind: 'text' };
    if (rest.length === 0) return { ex: NULL, kind: 'text' };
    node = member;
  }
  return { ex: NULL, kind: 'text' };
}

/** Every text leaf of the schema as a SQL expression over SOURCE (for bare words without _raw). */
export function textLeaves(p: Profile): Typed[] {
  const out: Typed[] = [];
  const walk = (cols: Record<string, ColumnType>, prefix: string[]) => {
    for (const [k, t] of Object.entries(cols)) {
      const path = [...prefix, columnName(p, k)];
      if (t === 'varchar' || t === 'json') out.push({ ex: id(SOURCE, ...path), kind: 'text' });
      else if (t === 'map') continue;
      else if ('struct' in t) walk(t.struct, path);
      else if (typeof t.array === 'object' && 'struct' in t.array) {
        for (const [m, mt] of Object.entries(t.array.struct)) {
          if (mt !== 'varchar') continue;
          out.push({ ex: { k: 'lambda', kind: 'map', arr: id(SOURCE, ...path), v: 'x', body: id('x', columnName(p, m)) }, kind: 'mv' });
        }
      }
    }
  };
  walk(p.columns, []);
  return out;
}

/** DuckDB type text of a schema column with the given naming (read_json columns / casts). */
export function duckType(t: ColumnType, naming: 'lower' | 'as-is', jsonAs: 'JSON' | 'VARCHAR' = 'JSON'): string {
  if (t === 'varchar') return 'VARCHAR';
  if (t === 'json') return jsonAs;
  if (t === 'map') return 'MAP(VARCHAR, VARCHAR)';
  if ('array' in t) return `${duckType(t.array, naming, jsonAs)}[]`;
  const members = Object.entries(t.struct).map(([k, m]) => `"${naming === 'lower' ? k.toLowerCase() : k}" ${duckType(m, naming, jsonAs)}`);
  return `STRUCT(${members.join(', ')})`;
}
