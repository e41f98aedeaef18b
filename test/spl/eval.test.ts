import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Expr } from '../../src/spl/ast.js';
import { parseEvalExpression, parsePipeline, printExpr } from '../../src/spl/index.js';
import { errorsOf, first } from './util.js';

/** Fully parenthesised rendering, to show grouping. */
function px(e: Expr): string {
  switch (e.kind) {
    case 'string':
      return JSON.stringify(e.value);
    case 'number':
      return e.text;
    case 'field':
      return e.quoted ? `'${e.name}'` : e.name;
    case 'call':
      return `${e.name}(${e.args.map(px).join(',')})`;
    case 'binary':
      return `(${px(e.left)} ${e.op} ${px(e.right)})`;
    case 'unary':
      return `(${e.op} ${px(e.operand)})`;
    case 'in':
      return `(${px(e.operand)} IN ${e.values.map(px).join(',')})`;
  }
}

const cases: [string, string, string][] = [
  ['§3.1 AND binds tighter than OR in eval (opposite of search)', 'a=1 OR b=2 AND c=3', '((a = 1) OR ((b = 2) AND (c = 3)))'],
  ['§3.1 corpus where: isnull(x) OR x > relative_time(now(),"-24h@h")', 'isnull(x) OR x > relative_time(now(),"-24h@h")', '(isnull(x) OR (x > relative_time(now(),"-24h@h")))'],
  ['§3.1 NOT binds looser than comparison', 'NOT a=1', '(NOT (a = 1))'],
  ['§3.1 NOT binds tighter than AND', 'NOT a AND b', '((NOT a) AND b)'],
  ['§3.1 lower-case and/or/not accepted in eval', 'not a=1 and b=2 or c', '(((NOT (a = 1)) AND (b = 2)) OR c)'],
  ['§3.1 comparison binds looser than concat', 'a . b = c', '((a . b) = c)'],
  ['§3.1 concat binds looser than +', 'a + 1 . b', '((a + 1) . b)'],
  ['§3.1 * binds tighter than +', '1 + 2 * 3', '(1 + (2 * 3))'],
  ['§3.1 - is left associative', '10 - 2 - 3', '((10 - 2) - 3)'],
  ['§3.1 unary minus binds tightest', '-a * 2', '((- a) * 2)'],
  ['§3.1 % is multiplicative', 'a % 4 + 1', '((a % 4) + 1)'],
  ['§3.1 == and = are both equality', 'a == 1 AND b = 2', '((a == 1) AND (b = 2))'],
  ['§3.1 LIKE is a comparison', 'x LIKE "a%" OR y', '((x LIKE "a%") OR y)'],
  ['§3.1 IN inside eval', 'x IN ("a", "b") AND y', '((x IN "a","b") AND y)'],
  ['§3.1 single quotes are field names', "'requestParameters.portRange.to' > 0", "('requestParameters.portRange.to' > 0)"],
  ['§3.1 double quotes are strings', '"a.b" = x', '("a.b" = x)'],
  ['§3.2 unquoted a.b is field a concatenated with field b', 'match(userIdentity.userName,requestParameters.userName)', 'match((userIdentity . userName),(requestParameters . userName))'],
  ['§3.6 nested calls and numbers', 'if(floor(x/4)>=1.5, 1, 0)', 'if((floor((x / 4)) >= 1.5),1,0)'],
  ['§3.6 call with no arguments', 'now()', 'now()'],
  ['§3.1 parentheses override precedence', '(a OR b) AND c', '((a OR b) AND c)'],
  ['§3.1 XOR is accepted at OR level', 'a XOR b AND c', '(a XOR (b AND c))'],
  ['§3.6 like(x, p) and in(x, …) are function calls in primary position', 'like(x, "a%") AND in(y, "a", "b")', '(like(x,"a%") AND in(y,"a","b"))'],
  ['§3.1 string escapes', '"x\\"y"', '"x\\"y"'],
];

for (const [name, text, want] of cases) {
  test(name, () => assert.equal(px(parseEvalExpression(text)), want));
}

test('§3.1 number literal keeps its text', () => {
  const e = parseEvalExpression('1.50');
  assert.deepEqual([e.kind, e.kind === 'number' && e.text, e.kind === 'number' && e.value], ['number', '1.50', 1.5]);
});

test('§3.1 eval takes comma-separated assignments in order', () => {
  const c = first('x | eval dataPointThreshold = 15, deviationThreshold = 3, z=dataPointThreshold*2');
  const ev = parseFirstEval('eval dataPointThreshold = 15, deviationThreshold = 3, z=dataPointThreshold*2');
  assert.deepEqual(ev.map((a) => a.field), ['dataPointThreshold', 'deviationThreshold', 'z']);
  assert.equal(c.name, 'search');
});

function parseFirstEval(text: string): { field: string; expr: Expr }[] {
  const p = parsePipeline(`| makeresults | ${text}`).commands[1]!;
  assert.equal(p.name, 'eval');
  return (p as { assignments: { field: string; expr: Expr }[] }).assignments;
}

test('§3.1 eval assignment to a single-quoted name', () => {
  const a = parseFirstEval("eval 'a.b'=1");
  assert.equal(a[0]!.field, 'a.b');
});

test('§3.1 eval missing comma between assignments is an error with a hint', () => {
  const errs = errorsOf('| makeresults | eval a=1 b=2');
  assert.match(errs[0]!.reason, /expected `,` or the end of `eval`/);
  assert.ok(errs[0]!.hints.some((h) => h.includes('commas')));
});

test('§3.1 where: dangling operator is an error at end of search', () => {
  const errs = errorsOf('x | where a >');
  assert.match(errs[0]!.reason, /expected an expression, found end of search/);
  assert.equal(errs[0]!.span!.start, 13);
});

test('§3.1 printExpr parenthesises only where precedence needs it', () => {
  assert.equal(printExpr(parseEvalExpression('(a OR b) AND c')), '(a OR b) AND c');
  assert.equal(printExpr(parseEvalExpression('a OR (b AND c)')), 'a OR b AND c');
  assert.equal(printExpr(parseEvalExpression('a - (b - c)')), 'a - (b - c)');
  assert.equal(printExpr(parseEvalExpression("'x y' . \"s\"")), "'x y' . \"s\"");
});
