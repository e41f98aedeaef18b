/**
 * The three seed detections and their four baselines, run as written (content/ YAML, macros
 * expanded) over a hand-written fixture and over the invictus-ir dataset. Expected rows are
 * derived by hand (fixture) or by an independent plain-JS reading of the NDJSON that follows the
 * SPL.md rules named beside it — never by the engine.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parse } from 'yaml';
import { repoPath, fixturePath, INVICTUS_NDJSON_GZ } from '../helpers.js';
import { runSearch, type SearchSetup } from '../../src/engine/session.js';
import type { Value } from '../../src/eval/value.js';

type Obj = Record<string, Value>;

function seed(kind: 'detections' | 'baselines', name: string): string {
  return (parse(readFileSync(repoPath('content', kind, `${name}.yml`), 'utf8')) as { search: string }).search;
}

const FIXTURE = fixturePath('engine', 'seed-events.ndjson');
const INVICTUS = INVICTUS_NDJSON_GZ;
const FIXTURE_NOW = Date.parse('2024-03-05T12:00:00Z') / 1000;
const INVICTUS_NOW = Date.parse('2023-07-10T13:00:00Z') / 1000;
const iso = (s: string) => Date.parse(s) / 1000;

function stateDir(): string {
  return mkdtempSync(join(tmpdir(), 'tg-seeds-'));
}

async function rows(spl: string, setup: SearchSetup): Promise<Obj[]> {
  const r = await runSearch(spl, setup);
  return r.rows.map((x) => x.toObject());
}

// ───────────────────────── fixture (test/fixtures/engine/README.md lists the events) ─────────────────────────

test('seed "Detect API activity from users without MFA" on the fixture, service account excluded (§2.8, §4.1)', async () => {
  const state = stateDir();
  mkdirSync(join(state, 'lookups'));
  writeFileSync(join(state, 'lookups', 'aws_service_accounts.csv'), 'identity\nsvc-backup\n');
  const out = await rows(seed('detections', 'detect_api_activity_from_users_without_mfa'), { dataPaths: [FIXTURE], now: FIXTURE_NOW, stateDir: state });
  // By hand: mfaAuthenticated=false → events 1, 4, 5, 6, 7, 8; event 7's user svc-backup is in
  // the allow-list. Event 1: alice (IAMUser). Events 4,5,6,8: role deployer; `user` for
  // RunInstances (%Instances) and CreateBucket (%Bucket) is the session issuer, deployer (§9.1).
  // Groups ordered by userIdentity.arn: arn:aws:iam… < arn:aws:sts…
  assert.deepEqual(out, [
    {
      'userIdentity.arn': 'arn:aws:iam::111122223333:user/alice', 'userIdentity.type': 'IAMUser', user: 'alice',
      count: 1, firstTime: '2024-03-05T11:10:00', lastTime: '2024-03-05T11:10:00', eventName: 'ListBuckets',
    },
    {
      'userIdentity.arn': 'arn:aws:sts::111122223333:assumed-role/deployer/s1', 'userIdentity.type': 'AssumedRole', user: 'deployer',
      count: 4, firstTime: '2024-02-20T10:00:00', lastTime: '2024-03-05T11:50:00', eventName: ['CreateBucket', 'RunInstances'],
    },
  ]);
});

test('seed MFA detection with the shipped empty allow-list keeps every user: NOT [ empty ] (§2.8, §10.19)', async () => {
  const out = await rows(seed('detections', 'detect_api_activity_from_users_without_mfa'), { dataPaths: [FIXTURE], now: FIXTURE_NOW, stateDir: stateDir() });
  assert.deepEqual(out.map((r) => r.user), ['alice', 'svc-backup', 'deployer']);
});

test('seed baseline "Create a list of approved AWS service accounts" writes every successful userName (§7.3)', async () => {
  const state = stateDir();
  const out = await rows(seed('baselines', 'create_a_list_of_approved_aws_service_accounts'), { dataPaths: [FIXTURE], now: FIXTURE_NOW, stateDir: state });
  // errorCode=success: all but event 5. userName (§9.1 chain): alice, carol, deployer, svc-backup.
  assert.deepEqual(out, [{ count: 4 }]);
  assert.equal(readFileSync(join(state, 'lookups', 'aws_service_accounts.csv'), 'utf8').trim().split(/\r?\n/).join(','), 'identity,alice,carol,deployer,svc-backup');
});

test('seed baselines + "Cloud API Calls From Previously Unseen User Roles" on the fixture (§4.5, §7.4, §8)', async () => {
  const state = stateDir();
  const base = { dataPaths: [FIXTURE], now: FIXTURE_NOW, stateDir: state };
  // Initial baseline over [-30d@d, -1d@d) = [2024-02-04, 2024-03-04): only event 6 (deployer
  // CreateBucket, success, Change via Create*). globalFirstTime 2024-02-20 <= -7d@d (2024-02-27) → enough_data 1.
  const initial = await rows(seed('baselines', 'previously_seen_cloud_api_calls_per_user_role___initial'), { ...base, earliest: '-30d@d', latest: '-1d@d' });
  assert.deepEqual(initial, [{ user: 'deployer', command: 'CreateBucket', firstTimeSeen: iso('2024-02-20T10:00:00Z'), lastTimeSeen: iso('2024-02-20T10:00:00Z'), enough_data: 1 }]);

  // Detection over the last 70 minutes (10:50–12:00): AssumedRole + success Change rows are
  // event 4 (RunInstances, object = new instance i-0abc) and event 8 (CreateBucket, object logs-b);
  // event 5 failed. CreateBucket is in the table with firstTimeSeen 2024-02-20, older than
  // -24h@h → dropped; RunInstances has no match → firstTimeSeenUserApiCall null → kept.
  const det = await rows(seed('detections', 'cloud_api_calls_from_previously_unseen_user_roles'), { ...base, earliest: '-70m@m' });
  assert.deepEqual(det, [{ firstTime: '2024-03-05T11:40:00', user: 'deployer', object: 'i-0abc', command: 'RunInstances' }]);

  // Update baseline over the same window merges with the table: CreateBucket keeps its first
  // time and takes 11:45 as last; RunInstances is new.
  await rows(seed('baselines', 'previously_seen_cloud_api_calls_per_user_role___update'), { ...base, earliest: '-70m@m' });
  const table = await rows('| inputlookup previously_seen_cloud_api_calls_per_user_role', base);
  assert.deepEqual(table, [
    { user: 'deployer', command: 'CreateBucket', firstTimeSeen: String(iso('2024-02-20T10:00:00Z')), lastTimeSeen: String(iso('2024-03-05T11:45:00Z')), enough_data: '1' },
    { user: 'deployer', command: 'RunInstances', firstTimeSeen: String(iso('2024-03-05T11:40:00Z')), lastTimeSeen: String(iso('2024-03-05T11:40:00Z')), enough_data: '1' },
  ]);
});

test('seed baseline + "Detect new API calls from user roles" on the fixture: subsearch writes the lookup (§2.8, §7.2)', async () => {
  const state = stateDir();
  const base = { dataPaths: [FIXTURE], now: FIXTURE_NOW, stateDir: state };
  // Baseline over [-30d@d, -1d@d): event 6 → (deployer, CreateBucket, 2024-02-20).
  const b = await rows(seed('baselines', 'previously_seen_api_call_per_user_roles_in_cloudtrail'), { ...base, earliest: '-30d@d', latest: '-1d@d' });
  assert.deepEqual(b, [{ count: 1 }]);
  // Detection over -70m@m: AssumedRole, AwsApiCall, success → events 4 (RunInstances 11:40) and 8
  // (CreateBucket 11:45). Merged with the table, CreateBucket's earliest is 2024-02-20 (< -70m@m =
  // 10:50) so only RunInstances is new; the outer search keeps event 4.
  const det = await rows(seed('detections', 'detect_new_api_calls_from_user_roles'), { ...base, earliest: '-70m@m' });
  assert.deepEqual(det, [{ user: 'deployer', 'values(eventName)': 'RunInstances', earliest: '2024-03-05T11:40:00', latest: '2024-03-05T11:40:00' }]);
  const table = await rows('| inputlookup previously_seen_api_calls_from_user_roles | table userName eventName earliest latest', base);
  assert.deepEqual(table, [
    { userName: 'deployer', eventName: 'CreateBucket', earliest: String(iso('2024-02-20T10:00:00Z')), latest: String(iso('2024-03-05T11:45:00Z')) },
    { userName: 'deployer', eventName: 'RunInstances', earliest: String(iso('2024-03-05T11:40:00Z')), latest: String(iso('2024-03-05T11:40:00Z')) },
  ]);
});

// ───────────────────────── invictus-ir dataset, independent reading ─────────────────────────

interface Ev {
  line: string;
  e: Record<string, any>;
}

function invictus(): Ev[] {
  return gunzipSync(readFileSync(INVICTUS)).toString('utf8').split('\n').filter((l) => l.trim()).map((line) => ({ line, e: JSON.parse(line) }));
}

const issuerName = (e: any): string | undefined => e.userIdentity?.sessionContext?.sessionIssuer?.userName;
/** SPL.md §9.1 `user` for the event names present in this dataset: %Instances/%Volume/Put%/%Bucket use the caller, else the issuer; default userIdentity.userName. */
function userOf(e: any): string | undefined {
  const n: string = e.eventName;
  if (/(Instances|Volume|Bucket)$/.test(n) || n.startsWith('Put')) return e.userIdentity?.userName ?? issuerName(e);
  return e.userIdentity?.userName;
}
/** SPL.md §9.1 `userName` chain. */
function userNameOf(e: any): string | undefined {
  const arn: string | undefined = e.userIdentity?.arn ?? e.requestParameters?.roleArn;
  return e.userIdentity?.userName ?? e.requestParameters?.sourceIdentity ?? issuerName(e) ?? arn?.split('/').pop();
}
const epoch = (t: string) => Date.parse(t) / 1000;
const ctime = (t: number) => new Date(t * 1000).toISOString().slice(0, 19);
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

test('seed MFA detection on invictus-ir equals an independent count per arn/type/user (§4.1, §9.1)', async () => {
  const groups = new Map<string, { arn: string; type: string; user: string; n: number; min: number; max: number; names: Set<string> }>();
  for (const { e } of invictus()) {
    if (e.userIdentity?.sessionContext?.attributes?.mfaAuthenticated !== 'false') continue;
    const user = userOf(e);
    const arn = e.userIdentity?.arn;
    const type = e.userIdentity?.type;
    if (user === undefined || arn === undefined || type === undefined) continue; // null by-field → dropped
    const k = [arn, type, user].join('\u0000');
    const t = epoch(e.eventTime);
    const g = groups.get(k) ?? { arn, type, user, n: 0, min: Infinity, max: -Infinity, names: new Set<string>() };
    g.n++;
    g.min = Math.min(g.min, t);
    g.max = Math.max(g.max, t);
    g.names.add(e.eventName);
    groups.set(k, g);
  }
  const expected = [...groups.values()]
    .sort((a, b) => byText(a.arn, b.arn) || byText(a.type, b.type) || byText(a.user, b.user))
    .map((g) => {
      const names = [...g.names].sort(byText);
      return {
        'userIdentity.arn': g.arn, 'userIdentity.type': g.type, user: g.user, count: g.n,
        firstTime: ctime(g.min), lastTime: ctime(g.max), eventName: names.length === 1 ? names[0]! : names,
      };
    });
  assert.ok(expected.length >= 5);
  const out = await rows(seed('detections', 'detect_api_activity_from_users_without_mfa'), { dataPaths: [INVICTUS], now: INVICTUS_NOW, stateDir: stateDir() });
  assert.deepEqual(out, expected);
});

test('seed Change baseline on invictus-ir equals an independent reading of §8/§12.1; the detection finds nothing (enough_data=0)', async () => {
  // Change membership (§12.1) for these events: readOnly false, a Create* name, or Delete/Remove/
  // Reboot as a raw term. user_type (§9.1): the issuer's type for DeleteNetworkInterface, else
  // userIdentity.type. status success = no errorCode. user null → "unknown" (§8.2).
  const groups = new Map<string, { user: string; command: string; first: number; last: number }>();
  for (const { e, line } of invictus()) {
    const userType = e.eventName === 'DeleteNetworkInterface' ? (e.userIdentity?.sessionContext?.sessionIssuer?.type ?? e.userIdentity?.type) : e.userIdentity?.type;
    if (userType !== 'AssumedRole' || e.errorCode !== undefined) continue;
    const change = e.readOnly === false || String(e.eventName).startsWith('Create') || /(?<![A-Za-z0-9])(delete|remove|reboot)(?![A-Za-z0-9])/i.test(line);
    if (!change) continue;
    const user = userOf(e) ?? 'unknown';
    const k = `${user}\u0000${e.eventName}`;
    const t = epoch(e.eventTime);
    const g = groups.get(k) ?? { user, command: e.eventName, first: Infinity, last: -Infinity };
    g.first = Math.min(g.first, t);
    g.last = Math.max(g.last, t);
    groups.set(k, g);
  }
  // now = 2023-07-10T13:00Z: -7d@d = 2023-07-03, later than every event → enough_data 0.
  const expected = [...groups.values()]
    .sort((a, b) => byText(a.user, b.user) || byText(a.command, b.command))
    .map((g) => ({ user: g.user, command: g.command, firstTimeSeen: g.first, lastTimeSeen: g.last, enough_data: 0 }));
  const state = stateDir();
  const base = { dataPaths: [INVICTUS], now: INVICTUS_NOW, stateDir: state };
  const initial = await rows(seed('baselines', 'previously_seen_cloud_api_calls_per_user_role___initial'), base);
  assert.deepEqual(initial, expected);
  const update = await rows(seed('baselines', 'previously_seen_cloud_api_calls_per_user_role___update'), base);
  assert.deepEqual(update.map((r) => ({ ...r, firstTimeSeen: Number(r.firstTimeSeen), lastTimeSeen: Number(r.lastTimeSeen) })), expected);
  const det = await rows(seed('detections', 'cloud_api_calls_from_previously_unseen_user_roles'), base);
  assert.deepEqual(det, []);
});

test('seed "Detect new API calls from user roles" + its baseline on invictus-ir equal an independent reading (§2.8, §6)', async () => {
  const sel = invictus().filter(({ e }) => e.eventType === 'AwsApiCall' && e.errorCode === undefined && e.userIdentity?.type === 'AssumedRole');
  const pairs = new Map<string, { userName: string; eventName: string; first: number }>();
  for (const { e } of sel) {
    const userName = userNameOf(e);
    if (userName === undefined) continue;
    const k = `${userName}\u0000${e.eventName}`;
    const p = pairs.get(k) ?? { userName, eventName: e.eventName, first: Infinity };
    p.first = Math.min(p.first, epoch(e.eventTime));
    pairs.set(k, p);
  }
  // relative_time(now, "-70m@m") with now 13:00 → 11:50:00.
  const cutoff = epoch('2023-07-10T11:50:00Z');
  const isNew = new Set([...pairs.values()].filter((p) => p.first >= cutoff).map((p) => `${p.userName}\u0000${p.eventName}`));
  const users = new Map<string, { names: Set<string>; min: number; max: number }>();
  for (const { e } of sel) {
    const userName = userNameOf(e);
    if (userName === undefined || !isNew.has(`${userName}\u0000${e.eventName}`)) continue;
    const u = users.get(userName) ?? { names: new Set<string>(), min: Infinity, max: -Infinity };
    const t = epoch(e.eventTime);
    u.names.add(e.eventName);
    u.min = Math.min(u.min, t);
    u.max = Math.max(u.max, t);
    users.set(userName, u);
  }
  const expected = [...users.entries()].sort((a, b) => byText(a[0], b[0])).map(([user, u]) => {
    const names = [...u.names].sort(byText);
    return { user, 'values(eventName)': names.length === 1 ? names[0]! : names, earliest: ctime(u.min), latest: ctime(u.max) };
  });
  assert.ok(expected.length > 0);
  const state = stateDir();
  const base = { dataPaths: [INVICTUS], now: INVICTUS_NOW, stateDir: state };
  const b = await rows(seed('baselines', 'previously_seen_api_call_per_user_roles_in_cloudtrail'), base);
  assert.deepEqual(b, [{ count: pairs.size }]);
  const det = await rows(seed('detections', 'detect_new_api_calls_from_user_roles'), base);
  assert.deepEqual(det, expected);
});
