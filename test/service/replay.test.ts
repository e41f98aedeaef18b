/**
 * The service on a simulated clock: replaying two generated weeks raises exactly the findings that
 * running the baselines and detections by hand at each scheduled time raises, once each; the
 * ledger holds every tick once; a catch-up limit skips the oldest missed ticks with a warning.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Cron } from 'croner';
import { generate } from '../../src/generate/index.js';
import { Content } from '../../src/content/load.js';
import { selectBaselines } from '../../src/detect/operations.js';
import { runBaseline, runDetection, type RunEnvironment } from '../../src/detect/runner.js';
import { StateStore } from '../../src/state/index.js';
import { DetectionService } from '../../src/service/service.js';
import { scratchDir } from '../state/tmp.js';

const END = Date.parse('2026-11-20T12:00:00Z') / 1000;
const FROM = END - 14 * 86400;
const dir = scratchDir('tg-replay-');
const data = join(dir, 'data');
await generate({ events: 6000, seed: 'replay', days: 15, end: END * 1000, out: data, layout: 'awslogs', truth: join(dir, 'truth.json'), serviceAccounts: join(dir, 'sa.csv'), force: true });

// A user content dir that reschedules every enabled detection every 6 hours (the test's time
// budget; the schedule logic is the same as hourly) — settings of a later dir apply to shipped searches.
const EVERY = 6;
const userContent = join(dir, 'content');
mkdirSync(userContent, { recursive: true });
const enabled = new Content().detections.filter((d) => d.enabled).map((d) => d.name);
writeFileSync(join(userContent, 'trailguard-settings.yml'), `searches:\n${enabled.map((n) => `  "${n}":\n    schedule: { cron: "0 */${EVERY} * * *" }\n`).join('')}`);

function open(stateDir: string): { content: Content; state: StateStore } {
  const content = new Content({ dirs: [userContent] });
  return { content, state: new StateStore({ stateDir, contentDirs: [...content.dirs], includeProjectContent: false, definitions: content.lookups }) };
}

const findingKeys = (s: StateStore) => s.findings.list().map((f) => `${f.doc.detection.name}|${f.doc.window.earliest}|${f.id}`).sort();

test('replaying two weeks equals running baselines and detections by hand at every scheduled time, with no duplicates', async () => {
  const replayed = open(join(dir, 'replayed'));
  const service = new DetectionService({ content: replayed.content, state: replayed.state, dataPaths: [data], tz: 'UTC', maxTicks: 10_000, outputs: [], replay: { from: FROM, to: END } });
  const summary = await service.run();
  assert.deepEqual(summary.failures, []);

  // By hand: the scheduled times of each search from its cron, independently of the scheduler.
  const manual = open(join(dir, 'manual'));
  const { content, state } = manual;
  const baselines = selectBaselines(content, []);
  const detections = content.detections.filter((d) => d.enabled);
  const times = (cron: string) => {
    const c = new Cron(cron, { paused: true, timezone: 'UTC' });
    const out: number[] = [];
    let d = new Date((FROM - 0.001) * 1000);
    for (;;) {
      const n = c.nextRun(d);
      if (!n || n.getTime() / 1000 > END) break;
      out.push(n.getTime() / 1000);
      d = n;
    }
    return out;
  };
  const plan: { t: number; order: number; run: (env: RunEnvironment) => Promise<unknown> }[] = [];
  const all = [...baselines, ...detections];
  all.forEach((s, order) => {
    const ticks = s.runMode === 'once' ? [FROM] : times(s.schedule.cron);
    for (const t of ticks) plan.push({ t, order, run: (env) => (s.kind === 'baseline' ? runBaseline(s, env) : runDetection(s, env)) });
  });
  plan.sort((a, b) => a.t - b.t || a.order - b.order);
  for (const p of plan) await p.run({ content, state, dataPaths: [data], now: p.t, tz: 'UTC' });

  assert.ok(findingKeys(manual.state).length > 0);
  assert.deepEqual(findingKeys(replayed.state), findingKeys(manual.state));
  // No finding twice: ids are unique, and no identity is stored twice for one window.
  const list = replayed.state.findings.list();
  assert.equal(new Set(list.map((f) => f.id)).size, list.length);
  assert.equal(new Set(list.map((f) => `${f.identity}|${f.latest}`)).size, list.length);
  // The ledger holds each planned tick exactly once.
  const ledger = replayed.state.ledger.entries();
  assert.equal(ledger.length, plan.length);
  assert.equal(new Set(ledger.map((e) => `${e.searchId}|${e.scheduled}`)).size, ledger.length);
  assert.ok(ledger.every((e) => e.status === 'done'));
  // The baselines' tables are the same.
  for (const t of ['previously_seen_api_calls_from_user_roles', 'previously_seen_cloud_api_calls_per_user_role']) {
    assert.deepEqual(replayed.state.lookups.read(t), manual.state.lookups.read(t), t);
  }

  // A second replay over the same range finds every tick in the ledger and runs nothing.
  const again = await new DetectionService({ content: replayed.content, state: replayed.state, dataPaths: [data], tz: 'UTC', maxTicks: 10_000, outputs: [], replay: { from: FROM, to: END } }).run();
  assert.equal(again.ticks, 0);
  replayed.state.close();
  manual.state.close();
});

test('after downtime the missed ticks run oldest first, up to the catch-up limit; older ones are skipped with a warning', async () => {
  const { content, state } = open(join(dir, 'catchup'));
  const warnings: string[] = [];
  const mk = (now: number, maxTicks: number) => new DetectionService({ content, state, dataPaths: [data], tz: 'UTC', maxTicks, outputs: [], once: true, clock: () => now, warn: (m) => warnings.push(m) });
  // First start: only the latest tick of each detection runs (earlier ones are history, not downtime).
  await mk(END - 86400, 3).run();
  const detectionIds = new Set(content.detections.filter((d) => d.enabled).map((d) => d.id));
  const firstDone = state.ledger.entries().filter((e) => detectionIds.has(e.searchId));
  assert.equal(firstDone.length, detectionIds.size);
  assert.ok(firstDone.every((e) => e.scheduled === END - 86400 - ((END - 86400) % (EVERY * 3600))));
  // A day later: 4 ticks of 6 hours were missed per detection; 3 run, the oldest is skipped.
  const s = await mk(END, 3).run();
  const entries = state.ledger.entries().filter((e) => detectionIds.has(e.searchId) && e.scheduled > END - 86400);
  assert.equal(entries.filter((e) => e.status === 'skipped').length, detectionIds.size);
  assert.equal(entries.filter((e) => e.status === 'done').length, 3 * detectionIds.size);
  assert.equal(s.skipped, detectionIds.size);
  for (const id of detectionIds) {
    const mine = entries.filter((e) => e.searchId === id).sort((a, b) => a.scheduled - b.scheduled);
    assert.equal(mine[0]!.status, 'skipped', 'the oldest missed tick is the one skipped');
  }
  assert.ok(warnings.some((w) => /missed tick\(s\) from .* skipped: over the catch-up limit of 3/.test(w)), warnings.join('\n'));
  state.close();
});
