/** Compile-time errors of the evaluator: unknown functions, arity, boolean assignment. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bin, call, field, num, str } from './ast-builders.js';
import { TrailguardError } from '../../src/errors.js';
import { compileAssignment, compileEvalAssignments, compileExpr, nearFunctionNames } from '../../src/eval/index.js';
import { Row } from '../../src/engine/row.js';
import type { Expr } from '../../src/spl/ast.js';

const CTX = { now: 0, tz: 'UTC' };

function compileError(e: Expr): TrailguardError {
  try {
    compileExpr(e);
  } catch (err) {
    assert.ok(err instanceof TrailguardError, 'expected a TrailguardError');
    return err;
  }
  assert.fail('expected compile to throw');
}

test('unknown function → TrailguardError (phase eval) at the call span, with near names', () => {
  const e: Expr = { kind: 'call', name: 'relative_tme', args: [], span: { start: 4, end: 16 } };
  const err = compileError(e);
  assert.equal(err.phase, 'eval');
  assert.equal(err.code, 'unknown-function');
  assert.deepEqual(err.span, { start: 4, end: 16 });
  assert.match(err.reason, /relative_tme/);
  assert.match(err.hints.join(' '), /relative_time\(\)/);
});

test('unknown function near names: a typo of strftime suggests strftime', () => {
  assert.equal(nearFunctionNames('strftme')[0], 'strftime');
  assert.ok(nearFunctionNames('isnul').includes('isnull'));
  assert.ok(nearFunctionNames('zzzzzzzz').length >= 1, 'always suggests something');
});

test('unknown function inside nested arguments is still reported', () => {
  const err = compileError(call('if', call('nosuch', field('a')), num(1), num(0)));
  assert.equal(err.code, 'unknown-function');
});

test('wrong arity names the function and the expected count', () => {
  const err = compileError(call('if', num(1), num(2)));
  assert.equal(err.code, 'function-arity');
  assert.match(err.reason, /if\(\) takes 3 arguments, got 2/);
  assert.match(err.hints.join(' '), /if\(condition, then, else\)/);
});

test('wrong arity for ranges and variadics: substr needs 2 to 3, coalesce at least 1', () => {
  assert.match(compileError(call('substr', str('a'))).reason, /2 to 3/);
  assert.match(compileError(call('coalesce')).reason, /at least 1/);
  assert.match(compileError(call('now', num(1))).reason, /takes 0 arguments/);
});

test('case() with an odd number of arguments is an arity error', () => {
  const err = compileError(call('case', bin('=', num(1), num(1)), str('a'), str('orphan')));
  assert.equal(err.code, 'function-arity');
  assert.match(err.reason, /pairs/);
});

test('function names are matched case-insensitively (IF = if)', () => {
  assert.equal(compileExpr(call('IF', bin('=', num(1), num(1)), str('a'), str('b')))(Row.of({}), CTX), 'a');
});

test('§3.4 eval: assigning a condition is a compile error (eval x = a > b)', () => {
  assert.throws(() => compileAssignment(bin('>', field('a'), num(1)), 'x'), (e: unknown) => {
    return e instanceof TrailguardError && e.code === 'boolean-assignment' && /if\(/.test(e.hints.join(''));
  });
  assert.throws(() => compileAssignment(call('isnull', field('a')), 'x'), TrailguardError);
});

test('§3.4 eval: a boolean reaching an assignment through a branch is stored as text', () => {
  const f = compileAssignment(call('if', bin('=', num(1), num(1)), bin('>', num(2), num(1)), num(0)), 'x');
  assert.equal(f(Row.of({}), CTX), 'true');
});

test('§3.4 eval: assigning null removes the field', () => {
  const row = Row.of({ x: 'old', a: '1' });
  compileEvalAssignments([{ field: 'x', expr: field('missing') }])(row, CTX);
  assert.equal(row.has('x'), false);
  assert.deepEqual(row.fieldNames(), ['a']);
});

test('§3.1 eval assignments run left to right and see earlier results', () => {
  const row = Row.of({});
  compileEvalAssignments([
    { field: 'dataPointThreshold', expr: num(15) },
    { field: 'double', expr: bin('*', field('dataPointThreshold'), num(2)) },
  ])(row, CTX);
  assert.equal(row.get('double'), 30);
});
