/**
 * The injected activity each seed detection should find, placed inside the last hour before
 * `end` (between end-60m and end-15m, so a `-70m@m`..`-10m@m` window at now=end holds it).
 * Built with its own random stream, so the scenarios do not change with --events.
 */
import { CONSOLE_BROWSE_APIS, INTRUSION_WRITES, RECON_APIS, api, type ApiDef } from './catalog.js';
import { Rng } from './prng.js';
import { buildCall, isoSeconds, type BuiltCall, type CallSpec } from './records.js';
import { historyAnchor, type Identity, type World } from './world.js';

export const DETECTIONS = {
  newApiFromRole: { id: '22773e84-bac0-4595-b086-20d3f335b4f1', name: 'Detect new API calls from user roles' },
  apiWithoutMfa: { id: '4d46e8bd-4072-48e4-92db-0325889ef894', name: 'Detect API activity from users without MFA' },
  unseenRoleCommand: { id: '2181ad1f-1e73-4d0c-9780-e8880482a08f', name: 'Cloud API Calls From Previously Unseen User Roles' },
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
const ATTACKER_IPS = ['198.51.100.201', '198.51.100.222', '198.51.100.237'];
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

/** Returns the scenario events in time order; `end` is epoch milliseconds. */
export function planScenarios(world: World, end: number): ScenarioPlan {
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
    alsoMatches: [],
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
    alsoMatches: [{ ...DETECTIONS.newApiFromRole, why: `(${roleC.name}, eventName) is also a new AssumedRole API call pair` }],
  });

  calls.sort((x, y) => x.time - y.time);
  return { truths, calls };
}

export function scenarioWindowText(end: number): { earliest: string; latest: string } {
  return { earliest: isoSeconds(end - 60 * MIN), latest: isoSeconds(end - 15 * MIN) };
}
