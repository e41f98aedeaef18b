/** Eval functions: SPL.md §3.6 and the behaviour of each registry entry at its edges. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bin, call, evalOn, field, fn, num, str, CTX } from './ast-builders.js';
import { cidrMatch, compileExpr, FUNCTIONS } from '../../src/eval/index.js';
import { Row } from '../../src/engine/row.js';

const gt = (f: string, n: number) => bin('>', field(f), num(n));

// ── conditional ──
test('§3.6 if(c,a,b): true → a, false → b, null condition → b', () => {
  assert.equal(evalOn(call('if', gt('x', 1), str('a'), str('b')), { x: '5' }), 'a');
  assert.equal(evalOn(call('if', gt('x', 1), str('a'), str('b')), { x: '0' }), 'b');
  assert.equal(evalOn(call('if', gt('x', 1), str('a'), str('b')), {}), 'b');
});

test('§3.6 if() evaluates only the branch it takes', () => {
  let calls = 0;
  const row = { get: (n: string) => (n === 'probe' ? (calls++, 'v') : null) };
  compileExpr(call('if', bin('=', num(1), num(1)), str('a'), field('probe')))(row, CTX);
  assert.equal(calls, 0);
});

test('§3.6 case(): first true condition wins; no match → null', () => {
  const e = call('case', gt('x', 10), str('big'), gt('x', 1), str('mid'));
  assert.equal(evalOn(e, { x: '50' }), 'big');
  assert.equal(evalOn(e, { x: '5' }), 'mid');
  assert.equal(evalOn(e, { x: '0' }), null);
  assert.equal(evalOn(e, {}), null, 'null conditions are not true');
});

test('§3.6 coalesce: first non-null argument; an empty string counts as non-null', () => {
  assert.equal(evalOn(call('coalesce', field('a'), field('b'), str('z')), { b: 'B' }), 'B');
  assert.equal(evalOn(call('coalesce', field('a'), field('b')), { a: '', b: 'B' }), '');
  assert.equal(evalOn(call('coalesce', field('a'), field('b')), {}), null);
});

test('§1.3 isnull/isnotnull: empty string is not null, missing field is', () => {
  assert.equal(evalOn(call('isnull', field('a')), { a: '' }), false);
  assert.equal(evalOn(call('isnull', field('a')), {}), true);
  assert.equal(evalOn(call('isnotnull', field('a')), { a: '' }), true);
  assert.equal(evalOn(call('isnull', bin('+', str('x'), num(1)))), true, 'a null expression is null');
});

test('§3.6 null(), true(), false() return null and booleans', () => {
  assert.equal(fn('null'), null);
  assert.equal(fn('true'), true);
  assert.equal(fn('false'), false);
});

test('§3.6 in(x, …) tests equality with any value; null x → false', () => {
  assert.equal(evalOn(call('in', field('a'), str('x'), str('y')), { a: 'y' }), true);
  assert.equal(evalOn(call('in', field('a'), str('x')), { a: 'X' }), false);
  assert.equal(evalOn(call('in', field('a'), str('x')), {}), false);
});

test('§3.6 match(): unanchored regex, case-sensitive, (?i) makes it case-insensitive', () => {
  assert.equal(fn('match', 'arn:aws:iam::1:user/Bob', 'user/'), true);
  assert.equal(fn('match', 'ABC', 'abc'), false);
  assert.equal(fn('match', 'ABC', '(?i)abc'), true);
  assert.equal(fn('match', 'abc', '^b'), false);
});

test('§3.6 match(): null text → null; multivalue → true if any value matches', () => {
  assert.equal(evalOn(call('match', field('x'), str('a'))), null);
  assert.equal(evalOn(call('match', field('m'), str('^b')), { m: ['a', 'b'] }), true);
});

test('§3.6 match(): an invalid regex is null with a warning, not a crash', () => {
  const warnings: string[] = [];
  const r = compileExpr(call('match', str('a'), str('(')))(Row.of({}), { ...CTX, warn: (m) => warnings.push(m) });
  assert.equal(r, null);
  assert.equal(warnings.length, 1);
});

test('§3.6 like(): SQL wildcards, same as the LIKE operator', () => {
  assert.equal(fn('like', 'console.amazonaws.com', '%.amazonaws.com'), true);
  assert.equal(fn('like', 'abc', 'a_c'), true);
  assert.equal(fn('like', 'abc', 'A%'), false);
});

test('§3.6 cidrmatch(): IPv4 and IPv6 ranges; non-IP text → false', () => {
  assert.equal(fn('cidrmatch', '10.0.0.0/8', '10.20.30.40'), true);
  assert.equal(fn('cidrmatch', '10.0.0.0/8', '11.0.0.1'), false);
  assert.equal(fn('cidrmatch', '192.168.1.0/24', 'AWS Internal'), false);
  assert.equal(cidrMatch('2001:db8::/32', '2001:db8:1::5'), true);
  assert.equal(cidrMatch('2001:db8::/32', '2001:db9::5'), false);
  assert.equal(cidrMatch('0.0.0.0/0', '8.8.8.8'), true);
  assert.equal(cidrMatch('1.2.3.4', '1.2.3.4'), true);
});

// ── conversion ──
test('§3.6 tostring(): numbers canonical, booleans as words, null stays null', () => {
  assert.equal(fn('tostring', 1.5), '1.5');
  assert.equal(fn('tostring', 3), '3');
  assert.equal(evalOn(call('tostring', bin('=', num(1), num(1)))), 'true');
  assert.equal(evalOn(call('tostring', field('x'))), null);
});

test('§3.6 tostring(x,"hex"|"commas"|"duration")', () => {
  assert.equal(fn('tostring', 255, 'hex'), '0xFF');
  assert.equal(fn('tostring', 1234567.891, 'commas'), '1,234,567.89');
  assert.equal(fn('tostring', 1234, 'commas'), '1,234');
  assert.equal(fn('tostring', 3725, 'duration'), '01:02:05');
  assert.equal(fn('tostring', 90061, 'duration'), '1+01:01:01');
  assert.equal(fn('tostring', 'abc', 'hex'), null);
});

test('§3.6 tonumber(): decimal text, bases 2–36, invalid → null', () => {
  assert.equal(fn('tonumber', '42'), 42);
  assert.equal(fn('tonumber', ' 4.5 '), 4.5);
  assert.equal(fn('tonumber', 'ff', 16), 255);
  assert.equal(fn('tonumber', '0x1F', 16), 31);
  assert.equal(fn('tonumber', '101', 2), 5);
  assert.equal(fn('tonumber', '12', 2), null);
  assert.equal(fn('tonumber', 'abc'), null);
  assert.equal(fn('tonumber', '10', 1), null);
});

test('§3.6 typeof(): Number, String, Boolean, Invalid, Multivalue', () => {
  assert.equal(fn('typeof', 1), 'Number');
  assert.equal(fn('typeof', '12'), 'String');
  assert.equal(evalOn(call('typeof', field('n')), { n: '12' }), 'Number');
  assert.equal(evalOn(call('typeof', field('s')), { s: 'ab' }), 'String');
  assert.equal(evalOn(call('typeof', bin('>', num(1), num(0)))), 'Boolean');
  assert.equal(evalOn(call('typeof', field('x'))), 'Invalid');
  assert.equal(evalOn(call('typeof', field('m')), { m: ['a', 'b'] }), 'Multivalue');
});

// ── text ──
test('§3.6 lower/upper apply to every value of a multivalue', () => {
  assert.equal(fn('lower', 'AbC'), 'abc');
  assert.equal(fn('upper', 'AbC'), 'ABC');
  assert.deepEqual(evalOn(call('lower', field('m')), { m: ['A', 'B'] }), ['a', 'b']);
  assert.equal(evalOn(call('upper', field('x'))), null);
});

test('§3.6 len(): characters, not bytes; null → null', () => {
  assert.equal(fn('len', 'abc'), 3);
  assert.equal(fn('len', 'é✓'), 2);
  assert.equal(fn('len', ''), 0);
  assert.equal(evalOn(call('len', field('x'))), null);
});

test('§3.6 substr(): 1-based start, optional length, negative start counts from the end', () => {
  assert.equal(fn('substr', 'abcdef', 2, 3), 'bcd');
  assert.equal(fn('substr', 'abcdef', 3), 'cdef');
  assert.equal(fn('substr', 'abcdef', -2), 'ef');
  assert.equal(fn('substr', 'abcdef', -3, 2), 'de');
  assert.equal(fn('substr', 'abc', 10), '');
  assert.equal(fn('substr', 'abc', 'x'), null);
});

test('§3.6 replace(): regex with \\1 back-references, every occurrence', () => {
  assert.equal(fn('replace', 'a-b-c', '-', '+'), 'a+b+c');
  assert.equal(fn('replace', '2024-03-05', '(\\d+)-(\\d+)-(\\d+)', '\\3/\\2/\\1'), '05/03/2024');
  assert.equal(fn('replace', 'cost', 'o', '$'), 'c$st', 'a literal $ in the replacement stays literal');
  assert.equal(fn('replace', 'ABC', '(?i)b', 'x'), 'AxC');
});

test('§3.6 trim/ltrim/rtrim: spaces and tabs by default, or the given characters', () => {
  assert.equal(fn('trim', '  a b \t'), 'a b');
  assert.equal(fn('ltrim', '  a  '), 'a  ');
  assert.equal(fn('rtrim', '  a  '), '  a');
  assert.equal(fn('trim', 'xxaxx', 'x'), 'a');
  assert.equal(fn('ltrim', '--a-]', ']-'), 'a-]');
  assert.equal(fn('rtrim', '--a-]', ']-'), '--a');
});

test('§3.6 urldecode(): %XX as UTF-8, malformed sequences kept', () => {
  assert.equal(fn('urldecode', 'http%3A%2F%2Fexample.com%2Fa%20b'), 'http://example.com/a b');
  assert.equal(fn('urldecode', '%C3%A9'), 'é');
  assert.equal(fn('urldecode', '100%'), '100%');
  assert.equal(fn('urldecode', '%E2%28'), '%E2(');
});

// ── multivalue ──
test('§3.6 split(): literal separator, empty pieces kept', () => {
  assert.deepEqual(fn('split', 'a,b,,c', ','), ['a', 'b', '', 'c']);
  assert.deepEqual(fn('split', 'a.b', '.'), ['a', 'b'], 'the separator is literal, not a regex');
  assert.equal(fn('split', 'abc', ','), 'abc', 'no separator → a single value');
  assert.equal(evalOn(call('split', field('x'), str(','))), null);
});

test('§3.6 mvcount(): values of a field; null → null', () => {
  assert.equal(evalOn(call('mvcount', field('m')), { m: ['a', 'b', 'c'] }), 3);
  assert.equal(evalOn(call('mvcount', field('m')), { m: 'a' }), 1);
  assert.equal(evalOn(call('mvcount', field('m'))), null);
});

test('§3.6 mvindex(): 0-based, negative from the end, out of range → null, single value = 1-element list', () => {
  const row = { m: ['a', 'b', 'c'] };
  assert.equal(evalOn(call('mvindex', field('m'), num(0)), row), 'a');
  assert.equal(evalOn(call('mvindex', field('m'), num(-1)), row), 'c');
  assert.equal(evalOn(call('mvindex', field('m'), num(3)), row), null);
  assert.equal(evalOn(call('mvindex', field('m'), num(-4)), row), null);
  assert.equal(evalOn(call('mvindex', field('s'), num(0)), { s: 'only' }), 'only');
  assert.deepEqual(evalOn(call('mvindex', field('m'), num(1), num(2)), row), ['b', 'c']);
  assert.deepEqual(evalOn(call('mvindex', field('m'), num(0), num(-2)), row), ['a', 'b']);
});

test('§3.6 mvjoin(): joins values with the delimiter', () => {
  assert.equal(evalOn(call('mvjoin', field('m'), str(';')), { m: ['a', 'b'] }), 'a;b');
  assert.equal(evalOn(call('mvjoin', field('m'), str(';')), { m: 'a' }), 'a');
  assert.equal(evalOn(call('mvjoin', field('m'), str(';'))), null);
});

test('§3.6 mvappend(): concatenates all values, skipping nulls', () => {
  assert.deepEqual(evalOn(call('mvappend', field('a'), field('missing'), field('b')), { a: ['1', '2'], b: '3' }), ['1', '2', '3']);
  assert.equal(evalOn(call('mvappend', field('a'), field('missing')), { a: 'x' }), 'x');
  assert.equal(evalOn(call('mvappend', field('missing'))), null);
});

test('§3.6 mvdedup(): drops repeated values keeping first order', () => {
  assert.deepEqual(evalOn(call('mvdedup', field('m')), { m: ['b', 'a', 'b'] }), ['b', 'a']);
});

test('§3.6 mvfind(): index of first value matching a regex, else null', () => {
  assert.equal(evalOn(call('mvfind', field('m'), str('^b')), { m: ['abc', 'bcd'] }), 1);
  assert.equal(evalOn(call('mvfind', field('m'), str('z')), { m: ['abc', 'bcd'] }), null);
});

test('§3.6 mvfilter(): keeps values of the referenced field for which the condition is true', () => {
  const e = call('mvfilter', call('match', field('m'), str('^a')));
  assert.deepEqual(evalOn(e, { m: ['a1', 'b', 'a2'] }), ['a1', 'a2']);
  assert.equal(evalOn(e, { m: ['b', 'c'] }), null);
  assert.equal(evalOn(call('mvfilter', bin('!=', field('m'), str('x'))), { m: ['x', 'y'] }), 'y');
});

// ── math ──
test('§3.6 round(): half away from zero, optional digits', () => {
  assert.equal(fn('round', 2.5), 3);
  assert.equal(fn('round', -2.5), -3);
  assert.equal(fn('round', 1.005, 2), 1.01);
  assert.equal(fn('round', 3.14159, 3), 3.142);
  assert.equal(fn('round', 'x'), null);
});

test('§3.6 floor/ceil/abs on numeric text; non-numeric → null', () => {
  assert.equal(fn('floor', '7.9'), 7);
  assert.equal(fn('floor', -1.5), -2);
  assert.equal(fn('ceil', 1.1), 2);
  assert.equal(fn('abs', '-3'), 3);
  assert.equal(fn('floor', 'abc'), null);
  assert.equal(evalOn(call('floor', bin('/', call('strftime', num(7 * 3600), str('%H')), num(4)))), 1);
});

test('§3.6 pow/sqrt/exp/ln/log: ordinary maths; out of domain → null', () => {
  assert.equal(fn('pow', 2, 10), 1024);
  assert.equal(fn('sqrt', 16), 4);
  assert.equal(fn('sqrt', -1), null);
  assert.equal(fn('exp', 0), 1);
  assert.equal(fn('ln', 1), 0);
  assert.equal(fn('ln', 0), null);
  assert.equal(fn('log', 1000), 3);
  assert.equal(fn('log', 8, 2), 3);
  assert.equal(fn('pow', 'a', 2), null);
});

test('§3.6 min/max in eval flatten multivalues; numbers compare numerically', () => {
  assert.equal(evalOn(call('min', field('m')), { m: ['10', '9', '100'] }), '9');
  assert.equal(evalOn(call('max', field('m'), num(5)), { m: ['10', '9'] }), '10');
  assert.equal(evalOn(call('min', field('m'))), null);
});

test('§3.6 min/max: numbers sort before strings (max picks a string, min a number)', () => {
  assert.equal(fn('max', 3, 'abc', 10), 'abc');
  assert.equal(fn('min', 3, 'abc', 10), 3);
  assert.equal(fn('min', 'b', 'a'), 'a');
});

test('§3.6 random(): integer in 0…2^31-1; deterministic when the context has a seed', () => {
  const r = fn('random') as number;
  assert.ok(Number.isInteger(r) && r >= 0 && r < 2 ** 31);
  const e = compileExpr(call('random'));
  const draw = (seed: number) => {
    const ctx = { ...CTX, seed };
    return [e(Row.of({}), ctx), e(Row.of({}), ctx)];
  };
  assert.deepEqual(draw(7), draw(7));
  assert.notDeepEqual(draw(7), draw(8));
});

// ── crypto ──
test('§3.6 md5/sha1/sha256 hash the UTF-8 text as lower-case hex', () => {
  assert.equal(fn('md5', 'abc'), '900150983cd24fb0d6963f7d28e17f72');
  assert.equal(fn('sha1', 'abc'), 'a9993e364706816aba3e25717850c26c9cd0d89d');
  assert.equal(fn('sha256', 'abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  assert.equal(evalOn(call('md5', field('x'))), null);
});

// ── json ──
const doc = JSON.stringify({ a: { b: [{ c: 1 }, { c: 2 }], s: 'x', t: true, n: null }, arr: ['p', 'q'] });

test('§5 spath() eval form: dotted path, {} for every element, {N} 1-based', () => {
  assert.equal(fn('spath', doc, 'a.s'), 'x');
  assert.deepEqual(fn('spath', doc, 'a.b{}.c'), ['1', '2']);
  assert.equal(fn('spath', doc, 'arr{2}'), 'q');
  assert.equal(fn('spath', doc, 'a.t'), 'true');
  assert.equal(fn('spath', doc, 'a.n'), 'null');
  assert.equal(fn('spath', doc, 'a.b{1}'), '{"c":1}', 'objects come back as JSON text');
  assert.equal(fn('spath', doc, 'a.zzz'), null);
  assert.equal(fn('spath', 'not json', 'a'), null);
});

test('§3.6 json_extract(): 0-based {N}; no path returns the document', () => {
  assert.equal(fn('json_extract', doc, 'arr{0}'), 'p');
  assert.equal(fn('json_extract', doc, 'a.b{1}.c'), '2');
  assert.equal(fn('json_extract', '{"k": 1}'), '{"k":1}');
  assert.equal(fn('json_extract', 'nope', 'k'), null);
});

// ── time functions ──
test('§6.2 now() is the injected search start, never the clock', () => {
  assert.equal(evalOn(call('now')), CTX.now);
  assert.equal(evalOn(call('now'), {}, { now: 12345, tz: 'UTC' }), 12345);
});

test('§3.6 time() reads the wall clock', () => {
  const t = fn('time') as number;
  assert.ok(Math.abs(t - Date.now() / 1000) < 5);
});

test('§3.6 relative_time(now(), "-24h@h"): offset then snap; non-numeric t → null', () => {
  assert.equal(evalOn(call('relative_time', call('now'), str('-24h@h'))), Date.UTC(2024, 2, 4, 17) / 1000);
  assert.equal(evalOn(call('relative_time', str('abc'), str('-1d'))), null);
  assert.equal(evalOn(call('relative_time', call('now'), str('garbage'))), null);
});

test('§6.3 strftime(_time,"%H") and "%w" (0 = Sunday) return strings', () => {
  const t = Date.UTC(2024, 2, 10, 7, 5, 0) / 1000; // a Sunday
  assert.equal(evalOn(call('strftime', field('_time'), str('%H')), { _time: t }), '07');
  assert.equal(evalOn(call('strftime', field('_time'), str('%w')), { _time: t }), '0');
  assert.equal(evalOn(call('strftime', field('_time'), str('%H')), { _time: 'x' }), null);
});

test('§6.3 strptime() in eval parses in the context time zone', () => {
  assert.equal(fn('strptime', '2024-03-05 17:02:11', '%Y-%m-%d %H:%M:%S'), CTX.now);
  const berlin = evalOn(call('strptime', str('2024-03-05 18:02:11'), str('%Y-%m-%d %H:%M:%S')), {}, { now: 0, tz: 'Europe/Berlin' });
  assert.equal(berlin, CTX.now);
});

test('registry: every function the brief lists is registered', () => {
  const required =
    'if case coalesce isnull isnotnull null true false now time relative_time strftime strptime tostring tonumber lower upper len substr replace trim ltrim rtrim split mvcount mvindex mvjoin mvappend mvdedup mvfind mvfilter match like cidrmatch round floor ceil abs pow sqrt exp ln log min max random md5 sha1 sha256 urldecode json_extract spath typeof in';
  for (const name of required.split(' ')) assert.ok(FUNCTIONS[name], `missing ${name}`);
});
