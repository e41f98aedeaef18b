/**
 * The bounded regex engine (src/eval/regex.ts) and the linear wildcard matchers (src/eval/glob.ts):
 * which engine runs what, that SPL's PCRE spellings still work, that results equal those of JS
 * RegExp (the engine before) on patterns both accept, and that no input makes them slow.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compileRegex, parseReplacement } from '../../src/eval/regex.js';
import { likeMatcher, searchWildcardMatcher } from '../../src/eval/glob.js';
import { likeRegExp, rawTermRegExp, wildcardToRegExp } from '../../src/eval/index.js';
import { rawTermTest } from '../../src/eval/search-match.js';
import { TEXT } from '../../src/eval/functions/text.js';
import { run } from '../engine/harness.js';

const HOSTILE = 'a'.repeat(50_000) + '!';

function quick<T>(what: string, fn: () => T, ms = 2_000): T {
  const t0 = performance.now();
  const out = fn();
  const took = performance.now() - t0;
  assert.ok(took < ms, `${what} took ${took.toFixed(0)} ms`);
  return out;
}

test('patterns RE2 accepts run on RE2; lookaround, backreferences and JS-only escapes on the bounded backtracking engine', () => {
  for (const p of ['(a+)+$', '(?i)aws-cli', '(?<acct>\\d{12})', '(?P<user>[^/]+)$', '\\Aarn:aws:\\z', 'a(?i:b)c', '{.+}']) assert.equal(compileRegex(p).engine, 're2', p);
  for (const p of ['foo(?=bar)', '(?<!x)y', '(\\w)\\1', '\\u0041', 'a{1001}']) assert.equal(compileRegex(p).engine, 'backtracking', p);
  // Neither engine: possessive quantifiers and atomic groups stay invalid.
  assert.throws(() => compileRegex('a++'), SyntaxError);
  assert.throws(() => compileRegex('(?>a)'), SyntaxError);
});

test('(a+)+$ against 50 000 characters: RE2 answers at once, matches included', () => {
  const re = compileRegex('(a+)+$');
  assert.equal(quick('test', () => re.test(HOSTILE)), false);
  assert.deepEqual(quick('matches', () => re.matches(HOSTILE)), []);
  assert.equal(quick('replace', () => re.replace(HOSTILE, parseReplacement('X'), true)), HOSTILE);
  assert.equal(quick('test', () => re.test('xaaa')), true);
});

test('a backtracking pattern over its budget gives null (no answer), quickly; on ordinary text it answers', () => {
  const re = compileRegex('(a+)+(?=!)x', '', 50);
  assert.equal(re.engine, 'backtracking');
  assert.equal(quick('test', () => re.test(HOSTILE)), null);
  assert.equal(quick('matches', () => re.matches(HOSTILE)), null);
  assert.equal(quick('replace', () => re.replace(HOSTILE, parseReplacement('X'), true)), null);
  // Ordinary text, with the default budget (a 50 ms wall-clock budget is too tight on a busy machine).
  assert.equal(compileRegex('(a+)+(?=!)x').test('aa!x'), false);
  const look = compileRegex('(?<name>\\w+)(?=@)');
  assert.deepEqual(look.matches('mail alice@example.com and bob@example.org')!.map((m) => m.groups['name']), ['alice', 'bob']);
  assert.equal(compileRegex('(\\w)\\1').replace('bookkeeper', parseReplacement('<\\1\\1>'), true), 'b<oo><kk><ee>per');
});

test('SPL replacement text: \\N is a group (\\0 the match, a missing group is empty), everything else literal', () => {
  const re = compileRegex('(?<user>\\w+)@(\\w+)?\\.');
  assert.deepEqual(parseReplacement('$1 \\1-\\2 \\9 \\0'), ['$1 ', 1, '-', 2, ' ', 9, ' ', 0]);
  assert.equal(re.replace('to alice@example.com, bob@.org', parseReplacement('[\\1 at \\2|\\9] $& \\0'), true), 'to [alice at example|] $& alice@example.com, [bob at |] $& bob@.org');
  assert.equal(re.replace('alice@a. bob@b.', parseReplacement('X'), false), 'X bob@b.');
});

test('rex: named groups in both spellings, (?i), and lookahead, through the engine', async () => {
  const input = [{ arn: 'arn:aws:sts::123456789012:assumed-role/Deployer/alice', ua: 'AWS-CLI/2.0 mail alice@example.com' }];
  const r = await run('search * | rex field=arn "::(?<acct>\\d{12}):assumed-role/(?P<role>[^/]+)/" | rex field=ua "(?i)^(?<tool>aws-cli)/" | rex field=ua "(?<mailbox>\\w+)(?=@)" | table acct role tool mailbox', { input });
  assert.deepEqual(r.rows, [{ acct: '123456789012', role: 'Deployer', tool: 'AWS-CLI', mailbox: 'alice' }]);
  assert.deepEqual(r.warnings, []);
  const sed = await run('search * | rex field=ua mode=sed "s/(?i)(aws)-cli/\\1 cli $&/" | table ua', { input });
  assert.deepEqual(sed.rows, [{ ua: 'AWS cli $&/2.0 mail alice@example.com' }]);
});

test('match(), replace(), mvfind() with (?i), lookahead and a backreference on ordinary values', async () => {
  const input = [{ ua: 'Boto3/1.26 Python/3.10', names: ['x', 'Deploy-Role', 'deploy-role'] }];
  const r = await run(
    'search * | eval ci = if(match(ua, "(?i)^boto3/"), 1, 0), cs = if(match(ua, "^boto3/"), 1, 0), look = if(match(ua, "Boto3(?=/1\\.)"), 1, 0), ' +
      'twice = replace("bookkeeper", "(\\w)\\1", "<\\1>"), ver = replace(ua, "(?<name>\\w+)/(\\d+)", "\\2:\\1"), at = mvfind(names, "(?i)^deploy-(?=role)") | table ci cs look twice ver at',
    { input },
  );
  assert.deepEqual(r.rows, [{ ci: 1, cs: 0, look: 1, twice: 'b<o><k><e>per', ver: '1:Boto3.26 3:Python.10', at: 1 }]);
});

test('one warning per search for a pattern over its budget, however many values it ran over', async () => {
  const hostile = 'a'.repeat(40) + '!';
  const input = [1, 2, 3].map((i) => ({ i, ua: hostile }));
  const r = await run('search * | eval m = if(match(ua, "(a+)+(?=!)x"), 1, 0) | stats sum(m) as m count', { input });
  assert.deepEqual(r.rows, [{ m: 0, count: 3 }]);
  assert.equal(r.warnings.length, 1);
  assert.match(r.warnings[0]!, /^match\(\): the regular expression "\(a\+\)\+\(\?=!\)x" ran longer than its 200 ms budget/);
});

// ───────────── same answers as JS RegExp (the engine before) on patterns both accept ─────────────

const atom = fc.constantFrom('a', 'b', '.', '[ab]', '[^a]', '\\w', '\\d', 'ab', '(a|b)', '(?:ab|a)', '(?<g>a+)', '\\.');
const quantified = fc.tuple(atom, fc.constantFrom('', '*', '+', '?', '{1,2}', '*?', '+?', '??')).map(([a, q]) => a + q);
const pattern = fc.tuple(fc.constantFrom('', '^'), fc.array(quantified, { minLength: 1, maxLength: 4 }), fc.constantFrom('', '$'), fc.boolean())
  .map(([start, parts, end, ci]) => {
    let n = 0;
    return ((ci ? '(?i)' : '') + start + parts.join('') + end).replace(/\(\?<g>/g, () => `(?<g${n++}>`);
  });
const text = fc.string({ unit: fc.constantFrom('a', 'b', 'A', '1', '.', ' ', '\n'), maxLength: 12 });

test('RE2 finds the same matches (place and text) as JS RegExp on random patterns and texts', () => {
  fc.assert(
    fc.property(pattern, text, (p, s) => {
      const re = compileRegex(p);
      assert.equal(re.engine, 're2');
      const js = new RegExp(p.replace('(?i)', ''), p.startsWith('(?i)') ? 'gi' : 'g');
      const want = [...s.matchAll(js)].map((m) => [m.index, m[0]]);
      assert.deepEqual(re.matches(s)!.map((m) => [m.index, m.text]), want, `${p} on ${JSON.stringify(s)}`);
      assert.equal(re.test(s), want.length > 0);
    }),
    { numRuns: 3000 },
  );
});

// ───────────── wildcards: linear, and the same answers as their RegExp definitions ─────────────

const wildText = fc.string({ unit: fc.constantFrom('a', 'b', 'A', 'é', 'É', 'ſ', 'S', 's', '😀', '\n', '%', '_', '*'), maxLength: 10 });
const wildPattern = fc.string({ unit: fc.constantFrom('a', 'b', 'B', 'é', 's', '😀', '*', '%', '_'), maxLength: 6 });

test('search wildcards: the glob matcher answers as wildcardToRegExp (case-insensitive) does', () => {
  fc.assert(
    fc.property(wildPattern, wildText, (p, s) => {
      assert.equal(searchWildcardMatcher(p)(s), wildcardToRegExp(p, { caseInsensitive: true }).test(s), `${p} ~ ${JSON.stringify(s)}`);
    }),
    { numRuns: 5000 },
  );
});

test('LIKE: the glob matcher answers as likeRegExp does', () => {
  fc.assert(
    fc.property(wildPattern, wildText, (p, s) => {
      assert.equal(likeMatcher(p)(s), likeRegExp(p).test(s), `${p} LIKE ${JSON.stringify(s)}`);
    }),
    { numRuns: 5000 },
  );
});

test('bare search words with *: the RE2 test answers as rawTermRegExp does', () => {
  const raw = fc.string({ unit: fc.constantFrom('a', 'b', 'A', ' ', '.', '-', '"', 'x', '😀'), maxLength: 12 });
  const word = fc.string({ unit: fc.constantFrom('a', 'b', 'x', '*'), minLength: 1, maxLength: 4 });
  fc.assert(
    fc.property(word, raw, (w, s) => {
      assert.equal(rawTermTest(w)(s), rawTermRegExp(w).test(s), `${w} in ${JSON.stringify(s)}`);
    }),
    { numRuns: 5000 },
  );
});

test('wildcards, bare words and trim over 50 000 characters take linear time', () => {
  const as = 'a'.repeat(50_000);
  assert.equal(quick('search *a*a*b*', () => searchWildcardMatcher('*a*a*b*')(as)), false);
  assert.equal(quick('search non-ASCII', () => searchWildcardMatcher('*é*a*b*')('é' + as)), false);
  assert.equal(quick('like %a%a%_b%', () => likeMatcher('%a%a%_b%')(as)), false);
  assert.equal(quick('like with astral', () => likeMatcher('%a%a%b%')('😀' + as)), false);
  assert.equal(quick('bare a*b', () => rawTermTest('a*b')(as)), false);
  const spaces = 'x' + ' '.repeat(50_000) + 'x';
  assert.equal(quick('rtrim', () => TEXT.rtrim!.impl!([spaces + '  '], { now: 0, tz: 'UTC' }, [])), spaces);
});

test('trim, ltrim, rtrim remove exactly what the character-class regex did (code points, any characters)', () => {
  const chars = fc.string({ unit: fc.constantFrom(' ', 'x', '😀', '-', ']', '\\', '^'), maxLength: 3 });
  const s = fc.string({ unit: fc.constantFrom('a', ' ', '\t', 'x', '😀', '\ud800', '-', ']'), maxLength: 10 });
  const fns = { both: TEXT.trim!, left: TEXT.ltrim!, right: TEXT.rtrim! };
  fc.assert(
    fc.property(fc.constantFrom('both', 'left', 'right' as const), s, chars, (side, t, c) => {
      const cls = `[${c.replace(/[\]\\^-]/g, '\\$&')}]+`;
      const re = new RegExp(side === 'left' ? `^${cls}` : side === 'right' ? `${cls}$` : `^${cls}|${cls}$`, 'gu');
      const want = c === '' ? t : t.replace(re, '');
      assert.equal(fns[side].impl!([t, c], { now: 0, tz: 'UTC' }, []), want);
    }),
    { numRuns: 3000 },
  );
});
