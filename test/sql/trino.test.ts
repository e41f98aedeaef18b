/**
 * The generated Trino text is checked without a Trino server (SCALEOUT.md §5.4): it must parse
 * with a Trino grammar (dt-sql-parser), call only functions on an allow-list (Trino functions that
 * DuckDB also has or the shim provides), and follow the renderer's rules (identifiers quoted, LIKE
 * always with ESCAPE, never ILIKE, `::`, concat(), GROUP BY ALL). Snapshots of the seed detections'
 * SQL make any renderer change a reviewed diff (UPDATE_SNAPSHOTS=1 rewrites them).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'yaml';
import { repoPath } from '../helpers.js';
import { compileSearch, parseBound } from '../../src/engine/session.js';
import { loadFieldModel } from '../../src/cloudtrail/index.js';
import { loadProfile } from '../../src/sql/profile.js';
import { compileSql } from '../../src/sql/describe.js';
import { trinoParser } from './trino-grammar.js';

const NOW = Date.parse('2026-11-20T12:10:00Z') / 1000;

/** Trino functions the compiler may emit: each exists in Trino, and in DuckDB or the shim. */
const ALLOWED = new Set([
  'abs', 'any_match', 'array_agg', 'array_distinct', 'cardinality', 'ceil', 'coalesce', 'concat_ws', 'count',
  'element_at', 'filter', 'flatten', 'floor', 'from_iso8601_timestamp', 'json_extract', 'json_extract_scalar',
  'json_format', 'length', 'lower', 'max', 'max_by', 'min', 'min_by', 'mod', 'nullif', 'regexp_extract',
  'regexp_like', 'substr', 'sum', 'to_unixtime', 'transform', 'trim', 'try', 'upper',
]);
const NOT_FUNCTIONS = new Set(['CAST', 'TRY_CAST', 'EXISTS', 'VALUES', 'AS', 'IN', 'FILTER', 'WHERE', 'AND', 'OR', 'NOT', 'UNNEST', 'ARRAY', 'JSON', 'VARCHAR', 'DOUBLE', 'THEN', 'ELSE', 'WHEN', 'FROM', 'SELECT', 'BY']);

function functionsOf(sql: string): string[] {
  const noStrings = sql.replace(/'(?:[^']|'')*'/g, "''").replace(/"(?:[^"]|"")*"/g, '""').replace(/--[^\n]*/g, '');
  return [...noStrings.matchAll(/\b([A-Za-z_][A-Za-z0-9_]*)\s*\(/g)].map((m) => m[1]!).filter((f) => !NOT_FUNCTIONS.has(f.toUpperCase()));
}

function lint(sql: string): string[] {
  const code = sql.replace(/'(?:[^']|'')*'/g, "''").replace(/--[^\n]*/g, '');
  const problems: string[] = [];
  if (/\bILIKE\b/i.test(code)) problems.push('ILIKE');
  if (/::/.test(code)) problems.push('::');
  if (/\bconcat\s*\(/i.test(code)) problems.push('concat()');
  if (/GROUP BY ALL/i.test(code)) problems.push('GROUP BY ALL');
  if (/\blambda\b/.test(code)) problems.push('DuckDB lambda');
  const likes = (code.match(/\bLIKE\b/g) ?? []).length;
  const escapes = (code.match(/\bLIKE\b[^\n]*?ESCAPE ''/g) ?? []).length;
  if (likes !== escapes) problems.push(`LIKE without ESCAPE (${likes} LIKE, ${escapes} ESCAPE)`);
  return problems;
}

const SEEDS = [
  ['detections', 'detect_api_activity_from_users_without_mfa'],
  ['detections', 'detect_new_api_calls_from_user_roles'],
  ['detections', 'cloud_api_calls_from_previously_unseen_user_roles'],
  ['baselines', 'previously_seen_api_call_per_user_roles_in_cloudtrail'],
  ['baselines', 'previously_seen_cloud_api_calls_per_user_role___initial'],
  ['baselines', 'previously_seen_cloud_api_calls_per_user_role___update'],
  ['baselines', 'create_a_list_of_approved_aws_service_accounts'],
] as const;

function seedSearch(kind: string, name: string): string {
  return (parse(readFileSync(repoPath('content', kind, `${name}.yml`), 'utf8')) as { search: string }).search;
}

function trinoSql(spl: string, profile: string, window = true): { queries: { title: string; sql: string }[]; cut: number } {
  const compiled = compileSearch(spl);
  const ctx = {
    profile: loadProfile(profile), model: loadFieldModel(), now: NOW, tz: 'UTC',
    earliest: window ? parseBound('e', '-70m@m', NOW, 'UTC') : undefined,
    latest: window ? parseBound('l', '-10m@m', NOW, 'UTC') : undefined,
  };
  const r = compileSql(compiled.pipeline, ctx, 'trino');
  return { queries: r.queries.filter((q) => q.sql), cut: r.plan.cut };
}

/** Searches beyond the seeds: the differential cases' shapes. */
const MORE = [
  '`cloudtrail` resources{}.type=aws::s3::bucket | stats count by eventName',
  '`cloudtrail` eventName=Describe* OR eventName=*_* | stats count by eventName',
  '`cloudtrail` NOT errorCode=success userIdentity.userName!=benjamin | stats count by errorCode',
  '`cloudtrail` | stats count values(eventSource) as src by object_id',
  '`cloudtrail` tag=change | stats count by eventName',
  '`cloudtrail` | stats min(eventName) as mn max(recipientAccountId) as mx earliest(eventName) as e latest(_time) as l by eventSource',
  '`cloudtrail` | eval kind = if(match(eventName, "^(Describe|List|Get)"), "read", "write"), n = len(eventName) | where n > 8 | stats count by kind',
  '`cloudtrail` | bin _time span=5m | stats count by _time',
  '| tstats count from datamodel=Authentication by Authentication.action _time span=1h',
  '`cloudtrail` userIdentity.type=AssumedRole | eventstats count as n by eventName | table eventName n userIdentity.arn',
];

for (const profile of ['athena-cloudtrail-pp', 'athena-cloudtrail-ymd']) {
  const searches: [string, string][] = [...SEEDS.map(([k, n]) => [n, seedSearch(k, n)] as [string, string]), ...MORE.map((s, i) => [`case ${i + 1}`, s] as [string, string])];
  test(`trino (${profile}): every generated statement parses with the Trino grammar, uses allowed functions, passes the lint`, async () => {
    const parser = await trinoParser();
    let statements = 0;
    for (const [name, spl] of searches) {
      for (const q of trinoSql(spl, profile).queries) {
        statements++;
        const errors = parser.validate(q.sql);
        assert.deepEqual(errors.map((e) => e.message), [], `${name}: ${q.title}\n${q.sql}`);
        const unknown = functionsOf(q.sql).filter((f) => !ALLOWED.has(f));
        assert.deepEqual([...new Set(unknown)], [], `${name}: functions outside the allow-list`);
        assert.deepEqual(lint(q.sql), [], `${name}: lint`);
      }
    }
    assert.ok(statements >= searches.length, `only ${statements} statements for ${searches.length} searches`);
  });
}

test('trino grammar check rejects what the renderer must never emit', async () => {
  const parser = await trinoParser();
  for (const bad of ['SELECT a FROM t GROUP BY ALL', 'SELECT a::int FROM t', "SELECT a FROM t WHERE a ILIKE 'x'", 'SELECT list_filter(a, lambda x: x) FROM t', 'SELECT (a FROM t']) {
    assert.ok(parser.validate(bad).length > 0, bad);
  }
  assert.deepEqual(lint("SELECT a FROM t WHERE a LIKE 'x%'"), ["LIKE without ESCAPE (1 LIKE, 0 ESCAPE)"]);
});

test('the seed detections fit in at most two queries each, the rest runs in Trailguard', () => {
  for (const [kind, name] of SEEDS.filter(([k]) => k === 'detections')) {
    const r = trinoSql(seedSearch(kind, name), 'athena-cloudtrail-pp');
    assert.ok(r.queries.length >= 1 && r.queries.length <= 2, `${name}: ${r.queries.length} queries`);
  }
});

test('partition pruning: the day partition gets the delivery lag, and the exact _time predicate stays', () => {
  const q = trinoSql(seedSearch('detections', 'detect_api_activity_from_users_without_mfa'), 'athena-cloudtrail-pp').queries[0]!.sql;
  // Window [2026-11-20T11:00Z, 12:00Z): days 2026/11/20 .. 2026/11/21 (1 day of lag), exact bounds in epoch seconds.
  assert.match(q, /"t"\."timestamp" >= '2026\/11\/20'/);
  assert.match(q, /"t"\."timestamp" <= '2026\/11\/21'/);
  assert.match(q, />= 1795172400\b/);
  assert.match(q, /< 1795176000\b/);
  const ymd = trinoSql(seedSearch('detections', 'detect_api_activity_from_users_without_mfa'), 'athena-cloudtrail-ymd').queries[0]!.sql;
  assert.match(ymd, /"t"\."year" = '2026' AND "t"\."month" = '11' AND \("t"\."day" >= '20' AND "t"\."day" <= '21'\)/);
});

test('snapshots: the seed detections in both dialects', () => {
  const dir = repoPath('test', 'sql', 'snapshots');
  mkdirSync(dir, { recursive: true });
  for (const [kind, name] of SEEDS.filter(([k]) => k === 'detections')) {
    for (const [dialect, profile] of [['trino', 'athena-cloudtrail-pp'], ['duckdb', 'duckdb-cloudtrail']] as const) {
      const compiled = compileSearch(seedSearch(kind, name));
      const ctx = { profile: loadProfile(profile), model: loadFieldModel(), now: NOW, tz: 'UTC', earliest: NOW - 4200, latest: NOW - 600 };
      const r = compileSql(compiled.pipeline, ctx, dialect);
      const text = r.queries.map((q) => `-- ${q.title}\n${q.sql}`).join('\n;\n') + '\n-- placement\n' + r.placement.map((l) => `-- ${l}`).join('\n') + '\n';
      const file = `${dir}/${name}.${dialect}.sql`;
      if (process.env.UPDATE_SNAPSHOTS || !existsSync(file)) writeFileSync(file, text);
      assert.equal(text, readFileSync(file, 'utf8'), `${file} changed: review, then run with UPDATE_SNAPSHOTS=1`);
    }
  }
});
