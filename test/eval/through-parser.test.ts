/** A few end-to-end checks of eval semantics on trees produced by the real parser (src/spl). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePipeline } from '../../src/spl/index.js';
import type { Command, Expr, SearchExpr } from '../../src/spl/ast.js';
import { compileCondition, compileEvalAssignments, compileSearchFilter } from '../../src/eval/index.js';
import { Row } from '../../src/engine/row.js';
import type { Value } from '../../src/eval/value.js';
import { CTX } from './ast-builders.js';

function command(spl: string, i = 0): Command {
  return parsePipeline(spl).commands[i]!;
}
function searchExpr(spl: string): SearchExpr {
  const c = command(spl);
  assert.equal(c.name, 'search');
  return (c as { expr: SearchExpr }).expr;
}
function whereExpr(spl: string): Expr {
  const c = command(`*${spl}`, 1);
  assert.equal(c.name, 'where');
  return (c as { expr: Expr }).expr;
}
const searchOn = (spl: string, f: Record<string, Value>) => compileSearchFilter(searchExpr(spl), CTX)(Row.of(f));
const whereOn = (spl: string, f: Record<string, Value>) => compileCondition(whereExpr(spl))(Row.of(f), CTX);

test('§2.2 search: OR binds tighter than AND (ECR business-hours detection)', () => {
  const spl = 'eventSource=ecr.amazonaws.com eventName=PutImage date_hour>=20 OR date_hour<8 OR date_wday=saturday OR date_wday=sunday';
  const base = { eventSource: 'ecr.amazonaws.com', eventName: 'PutImage' };
  assert.equal(searchOn(spl, { ...base, date_hour: '12', date_wday: 'sunday' }), true);
  assert.equal(searchOn(spl, { ...base, date_hour: '12', date_wday: 'monday' }), false);
  assert.equal(searchOn(spl, { eventSource: 's3.amazonaws.com', eventName: 'PutImage', date_hour: '23' }), false);
});

test('§3.1 where: AND binds tighter than OR (opposite of search)', () => {
  const spl = '| where a=1 OR b=1 AND c=1';
  assert.equal(whereOn(spl, { a: '1', b: '0', c: '0' }), true);
  assert.equal(whereOn(spl, { a: '0', b: '1', c: '0' }), false);
});

test('§3.2 aws_createaccesskey: match(userIdentity.userName, requestParameters.userName) is null → if gives 0', () => {
  const c = command('* | eval match=if(match(userIdentity.userName,requestParameters.userName),1,0)', 1);
  assert.equal(c.name, 'eval');
  const row = Row.of({ 'userIdentity.userName': 'bob', 'requestParameters.userName': 'bob' });
  compileEvalAssignments((c as { assignments: { field: string; expr: Expr }[] }).assignments)(row, CTX);
  assert.equal(row.get('match'), 0);
});

test('§2.5 search src_ip!="AWS Internal" vs NOT src_ip="AWS Internal" on an event without src_ip', () => {
  assert.equal(searchOn('src_ip!="AWS Internal"', {}), false);
  assert.equal(searchOn('NOT src_ip="AWS Internal"', {}), true);
});

test('§3.4 where with single-quoted dotted field names reads the dotted field', () => {
  assert.equal(whereOn("| where 'requestParameters.portRange.to' > 1024", { 'requestParameters.portRange.to': '2048' }), true);
  assert.equal(whereOn("| where 'requestParameters.portRange.to' > 1024", {}), false);
});

test('§2 searchmatch() applies search semantics inside eval (case-insensitive, wildcards, != rule)', () => {
  const spl = '* | where searchmatch("eventName=assume* src_ip!=10.*")';
  assert.equal(whereOn(spl.slice(1), { eventName: 'AssumeRole', src_ip: '1.2.3.4' }), true);
  assert.equal(whereOn(spl.slice(1), { eventName: 'AssumeRole', src_ip: '10.0.0.1' }), false);
  assert.equal(whereOn(spl.slice(1), { eventName: 'AssumeRole' }), false);
});

test('searchmatch() with an unparsable literal is a compile error located at the string', () => {
  assert.throws(() => compileCondition(whereExpr(' | where searchmatch("a=(")')), (e: unknown) => (e as { code?: string }).code === 'bad-searchmatch');
});
