import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TrailguardErrors } from '../../src/errors.js';
import { loadMacros, loadMacroSet } from '../../src/content/macros.js';
import { unavailableMacro } from '../../src/engine/session.js';
import { compileSpl, compileSplDetailed, expandMacros, splitMacroArgs, type MacroTable } from '../../src/spl/index.js';

function table(defs: [string, string[], string][]): MacroTable {
  return new Map(defs.map(([name, args, definition]) => [args.length ? `${name}(${args.length})` : name, { name, args, definition }]));
}

const M = table([
  ['cloudtrail', [], 'sourcetype=aws:cloudtrail'],
  ['drop_dm_object_name', ['object'], 'rename "$object$.*" as *'],
  ['security_content_ctime', ['field'], 'convert timeformat="%Y-%m-%dT%H:%M:%S" ctime($field$)'],
  ['pair', ['a', 'b'], '$a$=$b$'],
  ['pair', ['a'], '$a$=one'],
  ['outer', [], '`inner` x=1'],
  ['inner', [], '`cloudtrail`'],
  ['loop_a', [], '`loop_b`'],
  ['loop_b', [], '`loop_a`'],
  ['window', [], '"-70m@m"'],
]);

function errorsOf(fn: () => unknown): TrailguardErrors {
  try {
    fn();
  } catch (err) {
    if (err instanceof TrailguardErrors) return err;
    throw err;
  }
  assert.fail('expected errors');
}

test('§8.5 macro without arguments', () => {
  assert.equal(expandMacros('`cloudtrail` a=1', M).text, 'sourcetype=aws:cloudtrail a=1');
});

test('§8.4 drop_dm_object_name("All_Changes") strips one pair of quotes', () => {
  assert.equal(expandMacros('x | `drop_dm_object_name("All_Changes")`', M).text, 'x | rename "All_Changes.*" as *');
});

test('§8.4 drop_dm_object_name(All_Changes) unquoted gives the same text', () => {
  assert.equal(expandMacros('x | `drop_dm_object_name(All_Changes)`', M).text, 'x | rename "All_Changes.*" as *');
});

test('§8.5 $arg$ substitution with arity in the key (security_content_ctime(1))', () => {
  assert.equal(expandMacros('`security_content_ctime(firstTime)`', M).text, 'convert timeformat="%Y-%m-%dT%H:%M:%S" ctime(firstTime)');
});

test('§8.5 arity selects the definition: pair(1) vs pair(2)', () => {
  assert.equal(expandMacros('`pair(x)` `pair(x, y)`', M).text, 'x=one x=y');
});

test('§8.5 arguments split on top-level commas only (quotes, parentheses)', () => {
  assert.deepEqual(splitMacroArgs('a, "b,c", f(x,y), "q\\"," '), ['a', '"b,c"', 'f(x,y)', '"q\\","']);
});

test('§8.5 nested macros expand recursively', () => {
  assert.equal(expandMacros('`outer`', M).text, 'sourcetype=aws:cloudtrail x=1');
});

test('§8.5 a cycle is an error naming the cycle', () => {
  const e = errorsOf(() => expandMacros('a | `loop_a`', M));
  assert.equal(e.errors[0]!.code, 'SPL102');
  assert.match(e.errors[0]!.reason, /`loop_a` → `loop_b` → `loop_a`/);
  assert.deepEqual(e.errors[0]!.span, { start: 4, end: 12 });
});

test('§8.5 a missing macro is an error naming it, its position and near names', () => {
  const e = errorsOf(() => expandMacros('a=1 | `cloudtrial`', M));
  assert.equal(e.errors[0]!.code, 'SPL101');
  assert.equal(e.errors[0]!.phase, 'macro');
  assert.match(e.errors[0]!.reason, /`cloudtrial` is not defined/);
  assert.deepEqual(e.errors[0]!.position(), { line: 1, column: 7 });
  assert.match(e.errors[0]!.hints.join(' '), /did you mean `cloudtrail`/);
});

test('§8.5 wrong arity names the defined arities', () => {
  const e = errorsOf(() => expandMacros('`security_content_ctime`', M));
  assert.match(e.errors[0]!.reason, /`security_content_ctime` is not defined/);
  assert.match(e.errors[0]!.hints[0]!, /security_content_ctime\(1\)/);
});

test('§8.5 every missing macro is reported in one pass', () => {
  const e = errorsOf(() => expandMacros('`nope1` | `nope2(a)`', M));
  assert.equal(e.errors.length, 2);
});

test('§8.5 undefined *_filter macros default to search *', () => {
  assert.equal(expandMacros('x | `my_detection_filter`', M).text, 'x | search *');
});

test('§8.5 macros inside double-quoted strings are not expanded', () => {
  assert.equal(expandMacros('eval a="`cloudtrail`"', M).text, 'eval a="`cloudtrail`"');
});

test('§8.5 a macro whose definition is a quoted string (activity window)', () => {
  assert.equal(expandMacros('x | where t > relative_time(now(), `window`)', M).text, 'x | where t > relative_time(now(), "-70m@m")');
});

test('§8.5 unterminated backtick is a macro error', () => {
  const e = errorsOf(() => expandMacros('a `cloudtrail', M));
  assert.equal(e.errors[0]!.code, 'SPL103');
});

test('§8.5 position map: text after a macro maps back to the original offsets', () => {
  const x = expandMacros('`cloudtrail` | stats count', M);
  const at = x.text.indexOf('stats');
  assert.deepEqual(x.toOriginal({ start: at, end: at + 5 }), { start: 15, end: 20 });
  assert.deepEqual(x.toOriginal({ start: 0, end: 5 }), { start: 0, end: 12 });
});

test('§8.5 compileSpl: a syntax error inside a macro expansion points at the macro call', () => {
  const bad = table([['broken', [], 'stats']]);
  const e = errorsOf(() => compileSpl('a=1 | `broken`', { macros: bad }));
  assert.deepEqual(e.errors[0]!.span, { start: 6, end: 14 });
  assert.match(e.errors[0]!.hints[0]!, /in the expansion of `broken`: stats/);
});

test('§8.5 compileSpl: spans of the AST refer to the expanded text', () => {
  const { pipeline, expansion } = compileSplDetailed('`cloudtrail` | stats count', { macros: M });
  const s = pipeline.commands[1]!.span;
  assert.equal(expansion.text.slice(s.start, s.end), 'stats count');
});

test('§8.5 loadMacros: project content keys macros with arity in the name', () => {
  const m = loadMacros();
  assert.ok(m.has('security_content_ctime(1)'));
  assert.ok(m.has('drop_dm_object_name(1)'));
  assert.ok(m.has('cloudtrail'));
});

test('§8.5 loadMacros: extra --content dirs override and add macros', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tg-macros-'));
  mkdirSync(join(dir, 'macros'));
  writeFileSync(join(dir, 'macros', 'cloudtrail.yml'), 'name: cloudtrail\ndefinition: index=aws sourcetype=aws:cloudtrail\n');
  writeFileSync(join(dir, 'macros', 'two.yml'), 'name: two\narguments: [a, b]\ndefinition: $a$ OR $b$\n');
  const m = loadMacros([dir]);
  assert.equal(expandMacros('`cloudtrail` `two(x, "y z")`', m).text, 'index=aws sourcetype=aws:cloudtrail x OR y z');
});

test('§8.5 loadMacroSet: a file without a definition is skipped and reported; only a search calling it fails, naming the file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tg-macros-'));
  mkdirSync(join(dir, 'macros'));
  writeFileSync(join(dir, 'macros', 'bad.yml'), 'name: bad\n');
  writeFileSync(join(dir, 'macros', 'my_filter.yml'), 'name: my_filter\ndefinition: [unclosed\n');
  const set = loadMacroSet([dir]);
  assert.ok(set.table.has('cloudtrail'), 'the other macros still load');
  assert.deepEqual(set.problems.map((p) => [p.code, p.file.endsWith('bad.yml') || p.file.endsWith('my_filter.yml')]), [['macro-unreadable', true], ['macro-unreadable', true]]);
  assert.match(set.problems[0]!.message, /missing `definition`/);
  const compile = (text: string) => compileSplDetailed(text, { macros: set.table, unavailableMacro: unavailableMacro(set) });
  assert.doesNotThrow(() => compile('`cloudtrail` | stats count'));
  assert.throws(() => compile('`cloudtrail` | `bad`'), (e: TrailguardErrors) => /`bad` cannot be used: its definition \S*bad\.yml:1 could not be read/.test(e.errors[0]!.reason));
  // A broken *_filter file must not silently become `search *`.
  assert.throws(() => compile('`cloudtrail` | `my_filter`'), (e: TrailguardErrors) => /my_filter\.yml/.test(e.errors[0]!.reason));
});
