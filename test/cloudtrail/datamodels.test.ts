/**
 * Event types, tags and CIM data model rows on real events (SPL.md §8, §9.2, §9.3, §12.1).
 * Expected values written by hand from the fixture events (see test/fixtures/cloudtrail/README.md).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  dataModelFields,
  dataModelMembership,
  dataModelNames,
  dataModelRow,
  datasets,
  eventRow,
  loadFieldModel,
  suggestDataModelFields,
} from '../../src/cloudtrail/index.js';
import { valuesOf, type Value } from '../../src/eval/value.js';
import { TrailguardError } from '../../src/errors.js';
import { fixtureCount, fixtureEvent } from './fixture-events.js';

const model = loadFieldModel();
const row = (line: number) => eventRow(fixtureEvent(line), model);

interface TagCase {
  title: string;
  line: number;
  has: string[];
  lacks: string[];
}

const TAGS: TagCase[] = [
  { title: '§9.3 ConsoleLogin with LoginTo is tagged authentication, default', line: 19, has: ['authentication', 'default', 'cloud'], lacks: ['privileged'] },
  { title: '§9.3 ConsoleLogin without LoginTo is tagged authentication, privileged, cloud', line: 18, has: ['authentication', 'privileged', 'cloud'], lacks: ['default'] },
  { title: '§9.3 AssumeRole by a user is tagged assume_role, not authentication', line: 2, has: ['assume_role', 'cloud'], lacks: ['authentication', 'change'] },
  { title: '§9.3 AssumeRole by an AWS service is not tagged assume_role', line: 4, has: ['cloud'], lacks: ['assume_role', 'authentication'] },
  { title: '§12.1 CreateUser is a change (Create*) and an IAM write (account, management)', line: 10, has: ['change', 'account', 'management'], lacks: ['instance', 'network'] },
  { title: '§12.1 TerminateInstances is a change with tag instance', line: 8, has: ['change', 'instance'], lacks: ['error'] },
  { title: '§12.1 DescribeInstances (read-only) is not a change', line: 9, has: [], lacks: ['change', 'instance'] },
  { title: '§12.1 ListBuckets (read-only) is not a change', line: 1, has: [], lacks: ['change'] },
  { title: '§12.1/§9.3 DeleteNetworkInterface is a change and a network change', line: 15, has: ['change', 'network'], lacks: ['account'] },
  { title: '§9.3 CreateNetworkInterface is a network change', line: 14, has: ['change', 'network'], lacks: [] },
  { title: '§9.3 an event with an error code is tagged error', line: 6, has: ['error', 'change', 'instance'], lacks: [] },
  { title: '§9.3 an event without error code is not tagged error', line: 5, has: ['change'], lacks: ['error'] },
  { title: '§12.1 readOnly=false alone makes an event a change (IAMUser ConsoleLogin)', line: 12, has: ['change', 'authentication'], lacks: ['account'] },
  { title: '§12.1/§2.7 the term remove in _raw (role name stratus-red-team-remove-…) makes a read-only GetRole a change', line: 24, has: ['change'], lacks: ['account', 'error'] },
  { title: '§9.3 Decrypt (readOnly=true, no Create, no error) has no change tag', line: 13, has: [], lacks: ['change', 'error'] },
];

for (const c of TAGS) {
  test(c.title, () => {
    const tags = valuesOf(row(c.line).get('tag')).map(String);
    for (const t of c.has) assert.ok(tags.includes(t), `expected tag ${t}, got ${tags.join(',')}`);
    for (const t of c.lacks) assert.ok(!tags.includes(t), `unexpected tag ${t}`);
  });
}

test('§9.3 eventtype lists the matched event types', () => {
  assert.deepEqual(row(19).get('eventtype'), ['aws_cloudtrail_console_login', 'aws_cloudtrail_auth']);
});

interface MembershipCase {
  title: string;
  line: number;
  datamodel: string;
  expected: string[];
}

const MEMBERSHIP: MembershipCase[] = [
  { title: '§8.1 RunInstances is in All_Changes and Instance_Changes', line: 5, datamodel: 'Change', expected: ['All_Changes', 'All_Changes.Instance_Changes'] },
  { title: '§8.1 CreateUser is in All_Changes and Account_Management', line: 10, datamodel: 'Change', expected: ['All_Changes', 'All_Changes.Account_Management'] },
  { title: '§8.1 DeleteNetworkInterface is in All_Changes and Network_Changes', line: 15, datamodel: 'Change', expected: ['All_Changes', 'All_Changes.Network_Changes'] },
  { title: '§8.1 CreateNetworkAclEntry is in All_Changes and Network_Changes', line: 27, datamodel: 'Change', expected: ['All_Changes', 'All_Changes.Network_Changes'] },
  { title: '§8.1 AuthorizeSecurityGroupIngress is in All_Changes and Network_Changes', line: 26, datamodel: 'Change', expected: ['All_Changes', 'All_Changes.Network_Changes'] },
  { title: '§8.1 ListBuckets is not in Change', line: 1, datamodel: 'Change', expected: [] },
  { title: '§8.1 ConsoleLogin is in Authentication', line: 12, datamodel: 'Authentication', expected: ['Authentication'] },
  { title: '§8.1 a failed ConsoleLogin is in Authentication', line: 16, datamodel: 'Authentication', expected: ['Authentication'] },
  { title: '§9.3 AssumeRole is not in Authentication (add-on 7.10.0)', line: 2, datamodel: 'Authentication', expected: [] },
  { title: '§8.1 RunInstances is not in Authentication', line: 5, datamodel: 'Authentication', expected: [] },
];

for (const c of MEMBERSHIP) {
  test(c.title, () => {
    assert.deepEqual(dataModelMembership(row(c.line), c.datamodel, model), c.expected);
    assert.equal(dataModelRow(row(c.line), c.datamodel, model) === null, c.expected.length === 0);
  });
}

interface DmFieldCase {
  title: string;
  line: number;
  datamodel: string;
  field: string;
  expected: Value;
}

const DM_FIELDS: DmFieldCase[] = [
  { title: '§8.2 All_Changes.user is unknown when user is null (AssumedRole DeleteNetworkInterface)', line: 15, datamodel: 'Change', field: 'All_Changes.user', expected: 'unknown' },
  { title: '§8.2 All_Changes.user is the user when present', line: 10, datamodel: 'Change', field: 'All_Changes.user', expected: 'malicious-iam-user' },
  { title: '§8.2 All_Changes.user_type is copied as is: null stays null (CreateAccessKey)', line: 11, datamodel: 'Change', field: 'All_Changes.user_type', expected: null },
  { title: '§8.2 All_Changes.user_type is copied as is (AssumedRole)', line: 15, datamodel: 'Change', field: 'All_Changes.user_type', expected: 'Role' },
  { title: '§9.2 All_Changes.command is eventName', line: 8, datamodel: 'Change', field: 'All_Changes.command', expected: 'TerminateInstances' },
  { title: '§9.2 All_Changes.action is the lookup action', line: 8, datamodel: 'Change', field: 'All_Changes.action', expected: 'deleted' },
  { title: '§9.2 All_Changes.status is the lookup status', line: 6, datamodel: 'Change', field: 'All_Changes.status', expected: 'failure' },
  { title: '§8.2 All_Changes.object_id is unknown when object_id is null (failed RunInstances)', line: 6, datamodel: 'Change', field: 'All_Changes.object_id', expected: 'unknown' },
  { title: '§8.2 All_Changes.object is unknown when no rule gives one (CreateNetworkInterface)', line: 14, datamodel: 'Change', field: 'All_Changes.object', expected: 'unknown' },
  { title: '§8.2 All_Changes.object_attrs is unknown (the add-on never sets it)', line: 5, datamodel: 'Change', field: 'All_Changes.object_attrs', expected: 'unknown' },
  { title: '§8.2 All_Changes.result_id falls back to -1 without errorCode or signature_id', line: 5, datamodel: 'Change', field: 'All_Changes.result_id', expected: '-1' },
  { title: '§8.2 All_Changes.result falls back to signature', line: 5, datamodel: 'Change', field: 'All_Changes.result', expected: 'RunInstances' },
  { title: '§9.2 All_Changes.src is sourceIPAddress', line: 15, datamodel: 'Change', field: 'All_Changes.src', expected: 'rds.amazonaws.com' },
  { title: '§9.2 All_Changes.vendor_region is awsRegion', line: 21, datamodel: 'Change', field: 'All_Changes.vendor_region', expected: 'us-west-2' },
  { title: '§9.2 All_Changes.change_type never says EC2', line: 5, datamodel: 'Change', field: 'All_Changes.change_type', expected: 'virtual computing' },
  { title: '§9.2 All_Changes.Instance_Changes.image_id is the requested image', line: 5, datamodel: 'Change', field: 'All_Changes.Instance_Changes.image_id', expected: 'ami-029eb80bc237bec6f' },
  { title: '§8.2 All_Changes.Instance_Changes.image_id is unknown when absent', line: 21, datamodel: 'Change', field: 'All_Changes.Instance_Changes.image_id', expected: 'unknown' },
  { title: '§8.2 All_Changes.Instance_Changes.instance_type', line: 21, datamodel: 'Change', field: 'All_Changes.Instance_Changes.instance_type', expected: 'p2.xlarge' },
  { title: '§4.5 child fields exist only on rows satisfying the child constraint', line: 10, datamodel: 'Change', field: 'All_Changes.Instance_Changes.image_id', expected: null },
  { title: '§8.2 Network_Changes.rule_action is copied on network rows', line: 27, datamodel: 'Change', field: 'All_Changes.Network_Changes.rule_action', expected: 'allow' },
  { title: '§8.2 Network_Changes.direction is copied on network rows', line: 26, datamodel: 'Change', field: 'All_Changes.Network_Changes.direction', expected: 'inbound' },
  { title: '§8.2 Account_Management.src_user_name is copied on account rows', line: 22, datamodel: 'Change', field: 'All_Changes.Account_Management.src_user_name', expected: 'tester' },
  { title: '§9.2 Authentication.signature is eventName', line: 12, datamodel: 'Authentication', field: 'Authentication.signature', expected: 'ConsoleLogin' },
  { title: '§9.2 Authentication.app is eventType', line: 12, datamodel: 'Authentication', field: 'Authentication.app', expected: 'AwsConsoleSignIn' },
  { title: '§9.2 Authentication.action of a failed login is failure', line: 17, datamodel: 'Authentication', field: 'Authentication.action', expected: 'failure' },
  { title: '§9.2 Authentication.user', line: 17, datamodel: 'Authentication', field: 'Authentication.user', expected: 'anaya' },
  { title: '§8.2 Authentication.src is unknown when sourceIPAddress is absent', line: 16, datamodel: 'Authentication', field: 'Authentication.src', expected: 'unknown' },
  { title: '§9.2 Authentication.dest is LoginTo', line: 19, datamodel: 'Authentication', field: 'Authentication.dest', expected: 'https://console.aws.amazon.com/console/' },
  { title: '§9.2 Authentication.user_role for an assumed-role console login', line: 19, datamodel: 'Authentication', field: 'Authentication.user_role', expected: 'arn:aws:iam::123456789012:role/SomeRole' },
  { title: '§9.2 Authentication.vendor_account', line: 19, datamodel: 'Authentication', field: 'Authentication.vendor_account', expected: '123456789012' },
  { title: '§8.2 Authentication.authentication_method is copied (null stays null)', line: 16, datamodel: 'Authentication', field: 'Authentication.authentication_method', expected: null },
];

for (const c of DM_FIELDS) {
  test(c.title, () => {
    const dm = dataModelRow(row(c.line), c.datamodel, model);
    assert.ok(dm, 'event should be in the model');
    assert.deepEqual(dm.get(c.field), c.expected);
  });
}

test('§4.5 data model rows carry _time and only prefixed fields', () => {
  const dm = dataModelRow(row(5), 'Change', model)!;
  assert.equal(dm.get('_time'), fixtureEvent(5).time);
  assert.equal(dm.get('user'), null);
  for (const n of dm.fieldNames()) assert.ok(n === '_time' || n.startsWith('All_Changes.'), n);
});

test('§4.5 tstats Change where user_type=AssumedRole AND status=success by user command object', () => {
  // The seed query of "Cloud API Calls From Previously Unseen User Roles", over all fixture events.
  const groups = new Set<string>();
  for (let line = 1; line <= fixtureCount(); line++) {
    const dm = dataModelRow(row(line), 'Change', model);
    if (!dm) continue;
    if (String(dm.get('All_Changes.user_type')).toLowerCase() !== 'assumedrole') continue;
    if (String(dm.get('All_Changes.status')).toLowerCase() !== 'success') continue;
    groups.add([dm.get('All_Changes.user'), dm.get('All_Changes.command'), dm.get('All_Changes.object')].join(' | '));
  }
  assert.deepEqual([...groups].sort(), [
    'AWSServiceRoleForAutoScaling | RunInstances | i-07d06021b0da55115',
    'unknown | CreateNetworkAclEntry | acl-1',
    'unknown | CreateNetworkInterface | unknown',
    // DeleteNetworkInterface (line 15) is also AssumedRole + success, but §9.1 gives it
    // user_type=Role (the session issuer type), so it does not match.
  ]);
});

test('§8.3 the models list their datasets and prefixed fields', () => {
  assert.deepEqual(dataModelNames(model), ['Authentication', 'Change']);
  const ds = datasets(model, 'Change');
  assert.deepEqual(ds.map((d) => d.path), ['All_Changes', 'All_Changes.Instance_Changes', 'All_Changes.Account_Management', 'All_Changes.Network_Changes']);
  const fields = dataModelFields(model, 'Change');
  for (const f of ['All_Changes.user', 'All_Changes.command', 'All_Changes.object', 'All_Changes.user_type', 'All_Changes.status', 'All_Changes.Instance_Changes.image_id']) {
    assert.ok(fields.includes(f), f);
  }
  assert.ok(dataModelFields(model, 'Authentication').includes('Authentication.signature'));
});

test('§8.3 near names are suggested for a misspelt data model field', () => {
  assert.equal(suggestDataModelFields(model, 'Change', 'All_Changes.usr')[0], 'All_Changes.user');
  assert.ok(suggestDataModelFields(model, 'Change', 'All_Changes.image_id').includes('All_Changes.Instance_Changes.image_id'));
});

test('an unknown data model is a TrailguardError naming the known ones', () => {
  assert.throws(
    () => dataModelRow(row(1), 'Changes', model),
    (e: unknown) => e instanceof TrailguardError && e.code === 'unknown-datamodel' && e.hints.join(' ').includes('Change'),
  );
});

test('§8.1 Authentication excludes successful logins whose user ends in $ (user overridden on a real login)', () => {
  const r = row(12);
  assert.ok(dataModelRow(r, 'Authentication', model), 'the login itself is in the model');
  r.set('user', 'WORKSTATION01$');
  assert.equal(dataModelRow(r, 'Authentication', model), null);
  const failed = row(17);
  failed.set('user', 'WORKSTATION01$');
  assert.ok(dataModelRow(failed, 'Authentication', model), 'a failed login by such a user stays');
});

test('§8.1 All_Changes excludes object_category file/directory/registry (category overridden on a real change)', () => {
  for (const category of ['file', 'directory', 'registry']) {
    const r = row(5);
    r.set('object_category', category);
    assert.equal(dataModelRow(r, 'Change', model), null, category);
  }
  const r = row(5);
  r.set('object_category', 'bucket');
  assert.ok(dataModelRow(r, 'Change', model));
});
