/**
 * Table-driven tests of the CloudTrail field model on real events (SPL.md §1.4-1.7, §9, §12).
 * `line` is the fixture line (test/fixtures/cloudtrail/README.md says what each event is); every
 * expected value was written by hand from reading that event and SPL.md.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventRow, loadFieldModel } from '../../src/cloudtrail/index.js';
import type { Value } from '../../src/eval/value.js';
import { fixtureEvent } from './fixture-events.js';

const model = loadFieldModel();

interface Case {
  title: string;
  line: number;
  field: string;
  expected: Value;
}

const DERIVED: Case[] = [
  // errorCode (§9.1)
  { title: '§9.1 errorCode defaults to success when absent (ListBuckets)', line: 1, field: 'errorCode', expected: 'success' },
  { title: '§9.1 errorCode keeps the raw error code (failed RunInstances)', line: 6, field: 'errorCode', expected: 'Client.InvalidParameterValue' },
  { title: '§9.1 errorCode is failure for a ConsoleLogin with responseElements.ConsoleLogin=Failure', line: 16, field: 'errorCode', expected: 'failure' },
  { title: '§9.1 errorCode is success for a successful ConsoleLogin', line: 12, field: 'errorCode', expected: 'success' },
  // user (§9.1, §12.3)
  { title: '§9.1 user defaults to userIdentity.userName (IAMUser ListBuckets)', line: 1, field: 'user', expected: 'benjamin' },
  { title: '§12.3 user is null for AssumedRole ListBuckets', line: 23, field: 'user', expected: null },
  { title: '§12.3 user is null for AssumedRole DeleteNetworkInterface (default branch)', line: 15, field: 'user', expected: null },
  { title: '§9.1 user for %Instances by an assumed role is the session issuer (RunInstances)', line: 7, field: 'user', expected: 'stratus-red-team-ec2lui-role-pcccexdthk' },
  { title: '§9.1 user for %Instances by an assumed role is the session issuer (DescribeInstances)', line: 9, field: 'user', expected: 'stratus-red-team-ec2-steal-credentials-role' },
  { title: '§9.1 user for %Instances by an IAM user is its userName (TerminateInstances)', line: 8, field: 'user', expected: 'bert-jan' },
  { title: '§9.1 user of CreateUser is the target user', line: 10, field: 'user', expected: 'malicious-iam-user' },
  { title: '§9.1 user of CreateAccessKey is the target user', line: 11, field: 'user', expected: 'malicious-iam-user' },
  { title: '§9.1 user of a failed CreateUser is the requested userName', line: 22, field: 'user', expected: 'user' },
  { title: '§9.1 user of ConsoleLogin by an assumed role with LoginTo is the principalId session part', line: 19, field: 'user', expected: '1641313043312360000' },
  { title: '§9.1 user of ConsoleLogin by an assumed role without LoginTo is the issuer userName', line: 18, field: 'user', expected: 'AWSReservedSSO_DevAdmin_635426549a280cc6' },
  { title: '§9.1 user of ConsoleLogin by an IAM user is its userName', line: 12, field: 'user', expected: 'stratus-red-team-nmfalu-gfjyeaypjt' },
  { title: '§9.1 user of AssumeRole is the session name of the assumed-role ARN', line: 2, field: 'user', expected: 'aws-go-sdk-1688990082523310002' },
  { title: '§9.1 user of AssumeRole by a service is the requested session name', line: 4, field: 'user', expected: 'i-0dbc91f429e48eeed' },
  { title: '§9.1 user of a denied AssumeRole (no response, null request) is null', line: 3, field: 'user', expected: null },
  // userName, user_name (§9.1)
  { title: '§9.1 userName is userIdentity.userName when present', line: 13, field: 'userName', expected: 'bert-jan' },
  { title: '§9.1 userName falls back to the session issuer userName (AssumedRole)', line: 23, field: 'userName', expected: 'MordorNginxStack-BankingWAFRole-9S3E0UAE1MM0' },
  { title: '§9.1 userName falls back to the last segment of requestParameters.roleArn', line: 4, field: 'userName', expected: 'stratus-red-team-ec2-steal-credentials-role' },
  { title: '§9.1 user_name is the target user for CreateAccessKey', line: 11, field: 'user_name', expected: 'malicious-iam-user' },
  { title: '§9.1 user_name follows the userName chain otherwise', line: 9, field: 'user_name', expected: 'stratus-red-team-ec2-steal-credentials-role' },
  // user_type (§9.1)
  { title: '§9.1 user_type is userIdentity.type (AssumedRole ListBuckets)', line: 23, field: 'user_type', expected: 'AssumedRole' },
  { title: '§9.1 user_type is userIdentity.type (IAMUser with mfaAuthenticated=false)', line: 13, field: 'user_type', expected: 'IAMUser' },
  { title: '§9.1 user_type is null for IAM user-management events (CreateAccessKey)', line: 11, field: 'user_type', expected: null },
  { title: '§9.1 user_type is null for IAM user-management events (CreateUser)', line: 10, field: 'user_type', expected: null },
  { title: '§9.1 user_type is null for %User events, GetUser included', line: 28, field: 'user_type', expected: null },
  { title: '§9.1 user of GetUser is userIdentity.userName (default branch)', line: 28, field: 'user', expected: 'bert-jan' },
  { title: '§9.1 user_type of ConsoleLogin by an assumed role without LoginTo is the issuer type', line: 18, field: 'user_type', expected: 'Role' },
  { title: '§9.1 user_type of ConsoleLogin by an assumed role with LoginTo is userIdentity.type', line: 19, field: 'user_type', expected: 'AssumedRole' },
  { title: '§9.1 user_type of DeleteNetworkInterface is the session issuer type', line: 15, field: 'user_type', expected: 'Role' },
  { title: '§9.1 user_type of AssumeRole is the resource type', line: 2, field: 'user_type', expected: 'AWS::IAM::Role' },
  // user_arn, aws_account_id, vendor_account (§9.1)
  { title: '§9.1 user_arn is userIdentity.arn', line: 1, field: 'user_arn', expected: 'arn:aws:iam::123837392027:user/benjamin' },
  { title: '§9.1 user_arn falls back to requestParameters.roleArn', line: 4, field: 'user_arn', expected: 'arn:aws:iam::123837392027:role/stratus-red-team-ec2-steal-credentials-role' },
  { title: '§9.1 aws_account_id is userIdentity.accountId for assumed roles', line: 19, field: 'aws_account_id', expected: '123456789012' },
  { title: '§9.1 aws_account_id is recipientAccountId for AWSService callers', line: 4, field: 'aws_account_id', expected: '123837392027' },
  { title: '§9.1 vendor_account is userIdentity.accountId', line: 19, field: 'vendor_account', expected: '123456789012' },
  { title: '§9.1 vendor_account falls back to recipientAccountId', line: 16, field: 'vendor_account', expected: '111122223333' },
  // aliases (§9.1)
  { title: '§9.1 src is an alias of sourceIPAddress', line: 1, field: 'src', expected: '10.248.16.43' },
  { title: '§9.1 src_ip is an alias of sourceIPAddress (a service hostname here)', line: 13, field: 'src_ip', expected: 'secretsmanager.amazonaws.com' },
  { title: '§9.1 region is an alias of awsRegion', line: 18, field: 'region', expected: 'us-west-2' },
  { title: '§9.1 vendor_region is an alias of awsRegion', line: 18, field: 'vendor_region', expected: 'us-west-2' },
  { title: '§9.1 command is an alias of eventName', line: 8, field: 'command', expected: 'TerminateInstances' },
  { title: '§9.1 signature is an alias of eventName', line: 12, field: 'signature', expected: 'ConsoleLogin' },
  { title: '§9.1 app is an alias of eventType', line: 12, field: 'app', expected: 'AwsConsoleSignIn' },
  { title: '§9.1 dvc is an alias of eventSource', line: 13, field: 'dvc', expected: 'kms.amazonaws.com' },
  { title: '§9.1 reason is an alias of errorMessage', line: 17, field: 'reason', expected: 'Failed authentication' },
  { title: '§9.1 user_agent is an alias of userAgent', line: 23, field: 'user_agent', expected: '[aws-cli/1.18.136 Python/3.8.5 Darwin/19.5.0 botocore/1.17.59]' },
  { title: '§9.1 user_access_key is an alias of userIdentity.accessKeyId', line: 1, field: 'user_access_key', expected: 'AKIATFQZ7NSC8Q4X21BJ' },
  { title: '§9.1 image_id is an alias of requestParameters.instancesSet.items{}.imageId', line: 5, field: 'image_id', expected: 'ami-029eb80bc237bec6f' },
  { title: '§9.1 instance_type is an alias of requestParameters.instanceType', line: 5, field: 'instance_type', expected: 't3.micro' },
  { title: '§9.1 start_time is an alias of eventTime', line: 1, field: 'start_time', expected: '2023-07-10T11:42:34Z' },
  { title: '§9.1 desc is an alias of requestParameters (the text null when JSON null, §1.5)', line: 12, field: 'desc', expected: 'null' },
  { title: '§9.1 temp_access_key is an alias of responseElements.credentials.accessKeyId', line: 2, field: 'temp_access_key', expected: 'ASIATFQR7NSC7E2ZIBM2' },
  { title: '§9.1 user_group_id is an alias of userIdentity.accountId', line: 1, field: 'user_group_id', expected: '123837392027' },
  { title: '§9.1 result_id is an alias of the raw errorCode', line: 7, field: 'result_id', expected: 'Client.VcpuLimitExceeded' },
  { title: '§9 result_id sees the raw errorCode, so it is absent on success', line: 5, field: 'result_id', expected: null },
  // dest (§9.1)
  { title: '§9.1 dest of RunInstances is the new instance id', line: 5, field: 'dest', expected: 'i-0dbc91f429e48eeed' },
  { title: '§9.1 dest of a failed RunInstances falls back to eventSource', line: 6, field: 'dest', expected: 'ec2.amazonaws.com' },
  { title: '§9.1 dest of TerminateInstances is the requested instance id', line: 8, field: 'dest', expected: 'i-05c30218156bcc246' },
  { title: '§9.1 dest of ConsoleLogin is additionalEventData.LoginTo', line: 12, field: 'dest', expected: 'https://console.aws.amazon.com/console/home' },
  { title: '§9.1 dest of ConsoleLogin without LoginTo is eventSource', line: 16, field: 'dest', expected: 'signin.amazonaws.com' },
  { title: '§9.1 dest defaults to eventSource', line: 1, field: 'dest', expected: 's3.amazonaws.com' },
  // object, object_id, object_category, change_type (§9.1)
  { title: '§9.1 object of RunInstances is the response instance id', line: 5, field: 'object', expected: 'i-0dbc91f429e48eeed' },
  { title: '§9.1 object of TerminateInstances is the request instance id', line: 8, field: 'object', expected: 'i-05c30218156bcc246' },
  { title: '§9.1 object of AssumeRole is the role assumed', line: 2, field: 'object', expected: 'stratus-red-team-ec2-get-password-data-role' },
  { title: '§9.1 object of CreateUser is the target user', line: 10, field: 'object', expected: 'malicious-iam-user' },
  { title: '§9.1 object of ListBuckets (no bucketName) is absent', line: 1, field: 'object', expected: null },
  { title: '§9.1 object_id of RunInstances is the response instance id', line: 21, field: 'object_id', expected: 'i-07d06021b0da55115' },
  { title: '§9.1 object_id otherwise lists resources{}.ARN (Trailguard reading)', line: 13, field: 'object_id', expected: 'arn:aws:kms:us-east-1:123837392027:key/dad21b23-9915-42bd-981b-2a9f3c8f20c8' },
  { title: '§9.1 object_category of TerminateInstances is instance', line: 8, field: 'object_category', expected: 'instance' },
  { title: '§9.1 object_category defaults to unknown', line: 1, field: 'object_category', expected: 'unknown' },
  { title: '§9.1 change_type for ec2 is virtual computing (never EC2)', line: 5, field: 'change_type', expected: 'virtual computing' },
  { title: '§9.1 change_type for iam is AAA', line: 10, field: 'change_type', expected: 'AAA' },
  { title: '§9.1 change_type for s3 is storage', line: 1, field: 'change_type', expected: 'storage' },
  // action, status (§12.2)
  { title: '§12.2 action from the verb: TerminateInstances → deleted', line: 8, field: 'action', expected: 'deleted' },
  { title: '§12.2 action from the verb: RunInstances → created', line: 5, field: 'action', expected: 'created' },
  { title: '§12.2 action from the verb: CreateAccessKey → created', line: 11, field: 'action', expected: 'created' },
  { title: '§12.2 action from the verb: DeleteNetworkInterface → deleted', line: 15, field: 'action', expected: 'deleted' },
  { title: '§12.2 action from the verb: DescribeInstances → read', line: 9, field: 'action', expected: 'read' },
  { title: '§12.2 action from the verb: ListBuckets → read', line: 1, field: 'action', expected: 'read' },
  { title: '§12.2 action of an unlisted verb is modified (AssumeRole)', line: 2, field: 'action', expected: 'modified' },
  { title: '§12.2 action of an unlisted verb is modified (Decrypt)', line: 13, field: 'action', expected: 'modified' },
  { title: '§12.2 action of a successful ConsoleLogin is success', line: 12, field: 'action', expected: 'success' },
  { title: '§12.2 action of a failed ConsoleLogin is failure (lookup sees the post-eval errorCode)', line: 16, field: 'action', expected: 'failure' },
  { title: '§12.2 status is success when errorCode is success', line: 5, field: 'status', expected: 'success' },
  { title: '§12.2 status is failure for any other errorCode', line: 6, field: 'status', expected: 'failure' },
  { title: '§12.2 status is failure for a failed ConsoleLogin', line: 17, field: 'status', expected: 'failure' },
  // msg, result, vendor fields (§9.1)
  { title: '§9.1 msg is the raw errorCode', line: 6, field: 'msg', expected: 'Client.InvalidParameterValue' },
  { title: '§9.1 msg is success without errorCode', line: 1, field: 'msg', expected: 'success' },
  { title: '§9 evals see pre-eval values: msg of a failed ConsoleLogin is success', line: 16, field: 'msg', expected: 'success' },
  { title: '§9.1 result is errorMessage', line: 17, field: 'result', expected: 'Failed authentication' },
  { title: '§9.1 vendor_product is AWS CloudTrail', line: 1, field: 'vendor_product', expected: 'AWS CloudTrail' },
  { title: '§9.1 vendor comes from the sourcetype lookup', line: 1, field: 'vendor', expected: 'AWS' },
  { title: '§9.1 product comes from the sourcetype lookup', line: 1, field: 'product', expected: 'CloudTrail' },
  // authentication_method, src_user, user_id, user_role (§9.1)
  { title: '§9.1 authentication_method is SFA for ConsoleLogin with MFAUsed=No', line: 12, field: 'authentication_method', expected: 'SFA' },
  { title: '§9.1 authentication_method is MFA for ConsoleLogin with MFAUsed=Yes', line: 20, field: 'authentication_method', expected: 'MFA' },
  { title: '§9.1 authentication_method is absent for ordinary API calls', line: 1, field: 'authentication_method', expected: null },
  { title: '§9.1 src_user of AssumeRole is the calling user', line: 2, field: 'src_user', expected: 'bert-jan' },
  { title: '§9.1 src_user of AssumeRole by a service is the invoking service', line: 4, field: 'src_user', expected: 'ec2.amazonaws.com' },
  { title: '§9.1 src_user of CreateUser by an assumed role is the principalId session part', line: 22, field: 'src_user', expected: 'tester' },
  { title: '§9.1 src_user of CreateUser by an IAM user is its userName', line: 10, field: 'src_user', expected: 'bert-jan' },
  { title: '§9.1 user_id of ConsoleLogin is userIdentity.principalId', line: 12, field: 'user_id', expected: 'AIDATFQR7NSCYG26CT6RI' },
  { title: '§9.1 user_id of AssumeRole is the assumed role id', line: 2, field: 'user_id', expected: 'AROATFQR7NSCWWVLB7BES:aws-go-sdk-1688990082523310002' },
  { title: '§9.1 user_id of CreateUser is the new user id', line: 10, field: 'user_id', expected: 'AIDATFQR7NSCVHF5KTCK7' },
  { title: '§9.1 user_role of AssumeRole by a non-role caller is the assumed-role ARN', line: 2, field: 'user_role', expected: 'arn:aws:sts::123837392027:assumed-role/stratus-red-team-ec2-get-password-data-role/aws-go-sdk-1688990082523310002' },
  { title: '§9.1 user_role of ConsoleLogin by an assumed role is the issuer ARN', line: 19, field: 'user_role', expected: 'arn:aws:iam::123456789012:role/SomeRole' },
  // src_user_* (§9.1)
  { title: '§9.1 src_user_name of AssumeRole is the calling user', line: 2, field: 'src_user_name', expected: 'bert-jan' },
  { title: '§9.1 src_user_name is absent for other events', line: 1, field: 'src_user_name', expected: null },
  { title: '§9.1 src_user_type of CreateUser by an assumed role is AssumedRole', line: 22, field: 'src_user_type', expected: 'AssumedRole' },
  { title: '§9.1 src_user_id of CreateAccessKey is the caller principalId', line: 11, field: 'src_user_id', expected: 'AIDATFQR7NSC5AU2ZV3IE' },
  { title: '§9.1 src_user_role of CreateUser by an assumed role is the issuer ARN', line: 22, field: 'src_user_role', expected: 'arn:aws:iam::123456789012:role/OtherRole' },
  // network fields (§9.1)
  { title: '§9.1 network fields: rule_action of CreateNetworkAclEntry', line: 27, field: 'rule_action', expected: 'allow' },
  { title: '§9.1 network fields: direction of an egress ACL entry is outbound', line: 27, field: 'direction', expected: 'outbound' },
  { title: '§9.1 network fields: direction of AuthorizeSecurityGroupIngress is inbound', line: 26, field: 'direction', expected: 'inbound' },
  { title: '§9.1 network fields: protocol of an ACL entry is aclProtocol', line: 27, field: 'protocol', expected: '-1' },
  { title: '§9.1 network fields: protocol of a security group rule', line: 26, field: 'protocol', expected: 'tcp' },
  { title: '§9.1 network fields: src_ip_range of an ACL entry is cidrBlock', line: 27, field: 'src_ip_range', expected: '0.0.0.0/0' },
  { title: '§9.1 network fields: src_ip_range of a security group rule', line: 26, field: 'src_ip_range', expected: '0.0.0.0/0' },
  { title: '§9.1 object of a security group event is its group id', line: 26, field: 'object', expected: 'sg-04cfb7a4712d75b00' },
  { title: '§9.1 object_category of AuthorizeSecurityGroupIngress is security_group', line: 26, field: 'object_category', expected: 'security_group' },
  { title: '§9.1 object of a network ACL event is its ACL id', line: 27, field: 'object', expected: 'acl-1' },
];

const EXTRACTION: Case[] = [
  { title: '§1.5 dotted paths: userIdentity.sessionContext.attributes.mfaAuthenticated', line: 13, field: 'userIdentity.sessionContext.attributes.mfaAuthenticated', expected: 'false' },
  { title: '§1.5 arrays contribute {} to the name: resources{}.ARN', line: 2, field: 'resources{}.ARN', expected: 'arn:aws:iam::123837392027:role/stratus-red-team-ec2-get-password-data-role' },
  { title: '§1.5 nested arrays flatten: requestParameters.tagSpecificationSet.items{}.tags{}.key', line: 5, field: 'requestParameters.tagSpecificationSet.items{}.tags{}.key', expected: 'StratusRedTeam' },
  { title: '§1.5 JSON true becomes the text true', line: 1, field: 'readOnly', expected: 'true' },
  { title: '§1.5 JSON false becomes the text false', line: 5, field: 'readOnly', expected: 'false' },
  { title: '§1.5 numbers keep their JSON text', line: 2, field: 'requestParameters.durationSeconds', expected: '900' },
  { title: '§1.5 numbers keep their JSON text: 0.0 stays 0.0', line: 25, field: 'additionalEventData.bytesTransferredIn', expected: '0.0' },
  { title: '§1.5 numbers keep their JSON text: 500.0 stays 500.0', line: 25, field: 'additionalEventData.bytesTransferredOut', expected: '500.0' },
  { title: '§1.5 [verify] JSON null becomes the text null', line: 1, field: 'responseElements', expected: 'null' },
  { title: '§1.5 objects are not fields', line: 1, field: 'userIdentity', expected: null },
  { title: '§1.5 empty objects are not fields', line: 1, field: 'userIdentity.sessionContext.sessionIssuer', expected: null },
  { title: '§1.5 an array without {} in the name is not a field', line: 2, field: 'resources', expected: null },
  { title: '§1.5 a key with a dash resolves', line: 1, field: 'additionalEventData.x-amz-id-2', expected: 'SxxR+Lrvo3kEgV7NM2LMZrmpw1xnRdr3psLcXLnNUZRaB9blQGMKxp9xcD2nRVljn2L65zbMcdc=' },
  { title: '§1.2 field names are case-sensitive', line: 1, field: 'EventName', expected: null },
];

const INTERNAL: Case[] = [
  { title: '§1.6 _time comes from eventTime', line: 1, field: '_time', expected: Date.UTC(2023, 6, 10, 11, 42, 34) / 1000 },
  { title: '§1.4 sourcetype is aws:cloudtrail', line: 1, field: 'sourcetype', expected: 'aws:cloudtrail' },
  { title: '§1.4 index defaults to main', line: 1, field: 'index', expected: 'main' },
  { title: '§1.7 date_hour is the UTC hour as written', line: 1, field: 'date_hour', expected: 11 },
  { title: '§1.7 date_minute', line: 1, field: 'date_minute', expected: 42 },
  { title: '§1.7 date_second', line: 1, field: 'date_second', expected: 34 },
  { title: '§1.7 date_mday', line: 1, field: 'date_mday', expected: 10 },
  { title: '§1.7 date_month is a lower-case English month name', line: 1, field: 'date_month', expected: 'july' },
  { title: '§1.7 date_wday is a lower-case English day name (2023-07-10 was a Monday)', line: 1, field: 'date_wday', expected: 'monday' },
  { title: '§1.7 date_year', line: 1, field: 'date_year', expected: 2023 },
  { title: '§1.7 date_zone is 0 for UTC', line: 1, field: 'date_zone', expected: 0 },
  { title: '§1.7 date_* use @timestamp when eventTime is absent (2020-09-14 01:01 UTC)', line: 23, field: 'date_hour', expected: 1 },
];

for (const c of [...DERIVED, ...EXTRACTION, ...INTERNAL]) {
  test(c.title, () => {
    const row = eventRow(fixtureEvent(c.line), model);
    assert.deepEqual(row.get(c.field), c.expected);
  });
}

test('§1.4 _raw is the event text and source the file it came from; index/host can be set', () => {
  const ev = fixtureEvent(3);
  const row = eventRow(ev, model, { index: 'aws', host: 'collector-1' });
  assert.equal(row.get('_raw'), ev.raw);
  assert.equal(row.get('source'), ev.source);
  assert.equal(row.get('index'), 'aws');
  assert.equal(row.get('host'), 'collector-1');
});

test('§1.4 _time keeps milliseconds', () => {
  const ev = { ...fixtureEvent(23), time: 1600045310.25 };
  assert.equal(eventRow(ev, model).get('_time'), 1600045310.25);
});

test('§1.5 names() lists JSON leaves and derived fields; objects are not listed', () => {
  const names = eventRow(fixtureEvent(2), model).fieldNames();
  for (const n of ['_time', '_raw', 'eventName', 'resources{}.ARN', 'requestParameters.roleArn', 'errorCode', 'user', 'action', 'tag']) {
    assert.ok(names.includes(n), `missing ${n}`);
  }
  assert.ok(!names.includes('userIdentity'));
  assert.ok(!names.includes('responseElements.credentials'));
  assert.equal(new Set(names).size, names.length, 'no duplicates');
});

test('§9 a command write shadows the model without touching the event', () => {
  const row = eventRow(fixtureEvent(1), model);
  row.set('user', 'someone');
  assert.equal(row.get('user'), 'someone');
  assert.equal(eventRow(fixtureEvent(1), model).get('user'), 'benjamin');
});
