/**
 * The injected activity each seed detection (a)-(c), and each Trailguard variant (d)-(e), should
 * find, placed inside the last hour before `end` (between end-60m and end-15m, so a
 * `-70m@m`..`-10m@m` window at now=end holds it); (d) also places one context call at the start
 * of the history (marked `history: true`). Built with their own random streams, so the scenarios
 * do not change with --events, and adding one does not change the others.
 */
import { CONSOLE_BROWSE_APIS, INTRUSION_WRITES, RECON_APIS, api, type ApiDef } from './catalog.js';
import { Rng } from './prng.js';
import { buildCall, isoSeconds, type BuiltCall, type CallSpec } from './records.js';
import { historyAnchor, type Identity, type World } from './world.js';

export const DETECTIONS = {
  newApiFromRole: { id: '22773e84-bac0-4595-b086-20d3f335b4f1', name: 'Detect new API calls from user roles' },
  apiWithoutMfa: { id: '4d46e8bd-4072-48e4-92db-0325889ef894', name: 'Detect API activity from users without MFA' },
  unseenRoleCommand: { id: '2181ad1f-1e73-4d0c-9780-e8880482a08f', name: 'Cloud API Calls From Previously Unseen User Roles' },
  // Trailguard's variants of the two blunted seeds (content/detections/*_per_role.yml, *_per_arn.yml).
  unseenRoleCommandPerRole: { id: '99eafdd5-8c51-4b27-8086-80b7f82f5140', name: 'Cloud API Calls From Previously Unseen User Roles (per role)' },
  apiWithoutMfaPerArn: { id: '5c0d3ffd-7eae-4dc1-894d-0b73119b509a', name: 'Detect API activity from users without MFA (per ARN)' },
} as const;

export interface ScenarioEventTruth {
  eventID: string;
  eventTime: string;
  eventSource: string;
  eventName: string;
  accountId: string;
  userIdentityType: string;
  userIdentityArn: string;
  /** IAM user name, or the role name (sessionIssuer.userName) for an assumed role. */
  userName: string;
  sessionName?: string;
  mfaAuthenticated?: boolean;
  readOnly: boolean;
  sourceIPAddress: string;
  /** Whether the detection is expected to match this event (false for context such as the sign-in). */
  matches: boolean;
  /** A context event placed early in the history (not in the last hour), so baselines hold it. */
  history?: boolean;
}

export interface ScenarioTruth {
  id: string;
  detection: { id: string; name: string };
  description: string;
  identity: { type: string; accountId: string; name: string; arn: string };
  /** eventIDs the detection should match. */
  eventIDs: string[];
  events: ScenarioEventTruth[];
  /** Other seed detections these events are also expected to trigger. */
  alsoMatches: { id: string; name: string; why: string }[];
}

export interface ScenarioPlan {
  truths: ScenarioTruth[];
  /** Built records, sorted by time. */
  calls: { time: number; built: BuiltCall }[];
}

const MIN = 60_000;
const ATTACKER_IPS = ['198.51.100.201', '198.51.100.222', '198.51.100.237', '198.51.100.244', '198.51.100.251'];
const ATTACKER_AGENT = 'aws-cli/2.15.30 Python/3.11.8 Linux/6.1.0-18-amd64 exe/x86_64.debian.12 prompt/off command/{cmd}';

/** Every (role name, eventName) any role could produce in the background. */
function roleApis(world: World): Map<string, Set<string>> {
  const m = new Map<string, Set<string>>();
  for (const i of world.identities) {
    if (i.type !== 'AssumedRole') continue;
    const s = m.get(i.name) ?? new Set<string>();
    for (const h of i.habits) s.add(h.api.eventName);
    m.set(i.name, s);
  }
  return m;
}

function cliAgent(a: ApiDef): string {
  const svc = a.eventSource.split('.')[0]!;
  return ATTACKER_AGENT.replace('{cmd}', `${svc}.${a.eventName.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase()}`);
}

function truthOf(b: BuiltCall, matches: boolean): ScenarioEventTruth {
  const r = b.record;
  const ui = r.userIdentity as Record<string, unknown>;
  const t: ScenarioEventTruth = {
    eventID: r.eventID,
    eventTime: r.eventTime,
    eventSource: r.eventSource,
    eventName: r.eventName,
    accountId: String(r.recipientAccountId),
    userIdentityType: String(ui.type),
    userIdentityArn: String(ui.arn),
    userName: b.roleName ?? String(ui.userName),
    readOnly: Boolean(r.readOnly),
    sourceIPAddress: String(r.sourceIPAddress),
    matches,
  };
  if (b.roleName) t.sessionName = String(ui.principalId).split(':')[1];
  if (b.mfaAuthenticated !== null) t.mfaAuthenticated = b.mfaAuthenticated;
  return t;
}

function identityOf(i: Identity) {
  return { type: i.type, accountId: i.account.id, name: i.name, arn: i.arn };
}

/**
 * Event names for which the add-on's `user` is not null for an assumed-role caller (it names the
 * caller's role, a session or a target IAM user), or its `user_type` is not the caller's type
 * (SPL.md §9.1: ConsoleLogin, AssumeRole*, Put*, *Instances, *Volume, *Bucket, *User, the IAM
 * user-management calls, ListAliases/ListRoles/DeleteNetworkInterface). Scenario (d) avoids them,
 * so the seed's Change-model row for its call is (user=unknown, command).
 */
const ADDON_NAMES_SOMEONE = /^(ConsoleLogin|AssumeRole\w*|Put\w*|\w*Instances|\w*Volume|\w*Bucket|\w*User|ListAliases|ListRoles|DeleteNetworkInterface|(Create|Delete|Update)(LoginProfile|AccessKey))$/;

/** Roles the generator's allow-list approves (World.approvedRoleArns). */
function approved(world: World, role: Identity): boolean {
  return world.approvedRoleArns.includes(role.arn);
}

/** Returns the scenario events in time order; `start` and `end` are epoch milliseconds. */
export function planScenarios(world: World, start: number, end: number): ScenarioPlan {
  const rng = Rng.derive(world.seed, 'scenarios');
  const used = roleApis(world);
  const allRoleApis = new Set([...used.values()].flatMap((s) => [...s]));
  const calls: { time: number; built: BuiltCall }[] = [];
  const truths: ScenarioTruth[] = [];
  const at = (minutesBefore: number) => end - minutesBefore * MIN + rng.int(0, 50_000);
  const call = (spec: CallSpec) => {
    const built = buildCall(rng, world, spec);
    calls.push({ time: spec.time, built });
    return built;
  };

  // (a) A person's role calls APIs it has never called (reconnaissance with borrowed access).
  const humanRoles = world.identities.filter((i) => i.kind === 'human-role');
  const roleA = humanRoles.find((r) => r.roleKind === 'cross-account') ?? humanRoles[0]!;
  const newForA = rng.shuffle(RECON_APIS).map(api).filter((a) => !used.get(roleA.name)?.has(a.eventName) && a.readOnly).slice(0, 2);
  const sessionA = roleA.sessions[0]!;
  const eventsA: ScenarioEventTruth[] = [];
  let minute = 56;
  for (const a of newForA) {
    for (let k = 0; k < 2; k++) {
      const b = call({ identity: roleA, api: a, time: at(minute), success: true, console: false, session: sessionA, ip: ATTACKER_IPS[0], userAgent: cliAgent(a), region: roleA.account.homeRegion });
      eventsA.push(truthOf(b, true));
      minute -= 3;
    }
  }
  truths.push({
    id: 'new-api-call-from-role',
    detection: DETECTIONS.newApiFromRole,
    description: `Assumed role ${roleA.name} (session ${sessionA.name}) calls ${newForA.map((a) => a.eventName).join(' and ')}, which it never called before, from ${ATTACKER_IPS[0]}.`,
    identity: identityOf(roleA),
    eventIDs: eventsA.map((e) => e.eventID),
    events: eventsA,
    alsoMatches: [],
  });

  // (b) An MFA user's password is used without MFA: console sign-in, then API calls without MFA.
  const victim = world.identities.find((i) => i.kind === 'human-user' && i.mfa)!;
  const eventsB: ScenarioEventTruth[] = [];
  const login = call({ identity: victim, api: api('signin:ConsoleLogin'), time: at(46), success: true, mfa: false, ip: ATTACKER_IPS[1], userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36' });
  eventsB.push(truthOf(login, false));
  const browse = rng.sample(CONSOLE_BROWSE_APIS, 5).map(api);
  browse.forEach((a, k) => {
    const b = call({ identity: victim, api: a, time: at(44 - k * 3), success: true, console: true, mfa: false, ip: ATTACKER_IPS[1], region: victim.account.homeRegion });
    eventsB.push(truthOf(b, true));
  });
  truths.push({
    id: 'api-activity-without-mfa',
    detection: DETECTIONS.apiWithoutMfa,
    description: `IAM user ${victim.name}, who normally signs in with MFA, signs in to the console without MFA from ${ATTACKER_IPS[1]} and makes ${browse.length} API calls with mfaAuthenticated=false.`,
    identity: identityOf(victim),
    eventIDs: eventsB.filter((e) => e.matches).map((e) => e.eventID),
    events: eventsB,
    alsoMatches: [{ ...DETECTIONS.apiWithoutMfaPerArn, why: `${victim.name} is not on the allow-list and its calls have mfaAuthenticated=false` }],
  });

  // (c) Stolen workload-role credentials make changes no role ever made (new role/command pair).
  const workloads = world.identities.filter((i) => i.kind === 'workload-role');
  const roleC = workloads.find((r) => r.roleKind === 'ec2') ?? workloads.find((r) => r.roleKind !== 'oidc') ?? workloads[0]!;
  const writesC = rng.shuffle(INTRUSION_WRITES).map(api).filter((a) => !a.readOnly && !allRoleApis.has(a.eventName)).slice(0, 2);
  const eventsC: ScenarioEventTruth[] = [];
  // Routine context: the anchor's role/command pair again, known to any baseline built from this
  // history, so the detection's `eventstats max(enough_data)` has a known row in the window.
  const anchor = historyAnchor(world);
  const routine = call({ identity: anchor.role, api: anchor.api, time: at(38), success: true });
  eventsC.push(truthOf(routine, false));
  writesC.forEach((a, k) => {
    const b = call({ identity: roleC, api: a, time: at(34 - k * 6), success: true, session: roleC.sessions[0], ip: ATTACKER_IPS[2], userAgent: cliAgent(a), region: roleC.account.homeRegion });
    eventsC.push(truthOf(b, true));
  });
  truths.push({
    id: 'unseen-role-command',
    detection: DETECTIONS.unseenRoleCommand,
    description: `Assumed role ${roleC.name} (session ${roleC.sessions[0]!.name}) runs ${writesC.map((a) => a.eventName).join(' and ')} from ${ATTACKER_IPS[2]}; no role ran these commands before. The event with matches=false is routine activity of ${anchor.role.name} (${anchor.api.eventName}), a pair known since the first event of the history. In the Change data model the user is "unknown" unless the add-on's user rule names the role for the event (SPL.md §12.3).`,
    identity: identityOf(roleC),
    eventIDs: eventsC.filter((e) => e.matches).map((e) => e.eventID),
    events: eventsC,
    alsoMatches: [
      { ...DETECTIONS.newApiFromRole, why: `(${roleC.name}, eventName) is also a new AssumedRole API call pair` },
      { ...DETECTIONS.unseenRoleCommandPerRole, why: `(${roleC.name}, command) is also a new role/command pair` },
    ],
  });

  // Scenarios (d) and (e) draw from their own random streams, so (a)-(c) stay as they were.
  const d = planKnownCommandNewRole(world, start, end, used);
  const e = planRoleSessionCreatesAccessKey(world, end, used, roleA.name);
  for (const p of [d, e]) {
    if (p === null) continue;
    calls.push(...p.calls);
    truths.push(p.truth);
  }

  calls.sort((x, y) => x.time - y.time);
  return { truths, calls };
}

interface PlannedScenario {
  truth: ScenarioTruth;
  calls: { time: number; built: BuiltCall }[];
}

/**
 * (d) A role runs a write command that another role ran in the history but this role never did.
 * The seed "Cloud API Calls From Previously Unseen User Roles" groups assumed roles under
 * user=unknown (SPL.md §12.3), and (unknown, command) is known from the other role's call, so it
 * stays silent; the per-role variant keys on the calling role and reports it. The other role's
 * call is injected at the start of the history (after the anchor), so every baseline holds it.
 */
function planKnownCommandNewRole(world: World, start: number, end: number, used: Map<string, Set<string>>): PlannedScenario | null {
  const rng = Rng.derive(world.seed, 'scenario-d');
  const roles = world.identities.filter((i) => i.type === 'AssumedRole' && i.kind !== 'service-linked-role');
  const candidates: { known: Identity; caller: Identity; api: ApiDef }[] = [];
  for (const known of roles) {
    for (const h of known.habits) {
      const a = h.api;
      if (a.readOnly || a.serviceEvent || ADDON_NAMES_SOMEONE.test(a.eventName)) continue;
      for (const caller of roles) {
        if (caller.name === known.name || used.get(caller.name)?.has(a.eventName)) continue;
        if (candidates.some((c) => c.caller === caller && c.api === a)) continue;
        candidates.push({ known, caller, api: a });
      }
    }
  }
  // Stolen workload credentials are the likely story; any role will do when there is none.
  const preferred = candidates.filter((c) => c.caller.kind === 'workload-role');
  const pool = preferred.length > 0 ? preferred : candidates;
  if (pool.length === 0) return null;
  const { known, caller, api: a } = rng.pick(pool);
  const calls: { time: number; built: BuiltCall }[] = [];
  const call = (spec: CallSpec) => {
    const built = buildCall(rng, world, spec);
    calls.push({ time: spec.time, built });
    return built;
  };
  const historyTime = start + 30 * MIN + rng.int(0, 5 * MIN);
  const context = call({ identity: known, api: a, time: historyTime, success: true });
  const session = caller.sessions[0]!;
  const attack = call({ identity: caller, api: a, time: end - 31 * MIN + rng.int(0, 50_000), success: true, session, ip: ATTACKER_IPS[3], userAgent: cliAgent(a), region: caller.account.homeRegion });
  const events = [{ ...truthOf(context, false), history: true }, truthOf(attack, true)];
  const alsoMatches: ScenarioTruth['alsoMatches'] = [{ ...DETECTIONS.newApiFromRole, why: `(${caller.name}, ${a.eventName}) is a new AssumedRole API call pair (that seed keys on userName, the role name)` }];
  if (!session.mfa && !approved(world, caller)) alsoMatches.push({ ...DETECTIONS.apiWithoutMfaPerArn, why: `the ${caller.name} session has mfaAuthenticated=false and the role is not on the allow-list` });
  return {
    calls,
    truth: {
      id: 'known-command-new-role',
      detection: DETECTIONS.unseenRoleCommandPerRole,
      description:
        `Assumed role ${caller.name} (session ${session.name}) runs ${a.eventName} from ${ATTACKER_IPS[3]}; it never ran it before, but role ${known.name} did at the start of the history (the event with history=true). ` +
        `"${DETECTIONS.unseenRoleCommand.name}" misses it: for ${a.eventName} the add-on's user is null for assumed roles, so both calls are (user=unknown, command=${a.eventName}) in the Change data model and the pair is known when the history starts more than 24 hours before the end (SPL.md §12.3).`,
      identity: identityOf(caller),
      eventIDs: [attack.record.eventID],
      events,
      alsoMatches,
    },
  };
}

/**
 * (e) A person's role session without MFA creates an access key for an IAM user on the
 * allow-list (persistence through a service account). The add-on's `user` for CreateAccessKey is
 * the target user, so the seed "Detect API activity from users without MFA" sees an allow-listed
 * user and drops the event (and `user` is null for the session's other calls); the per-ARN
 * variant keys on the session that made the calls and reports it.
 */
function planRoleSessionCreatesAccessKey(world: World, end: number, used: Map<string, Set<string>>, avoidRole: string): PlannedScenario | null {
  const rng = Rng.derive(world.seed, 'scenario-e');
  const serviceUsers = world.identities.filter((i) => i.kind === 'service-user');
  const crossAccount = world.identities.filter((i) => i.kind === 'human-role' && i.roleKind === 'cross-account' && !approved(world, i));
  // Preferably not scenario (a)'s role (the role-keyed seeds would merge the two), and in an
  // account that has a service account (the key is created for a user of that account).
  const others = crossAccount.filter((r) => r.name !== avoidRole);
  const role =
    others.find((r) => serviceUsers.some((u) => u.account === r.account)) ?? others[0] ??
    crossAccount.find((r) => serviceUsers.some((u) => u.account === r.account)) ?? crossAccount[0];
  if (role === undefined || serviceUsers.length === 0) return null;
  const target = serviceUsers.find((u) => u.account === role.account) ?? serviceUsers[0]!;
  // The session of someone who normally uses MFA, so the ARN is MFA-less only in this scenario.
  const usual = role.sessions.find((x) => x.mfa) ?? role.sessions[0]!;
  const session = { name: usual.name, mfa: false, person: usual.person };
  const apis = [api('iam:ListUsers'), api('iam:CreateAccessKey')];
  const events: ScenarioEventTruth[] = [];
  const calls: { time: number; built: BuiltCall }[] = [];
  apis.forEach((a, k) => {
    const time = end - (29 - k * 3) * MIN + rng.int(0, 50_000);
    const built = buildCall(rng, world, {
      identity: role, api: a, time, success: true, session, mfa: false, console: false, ip: ATTACKER_IPS[4], userAgent: cliAgent(a),
      ...(a.eventName === 'CreateAccessKey' ? { targetUser: target.name } : {}),
    });
    calls.push({ time, built });
    events.push(truthOf(built, true));
  });
  const known = used.get(role.name) ?? new Set<string>();
  const alsoMatches: ScenarioTruth['alsoMatches'] = [];
  const newCalls = apis.filter((a) => !known.has(a.eventName)).map((a) => a.eventName);
  if (newCalls.length > 0) alsoMatches.push({ ...DETECTIONS.newApiFromRole, why: `${role.name} never called ${newCalls.join(' or ')} before` });
  if (!known.has('CreateAccessKey')) alsoMatches.push({ ...DETECTIONS.unseenRoleCommandPerRole, why: `(${role.name}, CreateAccessKey) is a new role/command pair` });
  return {
    calls,
    truth: {
      id: 'role-session-without-mfa-creates-access-key',
      detection: DETECTIONS.apiWithoutMfaPerArn,
      description:
        `Assumed role ${role.name}, session ${session.name} without MFA, from ${ATTACKER_IPS[4]}: lists the IAM users, then creates an access key for ${target.name}, a service account on the allow-list. ` +
        `"${DETECTIONS.apiWithoutMfa.name}" misses it: the add-on's user is the target ${target.name} for CreateAccessKey (allow-listed, so dropped) and null for ListUsers (SPL.md §9.1).`,
      identity: identityOf(role),
      eventIDs: events.map((x) => x.eventID),
      events,
      alsoMatches,
    },
  };
}

export function scenarioWindowText(end: number): { earliest: string; latest: string } {
  return { earliest: isoSeconds(end - 60 * MIN), latest: isoSeconds(end - 15 * MIN) };
}
