/**
 * `--engine athena` against a local stub of the Athena API (athena-stub.ts) through the real AWS
 * SDK v3 client with an endpoint override: results equal the in-process run (the seeds), and the
 * protocol cases — slow queries (polling), pagination, failed queries, cancellation — behave.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { readFileSync } from 'node:fs';
import { fixturePath, repoPath } from '../helpers.js';
import { runSearch, type EngineChoice } from '../../src/engine/session.js';
import { asText } from './harness.js';
import { startAthenaStub, trinoToDuckdb, type AthenaStub } from './athena-stub.js';

const DATA = [fixturePath('engine', 'seed-events.ndjson')];
const NOW = Date.parse('2024-03-05T12:00:00Z') / 1000;
const stubs: AthenaStub[] = [];
after(async () => {
  for (const s of stubs) await s.close();
});

async function stub(opts: { runningPolls?: number; pageSize?: number } = {}): Promise<AthenaStub> {
  const s = await startAthenaStub({ dataPaths: DATA, ...opts });
  stubs.push(s);
  return s;
}

function athena(s: AthenaStub, extra: Record<string, unknown> = {}): EngineChoice {
  return {
    kind: 'athena',
    athena: {
      endpoint: s.endpoint, region: 'us-east-1', workgroup: 'primary', outputLocation: 's3://results/trailguard/',
      pollInitialMs: 2, pollMaxMs: 10,
      client: { credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' }, maxAttempts: 1 },
      ...extra,
    },
  };
}

function seed(kind: string, name: string): string {
  return (parse(readFileSync(repoPath('content', kind, `${name}.yml`), 'utf8')) as { search: string }).search;
}

function stateWithAllowList(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tg-athena-'));
  mkdirSync(join(dir, 'lookups'));
  writeFileSync(join(dir, 'lookups', 'aws_service_accounts.csv'), 'identity\nsvc-backup\n');
  return dir;
}

test('athena: the MFA seed gives the in-process rows; the SDK sent workgroup and output location', async () => {
  const s = await stub();
  const spl = seed('detections', 'detect_api_activity_from_users_without_mfa');
  const base = { dataPaths: DATA, now: NOW, stateDir: stateWithAllowList() };
  const expected = asText((await runSearch(spl, base)).rows);
  const got = asText((await runSearch(spl, { ...base, dataPaths: [], engine: athena(s) })).rows);
  assert.deepEqual(got, expected);
  assert.equal(expected.length, 2);
  const start = s.calls.find((c) => c.op === 'StartQueryExecution')!;
  assert.equal(start.body.WorkGroup, 'primary');
  assert.deepEqual(start.body.ResultConfiguration, { OutputLocation: 's3://results/trailguard/' });
  // The allow-list (Trailguard state) went to Athena as VALUES.
  assert.match(String(start.body.QueryString), /VALUES \('svc-backup'\)/);
});

test('athena: tstats seed (lambdas over resources, multivalue by-fields) and the two-query seed match in-process', async () => {
  const s = await stub();
  const state = mkdtempSync(join(tmpdir(), 'tg-athena-'));
  const state2 = mkdtempSync(join(tmpdir(), 'tg-athena-'));
  const initial = seed('baselines', 'previously_seen_cloud_api_calls_per_user_role___initial');
  const det = seed('detections', 'cloud_api_calls_from_previously_unseen_user_roles');
  const newCalls = seed('detections', 'detect_new_api_calls_from_user_roles');
  for (const [dir, engine] of [[state, undefined], [state2, athena(s)]] as const) {
    await runSearch(initial, { dataPaths: engine ? [] : DATA, now: NOW, stateDir: dir, earliest: '-30d@d', latest: '-1d@d', engine });
  }
  const win = { now: NOW, earliest: '-70m@m', latest: '-10m@m' };
  for (const spl of [det, newCalls]) {
    const expected = asText((await runSearch(spl, { ...win, dataPaths: DATA, stateDir: state })).rows);
    const before = s.calls.filter((c) => c.op === 'StartQueryExecution').length;
    const got = asText((await runSearch(spl, { ...win, dataPaths: [], stateDir: state2, engine: athena(s) })).rows);
    assert.deepEqual(got, expected);
    assert.ok(expected.length > 0);
    const queries = s.calls.filter((c) => c.op === 'StartQueryExecution').length - before;
    assert.ok(queries >= 1 && queries <= 2, `${queries} queries`);
  }
});

test('athena: a slow query is polled until it succeeds', async () => {
  const s = await stub({ runningPolls: 4 });
  const r = await runSearch('`cloudtrail` | stats count by eventName', { now: NOW, engine: athena(s) });
  assert.equal(r.rows.length, 5); // ListBuckets, GetObject, RunInstances, CreateBucket, PutObject
  assert.ok(s.calls.filter((c) => c.op === 'GetQueryExecution').length >= 5);
});

test('athena: results are read page by page (NextToken)', async () => {
  const s = await stub({ pageSize: 2 });
  const r = await runSearch('`cloudtrail` | stats count by eventID', { now: NOW, engine: athena(s) });
  assert.equal(r.rows.length, 7);
  // 7 rows + the header row, 2 per page: 4 pages.
  assert.equal(s.calls.filter((c) => c.op === 'GetQueryResults').length, 4);
});

test('athena: a failed query is an error that names the query and Athena\'s reason', async () => {
  const s = await stub();
  await assert.rejects(
    runSearch('`cloudtrail` | stats count by eventName', { now: NOW, engine: athena(s, { table: 'no_such_table' }) }),
    (err: Error) => /Athena query q-\d+ failed: SYNTAX_ERROR: .*no_such_table/.test(err.message),
  );
});

test('athena: cancelling a running query sends StopQueryExecution', async () => {
  const s = await stub({ runningPolls: Infinity });
  const controller = new AbortController();
  // Cancel once the query is running (Athena has been polled), as Ctrl-C would.
  const watch = setInterval(() => {
    if (s.calls.some((c) => c.op === 'GetQueryExecution')) {
      clearInterval(watch);
      controller.abort();
    }
  }, 5);
  await assert.rejects(
    runSearch('`cloudtrail` | stats count by eventName', { now: NOW, engine: athena(s, { signal: controller.signal }) }),
    /was cancelled; it was stopped \(StopQueryExecution\)/,
  );
  assert.ok(s.calls.some((c) => c.op === 'StopQueryExecution'));
  assert.equal([...s.executions.values()][0]!.state, 'CANCELLED');
});

test('athena: a search that needs whole events cannot run there, and the error says why', async () => {
  const s = await stub();
  await assert.rejects(runSearch('`cloudtrail` eventName=RunInstances', { now: NOW, engine: athena(s) }), /needs every field of each event[\s\S]*no record text/);
  assert.equal(s.calls.length, 0);
});

test('athena: a join whose subsearch reads events after the cut is refused, not run on no data', async () => {
  const s = await stub();
  await assert.rejects(
    runSearch('`cloudtrail` | stats count by eventName | join eventName [search `cloudtrail` | stats dc(userIdentity.arn) as callers by eventName]', { now: NOW, engine: athena(s) }),
    /command 3 \(join\) runs in Trailguard and its subsearch reads events, which live in athena/,
  );
});

test('stub translator: any_match nests, FILTER (WHERE …) is kept', () => {
  assert.equal(trinoToDuckdb('any_match(a, x -> any_match(b, y -> y = x)) AND count(*) FILTER (WHERE z)'), '(len(list_filter(a, lambda x: (len(list_filter(b, lambda y: y = x)) > 0))) > 0) AND count(*) FILTER (WHERE z)');
});
