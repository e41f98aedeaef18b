/** The real CloudTrail events of test/fixtures/cloudtrail/events.ndjson (origins in its README). */
import { readFileSync } from 'node:fs';
import type { RawEvent } from '../../src/sources/types.js';
import { fixturePath } from '../helpers.js';

export const FIXTURE_FILE = fixturePath('cloudtrail', 'events.ndjson');

let lines: string[] | undefined;

/** Event time as sources would compute it: eventTime (or @timestamp), epoch seconds. */
function timeOf(obj: Record<string, unknown>): number {
  const t = String(obj.eventTime ?? obj['@timestamp'] ?? '');
  const iso = /^\d{4}-\d{2}-\d{2} /.test(t) ? t.replace(' ', 'T').replace(/\.\d+$/, '') + 'Z' : t;
  return Date.parse(iso) / 1000;
}

/** The event on 1-based `line` of the fixture file. */
export function fixtureEvent(line: number): RawEvent {
  lines ??= readFileSync(FIXTURE_FILE, 'utf8').split('\n').filter((l) => l.trim() !== '');
  const raw = lines[line - 1];
  if (raw === undefined) throw new Error(`fixture line ${line} does not exist`);
  return { raw, time: timeOf(JSON.parse(raw) as Record<string, unknown>), source: FIXTURE_FILE, line, byte: 0 };
}

export function fixtureCount(): number {
  fixtureEvent(1);
  return lines!.length;
}
