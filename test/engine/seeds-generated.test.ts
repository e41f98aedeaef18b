/**
 * The three seed detections and their baselines, run as written (from content/) over generated
 * CloudTrail, checked against the generator's ground truth. The truth is written by the generator
 * from the events it injected, independently of the engine; the expectations below only read it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate, DETECTIONS, type ScenarioTruth } from '../../src/generate/index.js';
import { loadContent } from '../../src/content/load.js';
import { runBaselines, runDetections, selectBaselines, selectDetections } from '../../src/detect/operations.js';
import type { DetectionOutcome } from '../../src/detect/runner.js';
import { StateStore } from '../../src/state/index.js';
import type { Row } from '../../src/engine/row.js';
import { toText, valuesOf } from '../../src/eval/value.js';

const END = Date.parse('2026-11-20T12:00:00Z');

const texts = (row: Row, field: string): string[] => valuesOf(row.get(field)).map(toText);

async function runOnGeneratedData() {
  const dir = mkdtempSync(join(tmpdir(), 'tg-seeds-'));
  const summary = await generate({
    events: 4000, seed: 'seeds-e2e', days: 9, end: END, out: join(dir, 'data'), layout: 'awslogs',
    truth: join(dir, 'truth.json'), serviceAccounts: join(dir, 'aws_service_accounts.csv'), force: true,
  });
  const stateDir = join(dir, 'state');
  mkdirSync(join(stateDir, 'lookups'), { recursive: true });
  // The reviewed allow-list the MFA detection reads (its how_to_implement step).
  copyFileSync(summary.serviceAccountsPath, join(stateDir, 'lookups', 'aws_service_accounts.csv'));
  const serviceAccounts = readFileSync(summary.serviceAccountsPath, 'utf8').trim().split('\n').slice(1);
  const truth = JSON.parse(readFileSync(summary.truthPath, 'utf8')) as { scenarios: ScenarioTruth[] };
  // The same calls `trailguard baseline` and `trailguard detect` make.
  const content = loadContent();
  const state = new StateStore({ stateDir, contentDirs: [...content.dirs], includeProjectContent: false, definitions: content.lookups });
  const env = { content, state, dataPaths: [join(dir, 'data')], now: END / 1000 };
  const baselines = await runBaselines(env, selectBaselines(content, []));
  const report = await runDetections(env, selectDetections(content, []), false);
  state.close();
  assert.deepEqual(report.failures, []);
  return { dir, truth, serviceAccounts, baselines, detections: report.outcomes };
}

const ctx = await runOnGeneratedData();
const outcome = (id: string): DetectionOutcome => ctx.detections.find((d) => d.detection.id === id)!;
const scenario = (id: string): ScenarioTruth => ctx.truth.scenarios.find((s) => s.detection.id === id)!;

test('generated data: the baselines wrote their "previously seen" tables (§7.3)', () => {
  for (const b of ctx.baselines) {
    assert.ok(b.tables.size > 0, `${b.baseline.name} wrote no table`);
    for (const [table, rows] of b.tables) assert.ok(rows > 0, `${b.baseline.name} wrote no rows to ${table}`);
  }
});

test('generated data: "Detect new API calls from user roles" reports the injected role with exactly its new calls (§2.8, §6)', () => {
  const s = scenario(DETECTIONS.newApiFromRole.id);
  const role = s.events[0]!.userName;
  const row = outcome(DETECTIONS.newApiFromRole.id).rows.find((r) => texts(r, 'user').includes(role));
  assert.ok(row, `no row for role ${role}`);
  const expected = [...new Set(s.events.filter((e) => e.matches).map((e) => e.eventName))].sort();
  assert.deepEqual(texts(row, 'values(eventName)'), expected);
});

test('generated data: the MFA detection reports the injected user\'s MFA-less calls and no allow-listed service account (§2.8, §4.1)', () => {
  const s = scenario(DETECTIONS.apiWithoutMfa.id);
  const mfaLess = s.events.filter((e) => e.mfaAuthenticated === false);
  const rows = outcome(DETECTIONS.apiWithoutMfa.id).rows;
  const row = rows.find((r) => texts(r, 'userIdentity.arn').includes(s.identity.arn));
  assert.ok(row, `no row for ${s.identity.arn}`);
  assert.deepEqual(texts(row, 'user'), [s.identity.name]);
  assert.deepEqual(texts(row, 'userIdentity.type'), ['IAMUser']);
  assert.equal(Number(texts(row, 'count')[0]), mfaLess.length);
  assert.deepEqual(texts(row, 'eventName'), [...new Set(mfaLess.map((e) => e.eventName))].sort());
  assert.ok(ctx.serviceAccounts.length > 0);
  for (const r of rows) for (const u of texts(r, 'user')) assert.ok(!ctx.serviceAccounts.includes(u), `service account ${u} was reported`);
});

test('generated data: "Cloud API Calls From Previously Unseen User Roles" reports the new commands and not the known pair (§4.5, §7.4, §12.3)', () => {
  const s = scenario(DETECTIONS.unseenRoleCommand.id);
  const commands = outcome(DETECTIONS.unseenRoleCommand.id).rows.flatMap((r) => texts(r, 'command'));
  for (const e of s.events) {
    if (e.matches) assert.ok(commands.includes(e.eventName), `new command ${e.eventName} not reported`);
    else assert.ok(!commands.includes(e.eventName), `known command ${e.eventName} reported as new`);
  }
});

test('generated data: findings carry the detection\'s risk score, ATT&CK ids and a filled message', () => {
  const unseen = outcome(DETECTIONS.unseenRoleCommand.id);
  assert.ok(unseen.findings.length > 0);
  for (const { finding } of unseen.findings) {
    const f = finding.doc;
    assert.equal(f.risk_score, 36);
    assert.deepEqual(f.mitre.map((m) => m.id), ['T1078']);
    assert.match(f.message, /^User \S+ of type AssumedRole attempting to execute new API calls \S+ that have not been seen before$/);
  }
  rmSync(ctx.dir, { recursive: true, force: true });
});
