/**
 * The event stream: background activity spread over the window hour by hour (each identity's
 * weight follows its working hours, so volume has a daily and weekly rhythm), merged with the
 * injected scenarios, yielded in time order. Memory holds one hour of (time, identity) pairs.
 */
import { Rng } from './prng.js';
import { buildCall, type BuiltCall, type CloudTrailRecord } from './records.js';
import { planScenarios, type ScenarioPlan } from './scenarios.js';
import { historyAnchor, type Identity, type World } from './world.js';

const HOUR = 3_600_000;
const MIN = 60_000;

export interface StreamSettings {
  world: World;
  /** Window [start, end) in epoch ms. */
  start: number;
  end: number;
  events: number;
  scenarios: boolean;
}

/** Facts gathered while streaming, for the truth file. */
export interface StreamObservations {
  /** (role name, eventName) of successful AssumedRole API calls first seen at or after `since`. */
  lateRolePairs: { userName: string; eventName: string; firstSeen: number; readOnly: boolean }[];
  /** Non-service IAM users with mfaAuthenticated=false calls inside [since, until). */
  mfaLessUsers: { userName: string; arn: string; count: number }[];
  firstEventTime: number | null;
  lastEventTime: number | null;
}

/** How active an identity is (0..1) in the UTC hour starting at `hourStart`. */
export function activity(id: Identity, hourStart: number, teamTz: number): number {
  const d = new Date(hourStart + id.tzOffset * HOUR);
  const localHour = d.getUTCHours() + d.getUTCMinutes() / 60;
  const weekday = d.getUTCDay() >= 1 && d.getUTCDay() <= 5;
  if (!id.workHours) {
    // Round-the-clock workloads follow their users' day: busier in the team's daytime.
    const teamHour = (new Date(hourStart + teamTz * HOUR).getUTCHours() + 24) % 24;
    return 0.55 + 0.45 * Math.cos(((teamHour - 14) / 24) * 2 * Math.PI) * (weekday ? 1 : 0.6);
  }
  const [from, to] = id.workHours;
  const inHours = localHour >= from && localHour < to;
  const near = localHour >= from - 2 && localHour < to + 3;
  if (!weekday) return inHours ? 0.06 : 0.01;
  return inHours ? 1 : near ? 0.2 : 0.015;
}

/** Minimum number of events needed to hold the scenarios plus the history anchor. */
export function requiredEvents(world: World, start: number, end: number, scenarios: boolean): number {
  return (scenarios ? planScenarios(world, start, end).calls.length : 0) + 1;
}

interface Bucket {
  lo: number;
  hi: number;
  hourStart: number;
  weight: number;
}

/**
 * Yields records in time order. `observe` receives the facts the truth file reports; pass
 * `since`/`until` (epoch ms) to choose the window observed for late pairs and MFA-less users.
 */
export function* streamRecords(
  s: StreamSettings,
  plan: ScenarioPlan | null,
  observe?: { since: number; until: number; out: StreamObservations },
): Generator<CloudTrailRecord> {
  const { world, start, end } = s;
  const rng = Rng.derive(world.seed, 'background');
  const ids = world.identities;
  const scenarioCalls = plan?.calls ?? [];
  const background = s.events - scenarioCalls.length;
  if (background < 1) throw new Error(`generator: ${s.events} events cannot hold ${scenarioCalls.length} scenario events and the history anchor`);

  // Hour buckets covering [start, end), weighted by everyone's activity in that hour.
  const buckets: Bucket[] = [];
  let totalWeight = 0;
  for (let h = Math.floor(start / HOUR) * HOUR; h < end; h += HOUR) {
    const lo = Math.max(h, start);
    const hi = Math.min(h + HOUR, end);
    let w = 0;
    for (const id of ids) w += id.rate * activity(id, h, world.teamTz);
    w *= (hi - lo) / HOUR;
    buckets.push({ lo, hi, hourStart: h, weight: w });
    totalWeight += w;
  }

  // The anchor: a role's successful write in the first minutes, so baselines see history reaching
  // back to the window start (the "enough_data" rule of the Change baselines needs it).
  const { role: anchorRole, api: anchorApi } = historyAnchor(world);
  const anchorTime = start + rng.int(0, Math.min(5 * MIN, end - start - 1));
  const anchor = { time: anchorTime, built: buildCall(rng, world, { identity: anchorRole, api: anchorApi, time: anchorTime, success: true }), scenario: false };

  const pending: { time: number; built: BuiltCall; scenario: boolean }[] = [anchor, ...scenarioCalls.map((c) => ({ ...c, scenario: true }))];
  pending.sort((a, b) => a.time - b.time);
  let pi = 0;

  const firstSeen = new Map<string, { first: number; readOnly: boolean; userName: string; eventName: string }>();
  const mfaLess = new Map<string, { userName: string; arn: string; count: number }>();
  const serviceNames = new Set(world.serviceAccountNames);
  const note = (b: BuiltCall, time: number, scenario: boolean) => {
    if (!observe) return;
    const o = observe.out;
    if (o.firstEventTime === null) o.firstEventTime = time;
    o.lastEventTime = time;
    if (scenario) return;
    const r = b.record;
    if (b.roleName && b.success && r.eventType === 'AwsApiCall') {
      const key = `${b.roleName}\u0000${r.eventName}`;
      if (!firstSeen.has(key)) firstSeen.set(key, { first: time, readOnly: Boolean(r.readOnly), userName: b.roleName, eventName: r.eventName });
    }
    const ui = r.userIdentity;
    if (b.mfaAuthenticated === false && ui.type === 'IAMUser' && time >= observe.since && time < observe.until) {
      const name = String(ui.userName);
      if (!serviceNames.has(name)) {
        const e = mfaLess.get(name) ?? { userName: name, arn: String(ui.arn), count: 0 };
        e.count++;
        mfaLess.set(name, e);
      }
    }
  };

  let emitted = 0;
  let cumWeight = 0;
  let allocated = 0;
  const weights = new Float64Array(ids.length);
  for (const bucket of buckets) {
    cumWeight += bucket.weight;
    const target = totalWeight > 0 ? Math.round(((background - 1) * cumWeight) / totalWeight) : 0;
    const k = target - allocated;
    allocated = target;

    let sum = 0;
    for (let i = 0; i < ids.length; i++) {
      sum += ids[i]!.rate * activity(ids[i]!, bucket.hourStart, world.teamTz);
      weights[i] = sum;
    }
    const times = new Float64Array(k);
    const who = new Uint16Array(k);
    for (let j = 0; j < k; j++) {
      times[j] = bucket.lo + Math.floor(rng.next() * (bucket.hi - bucket.lo));
      who[j] = rng.pickCumulative(weights);
    }
    const order = Array.from({ length: k }, (_, j) => j).sort((a, b) => times[a]! - times[b]! || a - b);

    for (const j of order) {
      const time = times[j]!;
      while (pi < pending.length && pending[pi]!.time <= time) {
        const p = pending[pi++]!;
        note(p.built, p.time, p.scenario);
        emitted++;
        yield p.built.record;
      }
      const id = ids[who[j]!]!;
      const habit = id.habits[rng.pickCumulative(id.habitCumulative)]!;
      const built = buildCall(rng, world, { identity: id, api: habit.api, time });
      note(built, time, false);
      emitted++;
      yield built.record;
    }
  }
  while (pi < pending.length) {
    const p = pending[pi++]!;
    note(p.built, p.time, p.scenario);
    emitted++;
    yield p.built.record;
  }
  if (emitted !== s.events) throw new Error(`generator: emitted ${emitted} events, expected ${s.events}`);

  if (observe) {
    const o = observe.out;
    o.lateRolePairs = [...firstSeen.values()]
      .filter((p) => p.first >= observe.since && p.first < observe.until)
      .map((p) => ({ userName: p.userName, eventName: p.eventName, firstSeen: p.first, readOnly: p.readOnly }))
      .sort((a, b) => a.firstSeen - b.firstSeen || a.userName.localeCompare(b.userName));
    o.mfaLessUsers = [...mfaLess.values()].sort((a, b) => a.userName.localeCompare(b.userName));
  }
}
