/**
 * Public API of the workload generator: realistic CloudTrail for a seeded organisation, with
 * injected activity for each seed detection and a ground-truth file describing it.
 *
 *   const summary = await generate({ events: 100_000, out: 'data/', layout: 'awslogs', seed: 'demo' });
 *   for (const record of generateEvents({ events: 1000, seed: 'x', end: Date.UTC(2026, 0, 5) })) …
 */
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { TrailguardError } from '../errors.js';
import type { CloudTrailRecord } from './records.js';
import { DETECTIONS, planScenarios, type ScenarioPlan, type ScenarioTruth } from './scenarios.js';
import { requiredEvents, streamRecords, type StreamObservations } from './stream.js';
import { AwsLogsWriter, NdjsonWriter, type RecordWriter } from './writers.js';
import { buildWorld, type World } from './world.js';
import { isoSeconds } from './records.js';

export type { CloudTrailRecord } from './records.js';
export type { ScenarioTruth, ScenarioEventTruth } from './scenarios.js';
export type { World, Identity, Account } from './world.js';
export { buildWorld } from './world.js';
export { DETECTIONS } from './scenarios.js';
export { deliveryStamp } from './writers.js';

export type Layout = 'ndjson' | 'awslogs';

export interface EventOptions {
  /** Exact number of records to produce (scenario events included). */
  events: number;
  seed?: string;
  /** Length of the history in days (default 7). */
  days?: number;
  /** End of the window, epoch milliseconds (default: now rounded down to the hour). */
  end?: number;
  /** Inject the seed-detection scenarios near `end` (default true). */
  scenarios?: boolean;
}

export interface GenerateOptions extends EventOptions {
  /** NDJSON: a file, or a directory that receives events.ndjson[.gz]. AWSLogs: the root directory. */
  out: string;
  layout?: Layout;
  /** NDJSON only: gzip the file (implied by a `.gz` path). AWSLogs files are always gzipped. */
  gzip?: boolean;
  /** Where to write the ground truth JSON (default: beside the data). */
  truth?: string;
  /** Where to write the service-account allow-list CSV (default: beside the data). */
  serviceAccounts?: string;
  /** Replace existing output. */
  force?: boolean;
  /** Called every `progressEvery` records with the count so far. */
  onProgress?: (events: number) => void;
  progressEvery?: number;
}

export interface GenerateSummary {
  events: number;
  files: number;
  /** Bytes written for the data (compressed size when gzipped). */
  bytes: number;
  layout: Layout;
  /** The NDJSON file or the AWSLogs root. */
  dataPath: string;
  truthPath: string;
  serviceAccountsPath: string;
  start: string;
  end: string;
  seed: string;
}

export const DEFAULT_SEED = 'trailguard';
export const DEFAULT_DAYS = 7;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const MIN = 60_000;

export function defaultEnd(nowMs: number = Date.now()): number {
  return Math.floor(nowMs / HOUR) * HOUR;
}

interface Resolved {
  world: World;
  seed: string;
  start: number;
  end: number;
  days: number;
  events: number;
  plan: ScenarioPlan | null;
}

function usage(code: string, reason: string, hints: string[] = []): TrailguardError {
  return new TrailguardError({ code, phase: 'usage', reason, hints });
}

function resolve(o: EventOptions): Resolved {
  const seed = o.seed ?? DEFAULT_SEED;
  const days = o.days ?? DEFAULT_DAYS;
  const end = o.end ?? defaultEnd();
  if (!Number.isInteger(o.events) || o.events < 1) throw usage('generate-events', `--events must be a positive whole number, got ${o.events}`);
  if (!Number.isFinite(days) || days * 24 < 2) throw usage('generate-days', `--days must be at least 2 hours (0.084), got ${days}`, ['the scenarios sit in the last hour, and the history before it']);
  if (!Number.isFinite(end)) throw usage('generate-end', `--end is not a valid time`);
  const world = buildWorld(seed);
  const scenarios = o.scenarios ?? true;
  const start = end - Math.round(days * DAY);
  const needed = requiredEvents(world, start, end, scenarios);
  if (o.events < needed) {
    throw usage('generate-events', `--events ${o.events} is too small: the injected scenarios and the history anchor need ${needed} events`, [`use --events ${needed} or more, or --no-scenarios`]);
  }
  return { world, seed, start, end, days, events: o.events, plan: scenarios ? planScenarios(world, start, end) : null };
}

/** The records in time order, without writing anything (for tests, demos and benchmarks). */
export function* generateEvents(o: EventOptions): Generator<CloudTrailRecord> {
  const r = resolve(o);
  yield* streamRecords({ world: r.world, start: r.start, end: r.end, events: r.events, scenarios: r.plan !== null }, r.plan);
}

/** The simulated organisation and the scenarios for these options, without generating events. */
export function describeWorkload(o: EventOptions): { world: World; scenarios: ScenarioTruth[]; start: number; end: number } {
  const r = resolve(o);
  return { world: r.world, scenarios: r.plan?.truths ?? [], start: r.start, end: r.end };
}

/** `-70m@m` .. `-10m@m` at now=end: the window the seed detections run over. */
export function detectionWindow(end: number): { now: number; earliest: number; latest: number } {
  return { now: end, earliest: Math.floor((end - 70 * MIN) / MIN) * MIN, latest: Math.floor((end - 10 * MIN) / MIN) * MIN };
}

function outputPaths(o: GenerateOptions, layout: Layout) {
  const gzip = layout === 'ndjson' && (o.gzip === true || o.out.endsWith('.gz'));
  let dataPath: string;
  let dir: string;
  let stem: string;
  if (layout === 'awslogs') {
    dataPath = o.out;
    dir = o.out;
    stem = 'truth';
  } else {
    const isDir = o.out.endsWith('/') || (existsSync(o.out) && statSync(o.out).isDirectory());
    dataPath = isDir ? join(o.out, gzip ? 'events.ndjson.gz' : 'events.ndjson') : o.out;
    dir = dirname(dataPath);
    stem = `${basename(dataPath).replace(/(\.ndjson|\.jsonl|\.json)?(\.gz)?$/, '')}.truth`;
  }
  return {
    gzip,
    dataPath,
    dir,
    truthPath: o.truth ?? join(dir, `${stem}.json`),
    serviceAccountsPath: o.serviceAccounts ?? join(dir, 'aws_service_accounts.csv'),
  };
}

function refuseOverwrite(paths: string[], awslogsRoot: string | null, force: boolean): void {
  if (force) return;
  const existing = paths.filter((p) => existsSync(p));
  if (awslogsRoot) {
    const tree = join(awslogsRoot, 'AWSLogs');
    if (existsSync(tree) && readdirSync(tree).length > 0) existing.unshift(tree);
  }
  if (existing.length > 0) {
    throw usage('generate-exists', `output already exists: ${existing.join(', ')}`, ['pass --force to replace it, or choose another --out']);
  }
}

/** Writes the workload and its truth; returns what was written. */
export async function generate(o: GenerateOptions): Promise<GenerateSummary> {
  const layout: Layout = o.layout ?? 'ndjson';
  if (layout !== 'ndjson' && layout !== 'awslogs') throw usage('generate-layout', `unknown --layout ${String(layout)}`, ['use ndjson or awslogs']);
  if (!o.out) throw usage('generate-out', '--out is required');
  const r = resolve(o);
  const p = outputPaths(o, layout);
  refuseOverwrite(layout === 'ndjson' ? [p.dataPath, p.truthPath, p.serviceAccountsPath] : [p.truthPath, p.serviceAccountsPath], layout === 'awslogs' ? p.dataPath : null, o.force === true);
  mkdirSync(p.dir, { recursive: true });
  mkdirSync(dirname(p.truthPath), { recursive: true });
  mkdirSync(dirname(p.serviceAccountsPath), { recursive: true });

  const dw = detectionWindow(r.end);
  const observations: StreamObservations = { lateRolePairs: [], mfaLessUsers: [], firstEventTime: null, lastEventTime: null };
  const writer: RecordWriter = layout === 'awslogs' ? new AwsLogsWriter(p.dataPath, r.seed) : new NdjsonWriter(p.dataPath, p.gzip);
  const every = o.progressEvery ?? 50_000;
  let count = 0;
  try {
    for (const record of streamRecords({ world: r.world, start: r.start, end: r.end, events: r.events, scenarios: r.plan !== null }, r.plan, { since: dw.earliest, until: dw.latest, out: observations })) {
      const pending = writer.write(record);
      if (pending) await pending;
      count++;
      if (o.onProgress && count % every === 0) o.onProgress(count);
    }
  } finally {
    await writer.close();
  }
  const bytes = layout === 'ndjson' ? statSync(p.dataPath).size : writer.bytes;

  writeFileSync(p.serviceAccountsPath, ['identity', ...allowList(r.world)].join('\n') + '\n');
  const truth = truthDocument(r, observations, { data: layout === 'awslogs' ? 'AWSLogs/' : basename(p.dataPath), layout, serviceAccounts: basename(p.serviceAccountsPath) });
  writeFileSync(p.truthPath, JSON.stringify(truth, null, 2) + '\n');

  return {
    events: count,
    files: writer.files,
    bytes,
    layout,
    dataPath: p.dataPath,
    truthPath: p.truthPath,
    serviceAccountsPath: p.serviceAccountsPath,
    start: isoSeconds(r.start),
    end: isoSeconds(r.end),
    seed: r.seed,
  };
}

/**
 * The reviewed allow-list (`aws_service_accounts.csv`, column `identity`) the generated data
 * stands for: the service accounts' user names, then the approved roles' ARNs (World.approvedRoleArns).
 */
export function allowList(world: World): string[] {
  return [...world.serviceAccountNames, ...world.approvedRoleArns];
}

function truthDocument(r: Resolved, obs: StreamObservations, files: { data: string; layout: Layout; serviceAccounts: string }) {
  const w = r.world;
  const dw = detectionWindow(r.end);
  return {
    generator: 'trailguard generate',
    formatVersion: 1,
    seed: r.seed,
    events: r.events,
    files,
    window: { start: isoSeconds(r.start), end: isoSeconds(r.end), days: r.days, firstEventTime: obs.firstEventTime === null ? null : isoSeconds(obs.firstEventTime) },
    detectionWindow: { now: isoSeconds(dw.now), earliest: isoSeconds(dw.earliest), latest: isoSeconds(dw.latest), spl: { earliest: '-70m@m', latest: '-10m@m' } },
    world: {
      accounts: w.accounts.map((a) => ({ id: a.id, name: a.name, homeRegion: a.homeRegion, regions: a.regions })),
      users: w.identities
        .filter((i) => i.type === 'IAMUser')
        .map((i) => ({ accountId: i.account.id, userName: i.name, arn: i.arn, kind: i.kind === 'service-user' ? 'service' : 'human', mfa: i.mfa })),
      roles: w.identities
        .filter((i) => i.type === 'AssumedRole')
        .map((i) => ({
          accountId: i.account.id, roleName: i.name, arn: i.arn, kind: i.kind, assumedVia: i.roleKind,
          sessions: i.sessions.map((s) => ({ name: s.name, mfaAuthenticated: s.mfa, ...(s.person ? { person: s.person } : {}) })),
          apis: i.habits.map((h) => h.api.eventName),
        })),
      serviceAccounts: w.serviceAccountNames,
      approvedRoles: w.approvedRoleArns
        .map((arn) => w.identities.find((i) => i.arn === arn)!)
        .map((i) => ({ accountId: i.account.id, roleName: i.name, arn: i.arn, kind: i.kind, assumedVia: i.roleKind })),
      awsServices: [...new Set(w.identities.filter((i) => i.service).map((i) => i.service!))].sort(),
    },
    scenarios: r.plan?.truths ?? [],
    background: {
      note:
        'Background activity that the seed detections may also report at now=end, computed from the generated events, not from the engine. ' +
        'Not listed: AssumedRole calls with mfaAuthenticated=false, which "Detect API activity from users without MFA" also reports wherever the ' +
        "add-on's `user` rule names the role (e.g. Put*, *Bucket, *Instances event names; SPL.md §9.1).",
      roleApiPairsFirstSeenInDetectionWindow: obs.lateRolePairs.map((p) => ({ userName: p.userName, eventName: p.eventName, firstSeen: isoSeconds(p.firstSeen), readOnly: p.readOnly, detection: DETECTIONS.newApiFromRole.id })),
      iamUsersWithoutMfaInDetectionWindow: obs.mfaLessUsers.map((u) => ({ ...u, detection: DETECTIONS.apiWithoutMfa.id })),
    },
  };
}
