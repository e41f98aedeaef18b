/**
 * The findings store as `baseline`/`detect` use it: stable identities (a re-run of one window
 * stores nothing new), suppression across overlapping windows, a missing baseline stops the
 * detection with the command to run, and a run's lookup writes commit with its findings or not
 * at all.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generate } from '../../src/generate/index.js';
import { Content } from '../../src/content/load.js';
import { runBaselines, runDetections, selectBaselines, selectDetections } from '../../src/detect/operations.js';
import { runDetection, type RunEnvironment } from '../../src/detect/runner.js';
import { FindingsStore } from '../../src/state/findings.js';
import { StateStore } from '../../src/state/index.js';
import { readCsvTable } from '../../src/state/csv.js';
import { scratchDir } from '../state/tmp.js';

const END = Date.parse('2026-11-20T12:00:00Z');
const NOW = END / 1000;
const ROLES = 'Detect new API calls from user roles';

const dir = scratchDir('tg-store-');
const data = join(dir, 'events.ndjson');
await generate({ events: 3000, seed: 'store', days: 9, end: END, out: data, layout: 'ndjson', truth: join(dir, 'truth.json'), serviceAccounts: join(dir, 'sa.csv'), force: true });

function env(content: Content, stateDir: string, now = NOW): RunEnvironment & { state: StateStore } {
  const state = new StateStore({ stateDir, contentDirs: [...content.dirs], includeProjectContent: false, definitions: content.lookups });
  return { content, state, dataPaths: [data], now };
}

test('a detection whose baseline never ran stops with the baseline command to run, and stores nothing', async () => {
  const content = new Content();
  const e = env(content, join(dir, 'no-baseline'));
  try {
    const d = content.find(ROLES)!;
    await assert.rejects(runDetection(d, e), (err: Error & { code?: string; hints?: string[] }) => {
      assert.equal(err.code, 'E_BASELINE_MISSING');
      assert.match(err.message, /previously_seen_api_calls_from_user_roles/);
      assert.match(err.message, /Previously seen API call per user roles in CloudTrail/);
      assert.match(err.hints!.join(' '), /trailguard baseline "Detect new API calls from user roles"/);
      return true;
    });
    assert.equal(e.state.findings.list().length, 0);
  } finally {
    e.state.close();
  }
});

test('running the detections twice over the same window stores every finding once', async () => {
  const content = new Content();
  const e = env(content, join(dir, 'twice'));
  try {
    await runBaselines(e, selectBaselines(content, []));
    const first = await runDetections(e, selectDetections(content, []), false);
    assert.deepEqual(first.failures, []);
    const firstNew = first.outcomes.flatMap((o) => o.findings).filter((f) => f.status === 'new');
    assert.ok(firstNew.length > 0, 'the generated data holds injected scenarios');
    const stored = e.state.findings.list();
    assert.equal(stored.length, firstNew.length);

    const second = await runDetections(e, selectDetections(content, []), false);
    const statuses = second.outcomes.flatMap((o) => o.findings.map((f) => f.status));
    // The new-API detection rewrote its baseline in the first run, so its subsearch finds nothing
    // new now; the others find the same rows, already stored.
    assert.ok(statuses.length > 0);
    assert.ok(statuses.every((s) => s === 'stored'), `second run: ${statuses.join(',')}`);
    assert.deepEqual(e.state.findings.list().map((f) => f.id), stored.map((f) => f.id));
  } finally {
    e.state.close();
  }
});

test('each stored finding has one risk event per risk object', () => {
  const content = new Content();
  const e = env(content, join(dir, 'twice'));
  try {
    const findings = e.state.findings.list();
    const risk = e.state.findings.riskEvents();
    assert.ok(findings.length > 0);
    assert.equal(risk.length, findings.reduce((n, f) => n + f.doc.risk_objects.length, 0));
    for (const r of risk) {
      const f = findings.find((x) => x.id === r.finding_id)!;
      assert.ok(f.doc.risk_objects.some((o) => o.value === r.object && o.type === r.object_type));
      assert.equal(r.score, f.doc.risk_score);
    }
  } finally {
    e.state.close();
  }
});

test('a run that fails while storing findings leaves its lookup writes unwritten (one transaction)', async () => {
  const content = new Content();
  const stateDir = join(dir, 'atomic');
  const e = env(content, stateDir);
  try {
    await runBaselines(e, selectBaselines(content, [ROLES]));
    const before = e.state.lookups.read('previously_seen_api_calls_from_user_roles');
    assert.ok(before.rows.length > 0);
    const insert = FindingsStore.prototype.insert;
    FindingsStore.prototype.insert = () => {
      throw new Error('disk full (injected)');
    };
    try {
      await assert.rejects(runDetection(content.find(ROLES)!, e), /disk full/);
    } finally {
      FindingsStore.prototype.insert = insert;
    }
    // The detection's subsearch rewrote the table with outputlookup; that write was staged and
    // must not have reached the state, or the re-run below would find nothing new.
    assert.deepEqual(e.state.lookups.read('previously_seen_api_calls_from_user_roles'), before);
    assert.equal(e.state.findings.list().length, 0);
    const rerun = await runDetection(content.find(ROLES)!, e);
    assert.ok(rerun.findings.some((f) => f.status === 'new'), 'the re-run raises the findings the failed run lost');
    assert.notDeepEqual(e.state.lookups.read('previously_seen_api_calls_from_user_roles'), before);
  } finally {
    e.state.close();
  }
});

test('a CSV lookup committed but not yet on disk when the process died is written at the next open', () => {
  const stateDir = join(dir, 'rollforward');
  const target = join(stateDir, 'lookups', 'pending.csv');
  const s1 = new StateStore({ stateDir });
  // A commit whose file write never happened: the journal row alone, as a crash would leave it.
  s1.db.open().prepare('INSERT INTO pending_files (path, content) VALUES (?, ?)').run(target, 'a,b\n3,4\n');
  s1.close();
  assert.ok(!existsSync(target));
  const s2 = new StateStore({ stateDir });
  try {
    s2.db.open();
    assert.deepEqual(readCsvTable(target).rows, [{ a: '3', b: '4' }]);
    assert.equal((s2.db.open().prepare('SELECT count(*) AS n FROM pending_files').get() as { n: number }).n, 0);
  } finally {
    s2.close();
  }
});

test('overlapping windows do not raise the same finding twice within the suppression period', async () => {
  // A user content dir with one detection over a 90-minute window, run hourly: every event sits
  // in two consecutive windows.
  const content = join(dir, 'overlap-content');
  mkdirSync(join(content, 'detections'), { recursive: true });
  writeFileSync(join(content, 'detections', 'console.yml'), [
    'name: Console sign-ins (test)',
    'id: 0c6f1d0e-0000-4000-8000-000000000001',
    'version: 1',
    'type: TTP',
    "search: '`cloudtrail` eventName=ConsoleLogin | stats count by userIdentity.arn'",
    'deployment:',
    '  scheduling: { cron_schedule: "0 * * * *", earliest_time: -90m@m, latest_time: "@m" }',
    'tags:',
    '  risk_score: 10',
    '  observable:',
    '  - { name: userIdentity.arn, type: User, role: [Victim] }',
    '',
  ].join('\n'));
  const c = new Content({ dirs: [content] });
  const d = c.find('Console sign-ins (test)')!;
  const stateDir = join(dir, 'overlap-state');
  let suppressed = 0;
  let raised = 0;
  for (let h = 0; h < 48; h++) {
    const e = env(c, stateDir, NOW - 48 * 3600 + h * 3600);
    try {
      const o = await runDetection(d, e);
      raised += o.findings.filter((f) => f.status === 'new').length;
      suppressed += o.findings.filter((f) => f.status === 'suppressed').length;
    } finally {
      e.state.close();
    }
  }
  assert.ok(raised > 0 && suppressed > 0, `raised ${raised}, suppressed ${suppressed}`);
  // Independent reading of the data: sign-ins per ARN.
  const events = readFileSync(data, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { eventName: string; eventTime: string; userIdentity: { arn?: string } });
  const logins = events.filter((ev) => ev.eventName === 'ConsoleLogin');
  const store = new StateStore({ stateDir });
  try {
    const stored = store.findings.list();
    assert.equal(stored.length, raised);
    for (const f of stored) {
      const arn = f.doc.fields['userIdentity.arn'];
      const inWindow = logins.filter((ev) => ev.userIdentity.arn === arn && Date.parse(ev.eventTime) / 1000 >= f.earliest && Date.parse(ev.eventTime) / 1000 < f.latest);
      assert.equal(String(inWindow.length), f.doc.fields.count, `count for ${arn} in its window`);
      // No other stored finding of this identity has a window ending less than 90 minutes earlier.
      const close = stored.filter((g) => g.identity === f.identity && g.id !== f.id && g.latest > f.latest - 5400 && g.latest <= f.latest);
      assert.deepEqual(close, []);
    }
    // Every hour in which an ARN signed in is covered: by a stored finding, or by one raised at
    // most 90 minutes before (suppressed).
    for (const ev of logins) {
      const t = Date.parse(ev.eventTime) / 1000;
      if (t < NOW - 48 * 3600 - 5400 || t >= NOW - 3600) continue;
      const covering = stored.filter((f) => f.doc.fields['userIdentity.arn'] === ev.userIdentity.arn && f.earliest <= t + 5400 && f.latest > t - 5400);
      assert.ok(covering.length > 0, `sign-in of ${ev.userIdentity.arn} at ${ev.eventTime} has no finding near it`);
    }
  } finally {
    store.close();
  }
});
