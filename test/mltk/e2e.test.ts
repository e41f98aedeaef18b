/**
 * Issue 11 end to end: a baseline fits a DensityFunction model into the state store and a detection
 * applies it, both YAML in the security_content layout (test/fixtures/mltk/content), run with the
 * same runSearch a user's `trailguard search` runs, over generated CloudTrail plus an injected burst
 * of 40 RunInstances in ten minutes by one person. Expectations come from a plain-JS reading of the
 * generated records: the hourly launch counts, and the exponential fit (scale = mean − min,
 * upper bound = min − scale·ln t) of the burst hour's group, computed here independently.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from '../../src/generate/index.js';
import { runSearch } from '../../src/engine/session.js';
import { Content } from '../../src/content/load.js';
import { modelFitterLookup } from '../../src/content/models.js';
import { ModelStore } from '../../src/state/models.js';
import { TrailguardError } from '../../src/errors.js';
import { toText, valuesOf } from '../../src/eval/value.js';
import { fixturePath } from '../helpers.js';

const END = Date.parse('2026-11-20T12:00:00Z'); // a Friday
const HOUR = 3600_000;
const TRAIN_START = END - 9 * 24 * HOUR;
const DETECT_START = END - 24 * HOUR;
/** The burst: 40 launches between 10:20 and 10:30 UTC on the last (week)day. */
const BURST_START = Date.parse('2026-11-20T10:20:00Z');
const BURST_HOUR = Date.parse('2026-11-20T10:00:00Z');
const CONTENT = fixturePath('mltk', 'content');
const MODEL = 'cloud_instances_launched_test_v1';
const BASELINE = 'Baseline Of Cloud Instances Launched (Trailguard test)';

interface Rec {
  eventTime: string;
  eventName: string;
  errorCode?: string;
  eventID: string;
  userIdentity: { type: string; userName?: string; sessionContext?: { sessionIssuer?: { userName?: string } } };
  responseElements?: { instancesSet?: { items?: { instanceId?: string }[] } };
}

// With sparse data a group can hold only empty hours, and then dist=expon fails the whole fit, as it
// does in MLTK (density.test.ts checks that); this seed and size give every group some launches.
const dir = mkdtempSync(join(tmpdir(), 'tg-mltk-e2e-'));
const dataFile = join(dir, 'data', 'ct.ndjson');
await generate({ events: 40_000, seed: 'mltk', days: 9, end: END, out: dataFile, layout: 'ndjson', truth: join(dir, 'truth.json'), serviceAccounts: join(dir, 'sa.csv'), force: true });
const generated = readFileSync(dataFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Rec);
const launched = (r: Rec) => r.eventName === 'RunInstances' && r.errorCode === undefined;

// The burst copies a RunInstances call by a person (not the auto-scaling service role) 40 times.
const template = generated.find((r) => launched(r) && r.userIdentity.type === 'AssumedRole' && !/AutoScaling/.test(JSON.stringify(r.userIdentity)));
assert.ok(template, 'the generated data has a RunInstances call by a person');
const burstIds = Array.from({ length: 40 }, (_, i) => `i-0burst${String(i).padStart(9, '0')}`);
const burst: Rec[] = burstIds.map((id, i) => {
  const r = JSON.parse(JSON.stringify(template)) as Rec;
  r.eventID = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
  r.eventTime = new Date(BURST_START + i * 15_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  r.responseElements = { ...r.responseElements, instancesSet: { items: [{ instanceId: id }] } };
  return r;
});
const burstFile = join(dir, 'data', 'burst.ndjson');
writeFileSync(burstFile, burst.map((r) => JSON.stringify(r)).join('\n') + '\n');
const all = [...generated, ...burst];

/** Launches per hour bucket (epoch ms of the hour) in [from, to). */
function hourlyLaunches(from: number, to: number): Map<number, number> {
  const m = new Map<number, number>();
  for (const r of all) {
    const t = Date.parse(r.eventTime);
    if (!launched(r) || t < from || t >= to) continue;
    const h = Math.floor(t / HOUR) * HOUR;
    m.set(h, (m.get(h) ?? 0) + 1);
  }
  return m;
}

const stateDir = join(dir, 'state');
const content = new Content({ dirs: [CONTENT] });
const setup = { dataPaths: [dataFile, burstFile], stateDir, contentDirs: [CONTENT], now: END / 1000, modelFitters: modelFitterLookup(content) };
const { baselines, detections } = content;
const baseline = baselines.find((b) => b.name === BASELINE)!;
const detection = detections.find((d) => d.name === 'Abnormally High Number Of Cloud Instances Launched (Trailguard test)')!;

test('issue 11: before the baseline has run, the detection fails naming the baseline that fits its model', async () => {
  let caught: unknown;
  await runSearch(detection.search, { ...setup, earliest: String(DETECT_START / 1000), latest: String(END / 1000), file: detection.file }).catch((e) => (caught = e));
  assert.ok(caught instanceof TrailguardError, String(caught));
  assert.match(caught.reason, new RegExp(`model "${MODEL}" does not exist`));
  assert.ok(caught.hints.some((h) => h.includes(`baseline "${BASELINE}"`) && h.includes(baseline.file)), caught.hints.join('\n'));
});

test('issue 11: the baseline fits the model into the state store; the detection flags the burst hour, and only the hours an independent fit flags', async () => {
  const fit = await runSearch(baseline.search, { ...setup, earliest: String(TRAIN_START / 1000), latest: String(DETECT_START / 1000), file: baseline.file });
  assert.ok(fit.rows.length > 24 * 7, 'one training row per hour of the window');
  const store = new ModelStore({ stateDir });
  const rec = store.list().find((m) => m.name === MODEL);
  store.close();
  assert.ok(rec, 'the model is stored');
  assert.equal(rec.algorithm, 'DensityFunction');
  assert.equal(rec.fittedBy, baseline.file);

  const det = await runSearch(detection.search, { ...setup, earliest: String(DETECT_START / 1000), latest: String(END / 1000), file: detection.file });
  const counts = hourlyLaunches(DETECT_START, END);
  assert.ok(counts.size > 5, 'the detection window has ordinary hours with launches');

  // The model, computed independently: a group is (round(hour/3), isWeekend); its training values
  // are the hourly counts of its hours from the first to the last hour with a launch in the
  // training window, empty hours counting 0; dist=expon puts the upper boundary at
  // min − scale·ln(threshold) with scale = mean − min.
  const train = hourlyLaunches(TRAIN_START, DETECT_START);
  const first = Math.min(...train.keys());
  const last = Math.max(...train.keys());
  const groupOf = (h: number) => {
    const d = new Date(h);
    return `${Math.round(d.getUTCHours() / 3)}|${d.getUTCDay() === 0 || d.getUTCDay() === 6 ? 1 : 0}`;
  };
  const groups = new Map<string, number[]>();
  for (let h = first; h <= last; h += HOUR) groups.set(groupOf(h), [...(groups.get(groupOf(h)) ?? []), train.get(h) ?? 0]);
  const upperOf = (h: number) => {
    const values = groups.get(groupOf(h))!;
    const min = Math.min(...values);
    const scale = values.reduce((a, b) => a + b, 0) / values.length - min;
    return min - scale * Math.log(0.005);
  };
  // The hours the detection must flag: hours with launches whose count exceeds their group's
  // boundary, in groups with at least 16 training values (`where cardinality >= 16`).
  const expected = [...counts].filter(([h, n]) => (groups.get(groupOf(h))?.length ?? 0) >= 16 && n > upperOf(h)).map(([h]) => h / 1000).sort();
  const flagged = det.rows.map((r) => Number(r.get('_time'))).sort();
  assert.deepEqual(flagged, expected);
  assert.ok(flagged.includes(BURST_HOUR / 1000), 'the burst hour is flagged');
  assert.ok(flagged.length <= 3 && counts.size - flagged.length >= 5, `ordinary hours are mostly not flagged: ${flagged.length} of ${counts.size}`);

  const row = det.rows.find((r) => r.get('_time') === BURST_HOUR / 1000)!;
  assert.equal(Number(row.get('instances_launched')), counts.get(BURST_HOUR));
  const objects = valuesOf(row.get('object_id')).map(toText);
  for (const id of burstIds) assert.ok(objects.includes(id), `object_id lacks ${id}`);
  assert.ok(valuesOf(row.get('user')).length > 0);
  const upper = upperOf(BURST_HOUR);
  assert.ok(Math.abs(Number(row.get('expected_upper_threshold')) - upper) < 1e-4, `upper ${String(row.get('expected_upper_threshold'))} vs ${upper}`);
  assert.ok(counts.get(BURST_HOUR)! - 40 < upper, 'without the burst the hour would not be flagged');
});
