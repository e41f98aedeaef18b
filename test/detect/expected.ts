/**
 * What the five shipped detections must report on a set of CloudTrail events, computed in plain
 * JavaScript from the events themselves, independently of the engine: the add-on fields the
 * searches read are re-derived here from SPL.md §9.1 (user, userName, user_type, errorCode),
 * §9.3/§12.1 (Change membership) and §12.2 (status), and each detection's SPL (and its baselines')
 * is followed step by step. Keys are the detections' row keys as strings.
 */

export interface Ev {
  e: Record<string, any>;
  /** The event's JSON text (free-text terms are searched in it). */
  raw: string;
  /** Epoch seconds. */
  t: number;
}

const MIN = 60;
const HOUR = 3600;
const DAY = 86400;
const floorTo = (t: number, unit: number) => Math.floor(t / unit) * unit;
const lower = (v: unknown) => (v === undefined || v === null ? null : String(v).toLowerCase());
const eqi = (a: unknown, b: string) => lower(a) === b.toLowerCase();

export function readEvents(ndjson: string): Ev[] {
  return ndjson
    .split('\n')
    .filter((l) => l.length > 0)
    .map((raw) => {
      const e = JSON.parse(raw) as Record<string, any>;
      return { e, raw, t: Date.parse(e.eventTime) / 1000 };
    });
}

// --- add-on fields (SPL.md §9.1) ---------------------------------------------------------------

/** errorCode after the add-on's default: the raw code, else failure for a failed console login, else success. */
export function errorCode(e: Record<string, any>): string {
  if (e.errorCode !== undefined && e.errorCode !== null) return String(e.errorCode);
  return e.responseElements?.ConsoleLogin === 'Failure' ? 'failure' : 'success';
}
const succeeded = (e: Record<string, any>) => eqi(errorCode(e), 'success');

const IAM_TARGET_USER_EVENTS = ['CreateUser', 'CreateLoginProfile', 'DeleteUser', 'UpdateUser', 'CreateAccessKey'];
const IAM_USER_MANAGEMENT = ['CreateUser', 'DeleteUser', 'UpdateUser', 'CreateLoginProfile', 'DeleteLoginProfile', 'UpdateLoginProfile', 'CreateAccessKey', 'DeleteAccessKey', 'UpdateAccessKey'];
const ASSUME_ROLE = ['AssumeRole', 'AssumeRoleWithSAML', 'AssumeRoleWithWebIdentity'];
const lastSegment = (s: unknown) => (typeof s === 'string' ? s.split('/').pop()! : null);

/** The add-on's `user` (SPL.md §9.1): a case on eventName; null when the branch finds nothing. */
export function addonUser(e: Record<string, any>): string | null {
  const n: string = e.eventName;
  const ui = e.userIdentity ?? {};
  const callerOrIssuer = ui.userName ?? ui.sessionContext?.sessionIssuer?.userName ?? null;
  if (n === 'ConsoleLogin') {
    if (ui.type === 'AssumedRole' && e.additionalEventData?.LoginTo !== undefined) return String(ui.principalId).split(':')[1] ?? null;
    return callerOrIssuer;
  }
  if (ASSUME_ROLE.includes(n)) return lastSegment(e.responseElements?.assumedRoleUser?.arn) ?? e.requestParameters?.roleSessionName ?? null;
  if (IAM_TARGET_USER_EVENTS.includes(n)) {
    const r = e.responseElements ?? {};
    const fromMessage = /on resource: \S*:user\/(?:\S*\/)?([^\s/]+)/.exec(String(e.errorMessage ?? ''))?.[1];
    return r.user?.userName ?? r.accessKey?.userName ?? r.loginProfile?.userName ?? e.requestParameters?.userName ?? fromMessage ?? null;
  }
  if (n === 'PutBucketAcl') return ui.userName ?? null;
  if (/Instances$/.test(n) || /Volume$/.test(n) || /^Put/.test(n) || /Bucket$/.test(n)) return callerOrIssuer;
  return ui.userName ?? null;
}

/** The add-on's `userName` (SPL.md §9.1): user name, source identity, role name, last ARN segment. */
export function addonUserName(e: Record<string, any>): string | null {
  const ui = e.userIdentity ?? {};
  return ui.userName ?? e.requestParameters?.sourceIdentity ?? ui.sessionContext?.sessionIssuer?.userName ?? lastSegment(ui.arn ?? e.requestParameters?.roleArn);
}

/** The add-on's `user_type` (SPL.md §9.1). */
export function addonUserType(e: Record<string, any>): string | null {
  const n: string = e.eventName;
  const ui = e.userIdentity ?? {};
  const issuerType = ui.sessionContext?.sessionIssuer?.type;
  if (n === 'ConsoleLogin') return ui.type === 'AssumedRole' && e.additionalEventData?.LoginTo === undefined ? (issuerType ?? null) : (ui.type ?? null);
  if (['ListAliases', 'ListRoles', 'DeleteNetworkInterface'].includes(n)) return issuerType ?? ui.type ?? null;
  if (/User$/.test(n) || IAM_USER_MANAGEMENT.includes(n)) return null;
  if (ASSUME_ROLE.includes(n)) {
    const types = (e.resources ?? []).map((r: any) => r.type).filter(Boolean);
    return types[0] ?? /^arn:[^:]*:sts::[^:]*:([^/]+)\//.exec(String(e.responseElements?.assumedRoleUser?.arn ?? ''))?.[1] ?? null;
  }
  return ui.type ?? null;
}

/** tag=change (SPL.md §12.1 and the other change event types of §9.3), search semantics (case-insensitive). */
export function isChange(ev: Ev): boolean {
  const { e, raw } = ev;
  const n = String(e.eventName);
  const readName = /^(get|list|describe)/i.test(n);
  return (
    /^create/i.test(n) ||
    /(?:^|[^A-Za-z0-9])(delete|remove|reboot)(?:$|[^A-Za-z0-9])/i.test(raw) ||
    eqi(e.readOnly, 'false') ||
    ['createvolume', 'deletevolume', 'attachvolume', 'detachvolume', 'createbucket', 'deletebucket', 'putobject'].includes(n.toLowerCase()) ||
    (/^(run|start|stop|terminate|reboot)instances$/i.test(n)) ||
    (['iam.amazonaws.com', 'cognito-idp.amazonaws.com'].includes(String(e.eventSource).toLowerCase()) && !readName) ||
    (/(address|gateway|networkacl|networkinterface|securitygroup|route|subnet|vpc)/i.test(n) && !readName)
  );
}

// --- the detections ------------------------------------------------------------------------------

export interface Clock {
  /** now() of the run, epoch seconds (on a whole hour here, so -70m@m is now-70m). */
  now: number;
}
const windowOf = (c: Clock) => ({ earliest: floorTo(c.now - 70 * MIN, MIN), latest: floorTo(c.now - 10 * MIN, MIN) });
const inRange = (t: number, a: number, b: number) => t >= a && t < b;

interface Seen {
  first: number;
  last: number;
}
type Table = Map<string, Seen & { enough: number }>;

/** The "previously seen" table of the Change baselines: Initial (-90d@d..-1d@d), then Update (-1d@d..@d). */
function changeHistory(events: readonly Ev[], c: Clock, keyOf: (ev: Ev) => string | null): Table {
  const d = (days: number) => floorTo(c.now - days * DAY, DAY);
  const collect = (a: number, b: number) => {
    const m = new Map<string, Seen>();
    for (const ev of events) {
      if (!inRange(ev.t, a, b)) continue;
      const k = keyOf(ev);
      if (k === null) continue;
      const s = m.get(k);
      if (s) {
        s.first = Math.min(s.first, ev.t);
        s.last = Math.max(s.last, ev.t);
      } else m.set(k, { first: ev.t, last: ev.t });
    }
    return m;
  };
  const withEnough = (m: Map<string, Seen>): Table => {
    const globalFirst = Math.min(...[...m.values()].map((s) => s.first));
    const enough = globalFirst <= d(7) ? 1 : 0;
    return new Map([...m].map(([k, s]) => [k, { ...s, enough }]));
  };
  const merged = collect(d(90), d(1));
  for (const [k, s] of collect(d(1), d(0))) {
    const old = merged.get(k);
    merged.set(k, old ? { first: Math.min(old.first, s.first), last: Math.max(old.last, s.last) } : s);
  }
  for (const [k, s] of merged) if (!(s.last > d(90))) merged.delete(k);
  return withEnough(merged);
}

/** Window pairs reported by the "previously unseen" logic shared by the Change seed and its per-role variant. */
function unseenPairs(events: readonly Ev[], c: Clock, keyOf: (ev: Ev) => string | null): Set<string> {
  const table = changeHistory(events, c, keyOf);
  const w = windowOf(c);
  const pairs = new Set<string>();
  for (const ev of events) {
    if (!inRange(ev.t, w.earliest, w.latest)) continue;
    const k = keyOf(ev);
    if (k !== null) pairs.add(k);
  }
  const enough = Math.max(-Infinity, ...[...pairs].map((k) => table.get(k)?.enough ?? -Infinity));
  if (enough !== 1) return new Set();
  const since = floorTo(c.now - 24 * HOUR, HOUR);
  return new Set([...pairs].filter((k) => {
    const seen = table.get(k);
    return seen === undefined || seen.first > since;
  }));
}

/** "Cloud API Calls From Previously Unseen User Roles": `user|command` pairs (its rows also split by object). */
export function unseenRoleCommandSeed(events: readonly Ev[], c: Clock): Set<string> {
  return unseenPairs(events, c, (ev) => {
    const { e } = ev;
    if (!isChange(ev) || !eqi(addonUserType(ev.e), 'AssumedRole') || !succeeded(e)) return null;
    return `${addonUser(e) || 'unknown'}|${e.eventName || 'unknown'}`;
  });
}

/** "… (per role)": `role|command`. */
export function unseenRoleCommandPerRole(events: readonly Ev[], c: Clock): Set<string> {
  return unseenPairs(events, c, (ev) => {
    const { e } = ev;
    const role = e.userIdentity?.sessionContext?.sessionIssuer?.userName;
    if (!eqi(e.userIdentity?.type, 'AssumedRole') || !succeeded(e) || !isChange(ev) || role === undefined || role === null) return null;
    return `${role}|${e.eventName}`;
  });
}

/** "Detect new API calls from user roles": the `user` (userName) of every role with a pair new in the window. */
export function newApiCallsSeed(events: readonly Ev[], c: Clock): Set<string> {
  const w = windowOf(c);
  const baselineFrom = floorTo(c.now - 30 * DAY, DAY);
  const counts = (e: Record<string, any>) => eqi(e.eventType, 'AwsApiCall') && succeeded(e) && eqi(e.userIdentity?.type, 'AssumedRole');
  const known = new Set<string>();
  for (const { e, t } of events) {
    const u = addonUserName(e);
    if (inRange(t, baselineFrom, w.earliest) && counts(e) && u !== null) known.add(`${u}|${e.eventName}`);
  }
  const out = new Set<string>();
  for (const { e, t } of events) {
    const u = addonUserName(e);
    if (inRange(t, w.earliest, w.latest) && counts(e) && u !== null && !known.has(`${u}|${e.eventName}`)) out.add(u);
  }
  return out;
}

const mfaFalse = (e: Record<string, any>) => eqi(e.userIdentity?.sessionContext?.attributes?.mfaAuthenticated, 'false');

/** "Detect API activity from users without MFA": `arn|type|user`; `allow` is the allow-list's identity column. */
export function mfaSeed(events: readonly Ev[], c: Clock, allow: readonly string[]): Set<string> {
  const w = windowOf(c);
  const allowed = new Set(allow.map((a) => a.toLowerCase()));
  const out = new Set<string>();
  for (const { e, t } of events) {
    if (!inRange(t, w.earliest, w.latest) || !mfaFalse(e)) continue;
    const user = addonUser(e);
    const ui = e.userIdentity;
    if (user === null || allowed.has(user.toLowerCase()) || ui?.arn == null || ui?.type == null) continue;
    out.add(`${ui.arn}|${ui.type}|${user}`);
  }
  return out;
}

/** "… (per ARN)": `arn|type|identity`. */
export function mfaPerArn(events: readonly Ev[], c: Clock, allow: readonly string[]): Set<string> {
  const w = windowOf(c);
  const allowed = new Set(allow.map((a) => a.toLowerCase()));
  const out = new Set<string>();
  for (const { e, t } of events) {
    const ui = e.userIdentity ?? {};
    if (!inRange(t, w.earliest, w.latest) || !mfaFalse(e) || (ui.invokedBy !== undefined && ui.invokedBy !== null)) continue;
    const issuer = ui.sessionContext?.sessionIssuer ?? {};
    const identity: string | null = ui.userName ?? issuer.userName ?? ui.arn ?? null;
    if (identity === null || allowed.has(identity.toLowerCase())) continue;
    if (typeof issuer.arn === 'string' && allowed.has(issuer.arn.toLowerCase())) continue;
    if (ui.arn == null || ui.type == null) continue;
    out.add(`${ui.arn}|${ui.type}|${identity}`);
  }
  return out;
}
