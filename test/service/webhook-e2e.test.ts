/**
 * Issue 9, "Must show" for outputs: `trailguard run --replay` with a webhook output delivers every
 * finding to a local receiver that fails about a third of the requests (HTTP 500, or the socket
 * destroyed without an answer) and is stopped and restarted on the same port mid-run. Afterwards
 * the service drains again until nothing is pending. Every finding arrives; no finding is POSTed
 * again after the receiver answered 2xx for it; nothing is dead-lettered.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { generate } from '../../src/generate/index.js';
import { Content } from '../../src/content/load.js';
import { StateStore } from '../../src/state/index.js';
import { repoPath } from '../helpers.js';
import { scratchDir } from '../state/tmp.js';
import { outboxRows, Receiver, sleep, storedDocText } from './receiver.js';

const END = Date.parse('2026-11-20T12:00:00Z') / 1000;
const FROM = END - 2 * 86400;
const iso = (t: number) => new Date(t * 1000).toISOString();
const dir = scratchDir('tg-webhook-e2e-');
const data = join(dir, 'data');
await generate({ events: 4000, seed: 'webhook', days: 9, end: END * 1000, out: data, layout: 'awslogs', truth: join(dir, 'truth.json'), serviceAccounts: join(dir, 'sa.csv'), force: true });

// Every shipped detection every 3 hours (the test's time budget).
const content = join(dir, 'content');
mkdirSync(content, { recursive: true });
const enabled = new Content().detections.filter((d) => d.enabled).map((d) => d.name);
writeFileSync(join(content, 'trailguard-settings.yml'), `searches:\n${enabled.map((n) => `  "${n}":\n    schedule: { cron: "0 */3 * * *" }\n`).join('')}`);

function run(config: string, stateDir: string): Promise<{ code: number | null; stderr: string }> {
  const dist = repoPath('dist', 'cli', 'main.js');
  const argv = existsSync(dist) ? [dist] : ['--import', 'tsx', repoPath('src', 'cli', 'main.ts')];
  const child = spawn(process.execPath, [...argv, 'run', '--config', config, '--replay', '--from', iso(FROM), '--to', iso(END), '--data', data, '--content', content, '--state', stateDir, '--format', 'json'], {
    env: { ...process.env, NO_COLOR: '1', TRAILGUARD_THREADS: '1' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stderr })));
}

const STOP_AT = 8;

test('every finding reaches a flaky receiver that restarts mid-run, and none is sent again after a 2xx', async (t) => {
  // Seeded choices: about a third of the requests fail, half of those with 500, half by a dropped socket.
  let seed = 9;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const rx = new Receiver(({ n }) => {
    // The request before the crash fails, so a retry is due while the receiver is down.
    if (n === STOP_AT) return { status: 500, body: 'going down' };
    const x = rand();
    if (x < 1 / 6) return { status: 500, body: 'try later' };
    if (x < 1 / 3) return 'destroy';
    return { status: 200 };
  });
  await rx.start(0);
  const stateDir = join(dir, 'state');
  const config = join(dir, 'trailguard.yml');
  writeFileSync(config, [
    'outputs:',
    `  - { type: webhook, url: "${rx.url}", timeout: 5s, retries: 40, backoff: { initial: 100ms, max: 500ms } }`,
    '',
  ].join('\n'));

  // Stop the receiver after its 8th request; start it again on the same port once the service has
  // tried to reach it while it was down (its outbox counts more attempts than the receiver saw).
  let firstRunDone = false;
  let restartedDuringRun: boolean | undefined;
  let refusedWhileDown = 0;
  const watcher = (async () => {
    while (rx.requests.length < STOP_AT && !firstRunDone) await sleep(10);
    if (firstRunDone) return;
    await sleep(20);
    await rx.stop();
    const seen = rx.requests.length;
    const db = new Database(join(stateDir, 'state.sqlite'), { readonly: true, fileMustExist: true });
    for (let waited = 0; waited < 30_000 && !firstRunDone; waited += 100) {
      await sleep(100);
      refusedWhileDown = (db.prepare('SELECT sum(attempts) AS n FROM outbox').get() as { n: number }).n - seen;
      if (refusedWhileDown > 0 && waited >= 1000) break;
    }
    db.close();
    restartedDuringRun = !firstRunDone;
    await rx.start(rx.port);
  })();

  const first = await run(config, stateDir);
  firstRunDone = true;
  await watcher;
  assert.equal(first.code, 0, first.stderr);
  assert.equal(restartedDuringRun, true, 'the receiver was stopped and restarted while the service ran');
  assert.ok(refusedWhileDown > 0, 'the service tried the receiver while it was down');

  // The service drains again (a second run over the same range runs no tick, it only drains) until
  // nothing is pending.
  const key = `webhook:${rx.url}`;
  const pending = () => {
    const s = new StateStore({ stateDir });
    try {
      return outboxRows(s, key).filter((r) => r.status === 'pending').length;
    } finally {
      s.close();
    }
  };
  let runs = 0;
  for (; runs < 30 && pending() > 0; runs++) {
    await sleep(500);
    const again = await run(config, stateDir);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stderr, /^0 tick\(s\) run/m);
  }
  await rx.stop();

  const s = new StateStore({ stateDir });
  try {
    const findings = s.findings.list();
    assert.ok(findings.length >= 20, `only ${findings.length} findings`);
    const ids = new Set(findings.map((f) => f.id));
    const rows = outboxRows(s, key);
    assert.equal(rows.length, ids.size);
    assert.ok(rows.every((r) => r.status === 'delivered'), 'every outbox row is delivered');

    // Every finding was answered 2xx, and only findings were.
    const answered = new Set(rx.requests.filter((q) => q.answered2xx).map((q) => q.key!));
    assert.deepEqual([...answered].sort(), [...ids].sort());
    // No key was POSTed again after its 2xx.
    for (const k of answered) {
      const mine = rx.requests.filter((q) => q.key === k);
      const firstOk = mine.findIndex((q) => q.answered2xx);
      assert.equal(firstOk, mine.length - 1, `${k} was POSTed ${mine.length - 1 - firstOk} time(s) after its 2xx`);
    }
    // Each POST carried the stored finding, byte for byte.
    for (const q of rx.requests) assert.equal(q.body, storedDocText(s, q.key!));
    assert.ok(!existsSync(join(stateDir, 'dead-letter')), 'nothing was dead-lettered');

    // The failures really happened: 500s, dropped sockets, and attempts that never reached the
    // receiver while it was down (the outbox counts attempts; the receiver counts what it saw).
    const attempts = rows.reduce((a, r) => a + r.attempts, 0);
    assert.ok(rx.requests.some((q) => q.outcome === 500));
    assert.ok(rx.requests.some((q) => q.outcome === 'destroyed'));
    assert.ok(attempts > rx.requests.length, `${attempts} attempts, ${rx.requests.length} requests received: none was refused`);
    assert.ok(rx.requests.length > ids.size, 'some findings were retried');
    t.diagnostic(`${ids.size} findings, ${rx.requests.length} requests received, ${attempts - rx.requests.length} refused while down, ${runs} drain-only run(s) after the replay`);
  } finally {
    s.close();
  }
});
