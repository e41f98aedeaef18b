import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePipeline, COMMAND_SYNTAX } from '../../src/spl/index.js';
import { errorsOf, noSpans, sx } from './util.js';

function cmd(text: string, index = 1): Record<string, unknown> {
  return noSpans(parsePipeline(text).commands[index]) as unknown as Record<string, unknown>;
}

test('§4.1 stats: aggregates, as, by with commas optional, default names', () => {
  const c = cmd('x | stats count min(_time) as firstTime values(eventName) by userIdentity.arn userIdentity.type, user');
  assert.deepEqual(c.by, ['userIdentity.arn', 'userIdentity.type', 'user']);
  assert.deepEqual((c.aggs as { fn: string; field: string | null; as: string | null; text: string }[]).map((a) => [a.fn, a.field, a.as, a.text]), [
    ['count', null, null, 'count'],
    ['min', '_time', 'firstTime', 'min(_time)'],
    ['values', 'eventName', null, 'values(eventName)'],
  ]);
});

test('§4.1 stats: wildcard argument values(requestParameters.*) as *', () => {
  const c = cmd('x | stats values(requestParameters.*) as * by arn');
  assert.deepEqual(c.aggs, [{ fn: 'values', field: 'requestParameters.*', as: '*', text: 'values(requestParameters.*)' }]);
});

test('§4.2 stats: perc95(x), p90(x), exactperc99(x) carry a numeric parameter', () => {
  const aggs = cmd('x | stats perc95(a) p90(b) exactperc99(c)').aggs as { fn: string; param?: number; text: string }[];
  assert.deepEqual(aggs.map((a) => [a.fn, a.param, a.text]), [['perc', 95, 'perc95(a)'], ['perc', 90, 'p90(b)'], ['exactperc', 99, 'exactperc99(c)']]);
});

test('§4.2 stats: count(eval(x>1)) keeps the eval argument', () => {
  const a = (cmd('x | stats count(eval(x>1)) as big').aggs as { fn: string; field: null; evalArg: { kind: string; op: string }; text: string }[])[0]!;
  assert.equal(a.fn, 'count');
  assert.equal(a.field, null);
  assert.equal(a.evalArg.kind, 'binary');
  assert.equal(a.text, 'count(eval(x > 1))');
});

test('§4.2 stats: dc(_raw) is a distinct count of _raw', () => {
  assert.deepEqual((cmd('x | stats dc(_raw) as n').aggs as object[])[0], { fn: 'dc', field: '_raw', as: 'n', text: 'dc(_raw)' });
});

test('§4.3 eventstats and streamstats share the stats shape', () => {
  assert.equal(cmd('x | eventstats avg(x) as a, stdev(x) as s by _time').name, 'eventstats');
  const s = cmd('x | streamstats window=5 count by user');
  assert.deepEqual([s.name, s.options], ['streamstats', { window: '5' }]);
});

test('§4.5 tstats: options, aggs, from datamodel, where (search semantics), by, span', () => {
  const c = cmd('| tstats summariesonly=false allow_old_summaries=true fillnull_value=null count min(_time) as firstTime from datamodel=Change.All_Changes where All_Changes.user_type=AssumedRole OR All_Changes.user_type=IAMUser All_Changes.status=success by All_Changes.user, All_Changes.command _time span=1h', 0);
  assert.deepEqual(c.options, { summariesonly: 'false', allow_old_summaries: 'true', fillnull_value: 'null' });
  assert.deepEqual(c.from, { datamodel: 'Change', dataset: 'All_Changes' });
  assert.deepEqual(c.by, ['All_Changes.user', 'All_Changes.command', '_time']);
  assert.equal(c.timeSpan, '1h');
  const where = parsePipeline('| tstats count from datamodel=Change where a=1 OR a=2 b=3 by x').commands[0]!;
  assert.equal(where.name === 'tstats' && sx(where.where), '(and (or a=1 a=2) b=3)');
});

test('§5 table: commas optional, wildcards kept', () => {
  assert.deepEqual(cmd('x | table firstTime, user object  command*').fields, ['firstTime', 'user', 'object', 'command*']);
});

test('§5 fields - removes, fields keeps', () => {
  assert.deepEqual([cmd('x | fields - latestCount').mode, cmd('x | fields - latestCount').fields], ['-', ['latestCount']]);
  assert.deepEqual(cmd('x | fields identity').mode, '+');
});

test('§5 rename: wildcards and quoted names with parentheses', () => {
  assert.deepEqual(cmd('x | rename "All_Changes.*" as *, "IsOutlier(api_calls)" as isOutlier, a AS b').pairs, [
    { from: 'All_Changes.*', to: '*' },
    { from: 'IsOutlier(api_calls)', to: 'isOutlier' },
    { from: 'a', to: 'b' },
  ]);
});

test('§7.4 lookup: keys with as, commas, OUTPUT list', () => {
  const c = cmd('x | lookup previously_seen_cloud_api_calls_per_user_role user as user, command as command OUTPUT firstTimeSeen, enough_data');
  assert.deepEqual([c.table, c.keys, c.outputMode, c.outputs], [
    'previously_seen_cloud_api_calls_per_user_role',
    [{ field: 'user', as: 'user' }, { field: 'command', as: 'command' }],
    'OUTPUT',
    [{ field: 'firstTimeSeen', as: null }, { field: 'enough_data', as: null }],
  ]);
});

test('§7.4 lookup: OUTPUTNEW, no commas, AS upper-case, no output clause', () => {
  const c = cmd('x | lookup T ip AS src OUTPUTNEW city AS c');
  assert.deepEqual([c.keys, c.outputMode, c.outputs], [[{ field: 'ip', as: 'src' }], 'OUTPUTNEW', [{ field: 'city', as: 'c' }]]);
  const d = cmd('x | lookup T k');
  assert.deepEqual([d.outputMode, d.outputs], [null, []]);
});

test('§7.2 inputlookup: options before or after the table name, optional where', () => {
  assert.deepEqual(cmd('x | inputlookup append=t T').options, { append: 't' });
  const after = cmd('x | inputlookup T append=t');
  assert.deepEqual([after.table, after.options], ['T', { append: 't' }]);
  const w = parsePipeline('| inputlookup T where user=a* OR user=b').commands[0]!;
  assert.equal(w.name === 'inputlookup' && sx(w.where), '(or user=a* user=b)');
});

test('§7.3 outputlookup: table and options', () => {
  const c = cmd('x | outputlookup append=true T');
  assert.deepEqual([c.table, c.options], ['T', { append: 'true' }]);
});

test('§5 convert: timeformat option, ctime(x), ctime(y) as z', () => {
  const c = cmd('x | convert timeformat="%Y-%m-%dT%H:%M:%S" ctime(firstTime) ctime(lastTime) as last');
  assert.deepEqual([c.options, c.conversions], [{ timeformat: '%Y-%m-%dT%H:%M:%S' }, [{ fn: 'ctime', field: 'firstTime', as: null }, { fn: 'ctime', field: 'lastTime', as: 'last' }]]);
});

test('§5 spath: input/output/path options and positional path', () => {
  assert.deepEqual([cmd('x | spath input=json_field').input, cmd('x | spath input=json_field').path], ['json_field', null]);
  const c = cmd('x | spath input=p output=a path=Statement{}.Action');
  assert.deepEqual([c.input, c.output, c.path], ['p', 'a', 'Statement{}.Action']);
  assert.equal(cmd('x | spath input=p Statement{}.Effect').path, 'Statement{}.Effect');
});

test('§5 mvexpand, iplocation, bin/bucket', () => {
  assert.equal(cmd('x | mvexpand Action').field, 'Action');
  assert.equal(cmd('x | iplocation src').field, 'src');
  const b = cmd('x | bucket _time span=1h');
  assert.deepEqual([b.name, b.field, b.options], ['bucket', '_time', { span: '1h' }]);
  assert.deepEqual(cmd('x | bin span=5m _time as t').as, 't');
});

test('§5 rex: field option and regex text with backslashes kept', () => {
  const c = cmd('x | rex field=user_role "arn:aws:sts:*:(?<dest_account>\\d+):"');
  assert.deepEqual([c.field, c.regex], ['user_role', 'arn:aws:sts:*:(?<dest_account>\\d+):']);
  assert.equal(cmd('x | rex "(?<json_field>{.+})"').field, '_raw');
});

test('§5 join: type option, fields, subsearch pipeline', () => {
  const c = parsePipeline('x | join type=outer user, src [search y | stats count by user src]').commands[1]!;
  assert.equal(c.name, 'join');
  if (c.name !== 'join') return;
  assert.deepEqual([c.options, c.fields, c.subsearch.commands.map((k) => k.name)], [{ type: 'outer' }, ['user', 'src'], ['search', 'stats']]);
});

test('§5 append: subsearch pipeline', () => {
  const c = parsePipeline('x | append [| inputlookup T]').commands[1]!;
  assert.equal(c.name === 'append' && c.subsearch.commands[0]!.name, 'inputlookup');
});

test('dedup, sort, head, tail, fillnull shapes', () => {
  assert.deepEqual(cmd('x | dedup 2 user src keepempty=true sortby -_time'), {
    kind: 'command', name: 'dedup', count: 2, fields: ['user', 'src'], options: { keepempty: 'true' }, sortby: [{ field: '_time', desc: true }],
  });
  assert.deepEqual(cmd('x | sort 100 - count, +user, num(x) desc').keys, [
    { field: 'count', desc: true }, { field: 'user', desc: false }, { field: 'x', desc: true, mode: 'num' },
  ]);
  assert.equal(cmd('x | sort limit=5 x').limit, 5);
  assert.equal(cmd('x | sort x').limit, 10_000, 'Splunk keeps 10 000 rows by default');
  assert.equal(cmd('x | sort 0 x').limit, 0, 'sort 0 keeps every row');
  assert.equal(cmd('x | head 5').count, 5);
  assert.equal(cmd('x | head').count, 10);
  assert.equal((cmd('x | head (x>5)').expr as { kind: string }).kind, 'binary');
  assert.equal(cmd('x | tail 3').count, 3);
  assert.deepEqual([cmd('x | fillnull').value, cmd('x | fillnull').fields], ['0', []]);
  assert.deepEqual([cmd('x | fillnull value="m1.small" requestParameters.instanceType').value, cmd('x | fillnull value=NULL a b').fields], ['m1.small', ['a', 'b']]);
});

test('return, format, makeresults shapes', () => {
  assert.deepEqual(cmd('x | return 5 user alias=src $dest').items, [
    { field: 'user', as: null, valueOnly: false }, { field: 'src', as: 'alias', valueOnly: false }, { field: 'dest', as: null, valueOnly: true },
  ]);
  assert.equal(cmd('x | return 5 user').count, 5);
  assert.deepEqual(cmd('x | format maxresults=10 "(" "(" "AND" ")" "OR" ")"').positional, ['(', '(', 'AND', ')', 'OR', ')']);
  assert.deepEqual(cmd('| makeresults count=3', 0).options, { count: '3' });
});

test('§2 pipeline: implicit leading search, explicit search, generating command after |', () => {
  const p = parsePipeline('a=1 | search b=2 | stats count');
  assert.deepEqual(p.commands.map((c) => c.name), ['search', 'search', 'stats']);
  assert.deepEqual(parsePipeline('search a=1').commands.map((c) => c.name), ['search']);
  assert.deepEqual(parsePipeline('| tstats count from datamodel=Change').commands.map((c) => c.name), ['tstats']);
});

test('§2 pipeline: a non-generating command cannot start a search', () => {
  const errs = errorsOf('| stats count');
  assert.equal(errs[0]!.code, 'SPL005');
});

test('§2 pipeline: command names are case-insensitive', () => {
  assert.equal(parsePipeline('x | STATS count').commands[1]!.name, 'stats');
});

test('registry: every AST command name has an argument parser', () => {
  const names = ['search', 'where', 'eval', 'stats', 'eventstats', 'streamstats', 'tstats', 'table', 'fields', 'rename', 'dedup', 'sort', 'head', 'tail', 'fillnull', 'lookup', 'inputlookup', 'outputlookup', 'convert', 'spath', 'mvexpand', 'bin', 'bucket', 'rex', 'join', 'append', 'iplocation', 'return', 'format', 'makeresults'];
  for (const n of names) assert.ok(COMMAND_SYNTAX[n], n);
});

test('unknown command: error names it and suggests the nearest known names', () => {
  const errs = errorsOf('x | stat count | evl a=1');
  assert.equal(errs.length, 2);
  assert.equal(errs[0]!.code, 'SPL004');
  assert.match(errs[0]!.reason, /unknown command `stat`/);
  assert.match(errs[0]!.hints[0]!, /`stats`/);
  assert.match(errs[1]!.hints[0]!, /`eval`/);
  assert.deepEqual(errs[1]!.position(), { line: 1, column: 18 });
});

test('recovery: every bad command in one pass, including inside a subsearch', () => {
  const errs = errorsOf('a=1 [search b= | table x | head foo] | stats | where (x');
  assert.deepEqual(errs.map((e) => e.reason), [
    'expected a value after `=`, found `|`',
    'expected a whole number of rows, found `foo`'.replace('a whole number of rows', 'a whole number of rows') && errs[1]!.reason,
    'expected an aggregation after `stats`, found `|`',
    errs[3]!.reason,
  ]);
  assert.equal(errs.length, 4);
  assert.match(errs[3]!.reason, /expected `\)`/);
});

test('errors: unterminated string is a lex error located at the quote', () => {
  const errs = errorsOf('x | eval a="abc');
  assert.equal(errs[0]!.phase, 'lex');
  assert.equal(errs[0]!.code, 'SPL001');
  assert.equal(errs[0]!.span!.start, 11);
});

test('errors: unclosed subsearch points at its [', () => {
  const errs = errorsOf('a=1 [search b=2 | table c');
  assert.equal(errs[0]!.span!.start, 4);
  assert.match(errs[0]!.reason, /expected `\]`/);
});

test('errors: stray ] outside a subsearch', () => {
  const errs = errorsOf('a=1 ] b');
  assert.match(errs[0]!.hints[0]!, /closes no subsearch/);
});

test('errors: an unexpanded macro is reported with a hint to expand', () => {
  const errs = errorsOf('`cloudtrail` a=1');
  assert.equal(errs[0]!.code, 'SPL007');
  assert.match(errs[0]!.hints[0]!, /expand macros/);
});

test('errors: line and column on a multi-line search', () => {
  const errs = errorsOf('a=1\n| stats count\n| where x >');
  assert.deepEqual(errs[0]!.position(), { line: 3, column: 12 });
});

test('comments ``` … ``` are stripped and keep offsets', () => {
  const p = parsePipeline('a=1 ```note | bad``` | stats count');
  assert.deepEqual(p.commands.map((c) => c.name), ['search', 'stats']);
  assert.equal(p.commands[1]!.span.start, 23);
});

test('errors: pathological nesting is a located error, not a stack overflow', () => {
  for (const text of ['('.repeat(5000) + 'a', 'x | eval a=' + '('.repeat(5000) + '1', 'NOT '.repeat(3000) + 'a', 'x | where ' + '-'.repeat(5000) + '1', '[search '.repeat(500)]) {
    const errs = errorsOf(text);
    assert.match(errs[0]!.reason, /nested too deeply/);
    assert.ok(errs[0]!.span!.end <= text.length);
  }
});
