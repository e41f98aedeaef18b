/**
 * Scenarios (d) and (e) of the generator, the activity the blunted seeds miss, checked against
 * the generated events for several seeds: the truth says what was injected, and the events show
 * it has the properties the scenarios claim (read here in plain JavaScript; the add-on's `user`
 * and `user_type` rules come from test/detect/expected.ts, which follows SPL.md §9.1).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate, describeWorkload, DETECTIONS, type ScenarioTruth } from '../../src/generate/index.js';
import { addonUser, addonUserType, readEvents, type Ev } from '../detect/expected.js';

const END = Date.UTC(2026, 0, 5, 12, 0, 0);
const DAY = 86_400_000;
const MIN = 60_000;
const SEEDS = ['props', 'trailguard', 'scenario-2', 'scenario-3'];

const runs = await Promise.all(
  SEEDS.map(async (seed) => {
    const dir = mkdtempSync(join(tmpdir(), 'tg-scen-'));
    const s = await generate({ events: 3000, seed, days: 8, end: END, out: join(dir, 'ct.ndjson') });
    const out = {
      seed,
      events: readEvents(readFileSync(s.dataPath, 'utf8')),
      truth: JSON.parse(readFileSync(s.truthPath, 'utf8')) as { scenarios: ScenarioTruth[]; world: { approvedRoles: { arn: string }[]; roles: { arn: string; roleName: string; kind: string; assumedVia: string }[] } },
      allow: readFileSync(s.serviceAccountsPath, 'utf8').trim().split('\n').slice(1),
    };
    rmSync(dir, { recursive: true, force: true });
    return out;
  }),
);

const roleOf = (ev: Ev): string | null => (ev.e.userIdentity?.type === 'AssumedRole' ? ev.e.userIdentity.sessionContext.sessionIssuer.userName : null);
const byId = (events: Ev[], id: string) => events.find((x) => x.e.eventID === id)!;

test('(d) a role runs a change command that only another role ran before, more than a day earlier', () => {
  for (const { seed, events, truth } of runs) {
    const s = truth.scenarios.find((x) => x.id === 'known-command-new-role');
    assert.ok(s, `${seed}: no scenario (d)`);
    assert.equal(s.detection.id, DETECTIONS.unseenRoleCommandPerRole.id);
    const attack = byId(events, s.eventIDs[0]!);
    const context = byId(events, s.events.find((e) => e.history)!.eventID);
    const role = roleOf(attack)!;
    const command = attack.e.eventName;
    assert.equal(role, s.identity.name, seed);
    assert.equal(attack.e.readOnly, false, `${seed}: a write`);
    assert.ok(!('errorCode' in attack.e) && !('errorCode' in context.e), `${seed}: both calls succeed`);
    assert.ok(attack.t * 1000 >= END - 60 * MIN && attack.t * 1000 <= END - 15 * MIN, seed);
    assert.equal(context.e.eventName, command);
    assert.ok(roleOf(context) !== null && roleOf(context) !== role, `${seed}: the history call is another role's`);
    assert.ok(context.t * 1000 < END - DAY, `${seed}: the history call is more than a day old`);
    // This role never ran the command before; in the seed's Change row both calls are (unknown, command).
    assert.ok(!events.some((x) => x.t < attack.t && roleOf(x) === role && x.e.eventName === command), `${seed}: ${role} ran ${command} before`);
    for (const ev of [attack, context]) {
      assert.equal(addonUser(ev.e), null, `${seed}: the add-on's user of ${command} is null for a role`);
      assert.equal(addonUserType(ev.e), 'AssumedRole', seed);
    }
  }
});

test('(e) an MFA-less role session creates an access key for an allow-listed user; the session is MFA-less only there', () => {
  for (const { seed, events, truth, allow } of runs) {
    const s = truth.scenarios.find((x) => x.id === 'role-session-without-mfa-creates-access-key');
    assert.ok(s, `${seed}: no scenario (e)`);
    assert.equal(s.detection.id, DETECTIONS.apiWithoutMfaPerArn.id);
    const calls = s.eventIDs.map((id) => byId(events, id));
    const session = calls[0]!.e.userIdentity.arn;
    for (const c of calls) {
      assert.equal(c.e.userIdentity.arn, session);
      assert.equal(c.e.userIdentity.sessionContext.attributes.mfaAuthenticated, 'false');
      assert.ok(!('invokedBy' in c.e.userIdentity), seed);
    }
    const created = calls.find((c) => c.e.eventName === 'CreateAccessKey')!;
    const target = created.e.requestParameters.userName;
    assert.ok(allow.includes(target), `${seed}: ${target} is on the allow-list`);
    assert.equal(addonUser(created.e), target, `${seed}: the add-on names the target user`);
    // A person's cross-account role, not approved on the allow-list, and not scenario (a)'s role.
    const role = truth.world.roles.find((r) => r.roleName === s.identity.name && r.arn === s.identity.arn)!;
    assert.equal(role.assumedVia, 'cross-account');
    assert.ok(!allow.includes(role.arn) && !allow.includes(role.roleName), seed);
    assert.notEqual(s.identity.name, truth.scenarios.find((x) => x.id === 'new-api-call-from-role')!.identity.name, seed);
    const mfaLessElsewhere = events.filter((x) => x.e.userIdentity?.arn === session && x.e.userIdentity.sessionContext?.attributes?.mfaAuthenticated === 'false' && !s.eventIDs.includes(x.e.eventID));
    assert.deepEqual(mfaLessElsewhere, [], `${seed}: the session has MFA-less calls outside the scenario`);
  }
});

test('the allow-list approves workload and SSO roles by ARN, never service-linked or cross-account roles', () => {
  for (const { seed, truth, allow } of runs) {
    for (const r of truth.world.roles) {
      const approvable = r.kind === 'workload-role' || r.assumedVia === 'sso';
      assert.equal(allow.includes(r.arn), approvable, `${seed}: ${r.arn}`);
      assert.ok(!allow.includes(r.roleName), `${seed}: role names are not listed (the seed's user matches names)`);
    }
  }
});

test('scenarios (d) and (e) do not change with --events and leave (a)-(c) in place', () => {
  const a = describeWorkload({ events: 500, seed: 'stable', days: 3, end: END });
  const b = describeWorkload({ events: 5000, seed: 'stable', days: 3, end: END });
  assert.deepEqual(a.scenarios, b.scenarios);
  assert.deepEqual(a.scenarios.map((s) => s.id), ['new-api-call-from-role', 'api-activity-without-mfa', 'unseen-role-command', 'known-command-new-role', 'role-session-without-mfa-creates-access-key']);
});
