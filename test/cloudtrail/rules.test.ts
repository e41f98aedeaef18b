/** The rule interpreter and the model loader (src/cloudtrail/rules.ts, model.ts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { leadingWord, likeRegex, rawTermsRegex, type Cond, type Expr, type RuleEnv } from '../../src/cloudtrail/rules.js';
import { evalCond, evalExpr } from '../../src/cloudtrail/rule-eval.js';
import { loadFieldModel, JsonDoc } from '../../src/cloudtrail/index.js';
import { TrailguardError } from '../../src/errors.js';
import type { Value } from '../../src/eval/value.js';

const env: RuleEnv = { tables: { verbs: { Create: 'created', BatchGet: 'read', Batch: 'modified' } }, sets: {}, caseInsensitive: false };
const view = (fields: Record<string, Value>) => (n: string) => fields[n] ?? null;

test('§9.4 LIKE patterns: % is any run, _ one character, the rest literal', () => {
  assert.ok(likeRegex('%Instances', false).test('RunInstances'));
  assert.ok(!likeRegex('%Bucket', false).test('ListBuckets'));
  assert.ok(likeRegex('%Bucket%', false).test('ListBuckets'));
  assert.ok(likeRegex('Put%', false).test('PutBucketAcl'));
  assert.ok(likeRegex('a.b_', false).test('a.bc'));
  assert.ok(!likeRegex('a.b', false).test('axb'));
  assert.ok(!likeRegex('consolelogin', false).test('ConsoleLogin'));
  assert.ok(likeRegex('consolelogin', true).test('ConsoleLogin'));
});

test('§2.7 a bare term matches whole words of _raw, case-insensitively', () => {
  assert.ok(rawTermsRegex(['Remove']).test('{"roleName":"team-remove-flow"}'));
  assert.ok(!rawTermsRegex(['Delete']).test('{"eventName":"DeleteBucket"}'));
  assert.ok(rawTermsRegex(['delete']).test('{"x":"Delete"}'));
});

test('§12.2 the verb is the leading CamelCase word, two-word verbs win', () => {
  assert.equal(leadingWord('TerminateInstances'), 'Terminate');
  const verb = (name: string) => evalExpr({ verb: { table: 'verbs', from: 'eventName', default: 'modified' } }, view({ eventName: name }), env);
  assert.equal(verb('CreateUser'), 'created');
  assert.equal(verb('BatchGetItem'), 'read');
  assert.equal(verb('BatchWriteItem'), 'modified');
  assert.equal(verb('Creates'), 'modified');
});

test('§9.1 rule kinds: coalesce, case, regex, last_segment, lookup, absent', () => {
  const v = view({ a: null, b: 'x/y/z', arn: ['p:q', 'r:s'], k: 'Create' });
  assert.equal(evalExpr({ coalesce: ['a', 'b'] }, v, env), 'x/y/z');
  assert.equal(evalExpr({ last_segment: { from: 'b', sep: '/' } }, v, env), 'z');
  assert.deepEqual(evalExpr({ regex: { from: 'arn', pattern: ':(.+)$' } }, v, env), ['q', 's']);
  assert.equal(evalExpr({ lookup: { table: 'verbs', key: 'k' } }, v, env), 'created');
  assert.equal(evalExpr({ lookup: { table: 'verbs', key: 'b', default: 'unknown' } }, v, env), 'unknown');
  assert.equal(evalExpr({ absent: true }, v, env), null);
  const c = { case: { on: 'k', when: [{ match: 'Del%', then: { const: 'd' } }, { match: ['Cr%'], then: { const: 'c' } }], else: { const: 'e' } } };
  assert.equal(evalExpr(c, v, env), 'c');
});

test('§2.5 ne needs the field; multivalue eq matches any value', () => {
  const v = view({ tag: ['change', 'cloud'] });
  assert.ok(evalCond({ field: 'tag', eq: 'cloud' }, v, env));
  assert.ok(!evalCond({ field: 'missing', ne: 'x' }, v, env));
  assert.ok(evalCond({ not: { field: 'missing', eq: 'x' } }, v, env));
  assert.ok(evalCond({ field: 'tag', ne: 'account' }, v, env));
});

test('a malformed field model fails at load time with the file and the rule', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tg-fm-'));
  const file = join(dir, 'bad.yml');
  writeFileSync(file, 'version: x/1\naliases: []\nevals:\n  - id: e1\n    field: f\n    expr: { regex: { from: a, pattern: "(" } }\n  - id: e2\n    field: g\n    expr: { lookup: { table: nope, key: a } }\n');
  mkdirSync(join(dir, 'dm'));
  assert.throws(
    () => loadFieldModel(file, join(dir, 'dm')),
    (e: unknown) =>
      e instanceof TrailguardError && e.phase === 'content' && e.location?.file === file && /evals\[0\] \(e1\)\.expr\.regex\.pattern/.test(e.reason) && /unknown table nope/.test(e.reason),
  );
});

test('the shipped field model carries its version tag', () => {
  const m = loadFieldModel();
  assert.equal(m.version, 'trailguard-ta-aws/1');
  assert.match(m.basedOn, /Splunk_TA_aws 7\.10\.0/);
});

test('§1.5 number text survives parsing, also in arrays, but digits inside strings are untouched', () => {
  const doc = new JsonDoc('{"a":1.50,"b":[1e3,-0,12345678901234567890,7],"c":"x\\":2.0,","d":{"e":3}}');
  assert.deepEqual(doc.resolve('a'), ['1.50']);
  assert.deepEqual(doc.resolve('b{}'), ['1e3', '-0', '12345678901234567890', '7']);
  assert.deepEqual(doc.resolve('c'), ['x":2.0,']);
  assert.deepEqual(doc.resolve('d.e'), ['3']);
  assert.deepEqual([...doc.leaves().entries()], [['a', ['1.50']], ['b{}', ['1e3', '-0', '12345678901234567890', '7']], ['c', ['x":2.0,']], ['d.e', ['3']]]);
});

test('§1.5 a key containing a dot still resolves by its dotted name', () => {
  const doc = new JsonDoc('{"requestParameters":{"a.b":{"c":"v"},"a":{"x":"y"}}}');
  assert.deepEqual(doc.resolve('requestParameters.a.b.c'), ['v']);
  assert.deepEqual(doc.resolve('requestParameters.a.x'), ['y']);
});

/**
 * The rules as written, read one node at a time (the reading rule-eval.ts compiles): the
 * compiled evaluator must agree with it on every rule and value.
 */
function refValues(v: Value): string[] {
  return v === null ? [] : (Array.isArray(v) ? v : [v]).map(String);
}
function refLike(p: string, ci: boolean, v: string): boolean {
  let src = '';
  for (const ch of p) src += ch === '%' ? '[\\s\\S]*' : ch === '_' ? '[\\s\\S]' : ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${src}$`, ci ? 'i' : '').test(v);
}
const refEq = (a: string, b: string, ci: boolean) => (ci ? a.toLowerCase() === b.toLowerCase() : a === b);
function refCond(c: Cond, v: (n: string) => Value, e: RuleEnv): boolean {
  if ('all' in c) return c.all.every((x) => refCond(x, v, e));
  if ('any' in c) return c.any.some((x) => refCond(x, v, e));
  if ('not' in c) return !refCond(c.not, v, e);
  if ('raw_term' in c) return c.raw_term.some((w) => rawTermsRegex([w]).test(e.raw?.() ?? ''));
  const vals = refValues(v(c.field));
  const ci = e.caseInsensitive;
  if ('exists' in c) return (vals.length > 0) === c.exists;
  if ('eq' in c) return vals.some((x) => refEq(x, c.eq, ci));
  if ('ne' in c) return vals.length > 0 && !vals.some((x) => refEq(x, c.ne, ci));
  if ('in' in c) return vals.some((x) => c.in.some((w) => refEq(x, w, ci)));
  if ('in_set' in c) return vals.some((x) => (e.sets[c.in_set] ?? []).some((w) => refEq(x, w, ci)));
  return vals.some((x) => (Array.isArray(c.like) ? c.like : [c.like]).some((p) => refLike(p, ci, x)));
}
function refCase(on: Value, when: { match: string[]; then: string }[], ci: boolean): string | null {
  for (const b of when) if (refValues(on).some((x) => b.match.some((p) => refLike(p, ci, x)))) return b.then;
  return null;
}

test('compiled rules give what the rules say: conditions and case branches, both matching modes (property)', () => {
  // Letters that fold differently under toLowerCase and a case-insensitive regex (K: the Kelvin sign).
  const word = fc.string({ unit: fc.constantFrom('a', 'B', 'k', '\u212a', 'ß', 'İ', 'i', '%', '_', '.', '-'), maxLength: 5 });
  const values = fc.oneof(fc.constant(null), word, fc.array(word, { minLength: 0, maxLength: 3 }));
  const leaf = fc.oneof(
    fc.record({ field: fc.constant('f'), eq: word }),
    fc.record({ field: fc.constant('f'), ne: word }),
    fc.record({ field: fc.constant('f'), in: fc.array(word, { maxLength: 3 }) }),
    fc.record({ field: fc.constant('f'), in_set: fc.constantFrom('s', 'missing') }),
    fc.record({ field: fc.constant('f'), like: fc.oneof(word, fc.array(word, { maxLength: 3 })) }),
    fc.record({ field: fc.constant('f'), exists: fc.boolean() }),
    fc.record({ raw_term: fc.array(fc.constantFrom('Delete', 'remove', 'K\u212a', 'a.b'), { maxLength: 3 }) }),
  ) as fc.Arbitrary<Cond>;
  const cond: fc.Arbitrary<Cond> = fc.letrec<{ c: Cond }>((tie) => ({
    c: fc.oneof({ maxDepth: 3 }, leaf, fc.record({ all: fc.array(tie('c'), { maxLength: 3 }) }), fc.record({ any: fc.array(tie('c'), { maxLength: 3 }) }), fc.record({ not: tie('c') })) as fc.Arbitrary<Cond>,
  })).c;
  const raw = fc.constantFrom('{"x":"Delete"}', '{"eventName":"DeleteBucket"}', 'team-remove-flow', 'kk', 'a.b c', '');
  fc.assert(
    fc.property(cond, values, fc.boolean(), raw, (c, f, ci, r) => {
      const e: RuleEnv = { tables: {}, sets: { s: ['a', 'K', 'ß'] }, caseInsensitive: ci, raw: () => r };
      const v = (n: string) => (n === 'f' ? f : null);
      assert.equal(evalCond(c, v, e), refCond(c, v, e));
    }),
    { numRuns: 3000 },
  );
  const branches = fc.array(fc.record({ match: fc.array(word, { minLength: 1, maxLength: 3 }), then: word }), { minLength: 1, maxLength: 5 });
  fc.assert(
    fc.property(branches, values, fc.boolean(), (when, on, ci) => {
      const e: RuleEnv = { tables: {}, sets: {}, caseInsensitive: ci };
      const rule: Expr = { case: { on: 'f', when: when.map((b) => ({ match: b.match, then: { const: b.then } })) } };
      assert.equal(evalExpr(rule, (n) => (n === 'f' ? on : null), e), refCase(on, when, ci));
    }),
    { numRuns: 3000 },
  );
});
