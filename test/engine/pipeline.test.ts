import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileSearch, createSearchContext, runSearch } from '../../src/engine/session.js';
import { MemoryLookups } from '../../src/engine/lookups.js';
import { compilePipeline } from '../../src/engine/pipeline.js';
import { TrailguardError } from '../../src/errors.js';
import { fixturePath } from '../helpers.js';
import { NOW } from './harness.js';

const FIXTURE = fixturePath('engine', 'seed-events.ndjson');

test('a compiled plan holds no run state: two runs of one plan give the same rows', async () => {
  const { plan } = compileSearch('`cloudtrail` | stats count by eventName | eval n = 1 | streamstats sum(n) as k');
  const once = async () => {
    const { ctx } = createSearchContext({ now: NOW, dataPaths: [FIXTURE], lookups: new MemoryLookups() });
    return (await plan.run(ctx)).rows.map((r) => r.toObject());
  };
  const a = await once();
  const b = await once();
  assert.equal(a.length, 5);
  assert.deepEqual(a, b);
});

test('runtime errors name the command and its position in the pipeline, with a span for the caret', async () => {
  const state = mkdtempSync(join(tmpdir(), 'tg-err-'));
  await assert.rejects(runSearch('| makeresults | eval x = 1 | outputlookup nosuchlookup', { stateDir: state, now: NOW }), (e: unknown) => {
    assert.ok(e instanceof TrailguardError);
    assert.match(e.reason, /^command 3 \(outputlookup\): /);
    assert.ok(e.span && e.source);
    assert.equal(e.source.text.slice(e.span.start, e.span.start + 12), 'outputlookup');
    return true;
  });
});

test('a pipeline must start with a search or a generating command (plan check on a hand-cut AST)', async () => {
  const { pipeline } = compileSearch('| makeresults | eval x = 1');
  assert.throws(() => compilePipeline({ ...pipeline, commands: pipeline.commands.slice(1) }), /must start with a search or a generating command/);
});

test('head stops reading events once it has its rows', async () => {
  let batches = 0;
  const dir = mkdtempSync(join(tmpdir(), 'tg-head-'));
  const lines = Array.from({ length: 5000 }, (_, i) => JSON.stringify({ eventTime: new Date(Date.UTC(2024, 0, 1, 0, 0, i)).toISOString().replace('.000', ''), eventName: `E${i}` }));
  writeFileSync(join(dir, 'many.ndjson'), lines.join('\n') + '\n');
  const { plan } = compileSearch('search * | head 3');
  const { ctx } = createSearchContext({ now: NOW, dataPaths: [join(dir, 'many.ndjson')], lookups: new MemoryLookups(), progress: { onBatch: () => void batches++ } });
  const { rows } = await plan.run(ctx);
  assert.deepEqual(rows.map((r) => r.get('eventName')), ['E0', 'E1', 'E2']);
  assert.ok(batches < 5, `read ${batches} batches`);
});

test('the byte prefilter drops raw events lacking a required literal before rows are built (DESIGN "Prefilter")', async () => {
  const { plan } = compileSearch('search eventName=RunInstances');
  const first = plan.commands[0]!;
  const { ctx } = createSearchContext({ now: NOW, dataPaths: [FIXTURE], lookups: new MemoryLookups() });
  const op = (await first.open(ctx)) as unknown as { scan: { prefilter: ((raw: string) => boolean) | null } };
  assert.ok(op.scan.prefilter);
  assert.equal(op.scan.prefilter('{"eventName":"runinstances"}'), true);
  assert.equal(op.scan.prefilter('{"eventName":"ListBuckets"}'), false);
  const { rows } = await plan.run(ctx);
  assert.equal(rows.length, 1);
});

test('the run time range and inline earliest= both bound the events read (§2.9)', async () => {
  const r = await runSearch('search earliest=-1h | stats count', { dataPaths: [FIXTURE], now: Date.parse('2024-03-05T12:00:00Z') / 1000, lookups: new MemoryLookups() });
  // Events at or after 11:00: 1, 3, 4, 5, 7, 8.
  assert.deepEqual(r.rows.map((x) => x.toObject()), [{ count: 6 }]);
  const r2 = await runSearch('search earliest=-1h | stats count', { dataPaths: [FIXTURE], now: Date.parse('2024-03-05T12:00:00Z') / 1000, latest: '2024-03-05T11:31:00Z', lookups: new MemoryLookups() });
  assert.deepEqual(r2.rows.map((x) => x.toObject()), [{ count: 3 }]);
});

test('plan description lists each command with its parameters and the prefilter terms (explain --stage plan)', () => {
  const { plan } = compileSearch('`cloudtrail` eventName=RunInstances NOT [| inputlookup x] | stats count by user | head 5');
  assert.deepEqual(plan.describe(), [
    '1. search prefilter=["RunInstances"] (1 subsearch)',
    '2. stats count by user',
    '3. head 5',
  ]);
});

test('unsupported command options fail at plan time instead of being ignored', () => {
  assert.throws(() => compileSearch('search * | streamstats reset_on_change=true count by user'), /streamstats: option reset_on_change= is not supported/);
  assert.throws(() => compileSearch('| tstats prestats=t count from datamodel=Change'), /prestats= is not supported/);
  assert.doesNotThrow(() => compileSearch('| tstats prestats=false count from datamodel=Change'));
});

test('every command the parser knows has an operator, and every operator has a syntax (one registry each, same names)', async () => {
  const { COMMAND_SYNTAX } = await import('../../src/spl/index.js');
  const { commandNames } = await import('../../src/commands/index.js');
  assert.deepEqual([...Object.keys(COMMAND_SYNTAX)].sort(), [...commandNames()].sort());
});

test('§3.4 eval of a bare condition is refused when the plan is built, with the if() hint (as Splunk does)', () => {
  assert.throws(() => compileSearch('| makeresults | eval ok = 1 < 2'), (e: unknown) => {
    assert.ok(e instanceof TrailguardError);
    assert.equal(e.code, 'boolean-assignment');
    assert.match(e.hints.join(' '), /if\(/);
    return true;
  });
});
