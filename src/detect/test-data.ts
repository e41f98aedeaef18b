/**
 * The data of one content test: where each dataset is, and the events written out for the run,
 * with their times shifted into the detection's window when the dataset asks for it.
 *
 * - A dataset is a local path (relative to the content directory that holds the test) or a URL
 *   (security_content's attack_data links), mapped by its file name to `datasets/<name>` of that
 *   content directory, else of any other content directory. A URL with no local file is
 *   *unavailable*: the test is skipped with the reason, never passed. A missing local path is the
 *   test author's mistake: the test fails.
 * - `update_timestamp: true` (Splunk's replay re-stamps events): every event of those datasets is
 *   moved by the same number of seconds so that the latest one lands one minute before the end
 *   of the detection's window at the test's now(); relative spacing is kept, so baselines over
 *   their own, longer windows still see the history. Shifted: `eventTime` (or `@timestamp`),
 *   `userIdentity.sessionContext.attributes.creationDate` and
 *   `responseElements.credentials.expiration` when they are ISO-8601 text.
 * - now(): the test's `now`, else DEFAULT_TEST_NOW when a dataset is shifted, else the instant
 *   that puts the latest event one minute before the window's end (the data as it is).
 */
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, isAbsolute, join, resolve } from 'node:path';
import { Content } from '../content/load.js';
import type { ContentSearch, ContentTest, DatasetRef } from '../content/model.js';
import { parseNow } from '../engine/session.js';
import { readAllEvents, type RawEvent } from '../sources/index.js';
import { windowOf } from './runner.js';

/** now() of a test whose datasets are shifted and which names no `now`: fixed, so runs repeat. */
export const DEFAULT_TEST_NOW = '2030-01-01T12:00:00Z';
/** How far before the window's (exclusive) end the latest shifted event lands, in seconds. */
export const LANDING_MARGIN_SECONDS = 60;

export type DatasetLocation =
  | { kind: 'found'; ref: DatasetRef; path: string }
  | { kind: 'unavailable'; reason: string }
  | { kind: 'missing'; reason: string };

const URL_RE = /^[a-z][a-z0-9+.-]*:\/\//i;
const CLOUDTRAIL_SOURCETYPE = 'aws:cloudtrail';

/** Where a dataset of a test is, or why it cannot be used. */
export function locateDataset(ref: DatasetRef, test: ContentTest, contentDirs: readonly string[]): DatasetLocation {
  if (ref.sourcetype !== undefined && ref.sourcetype !== CLOUDTRAIL_SOURCETYPE) {
    return { kind: 'unavailable', reason: `dataset ${ref.data} has sourcetype ${ref.sourcetype}; Trailguard reads CloudTrail (${CLOUDTRAIL_SOURCETYPE}) only` };
  }
  if (URL_RE.test(ref.data)) {
    let name: string;
    try {
      name = decodeURIComponent(basename(new URL(ref.data).pathname));
    } catch {
      name = basename(ref.data);
    }
    const dirs = [test.contentDir, ...contentDirs.filter((d) => resolve(d) !== resolve(test.contentDir))];
    for (const d of dirs) {
      const p = join(d, 'datasets', name);
      if (existsSync(p) && statSync(p).isFile()) return { kind: 'found', ref, path: p };
    }
    return {
      kind: 'unavailable',
      reason: `dataset not available: ${ref.data} maps to datasets/${name}, which is not in ${dirs.map((d) => Content.display(join(d, 'datasets'))).join(' or ')}; download it there to run this test`,
    };
  }
  const p = isAbsolute(ref.data) ? ref.data : join(test.contentDir, ref.data);
  if (existsSync(p) && statSync(p).isFile()) return { kind: 'found', ref, path: p };
  return { kind: 'missing', reason: `dataset ${ref.data} not found (looked for ${Content.display(p)}, relative to the content directory of ${Content.display(test.file)})` };
}

export interface PreparedData {
  /** Directory holding the events as NDJSON, one file per dataset. */
  dataDir: string;
  /** now() of the run, epoch seconds. */
  now: number;
  /** Seconds added to the shifted datasets' times (null when none is shifted). */
  shiftSeconds: number | null;
  events: number;
}

const ISO_RE = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)$/;

/** ISO-8601 text moved by `seconds`, in UTC, with milliseconds only when the input had a fraction. */
export function shiftIso(text: string, seconds: number): string {
  const ms = Date.parse(text);
  if (!ISO_RE.test(text) || Number.isNaN(ms)) return text;
  const out = new Date(ms + seconds * 1000).toISOString();
  return /\.\d+/.test(text) ? out : out.replace(/\.\d{3}Z$/, 'Z');
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined);

function shiftAt(o: Json | undefined, key: string, seconds: number): void {
  if (o && typeof o[key] === 'string') o[key] = shiftIso(o[key] as string, seconds);
}

/** One event's JSON text with its times moved by `seconds` (the fields listed in the module comment). */
export function shiftEvent(raw: string, seconds: number): string {
  const e = JSON.parse(raw) as Json;
  shiftAt(e, 'eventTime', seconds);
  shiftAt(e, '@timestamp', seconds);
  shiftAt(obj(obj(obj(e.userIdentity)?.sessionContext)?.attributes), 'creationDate', seconds);
  shiftAt(obj(obj(e.responseElements)?.credentials), 'expiration', seconds);
  return JSON.stringify(e);
}

/**
 * Reads the datasets (every record must be a readable CloudTrail event: a bad one is an error
 * naming the file and line), shifts those that ask for it, and writes them under `dir/data/`.
 */
export async function prepareData(detection: ContentSearch, test: ContentTest, found: readonly { ref: DatasetRef; path: string }[], dir: string, tz = 'UTC'): Promise<PreparedData> {
  const loaded: { ref: DatasetRef; path: string; events: RawEvent[] }[] = [];
  for (const f of found) {
    const { events } = await readAllEvents([f.path], { strict: true, validateJson: true });
    loaded.push({ ...f, events });
  }
  const latestOf = (list: typeof loaded) => list.reduce((m, l) => l.events.reduce((n, e) => (e.time > n ? e.time : n), m), -Infinity);
  const shifted = loaded.filter((l) => l.ref.updateTimestamp);
  const latestShifted = latestOf(shifted);
  const latestAll = latestOf(loaded);

  let now: number;
  if (test.now !== undefined) now = parseNow(test.now);
  else if (shifted.length > 0 || !Number.isFinite(latestAll)) now = parseNow(DEFAULT_TEST_NOW);
  else {
    // The data as it is: now() such that the latest event is just inside the window.
    const ref = parseNow(DEFAULT_TEST_NOW);
    now = latestAll + LANDING_MARGIN_SECONDS + (ref - windowOf(detection, ref, tz).latest);
  }
  let shiftSeconds: number | null = null;
  if (shifted.length > 0 && Number.isFinite(latestShifted)) {
    const w = windowOf(detection, now, tz);
    const margin = Math.min(LANDING_MARGIN_SECONDS, (w.latest - w.earliest) / 2);
    shiftSeconds = Math.floor(w.latest - margin - latestShifted);
  }

  const dataDir = join(dir, 'data');
  mkdirSync(dataDir, { recursive: true });
  let events = 0;
  loaded.forEach((l, i) => {
    const lines = l.events.map((e) => (l.ref.updateTimestamp && shiftSeconds !== null ? shiftEvent(e.raw, shiftSeconds) : e.raw));
    const name = `${String(i + 1).padStart(2, '0')}-${basename(l.path).replace(/(\.ndjson|\.jsonl?|\.json)?(\.gz)?$/i, '')}.ndjson`;
    writeFileSync(join(dataDir, name), lines.length > 0 ? lines.join('\n') + '\n' : '');
    events += lines.length;
  });
  return { dataDir, now, shiftSeconds, events };
}
