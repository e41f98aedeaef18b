/** where/eval operator semantics: SPL.md §3.1, §3.3–3.5. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bin, call, evalOn, field, inList, lit, neg, not, num, str, whereOn } from './ast-builders.js';
import { compareValues, arithmetic, concat } from '../../src/eval/index.js';

// ── §3.4 null propagation ──
for (const op of ['=', '==', '!=', '<', '<=', '>', '>='] as const) {
  test(`§3.4 comparison '${op}' with a null operand is null, and where drops the row`, () => {
    assert.equal(evalOn(bin(op, field('missing'), num(1))), null);
    assert.equal(evalOn(bin(op, num(1), field('missing'))), null);
    assert.equal(whereOn(bin(op, field('missing'), num(1))), false);
  });
}

for (const op of ['+', '-', '*', '/', '%'] as const) {
  test(`§3.4 arithmetic '${op}' with a null operand is null`, () => {
    assert.equal(evalOn(bin(op, field('missing'), num(2))), null);
    assert.equal(evalOn(bin(op, num(2), field('missing'))), null);
  });
}

test('§3.4 NOT null is null, so where NOT (x>1) drops rows lacking x', () => {
  assert.equal(evalOn(not(bin('>', field('x'), num(1)))), null);
  assert.equal(whereOn(not(bin('>', field('x'), num(1)))), false);
  assert.equal(whereOn(not(bin('>', field('x'), num(1))), { x: '0' }), true);
});

test('§3.4 three-valued AND/OR: false AND null = false, true OR null = true, true AND null = null', () => {
  const nul = bin('=', field('missing'), num(1));
  assert.equal(evalOn(bin('AND', bin('=', num(1), num(2)), nul)), false);
  assert.equal(evalOn(bin('OR', bin('=', num(1), num(1)), nul)), true);
  assert.equal(evalOn(bin('AND', bin('=', num(1), num(1)), nul)), null);
  assert.equal(evalOn(bin('OR', bin('=', num(1), num(2)), nul)), null);
});

test('§3.4 where keeps a row only when the expression is exactly true', () => {
  assert.equal(whereOn(bin('=', field('a'), str('x')), { a: 'x' }), true);
  assert.equal(whereOn(bin('=', field('a'), str('x')), { a: 'y' }), false);
  assert.equal(whereOn(str('true')), false, 'a non-boolean value is not a condition');
});

test('§3.4 the . operator with a null operand is null', () => {
  assert.equal(evalOn(bin('.', field('a'), str('x'))), null);
  assert.equal(evalOn(bin('.', str('x'), field('a'))), null);
  assert.equal(concat('a', null), null);
});

// ── §3.3 coercion ──
test('§3.3 numeric text compares numerically: "10" > "9" in where', () => {
  assert.equal(whereOn(bin('>', field('a'), field('b')), { a: '10', b: '9' }), true);
  assert.equal(whereOn(bin('<', field('expiration_days'), num(3)), { expiration_days: '2' }), true);
  assert.equal(whereOn(bin('<', field('expiration_days'), num(3)), { expiration_days: '10' }), false);
});

test('§3.3 non-numeric operands compare as strings by byte order ("10" < "9x")', () => {
  assert.equal(whereOn(bin('<', field('a'), field('b')), { a: '10', b: '9x' }), true);
  assert.equal(whereOn(bin('<', str('B'), str('a')), {}), true, 'upper-case sorts before lower-case in byte order');
});

test('§3.3 string equality in where is case-sensitive (unlike search)', () => {
  assert.equal(whereOn(bin('=', field('match'), str('No Match')), { match: 'No Match' }), true);
  assert.equal(whereOn(bin('=', field('match'), str('No Match')), { match: 'no match' }), false);
});

test('§3.3 where x = "*" tests for the literal star, no wildcard', () => {
  assert.equal(whereOn(bin('=', field('a'), str('*')), { a: '*' }), true);
  assert.equal(whereOn(bin('=', field('a'), str('*')), { a: 'anything' }), false);
});

test('§3.3 numeric equality ignores formatting: "1.0" = 1 and "01" == 1', () => {
  assert.equal(whereOn(bin('=', str('1.0'), num(1))), true);
  assert.equal(whereOn(bin('==', field('a'), num(1)), { a: '01' }), true);
});

test('§3.1 "=" and "==" mean the same comparison', () => {
  for (const [a, b] of [['x', 'x'], ['x', 'y'], ['2', '2.0']]) {
    assert.equal(evalOn(bin('=', str(a!), str(b!))), evalOn(bin('==', str(a!), str(b!))));
  }
});

test('§3.3 arithmetic on non-numeric text is null', () => {
  assert.equal(evalOn(bin('+', str('abc'), num(1))), null);
  assert.equal(evalOn(bin('*', field('a'), num(2)), { a: 'x' }), null);
});

test('§3.3 `+` on two non-numeric strings concatenates (Splunk documents + as string concatenation)', () => {
  assert.equal(evalOn(bin('+', str('ab'), str('cd'))), 'abcd');
  assert.equal(evalOn(bin('+', field('a'), str('-x')), { a: 'user' }), 'user-x');
  assert.equal(evalOn(bin('+', field('a'), str('x')), { a: '5' }), null, 'number + text is null');
  assert.equal(evalOn(bin('+', field('missing'), str('x'))), null, 'null operand is null');
});

test('§3.3 arithmetic converts numeric text: "07"/4 = 1.75 (strftime result used numerically)', () => {
  assert.equal(evalOn(bin('/', str('07'), num(4))), 1.75);
  assert.equal(evalOn(bin('+', field('a'), field('b')), { a: '2', b: '3.5' }), 5.5);
});

test('§3.3 division and modulo by zero are null', () => {
  assert.equal(evalOn(bin('/', num(1), num(0))), null);
  assert.equal(evalOn(bin('%', num(5), num(0))), null);
  assert.equal(arithmetic('/', '4', '2'), 2);
});

test('§3.3 modulo and subtraction follow ordinary maths', () => {
  assert.equal(evalOn(bin('%', num(7), num(3))), 1);
  assert.equal(evalOn(bin('-', num(7), num(10))), -3);
  assert.equal(evalOn(neg(str('4'))), -4);
  assert.equal(evalOn(neg(str('x'))), null);
});

test('§3.1 string concatenation renders numbers canonically', () => {
  assert.equal(evalOn(bin('.', field('finding_name'), bin('.', str(', '), field('d'))), { finding_name: 'a', d: 'b' }), 'a, b');
  assert.equal(evalOn(bin('.', num(1.5), str('x'))), '1.5x');
  assert.equal(evalOn(bin('.', bin('+', num(1), num(2)), str(''))), '3');
});

// ── §3.5 multivalue ──
test('§3.5 a comparison with a multivalue field is true if any value satisfies it', () => {
  assert.equal(whereOn(bin('=', field('m'), str('b')), { m: ['a', 'b'] }), true);
  assert.equal(whereOn(bin('>', field('m'), num(5)), { m: ['1', '7'] }), true);
  assert.equal(whereOn(bin('>', field('m'), num(50)), { m: ['1', '7'] }), false);
});

test('§3.5 != on a multivalue field is true if any value differs', () => {
  assert.equal(whereOn(bin('!=', field('m'), str('a')), { m: ['a', 'b'] }), true);
  assert.equal(whereOn(bin('!=', field('m'), str('a')), { m: ['a', 'a'] }), false);
});

test('§3.5 arithmetic on a multivalue operand is null (Trailguard choice)', () => {
  assert.equal(evalOn(bin('+', field('m'), num(1)), { m: ['1', '2'] }), null);
});

// ── LIKE and IN ──
test('§3.1 LIKE: % matches any run, _ one character, case-sensitive', () => {
  assert.equal(evalOn(bin('LIKE', str('arn:aws:iam::123'), str('arn:%'))), true);
  assert.equal(evalOn(bin('LIKE', str('ab'), str('a_'))), true);
  assert.equal(evalOn(bin('LIKE', str('abc'), str('a_'))), false);
  assert.equal(evalOn(bin('LIKE', str('ABC'), str('abc'))), false);
  assert.equal(evalOn(bin('LIKE', str('a.c'), str('a.c'))), true);
  assert.equal(evalOn(bin('LIKE', str('abc'), str('a.c'))), false, '. is literal in LIKE');
});

test('§3.4 LIKE with a null operand is null', () => {
  assert.equal(evalOn(bin('LIKE', field('x'), str('%'))), null);
});

test('§3.1 x IN (…) is equality with any listed value', () => {
  assert.equal(whereOn(inList(field('r'), str('us-east-1'), str('eu-west-1')), { r: 'eu-west-1' }), true);
  assert.equal(whereOn(inList(field('r'), str('us-east-1')), { r: 'US-EAST-1' }), false, 'case-sensitive');
  assert.equal(whereOn(inList(field('n'), num(1), num(2)), { n: '2.0' }), true, 'numeric equality');
  assert.equal(evalOn(inList(field('missing'), str('a'))), null);
});

test('§3.2 field references read exactly the named (case-sensitive) field', () => {
  assert.equal(evalOn(field('Region'), { region: 'x', Region: 'Y' }), 'Y');
  assert.equal(evalOn(field('user'), { User: 'x' }), null);
});

test('§3.2 unquoted a.b read as concatenation of two missing fields gives null, and if() takes else', () => {
  // The parser turns `match(userIdentity.userName, requestParameters.userName)` into concatenations.
  const dotted = bin('.', field('userIdentity'), field('userName'));
  const e = call('if', call('match', dotted, bin('.', field('requestParameters'), field('userName'))), num(1), num(0));
  assert.equal(evalOn(e, { 'userIdentity.userName': 'bob', 'requestParameters.userName': 'bob' }), 0);
});

test('§3.4 comparing two booleans works for = and !=', () => {
  assert.equal(compareValues('=', true, true), true);
  assert.equal(compareValues('!=', true, false), true);
});

test('§3.3 number literals keep their value; strings stay strings', () => {
  assert.equal(evalOn(lit(1.5)), 1.5);
  assert.equal(evalOn(str('1.50')), '1.50');
});

test('§2.3 vs §3.3 the same equality is case-insensitive in search but case-sensitive in where', async () => {
  const { compileSearchFilter } = await import('../../src/eval/index.js');
  const { Row } = await import('../../src/engine/row.js');
  const { s, CTX } = await import('./ast-builders.js');
  const row = { eventName: 'AssumeRoleWithSAML' };
  assert.equal(compileSearchFilter(s.eq('eventName', 'assumerolewithsaml'), CTX)(Row.of(row)), true);
  assert.equal(whereOn(bin('=', field('eventName'), str('assumerolewithsaml')), row), false);
  // and a search wildcard is a literal star in where
  assert.equal(compileSearchFilter(s.eq('eventName', 'Assume*'), CTX)(Row.of(row)), true);
  assert.equal(whereOn(bin('=', field('eventName'), str('Assume*')), row), false);
});
