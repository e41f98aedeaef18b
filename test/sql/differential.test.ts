/**
 * Differential tests (SCALEOUT.md §5.4): every search runs in-process — the reference — and
 * through the SQL engines (DuckDB's dialect over the files; the Trino text of both Athena profiles
 * on DuckDB with the Trino shim, over an emulated Athena table). Rows must be equal, value by value,
 * in order. The searches cover SPL.md's search/eval/stats rules over real CloudTrail events.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fixturePath, repoPath } from '../helpers.js';
import { SQL_ENGINES, runOn, runRows, type Obj } from './harness.js';

const REAL = [fixturePath('sql', 'real-events.ndjson'), fixturePath('sql', 'panther-events.ndjson')];
const SEED = [fixturePath('engine', 'seed-events.ndjson')];
const RECORDS = [fixturePath('sql', 'awslogs')];

interface Case {
  title: string;
  spl: string;
  data: string[];
  earliest?: string;
  latest?: string;
  /** Engines for which the case is not run, with the reason (said in the test name). */
  skip?: Record<string, string>;
}

const CASES: Case[] = [
  { title: '§2.3 case-insensitive value, any value of a multivalue field (resources{}.type)', spl: '`cloudtrail` resources{}.type=aws::s3::bucket | stats count by eventName', data: REAL },
  { title: '§2.3 wildcard values become LIKE … ESCAPE; _ and % in values are literal', spl: '`cloudtrail` eventName=Describe* OR eventName=*_* OR userAgent=*%* | stats count by eventName', data: REAL },
  { title: '§2.5 NOT keeps events lacking the field; != drops them', spl: '`cloudtrail` NOT errorCode=success | stats count by errorCode | append [search `cloudtrail` userIdentity.userName!=benjamin | stats count as c2]', data: REAL },
  { title: '§2.5 NOT on a field most events lack', spl: '`cloudtrail` NOT userIdentity.userName=bert* | stats count', data: REAL },
  { title: '§2.4 field=* tests presence', spl: '`cloudtrail` userIdentity.sessionContext.sessionIssuer.userName=* | stats count by userIdentity.type', data: REAL },
  { title: '§2.2 OR binds tighter than AND; IN lists with wildcards', spl: '`cloudtrail` eventSource=ec2* eventName=RunInstances OR eventName IN (Terminate*, "describe*") | stats count by eventName', data: REAL },
  { title: '§2.6 numeric comparison in search when both sides are numbers', spl: '`cloudtrail` date_hour>=12 date_hour<20 | stats count by date_hour', data: REAL },
  { title: '§9.1 errorCode default (success) and the user chain', spl: '`cloudtrail` errorCode=success | stats count dc(eventName) as kinds by user userName', data: REAL },
  { title: '§9.1 user_type, object and action/status from the field model', spl: '`cloudtrail` | stats count by eventName user_type action status', data: REAL },
  { title: '§9.1 multivalue field-model fields (object_id from resources{}.ARN)', spl: '`cloudtrail` | stats count values(eventSource) as src by object_id', data: REAL },
  { title: '§9.3 tag=change (event types, with raw terms Delete/Remove/Reboot)', spl: '`cloudtrail` tag=change | stats count by eventName', data: REAL },
  { title: '§4.2 min/max numbers before text, earliest/latest by _time, values sorted', spl: '`cloudtrail` | stats min(eventName) as mn max(recipientAccountId) as mx earliest(_time) as e latest(_time) as l values(awsRegion) as r by eventSource', data: REAL },
  { title: '§4.2 earliest(x)/latest(x) of a field and earliest_time', spl: '`cloudtrail` userIdentity.type=IAMUser | stats earliest(eventName) as first latest(eventName) as last earliest_time(eventName) as t by userIdentity.arn', data: SEED },
  { title: '§4.1 a multivalue by-field fans out (resources{}.ARN)', spl: '`cloudtrail` | stats count by resources{}.ARN', data: REAL },
  { title: '§4.1 no by-clause: one row even for no events', spl: '`cloudtrail` eventName=NoSuchEvent | stats count dc(user) as u values(eventName) as v min(_time) as t', data: REAL },
  { title: '§3.3 where compares numbers numerically, text case-sensitively', spl: '`cloudtrail` | where date_hour > 11 AND eventName != "ListBuckets" | stats count by eventName date_hour', data: REAL },
  { title: '§3 eval if/case/coalesce/lower/len/match, then where and stats', spl: '`cloudtrail` | eval kind = if(match(eventName, "^(Describe|List|Get)"), "read", "write"), who = coalesce(userIdentity.userName, "none"), n = len(eventName) | where n > 8 | stats count max(n) as longest by kind who', data: REAL },
  { title: '§3.2 `.` concatenation with a null operand is null', spl: '`cloudtrail` | eval k = eventSource . ":" . userIdentity.userName | stats count by k', data: REAL },
  { title: '§5 rename then stats', spl: '`cloudtrail` | rename userIdentity.arn as arn | stats count by arn', data: REAL },
  { title: '§4.4 bin _time span=5m then stats', spl: '`cloudtrail` | bin _time span=5m | stats count by _time', data: REAL },
  { title: '§2.9 inline earliest=/latest= bound the window', spl: '`cloudtrail` earliest=-1d@d latest=now eventName=* | stats count by eventName', data: SEED },
  { title: 'time range from the run; relative_time folded at compile time', spl: '`cloudtrail` | where _time >= relative_time(now(), "-1h@h") | stats count by eventName', data: SEED, earliest: '-30d@d', latest: 'now' },
  { title: '§2.7 bare words match whole tokens of _raw', spl: '`cloudtrail` s3 bucket | stats count by eventName', data: REAL, skip: { trino: 'Athena has no _raw: bare words are looked for over the text columns (a documented approximation)' } },
  { title: '§10.11 dc(_raw) counts distinct events', spl: '`cloudtrail` | stats dc(_raw) as events by eventSource', data: REAL, skip: { trino: 'Athena has no _raw: the search is cut before stats, and the Athena engine refuses it' } },
  { title: '§4.5 tstats over the Change data model, by a multivalue field', spl: '| tstats count earliest(_time) as first from datamodel=Change where All_Changes.status=success by All_Changes.user All_Changes.object', data: REAL },
  { title: '§4.5 tstats on Authentication, span=1h', spl: '| tstats count from datamodel=Authentication by Authentication.action _time span=1h', data: REAL },
  { title: '§4.5 tstats fillnull_value turns null by-fields into text', spl: '| tstats fillnull_value=null count from datamodel=Change where All_Changes.user=deployer by All_Changes.Instance_Changes.image_id', data: SEED },
  { title: 'the cut: lookup-free suffix (eventstats, table) runs in Trailguard on pulled fields', spl: '`cloudtrail` userIdentity.type=AssumedRole | eventstats count as n by eventName | table eventName n userIdentity.arn', data: SEED },
  { title: 'AWSLogs {"Records":[…]} .json.gz files', spl: '`cloudtrail` | stats count dc(eventName) as kinds by userIdentity.type', data: RECORDS },
  { title: 'AWSLogs files: each record\'s _raw (bare words, dc(_raw))', spl: '`cloudtrail` iam OR describe* | stats dc(_raw) as n by eventName', data: RECORDS, skip: { trino: 'Athena has no _raw' } },
  { title: 'AWSLogs files pruned by their time stamp and the window', spl: '`cloudtrail` | stats count by eventName', data: RECORDS, earliest: '2023-07-10T12:05:00Z', latest: '2023-07-10T12:10:00Z' },
];

for (const c of CASES) {
  test(`differential: ${c.title}`, async () => {
    const setup = { dataPaths: c.data, earliest: c.earliest, latest: c.latest };
    const expected = await runOn(c.spl, undefined, setup);
    for (const { label, engine } of SQL_ENGINES) {
      const key = engine.profile?.startsWith('athena') ? 'trino' : 'duckdb';
      if (c.skip?.[key]) continue;
      const got = await runOn(c.spl, engine, setup);
      assert.ok(got.sql.length > 0, `${label}: nothing was pushed to SQL`);
      assert.deepEqual(got.rows, expected.rows, `${label}\n${got.sql.join('\n;\n')}`);
    }
  });
}

test('differential: the comparison can fail (a different now() changes a folded relative_time)', async () => {
  const spl = '`cloudtrail` | where _time >= relative_time(now(), "-1h@h") | stats count';
  const a = await runOn(spl, undefined, { dataPaths: SEED });
  const b = await runOn(spl, { kind: 'duckdb' }, { dataPaths: SEED, now: 1709640000 + 86400 });
  assert.notDeepEqual(a.rows, b.rows);
});

// ───────────────────────── engine cases over hand-built rows ─────────────────────────

interface RowCase {
  title: string;
  spl: string;
  input: Obj[];
}

const rowCases = JSON.parse(readFileSync(repoPath('test', 'cases', 'engine.json'), 'utf8')) as RowCase[];

const EVENTS: Obj[] = [
  { _raw: '{"eventName":"AssumeRoleWithSAML","x":"StartInstances"}', eventName: 'AssumeRoleWithSAML', userAgent: 'console.amazonaws.com', n: 5 },
  { _raw: '{"eventName":"DeleteTrail"}', eventName: 'DeleteTrail', userAgent: 'aws-cli/2.0', n: 20 },
  { _raw: '{"eventName":"ListBuckets"}', eventName: 'ListBuckets', n: 9 },
  { _raw: '{"eventName":"PutImage"}', eventName: 'PutImage', userAgent: ['a', 'b.amazonaws.com'], n: 'x' },
];
const STATS_INPUT: Obj[] = [
  { _time: 100, user: 'bob', api: 'List', n: '10' },
  { _time: 50, user: 'alice', api: ['Get', 'Put'], n: '9' },
  { _time: 70, user: 'bob', api: 'Get', n: 'x' },
  { _time: 60, api: 'Get', n: '3' },
];
const MORE: RowCase[] = [
  { title: 'test/commands/search: §2.3 multivalue and case', spl: 'search userAgent=*.amazonaws.com | table eventName', input: EVENTS },
  { title: 'test/commands/search: §2.5 != vs NOT', spl: 'search NOT userAgent=console.amazonaws.com | table eventName', input: EVENTS },
  { title: 'test/commands/search: §2.2 precedence', spl: 'search n>=9 eventName=DeleteTrail OR eventName=ListBuckets | table eventName', input: EVENTS },
  { title: 'test/commands/search: §2.6 numeric or text comparison', spl: 'search n>8 | table eventName', input: EVENTS },
  { title: 'test/commands/search: §2.7 bare words', spl: 'search startinstances | table eventName', input: EVENTS },
  { title: 'test/commands/search: where with text vs number', spl: 'search * | where n > 8 | table eventName', input: EVENTS },
  { title: 'test/commands/stats: §4.1 groups and null by-fields', spl: 'search * | stats count by user', input: STATS_INPUT },
  { title: 'test/commands/stats: §4.1 multivalue by-field', spl: 'search * | stats count by api', input: STATS_INPUT },
  { title: 'test/commands/stats: §4.1 default names', spl: 'search * | stats values(api) dc(api) as kinds by user', input: STATS_INPUT },
  { title: '§1.2 field names are case-sensitive (user and User are two columns, also in Trino)', spl: 'search * | stats count by user User | table user User count', input: [{ user: 'a', User: 'B' }, { user: 'a', User: 'b' }, { user: 'a' }] },
  { title: 'test/commands/stats: §4.2 min/max/earliest/latest/count', spl: 'search * | stats min(n) as mn max(n) as mx earliest(api) as e latest(api) as l count(user) as cu', input: STATS_INPUT },
];

for (const c of [...rowCases, ...MORE]) {
  test(`differential rows: ${c.title}`, async () => {
    const expected = await runRows(c.spl, c.input, 'inprocess');
    for (const mode of ['duckdb', 'trino'] as const) {
      const got = await runRows(c.spl, c.input, mode);
      assert.ok(got.sql.length > 0, `${mode}: nothing was pushed to SQL`);
      assert.deepEqual(got.rows, expected.rows, `${mode}\n${got.sql.join('\n')}`);
    }
  });
}
