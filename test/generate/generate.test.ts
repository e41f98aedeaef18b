import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { generate, generateEvents, describeWorkload, buildWorld, type CloudTrailRecord } from '../../src/generate/index.js';
import { buildCall } from '../../src/generate/records.js';
import { api } from '../../src/generate/catalog.js';
import { Rng } from '../../src/generate/prng.js';

const END = Date.UTC(2026, 0, 5, 12, 0, 0);
const DAY = 86_400_000;
const MIN = 60_000;

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'tg-gen-'));
}

function readNdjson(path: string): CloudTrailRecord[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as CloudTrailRecord);
}

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...filesUnder(p));
    else out.push(p);
  }
  return out;
}

// One shared NDJSON run (8 days so the baseline rule "enough_data" can hold) for the property tests.
const shared = (async () => {
  const dir = tmp();
  const summary = await generate({ events: 4000, out: join(dir, 'ct.ndjson'), seed: 'props', days: 8, end: END });
  const records = readNdjson(summary.dataPath);
  const truth = JSON.parse(readFileSync(summary.truthPath, 'utf8'));
  const csv = readFileSync(summary.serviceAccountsPath, 'utf8').trim().split('\n');
  return { dir, summary, records, truth, csv };
})();

test('same seed and arguments give byte-identical data and truth; another seed differs', async () => {
  const [a, b, c] = [tmp(), tmp(), tmp()];
  const args = { events: 1500, seed: 's1', days: 3, end: END };
  const sa = await generate({ ...args, out: join(a, 'x.ndjson') });
  const sb = await generate({ ...args, out: join(b, 'x.ndjson') });
  const sc = await generate({ ...args, seed: 's2', out: join(c, 'x.ndjson') });
  assert.ok(readFileSync(sa.dataPath).equals(readFileSync(sb.dataPath)));
  assert.ok(readFileSync(sa.truthPath).equals(readFileSync(sb.truthPath)));
  assert.ok(readFileSync(sa.serviceAccountsPath).equals(readFileSync(sb.serviceAccountsPath)));
  assert.ok(!readFileSync(sa.dataPath).equals(readFileSync(sc.dataPath)));
});

test('awslogs layout is deterministic too (file names and gzipped bytes)', async () => {
  const [a, b] = [tmp(), tmp()];
  const args = { events: 800, seed: 'aw', days: 1, end: END, layout: 'awslogs' as const };
  await generate({ ...args, out: a });
  await generate({ ...args, out: b });
  const fa = filesUnder(a).map((f) => relative(a, f));
  const fb = filesUnder(b).map((f) => relative(b, f));
  assert.deepEqual(fa, fb);
  for (const f of fa) assert.ok(readFileSync(join(a, f)).equals(readFileSync(join(b, f))), f);
});

test('the event count is exact', async () => {
  for (const n of [40, 999, 2501]) {
    const dir = tmp();
    const s = await generate({ events: n, out: join(dir, 'e.ndjson'), seed: `n${n}`, days: 2, end: END });
    assert.equal(s.events, n);
    assert.equal(readNdjson(s.dataPath).length, n);
  }
});

test('gzip NDJSON round-trips to the same records as plain NDJSON', async () => {
  const [a, b] = [tmp(), tmp()];
  const plain = await generate({ events: 600, out: join(a, 'e.ndjson'), seed: 'gz', days: 2, end: END });
  const zipped = await generate({ events: 600, out: join(b, 'e.ndjson.gz'), seed: 'gz', days: 2, end: END });
  assert.equal(gunzipSync(readFileSync(zipped.dataPath)).toString('utf8'), readFileSync(plain.dataPath, 'utf8'));
});

test('generateEvents yields exactly the records generate writes', async () => {
  const dir = tmp();
  const s = await generate({ events: 700, out: join(dir, 'e.ndjson'), seed: 'iter', days: 2, end: END });
  const fromIterator = [...generateEvents({ events: 700, seed: 'iter', days: 2, end: END })].map((r) => JSON.stringify(r)).join('\n') + '\n';
  assert.equal(fromIterator, readFileSync(s.dataPath, 'utf8'));
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const READ_VERBS = /^(Get|List|Describe|Head|Lookup)/;
const WRITE_VERBS = /^(Create|Delete|Put|Run|Terminate|Start|Stop|Attach|Detach|Update|Modify|Authorize|Revoke|Tag)/;
const NOT_READ_ONLY_GETS = new Set(['GetPasswordData', 'GetAuthorizationToken']);

test('every event is a CloudTrail record with the required fields and a time inside the window', async () => {
  const { records } = await shared;
  const start = END - 8 * DAY;
  const ids = new Set<string>();
  for (const r of records) {
    const e = r as Record<string, unknown>;
    const where = `${r.eventID} ${r.eventName}`;
    assert.ok(e.eventVersion === '1.08' || e.eventVersion === '1.09', where);
    assert.match(r.eventTime, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/, where);
    const t = Date.parse(r.eventTime);
    assert.ok(t >= start && t < END, `${where} at ${r.eventTime} is outside the window`);
    assert.match(r.eventSource, /^[a-z0-9]+\.amazonaws\.com$/, where);
    assert.match(String(e.awsRegion), /^[a-z]{2}-[a-z]+-\d$/, where);
    assert.equal(typeof e.sourceIPAddress, 'string', where);
    assert.equal(typeof e.userAgent, 'string', where);
    assert.match(r.eventID, UUID, where);
    assert.ok(!ids.has(r.eventID), `duplicate eventID ${r.eventID}`);
    ids.add(r.eventID);
    assert.equal(typeof e.readOnly, 'boolean', where);
    assert.equal(typeof e.managementEvent, 'boolean', where);
    assert.match(String(e.recipientAccountId), /^[1-9]\d{11}$/, where);
    assert.ok(e.eventCategory === 'Management' || e.eventCategory === 'Data', where);
    assert.equal(e.managementEvent, e.eventCategory === 'Management', where);
    assert.ok('requestParameters' in e && 'responseElements' in e, where);
    if (r.eventName === 'ConsoleLogin') {
      assert.equal(e.eventType, 'AwsConsoleSignIn', where);
      const outcome = (e.responseElements as { ConsoleLogin: string }).ConsoleLogin;
      assert.ok(outcome === 'Success' || outcome === 'Failure', where);
      assert.match(String((e.additionalEventData as { MFAUsed: string }).MFAUsed), /^(Yes|No)$/, where);
    } else if (e.eventType === 'AwsServiceEvent') {
      assert.equal((r.userIdentity as Record<string, unknown>).invokedBy, r.eventSource, where);
      assert.ok(!('type' in r.userIdentity), where);
    } else {
      assert.equal(e.eventType, 'AwsApiCall', where);
      assert.equal(typeof e.requestID, 'string', where);
    }
    if ('errorCode' in e) {
      assert.equal(typeof e.errorMessage, 'string', where);
      assert.equal(e.responseElements, null, where);
    }
    if (READ_VERBS.test(r.eventName) && !NOT_READ_ONLY_GETS.has(r.eventName)) assert.equal(e.readOnly, true, where);
    if (WRITE_VERBS.test(r.eventName)) assert.equal(e.readOnly, false, where);
  }
});

test('userIdentity shapes: IAMUser, AssumedRole with sessionIssuer, AWSService, Root, none for AwsServiceEvent', async () => {
  const { records } = await shared;
  const seen = new Set<string | undefined>();
  for (const r of records) {
    const ui = r.userIdentity as Record<string, any>;
    seen.add(ui.type);
    const where = `${r.eventID} ${r.eventName}`;
    switch (ui.type) {
      case 'IAMUser':
        assert.match(ui.arn, /^arn:aws:iam::\d{12}:user\/[\w.@-]+$/, where);
        assert.equal(ui.arn.split('/')[1], ui.userName, where);
        assert.match(ui.principalId, /^AIDA[A-Z2-7]{17}$/, where);
        if (ui.sessionContext) {
          assert.match(ui.accessKeyId, /^ASIA/, where);
          assert.match(ui.sessionContext.attributes.mfaAuthenticated, /^(true|false)$/, where);
        } else if (r.eventName !== 'ConsoleLogin') assert.match(ui.accessKeyId, /^AKIA[A-Z2-7]{16}$/, where);
        break;
      case 'AssumedRole': {
        const issuer = ui.sessionContext.sessionIssuer;
        assert.equal(issuer.type, 'Role', where);
        assert.match(ui.arn, /^arn:aws:sts::\d{12}:assumed-role\/[^/]+\/[^/]+$/, where);
        const [, role, session] = ui.arn.split('/');
        assert.equal(issuer.userName, role, where);
        assert.ok(issuer.arn.endsWith(`/${role}`), where);
        assert.equal(ui.principalId, `${issuer.principalId}:${session}`, where);
        assert.match(ui.sessionContext.attributes.mfaAuthenticated, /^(true|false)$/, where);
        assert.equal(ui.accountId, (r as Record<string, unknown>).recipientAccountId, where);
        break;
      }
      case 'AWSService':
        assert.match(ui.invokedBy, /\.amazonaws\.com$/, where);
        assert.equal((r as Record<string, unknown>).sourceIPAddress, ui.invokedBy, where);
        break;
      case 'Root':
        assert.match(ui.arn, /^arn:aws:iam::\d{12}:root$/, where);
        break;
      case undefined:
        assert.equal((r as Record<string, unknown>).eventType, 'AwsServiceEvent', where);
        assert.match(ui.accountId, /^\d{12}$/, where);
        break;
      default:
        assert.fail(`unexpected userIdentity.type ${ui.type}`);
    }
  }
  for (const t of ['IAMUser', 'AssumedRole', 'AWSService', undefined]) assert.ok(seen.has(t), `no ${t ?? 'AwsServiceEvent'} events`);
});

test('AssumeRole and RunInstances carry their request and response shapes', async () => {
  const { records } = await shared;
  const assume = records.filter((r) => r.eventName === 'AssumeRole' && !('errorCode' in r));
  assert.ok(assume.length > 0);
  for (const r of assume) {
    const e = r as Record<string, any>;
    assert.match(e.requestParameters.roleArn, /^arn:aws:iam::\d{12}:role\//);
    assert.equal(typeof e.requestParameters.roleSessionName, 'string');
    assert.equal(e.responseElements.assumedRoleUser.arn.split('/')[2], e.requestParameters.roleSessionName);
    assert.match(e.responseElements.credentials.accessKeyId, /^ASIA/);
  }
  const world = buildWorld('run');
  const caller = world.identities.find((i) => i.kind === 'service-user')!;
  for (let k = 0; k < 5; k++) {
    const built = buildCall(new Rng(`run${k}`), world, { identity: caller, api: api('ec2:RunInstances'), time: END - k * MIN, success: true });
    const e = built.record as Record<string, any>;
    assert.equal(e.readOnly, false);
    assert.match(e.requestParameters.instancesSet.items[0].imageId, /^ami-/);
    assert.match(e.responseElements.instancesSet.items[0].instanceId, /^i-0[0-9a-f]{16}$/);
  }
});

test('events are sorted by time', async () => {
  const { records } = await shared;
  for (let i = 1; i < records.length; i++) assert.ok(records[i - 1]!.eventTime <= records[i]!.eventTime, `out of order at line ${i + 1}`);
});

test('volume follows a daily rhythm (busiest hour of day well above the quietest)', async () => {
  const { records } = await shared;
  const perHour = new Array(24).fill(0);
  for (const r of records) perHour[Number(r.eventTime.slice(11, 13))]++;
  assert.ok(Math.max(...perHour) > 2 * Math.min(...perHour), perHour.join(','));
});

test('the world has 3-5 accounts, people with and without MFA, service accounts, and roles', async () => {
  const { truth, csv } = await shared;
  const w = truth.world;
  assert.ok(w.accounts.length >= 3 && w.accounts.length <= 5);
  for (const a of w.accounts) assert.match(a.id, /^[1-9]\d{11}$/);
  assert.ok(w.users.some((u: any) => u.kind === 'human' && u.mfa));
  assert.ok(w.users.some((u: any) => u.kind === 'human' && !u.mfa));
  assert.ok(w.roles.some((r: any) => r.kind === 'human-role'));
  assert.ok(w.roles.some((r: any) => r.kind === 'workload-role'));
  assert.equal(csv[0], 'identity');
  // The allow-list: service accounts by user name, then the approved roles by role ARN.
  assert.deepEqual(csv.slice(1), [...w.serviceAccounts, ...w.approvedRoles.map((r: any) => r.arn)]);
  assert.deepEqual(w.serviceAccounts, w.users.filter((u: any) => u.kind === 'service').map((u: any) => u.userName).sort());
  const approvable = w.roles.filter((r: any) => r.kind === 'workload-role' || r.assumedVia === 'sso').map((r: any) => r.arn).sort();
  assert.ok(approvable.length > 0);
  assert.deepEqual(w.approvedRoles.map((r: any) => r.arn), approvable);
});

test('service accounts never sign in to the console or use MFA', async () => {
  const { records, truth } = await shared;
  const services = new Set<string>(truth.world.serviceAccounts);
  let withoutMfa = 0;
  for (const r of records) {
    const ui = r.userIdentity as Record<string, any>;
    if (ui.type !== 'IAMUser' || !services.has(ui.userName)) continue;
    assert.notEqual(r.eventName, 'ConsoleLogin');
    assert.notEqual(ui.sessionContext?.attributes?.mfaAuthenticated, 'true');
    if (ui.sessionContext?.attributes?.mfaAuthenticated === 'false') withoutMfa++;
  }
  assert.ok(withoutMfa > 0, 'the allow-list should matter: service accounts make some MFA-less session calls');
});

test('truth: every injected eventID is in the output, inside end-60m .. end-15m (context calls marked history: more than a day earlier)', async () => {
  const { records, truth } = await shared;
  const byId = new Map(records.map((r) => [r.eventID, r]));
  // (a)-(c) for the seeds, (d)-(e) for the variants.
  assert.equal(truth.scenarios.length, 5);
  for (const s of truth.scenarios) {
    assert.ok(s.eventIDs.length > 0, s.id);
    for (const ev of s.events) {
      const r = byId.get(ev.eventID);
      assert.ok(r, `${s.id}: ${ev.eventID} missing from the output`);
      assert.equal(r.eventName, ev.eventName);
      assert.equal(r.eventTime, ev.eventTime);
      const t = Date.parse(r.eventTime);
      if (ev.history) {
        assert.equal(ev.matches, false, `${s.id}: a history context call is not what the detection reports`);
        assert.ok(t < END - DAY, `${s.id} history call at ${r.eventTime}`);
      } else assert.ok(t >= END - 60 * MIN && t <= END - 15 * MIN, `${s.id} at ${r.eventTime}`);
    }
  }
});

test('truth: MFA scenario (Detect API activity from users without MFA) events have mfaAuthenticated=false and a non-service user', async () => {
  const { records, truth, csv } = await shared;
  const s = truth.scenarios.find((x: any) => x.detection.name === 'Detect API activity from users without MFA');
  const services = new Set(csv.slice(1));
  for (const id of s.eventIDs) {
    const r = records.find((x) => x.eventID === id)!;
    const ui = r.userIdentity as Record<string, any>;
    assert.equal(ui.sessionContext.attributes.mfaAuthenticated, 'false');
    assert.equal(ui.type, 'IAMUser');
    assert.ok(!services.has(ui.userName), `${ui.userName} is a service account`);
    assert.ok(!('errorCode' in r));
  }
});

function roleOf(r: CloudTrailRecord): string | null {
  const ui = r.userIdentity as Record<string, any>;
  return ui.type === 'AssumedRole' ? ui.sessionContext.sessionIssuer.userName : null;
}

test('truth: new-API scenario (Detect new API calls from user roles): the (role, eventName) pair never occurs earlier', async () => {
  const { records, truth } = await shared;
  const s = truth.scenarios.find((x: any) => x.detection.name === 'Detect new API calls from user roles');
  const firstIdx = Math.min(...s.eventIDs.map((id: string) => records.findIndex((r) => r.eventID === id)));
  for (const id of s.eventIDs) {
    const r = records.find((x) => x.eventID === id)!;
    assert.equal(roleOf(r), s.identity.name);
    assert.equal((r as Record<string, unknown>).eventType, 'AwsApiCall');
    assert.ok(!('errorCode' in r), 'scenario calls succeed (errorCode=success)');
    const earlier = records.slice(0, firstIdx).filter((x) => roleOf(x) === s.identity.name && x.eventName === r.eventName);
    assert.equal(earlier.length, 0, `${s.identity.name} called ${r.eventName} before`);
  }
});

test('truth: unseen role/command scenario (Cloud API Calls From Previously Unseen User Roles) is a successful write no role made before', async () => {
  const { records, truth } = await shared;
  const s = truth.scenarios.find((x: any) => x.detection.name === 'Cloud API Calls From Previously Unseen User Roles');
  for (const id of s.eventIDs) {
    const idx = records.findIndex((x) => x.eventID === id);
    const r = records[idx]! as Record<string, any>;
    assert.equal(r.userIdentity.type, 'AssumedRole');
    assert.equal(r.readOnly, false);
    assert.ok(!('errorCode' in r));
    const earlier = records.slice(0, idx).filter((x) => roleOf(x) !== null && x.eventName === r.eventName && x.eventID !== id && !s.eventIDs.includes(x.eventID));
    assert.equal(earlier.length, 0, `some role called ${r.eventName} before`);
  }
  // The routine context call repeats a pair known since the start, so the window has a known row too.
  const context = s.events.filter((e: any) => !e.matches);
  assert.equal(context.length, 1);
  const ctxIdx = records.findIndex((x) => x.eventID === context[0].eventID);
  const ctx = records[ctxIdx]!;
  assert.ok(records.slice(0, ctxIdx).some((x) => roleOf(x) === roleOf(ctx) && x.eventName === ctx.eventName && !('errorCode' in x)));
});

test('history reaches back past -7d@d, with a successful AssumedRole write first (baseline enough_data rule)', async () => {
  const { records } = await shared;
  const sevenDaysAtDay = Math.floor((END - 7 * DAY) / DAY) * DAY;
  const first = records.find((r) => roleOf(r) !== null && (r as Record<string, unknown>).readOnly === false && !('errorCode' in r))!;
  assert.ok(Date.parse(first.eventTime) <= sevenDaysAtDay, first.eventTime);
});

test('awslogs: file names parse back to account/region/date, gunzip to sorted Records of one delivery interval', async () => {
  const dir = tmp();
  const s = await generate({ events: 1200, out: dir, layout: 'awslogs', seed: 'tree', days: 2, end: END });
  const files = filesUnder(join(dir, 'AWSLogs'));
  assert.equal(files.length, s.files);
  const NAME = /^(\d{12})_CloudTrail_([a-z]{2}-[a-z]+-\d)_(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})Z_[A-Za-z0-9]{16}\.json\.gz$/;
  let total = 0;
  for (const f of files) {
    const parts = relative(join(dir, 'AWSLogs'), f).split(sep);
    assert.equal(parts.length, 7, f);
    const [account, ct, region, yyyy, mm, dd, name] = parts as [string, string, string, string, string, string, string];
    assert.equal(ct, 'CloudTrail');
    const m = NAME.exec(name);
    assert.ok(m, `bad file name ${name}`);
    assert.equal(m[1], account);
    assert.equal(m[2], region);
    assert.deepEqual([m[3], m[4], m[5]], [yyyy, mm, dd]);
    const stamp = Date.UTC(+m[3]!, +m[4]! - 1, +m[5]!, +m[6]!, +m[7]!);
    assert.equal(stamp % (5 * MIN), 0);
    const doc = JSON.parse(gunzipSync(readFileSync(f)).toString('utf8')) as { Records: CloudTrailRecord[] };
    assert.ok(Array.isArray(doc.Records) && doc.Records.length > 0);
    let prev = '';
    for (const r of doc.Records) {
      const e = r as Record<string, unknown>;
      assert.equal(e.recipientAccountId, account);
      assert.equal(e.awsRegion, region);
      const t = Date.parse(r.eventTime);
      assert.ok(t >= stamp - 5 * MIN && t < stamp, `${r.eventTime} not in the interval ending ${name}`);
      assert.ok(prev <= r.eventTime);
      prev = r.eventTime;
    }
    total += doc.Records.length;
  }
  assert.equal(total, 1200);
  assert.ok(statSync(s.truthPath).isFile() && statSync(s.serviceAccountsPath).isFile());
});

test('the scenarios do not depend on --events (same seed and end → same injected events)', () => {
  const a = describeWorkload({ events: 500, seed: 'stable', days: 2, end: END });
  const b = describeWorkload({ events: 5000, seed: 'stable', days: 2, end: END });
  assert.deepEqual(a.scenarios, b.scenarios);
});

test('bad options are usage errors', async () => {
  const dir = tmp();
  const cases: [object, RegExp][] = [
    [{ events: 0 }, /--events/],
    [{ events: 1.5 }, /--events/],
    [{ events: 5 }, /too small/],
    [{ events: 100, days: 0.01 }, /--days/],
    [{ events: 100, layout: 'csv' }, /--layout/],
  ];
  for (const [opts, msg] of cases) {
    await assert.rejects(generate({ out: join(dir, 'x.ndjson'), end: END, ...opts } as never), (e: any) => e.phase === 'usage' && msg.test(e.reason));
  }
  const out = join(dir, 'y.ndjson');
  await generate({ events: 100, out, end: END, days: 1 });
  await assert.rejects(generate({ events: 100, out, end: END, days: 1 }), (e: any) => e.phase === 'usage' && /already exists/.test(e.reason));
  await generate({ events: 100, out, end: END, days: 1, force: true });
});

test('truth: background lists (new role/API pairs, MFA-less IAM users in the detection window) agree with the output', async () => {
  const { records, truth, csv } = await shared;
  const earliest = Date.parse(truth.detectionWindow.earliest);
  const latest = Date.parse(truth.detectionWindow.latest);
  assert.equal(latest - earliest, 60 * MIN);
  const scenarioIds = new Set(truth.scenarios.flatMap((s: any) => s.events.map((e: any) => e.eventID)));
  const first = new Map<string, number>();
  const mfaLess = new Map<string, number>();
  const services = new Set(csv.slice(1));
  for (const r of records) {
    if (scenarioIds.has(r.eventID)) continue;
    const t = Date.parse(r.eventTime);
    const e = r as Record<string, any>;
    const role = roleOf(r);
    if (role && e.eventType === 'AwsApiCall' && !('errorCode' in e)) {
      const k = `${role}|${r.eventName}`;
      if (!first.has(k)) first.set(k, t);
    }
    const ui = e.userIdentity;
    if (ui.type === 'IAMUser' && ui.sessionContext?.attributes?.mfaAuthenticated === 'false' && t >= earliest && t < latest && !services.has(ui.userName)) {
      mfaLess.set(ui.userName, (mfaLess.get(ui.userName) ?? 0) + 1);
    }
  }
  const expectedPairs = [...first].filter(([, t]) => t >= earliest && t < latest).map(([k]) => k).sort();
  assert.deepEqual(truth.background.roleApiPairsFirstSeenInDetectionWindow.map((p: any) => `${p.userName}|${p.eventName}`).sort(), expectedPairs);
  assert.deepEqual(
    truth.background.iamUsersWithoutMfaInDetectionWindow.map((u: any) => [u.userName, u.count]),
    [...mfaLess].sort((a, b) => a[0].localeCompare(b[0])),
  );
});
