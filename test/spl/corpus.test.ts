/** Every shipped detection/baseline search compiles, prints and re-parses to the same tree. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { loadMacros } from '../../src/content/macros.js';
import type { Command, Pipeline, StatsCommand } from '../../src/spl/ast.js';
import { compileSpl, parsePipeline, printPipeline } from '../../src/spl/index.js';
import { repoPath } from '../helpers.js';
import { noSpans, sx } from './util.js';

const macros = loadMacros();

function searches(): { file: string; search: string }[] {
  const out: { file: string; search: string }[] = [];
  for (const kind of ['detections', 'baselines']) {
    const dir = repoPath('content', kind);
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.yml')).sort()) {
      const doc = parseYaml(readFileSync(`${dir}/${f}`, 'utf8')) as { search?: string };
      if (typeof doc.search === 'string') out.push({ file: `${kind}/${f}`, search: doc.search });
    }
  }
  return out;
}

const all = searches();
const byName = (name: string): Pipeline => compileSpl(all.find((s) => s.file.endsWith(`/${name}.yml`))!.search, { macros });
const names = (p: Pipeline) => p.commands.map((c) => c.name);

test('corpus: the content folder holds the seed detections and baselines', () => {
  assert.ok(all.length >= 7, `found ${all.length}`);
});

for (const { file, search } of all) {
  test(`corpus: ${file} compiles after macro expansion and round-trips through the printer`, () => {
    const p = compileSpl(search, { macros, source: { text: search, file } });
    const again = parsePipeline(printPipeline(p));
    assert.deepEqual(noSpans(again), noSpans(p));
  });
}

test('corpus: cloud_api_calls_from_previously_unseen_user_roles tree', () => {
  const p = byName('cloud_api_calls_from_previously_unseen_user_roles');
  assert.deepEqual(names(p), ['tstats', 'rename', 'lookup', 'eventstats', 'where', 'eval', 'where', 'table', 'convert', 'convert', 'search']);
  const t = p.commands[0] as Extract<Command, { name: 'tstats' }>;
  assert.deepEqual(t.from, { datamodel: 'Change' });
  assert.equal(sx(t.where), '(and All_Changes.user_type=AssumedRole All_Changes.status=success)');
  assert.deepEqual(t.by, ['All_Changes.user', 'All_Changes.command', 'All_Changes.object']);
  assert.deepEqual(t.aggs.map((a) => [a.fn, a.field, a.as]), [['earliest', '_time', 'firstTime'], ['latest', '_time', 'lastTime']]);
  assert.deepEqual((p.commands[1] as Extract<Command, { name: 'rename' }>).pairs, [{ from: 'All_Changes.*', to: '*' }]);
  const l = p.commands[2] as Extract<Command, { name: 'lookup' }>;
  assert.deepEqual([l.keys.map((k) => k.field), l.outputMode, l.outputs.map((o) => o.field)], [['user', 'command'], 'OUTPUT', ['firstTimeSeen', 'enough_data']]);
  const w = p.commands[6] as Extract<Command, { name: 'where' }>;
  assert.equal(w.expr.kind === 'binary' && w.expr.op, 'OR');
  assert.equal((p.commands[10] as Extract<Command, { name: 'search' }>).expr?.kind, 'word'); // `*_filter` → search *
});

test('corpus: detect_api_activity_from_users_without_mfa tree (NOT [subsearch])', () => {
  const p = byName('detect_api_activity_from_users_without_mfa');
  assert.deepEqual(names(p), ['search', 'search', 'stats', 'convert', 'convert', 'search']);
  const s = (p.commands[1] as Extract<Command, { name: 'search' }>).expr!;
  assert.equal(sx(s), '(not [inputlookup|fields|rename])');
  const st = p.commands[2] as StatsCommand;
  assert.deepEqual(st.aggs.map((a) => a.as ?? a.text), ['count', 'firstTime', 'lastTime', 'eventName']);
  assert.deepEqual(st.by, ['userIdentity.arn', 'userIdentity.type', 'user']);
});

test('corpus: detect_new_api_calls_from_user_roles tree (subsearch with outputlookup)', () => {
  const p = byName('detect_new_api_calls_from_user_roles');
  assert.deepEqual(names(p), ['search', 'rename', 'stats', 'convert', 'convert', 'search']);
  const first = (p.commands[0] as Extract<Command, { name: 'search' }>).expr!;
  assert.equal(sx(first), '(and sourcetype=aws:cloudtrail eventType=AwsApiCall errorCode=success userIdentity.type=AssumedRole [search|stats|inputlookup|stats|outputlookup|eval|where|convert|convert|table])');
  const st = p.commands[2] as StatsCommand;
  assert.equal(st.aggs[0]!.text, 'values(eventName)');
  assert.equal(st.aggs[0]!.as, null);
});

test('corpus: previously_seen_cloud_api_calls_per_user_role___update: inputlookup with options after the name', () => {
  const p = byName('previously_seen_cloud_api_calls_per_user_role___update');
  const il = p.commands.find((c) => c.name === 'inputlookup') as Extract<Command, { name: 'inputlookup' }>;
  assert.deepEqual([il.table, il.options], ['previously_seen_cloud_api_calls_per_user_role', { append: 't' }]);
  const w = p.commands.find((c) => c.name === 'where') as Extract<Command, { name: 'where' }>;
  assert.equal(w.expr.kind === 'binary' && w.expr.right.kind === 'call' && w.expr.right.args[1]!.kind === 'string' && w.expr.right.args[1]!.value, '-90d@d');
});

test('corpus: create_a_list_of_approved_aws_service_accounts: [inputlookup …] without a pipe', () => {
  const p = byName('create_a_list_of_approved_aws_service_accounts');
  assert.deepEqual(names(p), ['search', 'rename', 'search', 'stats', 'table', 'outputlookup', 'stats']);
});
