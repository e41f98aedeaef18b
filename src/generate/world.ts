/**
 * The simulated organisation: accounts, their resources, and every identity that acts in them,
 * each with its own habits (weighted APIs), hours, addresses, agents and regions. Built once from
 * the seed; the event stream only reads it.
 */
import {
  ACCOUNT_NAMES, FIRST_NAMES, HUMAN_ROLE_NAMES, LAST_NAMES, PERSONAS, REGIONS, SERVICE_LINKED_ROLES, SERVICE_USER_NAMES,
  WORKLOAD_ROLE_NAMES, api, type AgentKind, type ApiDef, type Persona,
} from './catalog.js';
import { Rng, cumulate } from './prng.js';

export interface Resources {
  buckets: string[];
  instances: string[];
  amis: string[];
  vpcs: string[];
  subnets: string[];
  securityGroups: string[];
  volumes: string[];
  snapshots: string[];
  kmsKeys: string[];
  functions: string[];
  tables: string[];
  secrets: string[];
  logGroups: string[];
  parameters: string[];
  stacks: string[];
  repositories: string[];
  clusters: string[];
}

export interface Account {
  id: string;
  name: string;
  homeRegion: string;
  regions: string[];
  /** AWS key and principal ids of one account share an 8-character infix; mimic that. */
  keyInfix: string;
  resources: Resources;
}

export type IdentityKind = 'human-user' | 'service-user' | 'human-role' | 'workload-role' | 'service-linked-role' | 'aws-service' | 'root';

export interface RoleSession {
  name: string;
  mfa: boolean;
  /** The person behind a human role session. */
  person?: string;
}

export interface Habit {
  api: ApiDef;
  weight: number;
}

export interface Identity {
  index: number;
  kind: IdentityKind;
  type: 'IAMUser' | 'AssumedRole' | 'AWSService' | 'Root';
  account: Account;
  /** IAM user name, role name, or (AWS services) the service principal. */
  name: string;
  /** The IAM user or role ARN (the session ARN is built per event). */
  arn: string;
  principalId: string;
  /** Long-term access key of an IAM user. */
  accessKeyId?: string;
  /** Users: whether the person signs in with MFA. */
  mfa: boolean;
  persona: Persona;
  habits: Habit[];
  habitCumulative: Float64Array;
  /** Relative activity (events per hour at full activity, before scaling). */
  rate: number;
  /** Hours east of UTC of the person or team behind the identity. */
  tzOffset: number;
  /** Local working hours [start, end), or null for round-the-clock workloads. */
  workHours: [number, number] | null;
  agents: AgentKind[];
  ips: string[];
  regions: string[];
  /** Share of a human user's calls made from a console session (with sessionContext). */
  consoleShare: number;
  /** Share of a service user's calls made with temporary (GetSessionToken) credentials. */
  sessionShare: number;
  errorRate: number;
  sessions: RoleSession[];
  roleKind?: 'sso' | 'cross-account' | 'ec2' | 'lambda' | 'ecs' | 'oidc' | 'linked';
  rolePath: string;
  /** For service-linked roles and AWS services: the service host (invokedBy). */
  service?: string;
  /** Roles a human user assumes (targets of its sts:AssumeRole calls). */
  assumes: Identity[];
  /** For workload roles: the AWS service that assumes it. */
  assumedBy?: string;
}

export interface World {
  seed: string;
  accounts: Account[];
  identities: Identity[];
  serviceAccountNames: string[];
  /**
   * IAM role ARNs a reviewer approves for the MFA allow-list: workload roles (their sessions are
   * machines, never MFA) and SSO permission-set roles (MFA happens at the identity provider, so
   * CloudTrail always says mfaAuthenticated=false). Not service-linked roles: AWS calls with them
   * on its own behalf (`userIdentity.invokedBy`), which the per-ARN MFA variant already skips.
   * Listed as role ARNs, which the seed's `user` never equals, so the seed's results do not change.
   */
  approvedRoleArns: string[];
  /** Offset (hours east of UTC) of the engineering team, for CI schedules. */
  teamTz: number;
}

const TIMEZONES = [-8, -5, -5, 0, 1, 1, 2, 5.5, 8, 10];

export function buildWorld(seed: string): World {
  const rng = Rng.derive(seed, 'world');
  const accountCount = rng.int(3, 5);
  const names = ['management', ...rng.sample(ACCOUNT_NAMES.slice(1), accountCount - 1)];
  const usedIds = new Set<string>();
  const accounts: Account[] = names.map((name) => {
    let id: string;
    do id = String(rng.int(1, 9)) + rng.chars('0123456789', 11);
    while (usedIds.has(id));
    usedIds.add(id);
    const homeRegion = rng.chance(0.6) ? 'us-east-1' : rng.pick(REGIONS);
    const regions = [homeRegion, ...rng.sample(REGIONS.filter((r) => r !== homeRegion), rng.int(1, 2))];
    return { id, name, homeRegion, regions, keyInfix: rng.keyChars(8), resources: buildResources(rng, name, id) };
  });
  const management = accounts[0]!;
  const teamTz = rng.pick(TIMEZONES);
  const identities: Identity[] = [];
  const add = (i: Omit<Identity, 'index' | 'habitCumulative'>): Identity => {
    const full = { ...i, index: identities.length, habitCumulative: cumulate(i.habits.map((h) => h.weight)) };
    identities.push(full);
    return full;
  };

  // People: IAM users in the management account (plus a legacy one in another account).
  const peopleCount = rng.int(8, 13);
  const firstNames = rng.sample(FIRST_NAMES, peopleCount);
  const humans: Identity[] = [];
  const officeIps = Array.from({ length: 3 }, () => `203.0.113.${rng.int(10, 250)}`);
  firstNames.forEach((first, i) => {
    const last = rng.pick(LAST_NAMES);
    const userName = rng.chance(0.5) ? `${first}.${last}` : `${first[0]}${last}`;
    const account = i === peopleCount - 1 ? accounts[accounts.length - 1]! : management;
    // The first two people always use MFA and the third never does, so every world has both.
    const mfa = i < 2 ? true : i === 2 ? false : rng.chance(0.65);
    const persona: Persona = rng.pick(['admin', 'developer', 'developer', 'auditor'] as const);
    const tz = rng.chance(0.7) ? teamTz : rng.pick(TIMEZONES);
    const start = rng.int(7, 10);
    humans.push(
      add({
        kind: 'human-user', type: 'IAMUser', account, name: userName,
        arn: `arn:aws:iam::${account.id}:user/${userName}`,
        principalId: `AIDA${account.keyInfix}${rng.keyChars(9)}`,
        accessKeyId: `AKIA${account.keyInfix}${rng.keyChars(8)}`,
        mfa, persona,
        habits: habitsFor(rng, persona, ['signin:ConsoleLogin']),
        rate: 1 + rng.next() * 2.5, tzOffset: tz, workHours: [start, start + rng.int(8, 10)],
        agents: ['cli', 'boto3'], ips: [...rng.sample(officeIps, 2), `192.0.2.${rng.int(2, 254)}`],
        regions: account.regions, consoleShare: 0.35 + rng.next() * 0.4, sessionShare: 0,
        errorRate: 0.03 + rng.next() * 0.03, sessions: [], rolePath: '/', assumes: [],
      }),
    );
  });

  // Service accounts: IAM users with long-term keys, never MFA.
  const serviceCount = rng.int(4, SERVICE_USER_NAMES.length);
  const serviceDefs = [SERVICE_USER_NAMES[0]!, ...rng.sample(SERVICE_USER_NAMES.slice(1), serviceCount - 1)];
  const natIps = new Map(accounts.map((a) => [a.id, Array.from({ length: 2 }, () => `198.51.100.${rng.int(2, 120)}`)]));
  for (const def of serviceDefs) {
    const account = def.name === 'ci-deploy' || def.name === 'svc-terraform' ? management : rng.pick(accounts);
    add({
      kind: 'service-user', type: 'IAMUser', account, name: def.name,
      arn: `arn:aws:iam::${account.id}:user/${def.name}`,
      principalId: `AIDA${account.keyInfix}${rng.keyChars(9)}`,
      accessKeyId: `AKIA${account.keyInfix}${rng.keyChars(8)}`,
      mfa: false, persona: def.persona,
      habits: habitsFor(rng, def.persona, ['sts:GetSessionToken']),
      rate: 2 + rng.next() * 3, tzOffset: teamTz, workHours: def.persona === 'ciDeploy' || def.persona === 'terraform' ? [8, 19] : null,
      agents: [def.agent], ips: natIps.get(account.id)!, regions: account.regions, consoleShare: 0,
      sessionShare: 0.2 + rng.next() * 0.2, errorRate: 0.01 + rng.next() * 0.01, sessions: [], rolePath: '/', assumes: [],
    });
  }

  // Roles people assume: SSO permission sets and cross-account roles in the member accounts.
  for (const account of accounts.slice(1)) {
    for (const def of rng.sample(HUMAN_ROLE_NAMES, rng.int(2, 4))) {
      const roleName = def.sso ? `${def.name}_${rng.hex(16)}` : def.name;
      const people = rng.sample(humans.filter((h) => h.account === management), rng.int(2, 5));
      const sessions: RoleSession[] = people.map((p) =>
        def.sso
          ? { name: `${p.name.replace(/\./g, '')}@example.com`, mfa: false, person: p.name }
          : { name: p.name, mfa: p.mfa, person: p.name },
      );
      const role = add({
        kind: 'human-role', type: 'AssumedRole', account, name: roleName,
        arn: `arn:aws:iam::${account.id}:role${def.sso ? '/aws-reserved/sso.amazonaws.com/' : '/'}${roleName}`,
        principalId: `AROA${account.keyInfix}${rng.keyChars(9)}`,
        mfa: false, persona: def.persona, habits: habitsFor(rng, def.persona),
        rate: 1 + rng.next() * 2, tzOffset: people[0]?.tzOffset ?? teamTz, workHours: [8, 18],
        agents: ['cli', 'boto3', 'terraform'], ips: people.flatMap((p) => p.ips), regions: account.regions,
        consoleShare: def.sso ? 0.6 : 0.3, sessionShare: 1, errorRate: 0.03, sessions,
        roleKind: def.sso ? 'sso' : 'cross-account', rolePath: def.sso ? '/aws-reserved/sso.amazonaws.com/' : '/', assumes: [],
      });
      if (!def.sso) for (const p of people) p.assumes.push(role);
    }
  }
  for (const h of humans) if (h.assumes.length > 0) h.habits.push({ api: api('sts:AssumeRole'), weight: 0.6 });
  for (const h of humans) h.habitCumulative = cumulate(h.habits.map((x) => x.weight));

  // Workload roles assumed by AWS services (instance profiles, Lambda, ECS tasks, CI via OIDC).
  for (const account of accounts) {
    const defs = account === management ? WORKLOAD_ROLE_NAMES.filter((w) => w.kind === 'oidc') : rng.sample(WORKLOAD_ROLE_NAMES, rng.int(2, 4));
    for (const def of defs) {
      const res = account.resources;
      const sessions: RoleSession[] =
        def.kind === 'ec2' ? rng.sample(res.instances, 3).map((i) => ({ name: i, mfa: false }))
        : def.kind === 'lambda' ? [{ name: rng.pick(res.functions), mfa: false }]
        : def.kind === 'ecs' ? Array.from({ length: 3 }, () => ({ name: rng.hex(32), mfa: false }))
        : [{ name: 'GitHubActions', mfa: false }];
      const assumedBy = { ec2: 'ec2.amazonaws.com', lambda: 'lambda.amazonaws.com', ecs: 'ecs-tasks.amazonaws.com', oidc: undefined }[def.kind];
      add({
        kind: 'workload-role', type: 'AssumedRole', account, name: def.name,
        arn: `arn:aws:iam::${account.id}:role/${def.name}`, principalId: `AROA${account.keyInfix}${rng.keyChars(9)}`,
        mfa: false, persona: def.persona, habits: habitsFor(rng, def.persona),
        rate: def.kind === 'ec2' ? 4 + rng.next() * 4 : 2 + rng.next() * 3,
        tzOffset: teamTz, workHours: def.kind === 'oidc' ? [8, 19] : null,
        agents: def.kind === 'ec2' ? ['boto3'] : def.kind === 'lambda' ? ['jsSdk'] : def.kind === 'ecs' ? ['javaSdk'] : ['githubActions'],
        ips: def.kind === 'oidc' ? ['192.0.2.200', '192.0.2.201'] : [`10.${rng.int(0, 40)}.${rng.int(0, 255)}.${rng.int(2, 254)}`, `10.${rng.int(0, 40)}.${rng.int(0, 255)}.${rng.int(2, 254)}`],
        regions: [account.homeRegion], consoleShare: 0, sessionShare: 1, errorRate: 0.008, sessions,
        roleKind: def.kind, rolePath: '/', assumes: [], assumedBy,
      });
    }
    for (const def of rng.sample(SERVICE_LINKED_ROLES, rng.int(1, 2))) {
      add({
        kind: 'service-linked-role', type: 'AssumedRole', account, name: def.name,
        arn: `arn:aws:iam::${account.id}:role/aws-service-role/${def.service}/${def.name}`,
        principalId: `AROA${account.keyInfix}${rng.keyChars(9)}`, mfa: false, persona: def.persona,
        habits: habitsFor(rng, def.persona), rate: 0.5 + rng.next(), tzOffset: 0, workHours: null, agents: [],
        ips: [def.service], regions: [account.homeRegion], consoleShare: 0, sessionShare: 1, errorRate: 0.004,
        sessions: [{ name: def.session, mfa: false }], roleKind: 'linked', rolePath: `/aws-service-role/${def.service}/`,
        service: def.service, assumes: [],
      });
    }
    add({
      kind: 'aws-service', type: 'AWSService', account, name: 'AWS services', arn: '', principalId: '', mfa: false,
      persona: 'awsService', habits: habitsFor(rng, 'awsService'), rate: 1 + rng.next(), tzOffset: 0, workHours: null,
      agents: [], ips: [], regions: [account.homeRegion], consoleShare: 0, sessionShare: 0, errorRate: 0, sessions: [],
      rolePath: '/', assumes: [],
    });
  }
  add({
    kind: 'root', type: 'Root', account: management, name: 'root', arn: `arn:aws:iam::${management.id}:root`,
    principalId: management.id, mfa: true, persona: 'root', habits: habitsFor(rng, 'root', [], 5), rate: 0.05,
    tzOffset: teamTz, workHours: [9, 17], agents: ['console'], ips: officeIps.slice(0, 1), regions: ['us-east-1'],
    consoleShare: 1, sessionShare: 1, errorRate: 0.02, sessions: [], rolePath: '/', assumes: [],
  });

  const serviceAccountNames = [...new Set(identities.filter((i) => i.kind === 'service-user').map((i) => i.name))].sort();
  const approvedRoleArns = identities.filter((i) => i.kind === 'workload-role' || i.roleKind === 'sso').map((i) => i.arn).sort();
  return { seed, accounts, identities, serviceAccountNames, approvedRoleArns, teamTz };
}

/**
 * The identity and API of the history anchor: a role's successful write at the very start of the
 * window, so baselines see history reaching back to it. Scenario (c) repeats it in the last hour
 * so the detection window always holds a known role/command pair next to the new one.
 */
export function historyAnchor(world: World): { role: Identity; api: ApiDef } {
  const ids = world.identities;
  const role = ids.find((i) => i.kind === 'workload-role' && i.habits.some((h) => !h.api.readOnly)) ?? ids.find((i) => i.type === 'AssumedRole')!;
  const api = role.habits.find((h) => !h.api.readOnly)?.api ?? role.habits[0]!.api;
  return { role, api };
}

/** A persona's habit set: its three most typical APIs plus a random share of the rest, Zipf-weighted. */
function habitsFor(rng: Rng, persona: Persona, extra: string[] = [], maxCount = 14): Habit[] {
  const pool: readonly string[] = PERSONAS[persona];
  const head = pool.slice(0, 3);
  const rest = rng.sample(pool.slice(3), Math.max(0, Math.min(maxCount, pool.length) - 3 - rng.int(0, 3)));
  const chosen = [...head, ...rest].slice(0, maxCount);
  const habits = chosen.map((key) => ({ api: api(key), weight: (1 / Math.pow(pool.indexOf(key) + 1, 0.9)) * (0.5 + rng.next()) }));
  for (const key of extra) habits.push({ api: api(key), weight: 0.15 + rng.next() * 0.2 });
  return habits;
}

function buildResources(rng: Rng, accountName: string, accountId: string): Resources {
  const org = 'acme';
  const n = (k: number, f: () => string) => Array.from({ length: k }, f);
  return {
    buckets: ['artifacts', 'logs', 'data-lake', 'backups', 'static-assets', 'terraform-state']
      .slice(0, rng.int(4, 6))
      .map((p) => `${org}-${accountName}-${p}-${rng.hex(6)}`),
    instances: n(rng.int(4, 8), () => `i-0${rng.hex(16)}`),
    amis: n(3, () => `ami-0${rng.hex(16)}`),
    vpcs: n(2, () => `vpc-0${rng.hex(16)}`),
    subnets: n(4, () => `subnet-0${rng.hex(16)}`),
    securityGroups: n(4, () => `sg-0${rng.hex(16)}`),
    volumes: n(6, () => `vol-0${rng.hex(16)}`),
    snapshots: n(4, () => `snap-0${rng.hex(16)}`),
    kmsKeys: n(3, () => rng.uuid()),
    functions: ['orders-api', 'image-resizer', 'nightly-report', 'webhook-handler'].map((f) => `${accountName}-${f}`),
    tables: ['orders', 'sessions', 'customers'].map((t) => `${accountName}-${t}`),
    secrets: ['db/primary', 'api/stripe', 'ci/github-token'].map((s) => `${accountName}/${s}`),
    logGroups: ['/aws/lambda/orders-api', '/aws/lambda/image-resizer', '/ecs/payments', '/var/log/app'],
    parameters: ['/app/config/feature-flags', '/app/db/host', '/app/db/port', '/ci/deploy/target'],
    stacks: ['network', 'app', 'data', 'monitoring'].map((s) => `${accountName}-${s}`),
    repositories: ['payments', 'orders-api', 'frontend'],
    clusters: [`${accountName}-cluster`],
  };
  void accountId;
}
