/**
 * The webhook output against a local receiver: what it sends, what each answer means (2xx
 * delivered and never sent again, permanent 4xx to the dead-letter file, 408/429/5xx/timeouts/
 * refused connections retried with backoff, Retry-After honoured, the retry budget), that one
 * drain stays short when the receiver is down, that secrets never reach logs, errors or files,
 * and that config mistakes are reported with file:line.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import { join } from 'node:path';
import { readConfig, type OutputConfig } from '../../src/service/config.js';
import { createOutput, type Output } from '../../src/service/outputs/index.js';
import { backoffDelay, parseRetryAfter, WEBHOOK_DEFAULTS } from '../../src/service/outputs/webhook.js';
import { TrailguardError } from '../../src/errors.js';
import { StateStore } from '../../src/state/index.js';
import { Outbox } from '../../src/state/outbox.js';
import { scratchDir } from '../state/tmp.js';
import { closedPort, outboxRows, Receiver, seedFindings, sleep, storedDocText, type Reply } from './receiver.js';

const dir = scratchDir('tg-webhook-');
let n = 0;

function setup(options: Record<string, unknown>, secrets: string[] = []) {
  const state = new StateStore({ stateDir: join(dir, `state-${++n}`) });
  const logs: string[] = [];
  const cfg: OutputConfig = { type: 'webhook', options: { type: 'webhook', ...options }, file: join(dir, 'trailguard.yml'), line: 7 };
  const out = createOutput(cfg, { secrets, stateDir: state.stateDir, log: (m) => logs.push(m) });
  return { state, out, logs, outbox: new Outbox(state.db) };
}

async function withReceiver(reply: (r: { key: string | undefined; n: number; body: string; headers: IncomingHttpHeaders }) => Reply, fn: (rx: Receiver) => Promise<void>): Promise<void> {
  const rx = new Receiver(reply);
  await rx.start(0);
  try {
    await fn(rx);
  } finally {
    await rx.stop();
  }
}

test('2xx: each finding is POSTed once as its stored JSON with Idempotency-Key = finding id, and never sent again', async () => {
  await withReceiver(({ n }) => ({ status: n % 2 ? 200 : 204 }), async (rx) => {
    const { state, out, outbox } = setup({ url: rx.url, headers: { 'X-Team': 'secops' } });
    const seeded = seedFindings(state, out.key, 5);
    const r = await out.drain(outbox);
    assert.deepEqual(r, { delivered: 5, retrying: 0, dead: 0 });
    assert.equal(rx.requests.length, 5);
    for (const f of seeded) {
      const got = rx.requests.filter((q) => q.key === f.id);
      assert.equal(got.length, 1, f.id);
      assert.equal(got[0]!.body, storedDocText(state, f.id), 'the body is the stored finding document, byte for byte');
      assert.equal(got[0]!.headers['content-type'], 'application/json');
      assert.equal(got[0]!.headers['x-team'], 'secops');
    }
    assert.ok(outboxRows(state, out.key).every((x) => x.status === 'delivered' && x.attempts === 1));
    // Later drains (and a new output object for the same URL, as after a restart) send nothing.
    assert.deepEqual(await out.drain(outbox), { delivered: 0, retrying: 0, dead: 0 });
    const again = createOutput({ type: 'webhook', options: { type: 'webhook', url: rx.url }, file: 'x.yml' }, { secrets: [], stateDir: state.stateDir, log: () => {} });
    assert.equal(again.key, out.key);
    await again.drain(outbox);
    assert.equal(rx.requests.length, 5);
    state.close();
  });
});

test('a permanent 4xx (400, 404, 410) or a redirect goes straight to the dead-letter file and is not retried', async () => {
  const answers: Reply[] = [{ status: 400, body: 'schema mismatch' }, { status: 404 }, { status: 410 }, { status: 301, headers: { location: 'https://elsewhere/' } }];
  await withReceiver(({ n }) => answers[(n - 1) % answers.length]!, async (rx) => {
    const { state, out, outbox, logs } = setup({ url: rx.url });
    const seeded = seedFindings(state, out.key, 4);
    const r = await out.drain(outbox);
    assert.deepEqual(r, { delivered: 0, retrying: 0, dead: 4 });
    const file = join(state.stateDir, 'dead-letter', `127.0.0.1_${rx.port}.jsonl`);
    const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { finding_id: string; attempts: number; error: string; finding: unknown });
    assert.deepEqual(lines.map((l) => l.finding_id), seeded.map((f) => f.id));
    assert.deepEqual(lines.map((l) => l.finding), seeded.map((f) => f.doc));
    assert.match(lines[0]!.error, /permanent failure: HTTP 400 .*schema mismatch/);
    assert.match(lines[1]!.error, /HTTP 404/);
    assert.match(lines[3]!.error, /HTTP 301 .*redirects are not followed/);
    assert.ok(lines.every((l) => l.attempts === 1));
    assert.ok(outboxRows(state, out.key).every((x) => x.status === 'dead'));
    assert.equal(logs.filter((m) => /dead-letter/.test(m)).length, 4);
    await out.drain(outbox);
    assert.equal(rx.requests.length, 4, 'a dead finding is not sent again');
    state.close();
  });
});

test('408, 429 and 5xx are retried: the finding stays pending with a later next_attempt; Retry-After (seconds or a date) is honoured', async () => {
  const date = new Date(Date.now() + 300_000).toUTCString();
  const answers: Reply[] = [{ status: 500 }, { status: 503, headers: { 'retry-after': '120' } }, { status: 429, headers: { 'retry-after': date } }, { status: 408 }];
  await withReceiver(({ n }) => answers[n - 1] ?? { status: 200 }, async (rx) => {
    const { state, out, outbox } = setup({ url: rx.url, backoff: { initial: '2s', max: '1m' }, retries: 5 });
    seedFindings(state, out.key, 4);
    const before = Date.now() / 1000;
    const r = await out.drain(outbox);
    assert.deepEqual(r, { delivered: 0, retrying: 3, dead: 0 }, 'three failures in a row end the drain');
    const rows = outboxRows(state, out.key);
    assert.ok(rows.slice(0, 3).every((x) => x.status === 'pending' && x.attempts === 1));
    // Backoff after the first failure: between initial/2 and initial (equal jitter).
    assert.ok(rows[0]!.next_attempt >= before + 1 && rows[0]!.next_attempt <= Date.now() / 1000 + 2, `next_attempt ${rows[0]!.next_attempt - before}`);
    assert.ok(rows[1]!.next_attempt >= before + 119, 'Retry-After: 120 is honoured');
    assert.ok(rows[2]!.next_attempt >= before + 295, 'Retry-After as an HTTP date is honoured');
    assert.match(rows[1]!.last_error!, /HTTP 503/);
    // The fourth (untried) item is still due; the next drain tries it (408 → retry).
    assert.equal(rows[3]!.attempts, 0);
    await out.drain(outbox);
    const fourth = outboxRows(state, out.key)[3]!;
    assert.equal(fourth.attempts, 1);
    assert.equal(fourth.status, 'pending', '408 is retried');
    assert.match(fourth.last_error!, /HTTP 408/);
    assert.equal(rx.requests.length, 4);
    state.close();
  });
});

test('timeouts, reset connections and refused connections are retried; after the retry budget the finding is dead-lettered', async () => {
  // The receiver hangs on the first request (timeout), then resets the connection, then answers 502.
  const answers: Reply[] = ['hang', 'destroy', { status: 502 }];
  await withReceiver(({ n }) => answers[Math.min(n, 3) - 1]!, async (rx) => {
    const deadLetter = join(dir, 'dl', 'custom.jsonl');
    const { state, out, outbox } = setup({ url: rx.url, timeout: '300ms', retries: 3, backoff: { initial: '20ms', max: '40ms' }, dead_letter: deadLetter });
    const [f] = seedFindings(state, out.key, 1);
    const errors: string[] = [];
    for (let i = 0; i < 20 && outboxRows(state, out.key)[0]!.status === 'pending'; i++) {
      await out.drain(outbox);
      errors.push(outboxRows(state, out.key)[0]!.last_error ?? '');
      await sleep(60);
    }
    assert.equal(rx.requests.length, 4, '1 attempt + 3 retries');
    assert.match(errors[0]!, /timeout/);
    assert.match(errors[1]!, /UND_ERR_SOCKET|ECONNRESET|other side closed/);
    assert.match(errors[2]!, /HTTP 502/);
    const row = outboxRows(state, out.key)[0]!;
    assert.equal(row.status, 'dead');
    const dl = JSON.parse(readFileSync(deadLetter, 'utf8').trim()) as { finding_id: string; error: string; attempts: number };
    assert.equal(dl.finding_id, f!.id);
    assert.equal(dl.attempts, 4);
    assert.match(dl.error, /gave up after 4 attempt\(s\): HTTP 502/);
    state.close();
  });

  const port = await closedPort();
  const { state, out, outbox } = setup({ url: `http://127.0.0.1:${port}/hook`, backoff: { initial: '1s' } });
  seedFindings(state, out.key, 10);
  const t0 = Date.now();
  const r = await out.drain(outbox);
  assert.deepEqual(r, { delivered: 0, retrying: 3, dead: 0 }, 'a refused connection three times in a row ends the drain; the rest waits');
  assert.ok(Date.now() - t0 < 5000);
  const rows = outboxRows(state, out.key);
  assert.match(rows.find((x) => x.attempts === 1)!.last_error!, /ECONNREFUSED/);
  assert.equal(rows.filter((x) => x.attempts === 0).length, 7);
  assert.ok(!existsSync(join(state.stateDir, 'dead-letter')), 'nothing is given up while retries remain');
  state.close();
});

test('backoff grows exponentially with equal jitter and is capped; Retry-After parsing', () => {
  const b = { initial: 5, max: 60 };
  assert.equal(backoffDelay(1, b, () => 0), 2.5);
  assert.equal(backoffDelay(1, b, () => 1), 5);
  assert.equal(backoffDelay(3, b, () => 1), 20);
  assert.equal(backoffDelay(4, b, () => 0), 20);
  assert.equal(backoffDelay(10, b, () => 1), 60, 'capped at max');
  assert.equal(backoffDelay(10, b, () => 0), 30);
  // The defaults keep retrying for about an hour before giving up: Σ d/2 .. Σ d over the retries.
  let low = 0;
  let high = 0;
  for (let i = 1; i <= WEBHOOK_DEFAULTS.retries; i++) {
    low += backoffDelay(i, WEBHOOK_DEFAULTS.backoff, () => 0);
    high += backoffDelay(i, WEBHOOK_DEFAULTS.backoff, () => 1);
  }
  assert.ok(low >= 1800 && high <= 2 * 3600, `${low}..${high} s`);
  const now = Date.parse('2026-11-20T12:00:00Z');
  assert.equal(parseRetryAfter('30', now), 30);
  assert.equal(parseRetryAfter('Fri, 20 Nov 2026 12:01:00 GMT', now), 60);
  assert.equal(parseRetryAfter('Fri, 20 Nov 2026 11:00:00 GMT', now), 0);
  assert.equal(parseRetryAfter('soon', now), undefined);
  assert.equal(parseRetryAfter(null, now), undefined);
});

test('secrets from headers and ${VAR}s never appear in logs, stored errors, output keys or the dead-letter file', async () => {
  // The receiver echoes the credentials back in its error bodies, as careless servers do.
  const echo = (r: { n: number; headers: IncomingHttpHeaders }): Reply => ({ status: r.n === 1 ? 401 : 503, body: `denied for ${r.headers.authorization} / ${r.headers['x-api-key']}` });
  await withReceiver(echo, async (rx) => {
    const token = 'tok-3f9a8b7c6d5e4f30';
    const apiKey = 'literal-api-key-998877';
    const inUrl = 'path-secret-5566';
    process.env.TG_TEST_HOOK_TOKEN = token;
    process.env.TG_TEST_HOOK_PATH = inUrl;
    const file = join(dir, 'secret.yml');
    writeFileSync(file, [
      'outputs:',
      '  - type: webhook',
      `    url: "${rx.url}/\${TG_TEST_HOOK_PATH}?key=\${TG_TEST_HOOK_PATH}"`,
      `    headers: { Authorization: "Bearer \${TG_TEST_HOOK_TOKEN}", X-Api-Key: ${apiKey} }`,
      '    retries: 1',
      '    backoff: { initial: 10ms, max: 10ms }',
      '',
    ].join('\n'));
    const cfg = readConfig(file);
    delete process.env.TG_TEST_HOOK_TOKEN;
    delete process.env.TG_TEST_HOOK_PATH;
    assert.ok(cfg.secrets.includes(token));
    const state = new StateStore({ stateDir: join(dir, 'state-secret') });
    const logs: string[] = [];
    const out = createOutput(cfg.outputs[0]!, { secrets: cfg.secrets, stateDir: state.stateDir, log: (m) => logs.push(m) });
    seedFindings(state, out.key, 2);
    const outbox = new Outbox(state.db);
    await out.drain(outbox); // 401 → dead letter; 503 → retry (logged)
    await sleep(30);
    await out.drain(outbox); // 503 again → over the budget → dead letter
    assert.equal(rx.requests[0]!.headers.authorization, `Bearer ${token}`, 'the receiver did get the real token');
    assert.equal(rx.requests[0]!.headers['x-api-key'], apiKey);
    assert.equal(rx.requests.length, 3);
    const everything = [
      ...logs,
      out.key,
      ...outboxRows(state, out.key).map((r) => r.last_error ?? ''),
      readFileSync(join(state.stateDir, 'dead-letter', `127.0.0.1_${rx.port}.jsonl`), 'utf8'),
    ].join('\n');
    assert.equal(logs.length, 3, logs.join('\n'));
    assert.match(everything, /denied for Bearer \*\*\* \/ \*\*\*/, 'the echoed body is kept, with the secrets masked');
    for (const s of [token, apiKey, inUrl]) assert.ok(!everything.includes(s), `${s} leaked:\n${everything}`);
    state.close();
  });
});

test('webhook config mistakes are errors naming the file and the entry\'s line', () => {
  const cases: [string, RegExp][] = [
    ['{ type: webhook }', /needs `url:`/],
    ['{ type: webhook, url: "ftp://host/x" }', /must be http:\/\/ or https:\/\//],
    ['{ type: webhook, url: "not a url" }', /not a valid URL/],
    ['{ type: webhook, url: "http://h/x", timeout: soon }', /`timeout` must be a duration/],
    ['{ type: webhook, url: "http://h/x", retries: -1 }', /`retries` must be a whole number/],
    ['{ type: webhook, url: "http://h/x", backoff: { initial: 10s, max: 1s } }', /`backoff.max` is shorter/],
    ['{ type: webhook, url: "http://h/x", backoff: { start: 1s } }', /unknown key `backoff.start`/],
    ['{ type: webhook, url: "http://h/x", headers: { Idempotency-Key: x } }', /Idempotency-Key is set by Trailguard/],
    ['{ type: webhook, url: "http://h/x", headers: { "bad name": x } }', /not a valid header name/],
    ['{ type: webhook, url: "http://h/x", retry: 3 }', /unknown key `retry` \(known: url, headers, timeout, retries, backoff, dead_letter\)/],
    ['{ type: ocsf }', /output `ocsf` needs `path:`/],
    ['{ type: ocsf, path: x.json, pretty: true }', /unknown key `pretty`/],
  ];
  for (const [entry, reason] of cases) {
    const file = join(dir, 'bad.yml');
    writeFileSync(file, `state: ./s\noutputs:\n  - { type: jsonl, path: a.jsonl }\n  - ${entry}\n`);
    const cfg = readConfig(file);
    let err: unknown;
    try {
      for (const o of cfg.outputs) createOutput(o, { secrets: [], stateDir: dir, log: () => {} });
    } catch (e) {
      err = e;
    }
    assert.ok(err instanceof TrailguardError, entry);
    assert.match(err.reason, reason, entry);
    assert.equal(err.location?.file, file);
    assert.equal(err.location?.line, 4, entry);
    assert.equal(err.phase, 'usage');
  }
});

test('two outputs drain independently: a down webhook does not hold back the JSON-lines file', async () => {
  const port = await closedPort();
  const state = new StateStore({ stateDir: join(dir, 'state-two') });
  const ctx = { secrets: [], stateDir: state.stateDir, log: () => {} };
  const hook: Output = createOutput({ type: 'webhook', options: { type: 'webhook', url: `http://127.0.0.1:${port}/x` }, file: 'x.yml' }, ctx);
  const jsonl: Output = createOutput({ type: 'jsonl', options: { type: 'jsonl', path: join(dir, 'two.jsonl') }, file: 'x.yml' }, ctx);
  const list = seedFindings(state, hook.key, 3);
  state.transaction((db) => new Outbox(state.db).enqueue(db, [jsonl.key], list.map((f) => f.id)));
  const outbox = new Outbox(state.db);
  await hook.drain(outbox);
  await jsonl.drain(outbox);
  assert.equal(readFileSync(join(dir, 'two.jsonl'), 'utf8').trim().split('\n').length, 3);
  assert.equal(outbox.pendingCount(hook.key), 3);
  assert.equal(outbox.pendingCount(jsonl.key), 0);
  state.close();
});
