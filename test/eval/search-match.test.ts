/** The search command's matcher: SPL.md §2. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { s, CTX } from './ast-builders.js';
import { TrailguardError } from '../../src/errors.js';
import { compileSearchFilter, searchTermsForPrefilter, wildcardToRegExp } from '../../src/eval/index.js';
import { Row } from '../../src/engine/row.js';
import type { SearchExpr } from '../../src/spl/ast.js';
import { parseSearchExpression } from '../../src/spl/index.js';
import type { Value } from '../../src/eval/value.js';

const matches = (e: SearchExpr, fields: Record<string, Value>, ctx = CTX) => compileSearchFilter(e, ctx)(Row.of(fields));

const RAW = JSON.stringify({
  eventName: 'StartInstances',
  eventSource: 'ec2.amazonaws.com',
  userAgent: '[aws-cli/2.0 Python/3.8]',
  sourceIPAddress: 'AWS Internal',
});

test('§2.3 field=value matches case-insensitively (eventName=Assumerolewithsaml)', () => {
  assert.equal(matches(s.eq('eventName', 'Assumerolewithsaml'), { eventName: 'AssumeRoleWithSAML' }), true);
  assert.equal(matches(s.eq('severity', 'HIGH'), { severity: 'high' }), true);
  assert.equal(matches(s.eq('eventName', 'AssumeRole'), { eventName: 'AssumeRoleWithSAML' }), false, 'whole-value match');
});

test('§2.3 field names are case-sensitive in search', () => {
  assert.equal(matches(s.eq('region', 'x'), { Region: 'x' }), false);
  assert.equal(matches(s.eq('Region', 'x'), { Region: 'x' }), true);
});

test('§2.3 * is a wildcard for any run including empty: prefix, suffix, infix', () => {
  assert.equal(matches(s.eq('eventName', 'UpdateFunctionCode*'), { eventName: 'UpdateFunctionCode20150331v2' }), true);
  assert.equal(matches(s.eq('eventName', 'UpdateFunctionCode*'), { eventName: 'UpdateFunctionCode' }), true);
  assert.equal(matches(s.eq('eventName', 'Describe*'), { eventName: 'describeInstances' }), true);
  assert.equal(matches(s.eq('a', '*.amazonaws.com'), { a: 'console.amazonaws.com' }), true);
  assert.equal(matches(s.eq('a', 'a*c'), { a: 'abbbc' }), true);
  assert.equal(matches(s.eq('a', 'a*c'), { a: 'abbbd' }), false);
});

test('§2.3 wildcard inside quotes and other characters literal ([ is not special)', () => {
  assert.equal(matches(s.eq('userAgent', '[aws-cli*', true), { userAgent: '[aws-cli/2.0 Python/3.8]' }), true);
  assert.equal(matches(s.eq('userAgent', '[aws-cli*', true), { userAgent: 'aws-cli/2.0' }), false);
  assert.equal(matches(s.eq('a', 'a.c'), { a: 'abc' }), false, '. is literal');
  assert.equal(matches(s.eq('a', 'a?c'), { a: 'abc' }), false, '? is literal');
});

test('§2.3 any value of a multivalue field may match', () => {
  assert.equal(matches(s.eq('resources{}.ARN', '*bucket*'), { 'resources{}.ARN': ['arn:a', 'arn:bucket:x'] }), true);
  assert.equal(matches(s.eq('m', 'z'), { m: ['a', 'b'] }), false);
});

test('§2.3 numeric-looking values match as text for = (-1 ≠ -1.0)', () => {
  assert.equal(matches(s.eq('requestParameters.aclProtocol', '-1'), { 'requestParameters.aclProtocol': '-1' }), true);
  assert.equal(matches(s.eq('requestParameters.aclProtocol', '-1'), { 'requestParameters.aclProtocol': '-1.0' }), false);
});

test('§2.3 a numeric field value (JS number) matches its canonical text', () => {
  assert.equal(matches(s.eq('count', '5'), { count: 5 }), true);
});

test('§2.4 field=* is true when the field exists with any value (including empty)', () => {
  assert.equal(matches(s.eq('Country', '*'), { Country: 'US' }), true);
  assert.equal(matches(s.eq('Country', '*'), { Country: '' }), true);
  assert.equal(matches(s.eq('Country', '*'), {}), false);
});

test('§2.5 field!=v drops events lacking the field', () => {
  assert.equal(matches(s.ne('src_ip', 'AWS Internal', true), {}), false);
  assert.equal(matches(s.ne('src_ip', 'AWS Internal', true), { src_ip: '1.2.3.4' }), true);
  assert.equal(matches(s.ne('src_ip', 'AWS Internal', true), { src_ip: 'aws internal' }), false);
});

test('§2.5 NOT field=v keeps events lacking the field', () => {
  assert.equal(matches(s.not(s.eq('src_ip', 'AWS Internal')), {}), true);
  assert.equal(matches(s.not(s.eq('src_ip', 'AWS Internal')), { src_ip: 'AWS Internal' }), false);
});

test('§2.5 field!=v on a multivalue field needs no value to match', () => {
  assert.equal(matches(s.ne('m', 'a'), { m: ['a', 'b'] }), false);
  assert.equal(matches(s.ne('m', 'c'), { m: ['a', 'b'] }), true);
});

test('§2.5 negated suffix wildcard: userAgent!=*.amazonaws.com', () => {
  const e = s.ne('userAgent', '*.amazonaws.com');
  assert.equal(matches(e, { userAgent: 'console.amazonaws.com' }), false);
  assert.equal(matches(e, { userAgent: 'aws-cli/2.0' }), true);
  assert.equal(matches(e, {}), false);
});

test('§2.5 requested_account_id != NULL means "present and not the text null"', () => {
  const e = s.ne('requested_account_id', 'NULL');
  assert.equal(matches(e, { requested_account_id: '123' }), true);
  assert.equal(matches(e, { requested_account_id: 'null' }), false);
  assert.equal(matches(e, {}), false);
});

test('§2.5 field!=* never matches (every present value matches *)', () => {
  assert.equal(matches(s.ne('a', '*'), { a: 'x' }), false);
  assert.equal(matches(s.ne('a', '*'), {}), false);
});

test('§2.6 numeric comparisons when both sides are numeric: date_hour>=20, date_hour<8', () => {
  assert.equal(matches(s.cmp('date_hour', '>=', '20'), { date_hour: '21' }), true);
  assert.equal(matches(s.cmp('date_hour', '>=', '20'), { date_hour: '3' }), false, '"3" >= "20" as text but not as numbers');
  assert.equal(matches(s.cmp('date_hour', '<', '8'), { date_hour: '07' }), true);
  assert.equal(matches(s.cmp('date_hour', '<=', '8'), { date_hour: 8 }), true);
  assert.equal(matches(s.cmp('date_hour', '>', '8'), { date_hour: '8' }), false);
});

test('§2.6 comparisons fall back to lexicographic when a side is not numeric', () => {
  assert.equal(matches(s.cmp('v', '<', 'b'), { v: 'abc' }), true);
  assert.equal(matches(s.cmp('v', '>', '10'), { v: 'abc' }), true, '"abc" > "10" in byte order');
});

test('§2.6 a function call on the right of a search comparison is literal text, never numeric', () => {
  const e = s.cmp('_time', '>=', 'relative_time(now(), "-10m@m")');
  assert.equal(matches(e, { _time: 1 }), false);
});

test('§2.6 comparisons on a missing field are false; any value of a multivalue may satisfy', () => {
  assert.equal(matches(s.cmp('n', '>', '5'), {}), false);
  assert.equal(matches(s.cmp('n', '>', '5'), { n: ['1', '9'] }), true);
});

test('§2.1 IN lists with wildcards match any listed pattern', () => {
  const e = s.in('requestParameters.x-amz-grant-read', '*AuthenticatedUsers', '*AllUsers');
  assert.equal(matches(e, { 'requestParameters.x-amz-grant-read': 'uri=http://acs.amazonaws.com/groups/global/AllUsers' }), true);
  assert.equal(matches(e, { 'requestParameters.x-amz-grant-read': 'id=123' }), false);
  assert.equal(matches(e, {}), false);
});

test('§10.4 NOT userName IN (user) excludes only the literal value "user"', () => {
  const e = s.not(s.in('userName', 'user'));
  assert.equal(matches(e, { userName: 'user' }), false);
  assert.equal(matches(e, { userName: 'alice' }), true);
  assert.equal(matches(e, {}), true);
});

test('§2.2 AND/OR/NOT combine as given by the tree (OR-group AND-ed with terms)', () => {
  const e = s.and(
    s.eq('eventSource', 'ecr.amazonaws.com'),
    s.eq('eventName', 'PutImage'),
    s.or(s.cmp('date_hour', '>=', '20'), s.cmp('date_hour', '<', '8'), s.eq('date_wday', 'saturday')),
  );
  assert.equal(matches(e, { eventSource: 'ecr.amazonaws.com', eventName: 'PutImage', date_hour: '12', date_wday: 'saturday' }), true);
  assert.equal(matches(e, { eventSource: 'ecr.amazonaws.com', eventName: 'PutImage', date_hour: '12', date_wday: 'monday' }), false);
  assert.equal(matches(e, { eventSource: 's3.amazonaws.com', eventName: 'PutImage', date_hour: '22' }), false);
});

test('§2.8 an empty group () (an AND of nothing) matches everything, so NOT () matches nothing', () => {
  assert.equal(matches(s.and(), {}), true);
  assert.equal(matches(s.not(s.and()), { a: 'x' }), false);
  assert.equal(matches(s.not(s.not(s.and())), { a: 'x' }), true);
});

test('§2.8 the parsed text NOT () matches nothing and NOT NOT () everything', () => {
  const parsed = parseSearchExpression('NOT ()')!;
  assert.equal(matches(parsed, { a: 'x' }), false);
  assert.equal(matches(s.not(parsed), { a: 'x' }), true);
});

test('§2.7 a bare word matches a whole token of _raw, case-insensitively', () => {
  assert.equal(matches(s.word('StartInstances'), { _raw: RAW }), true);
  assert.equal(matches(s.word('startinstances'), { _raw: RAW }), true);
  assert.equal(matches(s.word('Start'), { _raw: RAW }), false, 'a prefix of a token is not a token');
  assert.equal(matches(s.word('Instances'), { _raw: RAW }), false);
});

test('§2.7 bare words are bounded by minor breakers too (. / - inside tokens)', () => {
  assert.equal(matches(s.word('amazonaws'), { _raw: RAW }), true);
  assert.equal(matches(s.word('ec2.amazonaws.com'), { _raw: RAW }), true);
  assert.equal(matches(s.word('cli'), { _raw: RAW }), true);
});

test('§2.7 bare words honour * wildcards', () => {
  assert.equal(matches(s.word('Start*'), { _raw: RAW }), true);
  assert.equal(matches(s.word('*Instances'), { _raw: RAW }), true);
  assert.equal(matches(s.word('Stop*'), { _raw: RAW }), false);
});

test('§2.7 the mltk filter macro inside a base search: bare "search" needs the word in _raw, "*" matches all', () => {
  assert.equal(matches(s.and(s.word('search'), s.word('*')), { _raw: RAW }), false);
  assert.equal(matches(s.and(s.word('search'), s.word('*')), { _raw: '{"q":"search"}' }), true);
  assert.equal(matches(s.word('*'), {}), true);
});

test('§2.7 a quoted phrase matches token-bounded text in _raw, case-insensitively', () => {
  assert.equal(matches(s.word('aws internal', true), { _raw: RAW }), true);
  assert.equal(matches(s.word('AWS Intern', true), { _raw: RAW }), false);
});

test('§2.7 a bare word against an event without _raw never matches', () => {
  assert.equal(matches(s.word('x'), { a: 'x' }), false);
});

test('§2.9 inline earliest/latest compare _time with the bound relative to now', () => {
  const ctx = { now: 10_000, tz: 'UTC' };
  assert.equal(matches(s.time('earliest', '-1h'), { _time: 10_000 - 3600 }, ctx), true);
  assert.equal(matches(s.time('earliest', '-1h'), { _time: 10_000 - 3601 }, ctx), false);
  assert.equal(matches(s.time('latest', 'now'), { _time: 9_999 }, ctx), true);
  assert.equal(matches(s.time('latest', 'now'), { _time: 10_000 }, ctx), false, 'latest is exclusive');
  assert.equal(matches(s.time('earliest', '0'), {}, ctx), false, 'no _time → no match');
});

test('§2.8 a subsearch node left in the expression is an error', () => {
  assert.throws(() => compileSearchFilter(s.and(s.eq('a', 'b'), s.subsearch()), CTX), (e: unknown) => {
    return e instanceof TrailguardError && e.code === 'unresolved-subsearch' && e.span?.start === 3;
  });
});

test('§2.3 wildcardToRegExp: anchored, * any run, regex characters literal, optional case-folding', () => {
  assert.equal(wildcardToRegExp('All_Changes.*').test('All_Changes.user'), true);
  assert.equal(wildcardToRegExp('All_Changes.*').test('All_ChangesXuser'), false);
  assert.equal(wildcardToRegExp('a*').test('A1'), false);
  assert.equal(wildcardToRegExp('a*', { caseInsensitive: true }).test('A1'), true);
  assert.equal(wildcardToRegExp('(x)+').test('(x)+'), true);
  assert.equal(wildcardToRegExp('a*b*c').test('a\nb\nc'), true);
});

// ── prefilter terms ──
test('prefilter: AND-ed equality terms on raw JSON fields and bare words are required', () => {
  const e = s.and(s.eq('eventName', 'ConsoleLogin'), s.eq('eventSource', 'signin*'), s.word('StartInstances'));
  assert.deepEqual(searchTermsForPrefilter(e), ['ConsoleLogin', 'signin', 'StartInstances']);
});

test('prefilter: OR, NOT, !=, comparisons and field=* contribute nothing', () => {
  const e = s.and(
    s.or(s.eq('eventName', 'A'), s.eq('eventName', 'B')),
    s.not(s.eq('eventName', 'C')),
    s.ne('eventName', 'D'),
    s.cmp('eventVersion', '>', '1'),
    s.eq('userAgent', '*'),
  );
  assert.deepEqual(searchTermsForPrefilter(e), []);
});

test('prefilter: derived fields (errorCode=success, user, action) are not required in raw text', () => {
  assert.deepEqual(searchTermsForPrefilter(s.and(s.eq('errorCode', 'success'), s.eq('user', 'bob'), s.eq('action', 'created'))), []);
  assert.deepEqual(searchTermsForPrefilter(s.eq('user', 'bob'), { rawField: (f) => f === 'user' }), ['bob']);
});

test('prefilter: values JSON might escape (quotes, slashes, non-ASCII) are skipped', () => {
  assert.deepEqual(searchTermsForPrefilter(s.eq('userAgent', 'aws-cli/2.0')), []);
  assert.deepEqual(searchTermsForPrefilter(s.eq('userIdentity.userName', 'josé')), []);
});

test('prefilter: every term found is really present in matching events (soundness on a sample)', () => {
  const e = s.and(s.eq('eventName', 'start*'), s.eq('eventSource', 'EC2.amazonaws.com'), s.word('internal'));
  const fields = { eventName: 'StartInstances', eventSource: 'ec2.amazonaws.com', sourceIPAddress: 'AWS Internal', _raw: RAW };
  assert.equal(matches(e, fields), true);
  for (const t of searchTermsForPrefilter(e)) assert.ok(RAW.toLowerCase().includes(t.toLowerCase()), t);
});
