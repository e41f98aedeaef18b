import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSearchExpression } from '../../src/spl/index.js';
import { errorsOf, searchOf, sx } from './util.js';

const cases: [string, string, string][] = [
  ['§2.2 OR binds tighter than AND: a b OR c', 'a=1 b=2 OR c=3', '(and a=1 (or b=2 c=3))'],
  ['§2.2 corpus ECR: ecr AND PutImage AND (h>=20 OR h<8 OR sat OR sun)',
    'eventSource=ecr.amazonaws.com eventName=PutImage date_hour>=20 OR date_hour<8 OR date_wday=saturday OR date_wday=sunday',
    '(and eventSource=ecr.amazonaws.com eventName=PutImage (or date_hour>=20 date_hour<8 date_wday=saturday date_wday=sunday))'],
  ['§2.2 corpus NACL: (Create OR Replace) AND allow',
    'eventName=CreateNetworkAclEntry OR eventName=ReplaceNetworkAclEntry requestParameters.ruleAction=allow',
    '(and (or eventName=CreateNetworkAclEntry eventName=ReplaceNetworkAclEntry) requestParameters.ruleAction=allow)'],
  ['§2.2 explicit AND is the same as juxtaposition', 'a=1 AND b=2 OR c=3', '(and a=1 (or b=2 c=3))'],
  ['§2.2 parentheses group first', '(a=1 b=2) OR c=3', '(or (and a=1 b=2) c=3)'],
  ['§2.2 NOT binds tightest', 'NOT a=1 OR b=2', '(or (not a=1) b=2)'],
  ['§2.5 NOT applies to a parenthesised group', 'NOT (a=1 OR b=2)', '(not (or a=1 b=2))'],
  ['§2.5 != is its own operator', 'userAgent!=*.amazonaws.com', 'userAgent!=*.amazonaws.com'],
  ['§2.1 spaces around = are allowed', 'eventName = DeleteTrail', 'eventName=DeleteTrail'],
  ['§2.1 spaces around != are allowed', 'userAgent !=console.amazonaws.com', 'userAgent!=console.amazonaws.com'],
  ['§2.5 quoted value after !=', 'src_ip!="AWS Internal"', 'src_ip!="AWS Internal"'],
  ['§2.6 numeric comparison operators', 'a<8 b<=9 c>1 d>=2', '(and a<8 b<=9 c>1 d>=2)'],
  ['§2.1 IN list with quoted wildcard values', 'x IN ("*AuthenticatedUsers","*AllUsers")', '(in x *AuthenticatedUsers *AllUsers)'],
  ['§2.1 IN list with bare values and spaces', 'userName IN (user, admin)', '(in userName user admin)'],
  ['§2.4 field=* is a compare with text *', 'Country=*', 'Country=*'],
  ['§2.3 wildcard values stay as text', 'eventName=UpdateFunctionCode*', 'eventName=UpdateFunctionCode*'],
  ['§2.1 quoted field name with dashes', '"requestParameters.x-amz-grant-read"=*', 'requestParameters.x-amz-grant-read=*'],
  ['§2.1 dashed unquoted field name', 'requestParameters.accessControlList.x-amz-grant-read-acp=*', 'requestParameters.accessControlList.x-amz-grant-read-acp=*'],
  ['§2.1 {} in field names', 'requestParameters.instancesSet.items{}.imageId=ami-1', 'requestParameters.instancesSet.items{}.imageId=ami-1'],
  ['§2.3 quoted value with escaped quote', 'a="say \\"hi\\""', 'a="say \\"hi\\""'],
  ['§2.3 quoted value with escaped backslash', 'a="c:\\\\x"', 'a="c:\\\\x"'],
  ['§2.7 bare words are free-text terms', 'StartInstances foo', '(and StartInstances foo)'],
  ['§2.7 quoted phrase is a word term', '"access denied"', '"access denied"'],
  ['§2.9 inline earliest= becomes a time node', 'earliest=-1h StartInstances', '(and earliest@-1h StartInstances)'],
  ['§2.9 latest=now', 'latest=now x=1', '(and latest@now x=1)'],
  ['§2.1 lower-case or is a bare word, not a keyword', 'a=1 or b=2', '(and a=1 or b=2)'],
  ['§2.1 lower-case not is a bare word', 'not a=1', '(and not a=1)'],
  ['§2.6 function call on the right is literal text', '_time >= relative_time(now(), "-10m@m")', '_time>=relative_time(now(), "-10m@m")'],
  ['§2.5 NULL is literal text', 'requested_account_id != NULL', 'requested_account_id!=NULL'],
  ['§2.8 subsearch after NOT', 'x=1 NOT [| inputlookup t | fields identity]', '(and x=1 (not [inputlookup|fields]))'],
  ['§2.8 subsearch as a term', 'a=1 [search b=2 | table c]', '(and a=1 [search|table])'],
  ['§2.8 subsearch starting with a generating command without a pipe', 'NOT [inputlookup t | fields identity]', '(not [inputlookup|fields])'],
  ['§2.7 * alone', '*', '*'],
  ['§2.1 colon and slash inside words', 'sourcetype=aws:cloudtrail userAgent="[aws-cli*"', '(and sourcetype=aws:cloudtrail userAgent="[aws-cli*")'],
];

for (const [name, spl, want] of cases) {
  test(name, () => assert.equal(sx(searchOf(spl)), want));
}

test('§2.1 search value keeps quoted flag: "x" vs x', () => {
  const e = searchOf('a="x" b=x');
  assert.equal(e.kind, 'and');
  if (e.kind !== 'and') return;
  assert.deepEqual(e.terms.map((t) => (t.kind === 'compare' ? t.value.quoted : null)), [true, false]);
});

test('§2.1 spans of a compare cover field to value', () => {
  const e = searchOf('  eventName = DeleteTrail');
  assert.equal(e.kind, 'compare');
  assert.deepEqual(e.span, { start: 2, end: 25 });
});

test('§2.8 parseSearchExpression reads formatted subsearch output', () => {
  const e = parseSearchExpression('( ( user="a" ) OR ( user="b" ) )');
  assert.equal(sx(e), '(or user="a" user="b")');
});

test('§2.8 empty subsearch text NOT () parses as NOT of an empty group (an AND of nothing); empty text is null', () => {
  assert.equal(parseSearchExpression(''), null);
  assert.equal(sx(parseSearchExpression('NOT ()')), '(not (and ))');
});

test('§2.1 == is not a search operator', () => {
  const errs = errorsOf('a==b');
  assert.equal(errs[0]!.code, 'SPL002');
});

test('§2.1 unbalanced ( reports where the group opened', () => {
  const errs = errorsOf('x=1 (a=1 OR b=2');
  assert.equal(errs[0]!.span!.start, 4);
  assert.match(errs[0]!.reason, /expected `\)`/);
});

test('§2.1 dangling OR is an error located at its end', () => {
  const errs = errorsOf('a=1 OR');
  assert.match(errs[0]!.reason, /expected a search term/);
});

test('§2.1 value missing after = is an error', () => {
  const errs = errorsOf('a= | stats count');
  assert.match(errs[0]!.reason, /expected a value after `=`, found `\|`/);
});
