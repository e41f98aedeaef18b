/**
 * A running service keeps delivering between ticks: while the live loop sleeps until the next tick,
 * outputs with pending findings drain on their own timer, so a webhook receiver that was down when
 * the tick committed gets its findings as soon as it is back, not an hour later.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Content } from '../../src/content/load.js';
import { createOutput } from '../../src/service/outputs/index.js';
import { DetectionService } from '../../src/service/service.js';
import { StateStore } from '../../src/state/index.js';
import { Outbox } from '../../src/state/outbox.js';
import { scratchDir } from '../state/tmp.js';
import { closedPort, Receiver, seedFindings, sleep } from './receiver.js';

test('while sleeping until the next tick, the service retries a webhook that was down, without waiting for the tick', async () => {
  const dir = scratchDir('tg-drain-timer-');
  const data = join(dir, 'empty');
  mkdirSync(data);
  const content = new Content();
  const state = new StateStore({ stateDir: join(dir, 'state'), contentDirs: [...content.dirs], includeProjectContent: false, definitions: content.lookups });
  const port = await closedPort();
  const url = `http://127.0.0.1:${port}/hook`;
  const out = createOutput({ type: 'webhook', options: { type: 'webhook', url, retries: 100, backoff: { initial: '100ms', max: '200ms' } }, file: join(dir, 'trailguard.yml') }, { secrets: [], stateDir: state.stateDir, log: () => {} });
  const seeded = seedFindings(state, out.key, 3);
  const outbox = new Outbox(state.db);

  // 12:30: the next hourly tick is half an hour away on the service's clock.
  const now = Date.parse('2026-11-20T12:30:00Z') / 1000;
  const abort = new AbortController();
  let passes = 0;
  const service = new DetectionService({
    content, state, dataPaths: [data], tz: 'UTC', maxTicks: 48, outputs: [out], clock: () => now, signal: abort.signal, drainIntervalMs: 100,
    onTickDone: () => {
      passes++;
    },
  });
  const running = service.run();
  while (passes === 0) await sleep(20);
  assert.equal(outbox.pendingCount(out.key), 3, 'the receiver is down: nothing delivered by the pass');

  const rx = new Receiver(() => ({ status: 200 }));
  await sleep(300);
  await rx.start(port);
  const t0 = Date.now();
  while (outbox.pendingCount(out.key) > 0 && Date.now() - t0 < 15_000) await sleep(50);
  const waited = Date.now() - t0;
  abort.abort();
  await running;
  await rx.stop();

  assert.equal(outbox.pendingCount(out.key), 0, 'delivered while the service slept');
  assert.equal(passes, 1, 'no tick ran: the timer drained, not a pass');
  assert.deepEqual(rx.requests.map((q) => q.key).sort(), seeded.map((f) => f.id).sort());
  assert.ok(waited < 5000, `took ${waited} ms after the receiver came back`);
  state.close();
});
