/**
 * Evidence behind each finding (issue 12): the events a detection aggregated into a result row are
 * kept with the finding (at most the detection's limit, 20 by default), unchanged, and printed by
 * `trailguard findings --evidence`. Checked against a plain reading of the generated files.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generate } from '../../src/generate/index.js';
import { Content } from '../../src/content/load.js';
import { runBaselines, runDetections, selectBaselines, selectDetections } from '../../src/detect/operations.js';
import { StateStore } from '../../src/state/index.js';
import { repoPath } from '../helpers.js';
import { scratchDir } from '../state/tmp.js';

type Raw = Record<string, any>;
const END = Date.parse('2026-11-20T12:00:00Z');
const dir = scratchDir('tg-evidence-');
const data = join(dir, 'events.ndjson');
await generate({ events: 4000, seed: 'evidence', days: 9, end: END, out: data, layout: 'ndjson', truth: join(dir, 't.json'), serviceAccounts: join(dir, 'sa.csv'), force: true });
const records = new Map<string, Raw>(readFileSync(data, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Raw).map((r) => [r.eventID as string, r]));
const stateDir = join(dir, 'state');
const content = new Content();
const state = new StateStore({ stateDir, contentDirs: [...content.dirs], includeProjectContent: false, definitions: content.lookups });
const env = { content, state, dataPaths: [data], now: END / 1000 };
await runBaselines(env, selectBaselines(content, []));
const report = await runDetections(env, selectDetections(content, []), false);
assert.deepEqual(report.failures, []);
const stored = state.findings.list();
state.close();

const list = (v: unknown): string[] => (v === null || v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);

test('every finding keeps the events behind its row: real records, inside its window, at most 20', () => {
  assert.ok(stored.length > 0);
  const s = new StateStore({ stateDir });
  try {
    for (const f of stored) {
      const evidence = s.findings.evidence(f.id);
      assert.ok(evidence.length >= 1 && evidence.length <= 20, `${f.doc.detection.name}: ${evidence.length} evidence events`);
      for (const e of evidence) {
        const raw = e.raw as Raw;
        assert.deepEqual(raw, records.get(raw.eventID), 'the event is kept as it was read');
        const t = Date.parse(raw.eventTime);
        assert.ok(t >= Date.parse(f.doc.window.earliest) && t < Date.parse(f.doc.window.latest), 'inside the window');
        assert.equal(e.time, new Date(t).toISOString(), 'its _time');
      }
    }
  } finally {
    s.close();
  }
});

test('evidence matches the row it explains (by-fields and aggregated values)', () => {
  const s = new StateStore({ stateDir });
  try {
    for (const f of stored) {
      const raws = s.findings.evidence(f.id).map((e) => e.raw as Raw);
      const fields = f.doc.fields;
      switch (f.doc.detection.name) {
        case 'Detect API activity from users without MFA':
        case 'Detect API activity from users without MFA (per ARN)':
          // stats count … by userIdentity.arn …: each event is one of the row's; all of them when count ≤ 20.
          for (const r of raws) {
            assert.equal(r.userIdentity.arn, fields['userIdentity.arn']);
            assert.equal(r.userIdentity.sessionContext.attributes.mfaAuthenticated, 'false');
            assert.ok(list(fields.eventName).includes(r.eventName));
          }
          assert.equal(raws.length, Math.min(20, Number(fields.count)));
          break;
        case 'Detect new API calls from user roles':
          for (const r of raws) {
            assert.equal(r.userIdentity.type, 'AssumedRole');
            assert.equal(r.userIdentity.sessionContext.sessionIssuer.userName, fields.user);
            assert.ok(list(fields['values(eventName)']).includes(r.eventName), `${r.eventName} is one of the row's new calls`);
          }
          break;
        case 'Cloud API Calls From Previously Unseen User Roles':
        case 'Cloud API Calls From Previously Unseen User Roles (per role)':
          for (const r of raws) assert.equal(r.eventName, fields.command);
          break;
        default:
          assert.fail(`no check for ${f.doc.detection.name}`);
      }
    }
  } finally {
    s.close();
  }
});

test('`trailguard findings --evidence` prints each finding with its evidence events', () => {
  const dist = repoPath('dist', 'cli', 'main.js');
  const argv = existsSync(dist) ? [dist] : ['--import', 'tsx', repoPath('src', 'cli', 'main.ts')];
  const json = spawnSync(process.execPath, [...argv, 'findings', '--evidence', '--format', 'json', '--state', stateDir], { encoding: 'utf8' });
  assert.equal(json.status, 0, json.stderr);
  const lines = json.stdout.trim().split('\n').map((l) => JSON.parse(l) as { id: string; evidence: { time: string; raw: Raw }[] });
  assert.equal(lines.length, stored.length);
  for (const l of lines) assert.ok(l.evidence.length > 0 && l.evidence.every((e) => records.has(e.raw.eventID)));
  const table = spawnSync(process.execPath, [...argv, 'findings', '--evidence', '--state', stateDir], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  assert.equal(table.status, 0, table.stderr);
  const first = lines[0]!.evidence[0]!.raw;
  assert.match(table.stdout, new RegExp(`${first.eventName} ${first.userIdentity.arn.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} from ${first.sourceIPAddress.replace(/\./g, '\\.')}`));
});
