/**
 * The seed detections and their variants give the same baselines, rows and findings in-process and
 * through `--engine duckdb` (both SQL dialects) on every real dataset of the shared corpus, as the
 * scale-out issue asks. The detections are run at the end of each dataset's busiest hours (found
 * by a plain reading of the eventTimes), so their -70m..-10m windows hold real activity.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ENGINES, compareSeeds } from '../sql/seed-compare.js';
import { dataPath, skipReason } from './data.js';

const skip = skipReason;

/**
 * The datasets: a name, the paths given as --data, and whether the Athena table shape applies.
 * OTRF's Logstash export has @timestamp instead of eventTime: the DuckDB profile reads it as the
 * in-process reader does, but an Athena CloudTrail table (over CloudTrail's own delivery files,
 * which always carry eventTime) would not, so only the DuckDB dialect is compared there.
 */
const DATASETS: Array<[string, string[], 'all' | 'duckdb']> = [
  ['invictus-ir delivery files', ['invictus-ir-aws_dataset/CloudTrail'], 'all'],
  ['invictus-ir NDJSON', ['invictus-ir-aws_dataset/events.ndjson'], 'all'],
  ['otrf-security-datasets', ['otrf-security-datasets/events.ndjson'], 'duckdb'],
  ['panther-analysis test events (history)', ['panther-analysis/panther_cloudtrail_test_events_history_only.ndjson'], 'all'],
];

/** eventTimes of a file or directory by a plain parse (Records files or NDJSON lines). */
function eventTimes(path: string): number[] {
  if (!existsSync(path)) return [];
  const files = path.endsWith('.ndjson') || path.endsWith('.json') ? [path] : readdirSync(path).map((f) => join(path, f));
  const times: number[] = [];
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    const events: Array<{ eventTime?: unknown; '@timestamp'?: unknown }> = f.endsWith('.json')
      ? (JSON.parse(text) as { Records: Array<{ eventTime?: unknown; '@timestamp'?: unknown }> }).Records
      : text.split('\n').filter((l) => l.trim() !== '').flatMap((l) => {
          try {
            return [JSON.parse(l) as { eventTime?: unknown; '@timestamp'?: unknown }];
          } catch {
            return [];
          }
        });
    for (const e of events) {
      // OTRF's Logstash export has @timestamp instead of eventTime (the reader accepts either).
      const when = e.eventTime ?? e['@timestamp'];
      const t = typeof when === 'string' ? Date.parse(when) : NaN;
      if (Number.isFinite(t)) times.push(t / 1000);
    }
  }
  return times;
}

/** now() values that put the detections' window (-70m@m .. -10m@m) over the busiest hours. */
function busyNows(times: number[], hours: number): number[] {
  const perHour = new Map<number, number>();
  for (const t of times) {
    const h = Math.floor(t / 3600) * 3600;
    perHour.set(h, (perHour.get(h) ?? 0) + 1);
  }
  return [...perHour.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, hours).map(([h]) => h + 70 * 60);
}

let totalRows = 0;
for (const [name, rel, which] of DATASETS) {
  test(`seeds over ${name}: in-process = duckdb = Trino text on duckdb at its busiest hours`, { skip }, async () => {
    const paths = rel.map((r) => dataPath(r));
    const times = paths.flatMap(eventTimes);
    assert.ok(times.length > 0, `${name}: no events with an eventTime in ${paths.join(', ')}`);
    for (const now of busyNows(times, 3)) {
      const engines = which === 'all' ? ENGINES : ENGINES.filter(([label]) => label === 'duckdb');
      totalRows += await compareSeeds(`${name} @ ${new Date(now * 1000).toISOString()}`, paths, now, undefined, false, engines);
    }
  });
}

test('the comparisons above saw detections return rows (else they proved little)', { skip }, () => {
  assert.ok(totalRows > 0, 'no detection returned a row on any dataset');
});
