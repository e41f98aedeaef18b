/**
 * requestParameters / responseElements / resources / additionalEventData for each generated call,
 * shaped like the real events in ../shared/data. A builder per service gives the common request
 * shape; a few calls the detections and the field model care about (AssumeRole, RunInstances,
 * instance operations, S3 bucket calls, KMS, IAM role calls) get their exact shapes.
 */
import type { ApiDef } from './catalog.js';
import type { Rng } from './prng.js';
import type { Account, Identity } from './world.js';

export interface CallContext {
  rng: Rng;
  identity: Identity;
  account: Account;
  region: string;
  time: number;
  /** The caller's role session name (an instance id for EC2 instance roles). */
  sessionName?: string;
  /** For AssumeRole: the role assumed and the session name. */
  target?: { role: Identity; session: string };
  /** For IAM user-management calls: the IAM user acted on (default: a random one). */
  targetUser?: string;
}

export interface Payload {
  requestParameters: unknown;
  responseElements: unknown;
  additionalEventData?: Record<string, unknown>;
  resources?: { accountId?: string; type: string; ARN: string }[];
  /** Overrides the event's requestID (S3 uses 16-character ids). */
  requestID?: string;
}

type Builder = (c: CallContext, api: ApiDef) => Payload;

const none = (): Payload => ({ requestParameters: null, responseElements: null });

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `Jul 10, 2023, 12:09:47 PM`, the format STS uses for credential expiry. */
export function stsDate(ms: number): string {
  const d = new Date(ms);
  const month = MONTHS[d.getUTCMonth()];
  let h = d.getUTCHours();
  const ampm = h >= 12 ? 'PM' : 'AM';
  h = h % 12 === 0 ? 12 : h % 12;
  const mm = String(d.getUTCMinutes()).padStart(2, '0');
  const ss = String(d.getUTCSeconds()).padStart(2, '0');
  return `${month} ${d.getUTCDate()}, ${d.getUTCFullYear()}, ${h}:${mm}:${ss} ${ampm}`;
}

function sessionToken(rng: Rng): string {
  return 'IQoJb3JpZ2luX2VjE' + rng.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/', 180) + '==';
}

function s3Extra(rng: Rng, bytesOut: number, bytesIn = 0): Record<string, unknown> {
  return {
    SignatureVersion: 'SigV4',
    CipherSuite: 'ECDHE-RSA-AES128-GCM-SHA256',
    bytesTransferredIn: bytesIn,
    AuthenticationMethod: 'AuthHeader',
    'x-amz-id-2': rng.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/', 76) + '=',
    bytesTransferredOut: bytesOut,
  };
}

const s3: Builder = (c, a) => {
  const { rng, account, region } = c;
  const requestID = rng.keyChars(16);
  if (a.eventName === 'ListBuckets') {
    return { requestParameters: { Host: 's3.amazonaws.com' }, responseElements: null, additionalEventData: s3Extra(rng, rng.int(2000, 9000)), requestID };
  }
  const bucket = rng.pick(account.resources.buckets);
  const host = `${bucket}.s3.${region}.amazonaws.com`;
  const bucketRes = { accountId: account.id, type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${bucket}` };
  if (['GetObject', 'PutObject', 'HeadObject', 'DeleteObject'].includes(a.eventName)) {
    const key = `${rng.pick(['releases', 'exports', 'uploads', 'reports', 'tmp'])}/${rng.int(2021, 2026)}/${rng.hex(8)}.${rng.pick(['json', 'csv', 'zip', 'parquet', 'png'])}`;
    const put = a.eventName === 'PutObject';
    return {
      requestParameters: { bucketName: bucket, Host: host, key },
      responseElements: put ? { 'x-amz-server-side-encryption': 'AES256' } : null,
      additionalEventData: s3Extra(rng, put ? 0 : rng.int(200, 5_000_000), put ? rng.int(200, 5_000_000) : 0),
      resources: [{ type: 'AWS::S3::Object', ARN: `arn:aws:s3:::${bucket}/${key}` }, bucketRes],
      requestID,
    };
  }
  const sub: Record<string, string> = {
    GetBucketAcl: 'acl', PutBucketAcl: 'acl', GetBucketPolicy: 'policy', DeleteBucketPolicy: 'policy', GetBucketLocation: 'location',
    GetBucketVersioning: 'versioning', PutBucketVersioning: 'versioning', GetBucketEncryption: 'encryption', PutBucketEncryption: 'encryption',
    GetBucketTagging: 'tagging', PutBucketTagging: 'tagging', GetBucketLogging: 'logging', GetBucketPublicAccessBlock: 'publicAccessBlock',
    PutBucketPublicAccessBlock: 'publicAccessBlock', GetBucketPolicyStatus: 'policyStatus', ListObjects: 'list-type',
  };
  const req: Record<string, unknown> = { bucketName: bucket, Host: host };
  const s = sub[a.eventName];
  if (s) req[s] = s === 'list-type' ? '2' : '';
  if (a.eventName === 'PutBucketPolicy') {
    req.policy = {
      Version: '2012-10-17',
      Statement: [{ Sid: 'AllowRead', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${rng.chars('0123456789', 12)}:root` }, Action: ['s3:GetObject', 's3:ListBucket'], Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`] }],
    };
  }
  if (a.eventName === 'CreateBucket') req.CreateBucketConfiguration = { LocationConstraint: region };
  return { requestParameters: req, responseElements: null, additionalEventData: s3Extra(rng, a.readOnly ? rng.int(200, 2000) : 0), resources: [bucketRes], requestID };
};

const INSTANCE_OPS: Record<string, [string, string]> = {
  StartInstances: ['pending', 'stopped'],
  StopInstances: ['stopping', 'running'],
  TerminateInstances: ['shutting-down', 'running'],
};
const STATE_CODE: Record<string, number> = { pending: 0, running: 16, 'shutting-down': 32, stopping: 64, stopped: 80 };

const ec2: Builder = (c, a) => {
  const { rng, account, region, time } = c;
  const res = account.resources;
  const n = a.eventName;
  const instance = rng.pick(res.instances);
  if (n === 'RunInstances') {
    const imageId = rng.pick(res.amis);
    const instanceType = rng.pick(['t3.micro', 't3.medium', 'm6i.large', 'c6i.xlarge']);
    const subnetId = rng.pick(res.subnets);
    const newId = `i-0${rng.hex(16)}`;
    const ip = `10.${rng.int(0, 40)}.${rng.int(0, 255)}.${rng.int(2, 254)}`;
    return {
      requestParameters: {
        instancesSet: { items: [{ imageId, minCount: 1, maxCount: 1 }] },
        instanceType, blockDeviceMapping: {}, monitoring: { enabled: false }, disableApiTermination: false,
        subnetId, clientToken: rng.uuid().toUpperCase(),
        tagSpecificationSet: { items: [{ resourceType: 'instance', tags: [{ key: 'Name', value: `worker-${rng.hex(4)}` }] }] },
      },
      responseElements: {
        requestId: rng.uuid(), reservationId: `r-0${rng.hex(16)}`, ownerId: account.id, groupSet: {},
        instancesSet: {
          items: [{
            instanceId: newId, imageId, instanceState: { code: 0, name: 'pending' }, privateDnsName: `ip-${ip.replace(/\./g, '-')}.ec2.internal`,
            amiLaunchIndex: 0, instanceType, launchTime: time, placement: { availabilityZone: `${region}a`, tenancy: 'default' },
            monitoring: { state: 'disabled' }, subnetId, vpcId: rng.pick(res.vpcs), privateIpAddress: ip,
            architecture: 'x86_64', rootDeviceType: 'ebs', rootDeviceName: '/dev/xvda', virtualizationType: 'hvm', hypervisor: 'xen',
            groupSet: { items: [{ groupId: rng.pick(res.securityGroups) }] },
          }],
        },
      },
    };
  }
  if (INSTANCE_OPS[n]) {
    const [now, before] = INSTANCE_OPS[n]!;
    return {
      requestParameters: { instancesSet: { items: [{ instanceId: instance }] }, ...(n === 'TerminateInstances' ? {} : { force: false }) },
      responseElements: {
        requestId: rng.uuid(),
        instancesSet: { items: [{ instanceId: instance, currentState: { code: STATE_CODE[now], name: now }, previousState: { code: STATE_CODE[before], name: before } }] },
      },
    };
  }
  if (n === 'RebootInstances') return { requestParameters: { instancesSet: { items: [{ instanceId: instance }] } }, responseElements: { requestId: rng.uuid(), _return: true } };
  if (n === 'DescribeInstances') return { requestParameters: { instancesSet: {}, filterSet: {} }, responseElements: null };
  if (n === 'DescribeInstanceStatus') return { requestParameters: { instancesSet: {}, filterSet: {}, includeAllInstances: false }, responseElements: null };
  if (n === 'CreateTags' || n === 'DeleteTags') {
    return {
      requestParameters: { resourcesSet: { items: [{ resourceId: instance }] }, tagSet: { items: [{ key: rng.pick(['Owner', 'CostCenter', 'Backup']), value: rng.pick(['platform', 'data', 'daily']) }] } },
      responseElements: { requestId: rng.uuid(), _return: true },
    };
  }
  if (n === 'CreateSnapshot') {
    const vol = rng.pick(res.volumes);
    return {
      requestParameters: { volumeId: vol, description: `Automated backup ${new Date(time).toISOString().slice(0, 10)}` },
      responseElements: { requestId: rng.uuid(), snapshotId: `snap-0${rng.hex(16)}`, volumeId: vol, status: 'pending', startTime: time, progress: '', ownerId: account.id, volumeSize: rng.pick([8, 20, 100]), encrypted: true },
    };
  }
  if (n === 'DeleteSnapshot') return { requestParameters: { snapshotId: rng.pick(res.snapshots) }, responseElements: { requestId: rng.uuid(), _return: true } };
  if (n === 'ModifySnapshotAttribute') {
    return {
      requestParameters: { snapshotId: rng.pick(res.snapshots), createVolumePermission: { add: { items: [{ userId: rng.chars('0123456789', 12) }] } }, attributeType: 'CREATE_VOLUME_PERMISSION' },
      responseElements: { requestId: rng.uuid(), _return: true },
    };
  }
  if (n === 'CreateKeyPair' || n === 'ImportKeyPair') {
    const keyName = `kp-${rng.alnum(6)}`;
    return { requestParameters: { keyName }, responseElements: { requestId: rng.uuid(), keyName, keyFingerprint: rng.hex(40).replace(/(..)(?!$)/g, '$1:'), keyPairId: `key-0${rng.hex(16)}` } };
  }
  if (n === 'AuthorizeSecurityGroupIngress' || n === 'RevokeSecurityGroupIngress') {
    const port = rng.pick([22, 3389, 443, 5432]);
    return {
      requestParameters: {
        groupId: rng.pick(res.securityGroups),
        ipPermissions: { items: [{ ipProtocol: 'tcp', fromPort: port, toPort: port, groups: {}, ipRanges: { items: [{ cidrIp: rng.pick(['0.0.0.0/0', '10.0.0.0/8', '203.0.113.0/24']) }] }, ipv6Ranges: {}, prefixListIds: {} }] },
      },
      responseElements: { requestId: rng.uuid(), _return: true },
    };
  }
  if (n === 'CreateSecurityGroup') {
    const groupName = `sg-${rng.alnum(6).toLowerCase()}`;
    return { requestParameters: { groupName, groupDescription: 'managed by terraform', vpcId: rng.pick(res.vpcs) }, responseElements: { requestId: rng.uuid(), _return: true, groupId: `sg-0${rng.hex(16)}` } };
  }
  if (n === 'GetPasswordData') return { requestParameters: { instanceId: instance }, responseElements: null };
  if (n === 'CreateNetworkInterface') {
    return { requestParameters: { subnetId: rng.pick(res.subnets), groupSet: { items: [{ groupId: rng.pick(res.securityGroups) }] } }, responseElements: { requestId: rng.uuid(), networkInterface: { networkInterfaceId: `eni-0${rng.hex(16)}`, subnetId: rng.pick(res.subnets), status: 'pending' } } };
  }
  if (n === 'DeleteNetworkInterface') return { requestParameters: { networkInterfaceId: `eni-0${rng.hex(16)}` }, responseElements: { requestId: rng.uuid(), _return: true } };
  if (n === 'DescribeVolumes') return { requestParameters: { volumeSet: {}, filterSet: {} }, responseElements: null };
  if (n === 'DescribeSnapshots') return { requestParameters: { snapshotSet: {}, ownersSet: { items: [{ owner: 'self' }] }, filterSet: {} }, responseElements: null };
  if (n === 'DescribeSecurityGroups') return { requestParameters: { securityGroupSet: {}, securityGroupIdSet: {}, filterSet: {} }, responseElements: null };
  if (n === 'DescribeTags') return { requestParameters: { filterSet: { items: [{ name: 'resource-id', valueSet: { items: [{ value: instance }] } }] } }, responseElements: null };
  if (n.startsWith('Describe')) return { requestParameters: { filterSet: {} }, responseElements: null };
  if (/Volume$/.test(n)) return { requestParameters: { volumeId: rng.pick(res.volumes), ...(n === 'AttachVolume' ? { instanceId: instance, device: '/dev/sdf' } : {}) }, responseElements: { requestId: rng.uuid(), _return: true } };
  return { requestParameters: { instanceId: instance }, responseElements: { requestId: rng.uuid(), _return: true } };
};

const sts: Builder = (c, a) => {
  const { rng, time } = c;
  if ((a.eventName === 'AssumeRole' || a.eventName === 'AssumeRoleWithWebIdentity') && c.target) {
    const { role, session } = c.target;
    const assumedArn = `arn:aws:sts::${role.account.id}:assumed-role/${role.name}/${session}`;
    const duration = a.eventName === 'AssumeRoleWithWebIdentity' ? 3600 : rng.pick([900, 3600, 3600, 43200]);
    const req: Record<string, unknown> = { roleArn: role.arn, roleSessionName: session, durationSeconds: duration };
    const resp: Record<string, unknown> = {
      credentials: { accessKeyId: `ASIA${role.account.keyInfix}${rng.keyChars(8)}`, sessionToken: sessionToken(rng), expiration: stsDate(time + duration * 1000) },
      assumedRoleUser: { assumedRoleId: `${role.principalId}:${session}`, arn: assumedArn },
    };
    if (a.eventName === 'AssumeRoleWithWebIdentity') {
      resp.subjectFromWebIdentityToken = 'repo:acme/platform:ref:refs/heads/main';
      resp.audience = 'sts.amazonaws.com';
      resp.provider = `arn:aws:iam::${role.account.id}:oidc-provider/token.actions.githubusercontent.com`;
    }
    return { requestParameters: req, responseElements: resp, resources: [{ accountId: role.account.id, type: 'AWS::IAM::Role', ARN: role.arn }] };
  }
  if (a.eventName === 'GetSessionToken') {
    return {
      requestParameters: { durationSeconds: 43200 },
      responseElements: { credentials: { accessKeyId: `ASIA${c.account.keyInfix}${rng.keyChars(8)}`, sessionToken: sessionToken(rng), expiration: stsDate(time + 43_200_000) } },
    };
  }
  if (a.eventName === 'GetAccessKeyInfo') return { requestParameters: { accessKeyId: `AKIA${rng.keyChars(16)}` }, responseElements: null };
  return none();
};

const iam: Builder = (c, a) => {
  const { rng, account, time } = c;
  const n = a.eventName;
  const roleName = rng.pick(['app-web-instance-role', 'orders-api-lambda-role', 'DevOpsRole', 'payments-task-role', 'SecurityAuditRole']);
  const policyArn = rng.pick(['arn:aws:iam::aws:policy/ReadOnlyAccess', 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess', `arn:aws:iam::${account.id}:policy/app-runtime`]);
  if (n === 'CreateRole') {
    const name = `${rng.pick(['svc', 'app', 'batch'])}-${rng.alnum(6).toLowerCase()}-role`;
    const doc = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
    return {
      requestParameters: { path: '/', roleName: name, assumeRolePolicyDocument: doc, maxSessionDuration: 3600 },
      responseElements: { role: { path: '/', roleName: name, roleId: `AROA${account.keyInfix}${rng.keyChars(9)}`, arn: `arn:aws:iam::${account.id}:role/${name}`, createDate: stsDate(time).replace(/, (\d+:)/, ' $1'), assumeRolePolicyDocument: encodeURIComponent(doc) } },
    };
  }
  if (n === 'AttachRolePolicy' || n === 'DetachRolePolicy') return { requestParameters: { roleName, policyArn }, responseElements: null };
  if (n === 'PutRolePolicy') {
    return { requestParameters: { roleName, policyName: 'inline-access', policyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: '*' }] }) }, responseElements: null };
  }
  if (/Role(Policies|Policy)?$/.test(n) || n === 'GetRole' || n === 'TagRole' || n === 'ListInstanceProfilesForRole' || n === 'UpdateAssumeRolePolicy') return { requestParameters: { roleName }, responseElements: null };
  if (n === 'GetPolicy' || n === 'GetPolicyVersion') return { requestParameters: { policyArn, ...(n === 'GetPolicyVersion' ? { versionId: `v${rng.int(1, 5)}` } : {}) }, responseElements: null };
  if (n === 'CreatePolicyVersion') return { requestParameters: { policyArn, policyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] }), setAsDefault: true }, responseElements: { policyVersion: { versionId: `v${rng.int(2, 5)}`, isDefaultVersion: true, createDate: stsDate(time) } } };
  if (n === 'CreateUser' || n === 'CreateAccessKey' || n === 'CreateLoginProfile' || n === 'AddUserToGroup' || n === 'UpdateAccessKey') {
    // User management acts on another user (the add-on's `user` is this target, not the caller).
    const userName = c.targetUser ?? (n === 'CreateUser' ? `${rng.pick(['contractor', 'temp', 'analyst'])}-${rng.alnum(5).toLowerCase()}` : rng.pick(['build-bot', 'reporting', 'contractor-jd', 'analyst-kw']));
    const created = stsDate(time).replace(/, (\d+:)/, ' $1');
    if (n === 'CreateUser') return { requestParameters: { userName, path: '/' }, responseElements: { user: { path: '/', userName, userId: `AIDA${account.keyInfix}${rng.keyChars(9)}`, arn: `arn:aws:iam::${account.id}:user/${userName}`, createDate: created } } };
    if (n === 'CreateAccessKey') return { requestParameters: { userName }, responseElements: { accessKey: { userName, accessKeyId: `AKIA${account.keyInfix}${rng.keyChars(8)}`, status: 'Active', createDate: created } } };
    if (n === 'CreateLoginProfile') return { requestParameters: { userName, passwordResetRequired: true }, responseElements: { loginProfile: { userName, createDate: created, passwordResetRequired: true } } };
    if (n === 'AddUserToGroup') return { requestParameters: { groupName: rng.pick(['developers', 'readonly', 'oncall']), userName }, responseElements: null };
    return { requestParameters: { userName, accessKeyId: `AKIA${account.keyInfix}${rng.keyChars(8)}`, status: 'Inactive' }, responseElements: null };
  }
  if (n === 'GetUser' || n === 'ListAccessKeys' || n === 'ListMFADevices' || n === 'ListGroupsForUser') {
    return { requestParameters: c.identity.type === 'IAMUser' ? { userName: c.identity.name } : null, responseElements: null };
  }
  if (n === 'ListUsers' || n === 'ListRoles' || n === 'ListPolicies') return { requestParameters: n === 'ListPolicies' ? { scope: 'Local', onlyAttached: false } : null, responseElements: null };
  if (n === 'GetAccountAuthorizationDetails') return { requestParameters: { filter: ['User', 'Role', 'Group', 'LocalManagedPolicy'] }, responseElements: null };
  return none();
};

const kms: Builder = (c, a) => {
  const { rng, account, region } = c;
  const key = rng.pick(account.resources.kmsKeys);
  const keyArn = `arn:aws:kms:${region}:${account.id}:key/${key}`;
  const resources = [{ accountId: account.id, type: 'AWS::KMS::Key', ARN: keyArn }];
  if (a.eventName === 'Decrypt' || a.eventName === 'Encrypt') return { requestParameters: { encryptionAlgorithm: 'SYMMETRIC_DEFAULT', ...(a.eventName === 'Encrypt' ? { keyId: keyArn } : {}) }, responseElements: null, resources };
  if (a.eventName === 'GenerateDataKey') return { requestParameters: { keyId: rng.pick([keyArn, 'alias/aws/s3', 'alias/aws/secretsmanager']), keySpec: 'AES_256' }, responseElements: null, resources };
  if (a.eventName === 'ScheduleKeyDeletion') return { requestParameters: { keyId: key, pendingWindowInDays: 7 }, responseElements: { keyId: keyArn, deletionDate: stsDate(c.time + 7 * 86_400_000), keyState: 'PendingDeletion', pendingWindowInDays: 7 }, resources };
  if (a.eventName === 'ListKeys' || a.eventName === 'ListAliases') return none();
  return { requestParameters: { keyId: key }, responseElements: null, resources };
};

const byName = (param: string, pickFrom: (a: Account) => string[]): Builder => (c, a) => ({
  requestParameters: a.eventName.startsWith('List') || a.eventName.startsWith('DescribeLogGroups') ? null : { [param]: c.rng.pick(pickFrom(c.account)) },
  responseElements: null,
});

const BY_SOURCE: Record<string, Builder> = {
  's3.amazonaws.com': s3,
  'ec2.amazonaws.com': ec2,
  'sts.amazonaws.com': sts,
  'iam.amazonaws.com': iam,
  'kms.amazonaws.com': kms,
  'lambda.amazonaws.com': byName('functionName', (a) => a.resources.functions),
  'logs.amazonaws.com': (c, a) => {
    const logGroupName = c.rng.pick(c.account.resources.logGroups);
    if (a.eventName === 'CreateLogStream') return { requestParameters: { logGroupName, logStreamName: `${new Date(c.time).toISOString().slice(0, 10).replace(/-/g, '/')}/[$LATEST]${c.rng.hex(32)}` }, responseElements: null };
    if (a.eventName === 'DescribeLogGroups') return { requestParameters: { limit: 50 }, responseElements: null };
    return { requestParameters: { logGroupName }, responseElements: null };
  },
  'dynamodb.amazonaws.com': byName('tableName', (a) => a.resources.tables),
  'ssm.amazonaws.com': (c, a) => {
    if (a.eventName === 'UpdateInstanceInformation' || a.eventName === 'ListInstanceAssociations') {
      const instanceId = c.identity.roleKind === 'ec2' && c.sessionName ? c.sessionName : c.rng.pick(c.account.resources.instances);
      return { requestParameters: { instanceId, ...(a.eventName === 'UpdateInstanceInformation' ? { agentVersion: '3.3.40.0', agentStatus: 'Active', platformType: 'Linux', platformName: 'Amazon Linux', platformVersion: '2023' } : { maxResults: 20 }) }, responseElements: null };
    }
    if (a.eventName === 'GetParameters') return { requestParameters: { names: c.rng.sample(c.account.resources.parameters, 2), withDecryption: true }, responseElements: null };
    if (a.eventName === 'GetParametersByPath') return { requestParameters: { path: '/app/', recursive: true, withDecryption: true }, responseElements: null };
    if (a.eventName.startsWith('Describe')) return { requestParameters: { maxResults: 50 }, responseElements: null };
    return { requestParameters: { name: c.rng.pick(c.account.resources.parameters), ...(a.eventName === 'PutParameter' ? { type: 'SecureString', overwrite: true } : { withDecryption: true }) }, responseElements: a.eventName === 'PutParameter' ? { version: c.rng.int(2, 40), tier: 'Standard' } : null };
  },
  'secretsmanager.amazonaws.com': byName('secretId', (a) => a.resources.secrets),
  'cloudformation.amazonaws.com': byName('stackName', (a) => a.resources.stacks),
  'ecr.amazonaws.com': (c, a) => (a.eventName === 'GetAuthorizationToken' ? { requestParameters: { registryIds: [c.account.id] }, responseElements: null } : { requestParameters: { repositoryName: c.rng.pick(c.account.resources.repositories), registryId: c.account.id }, responseElements: null }),
  'ecs.amazonaws.com': byName('cluster', (a) => a.resources.clusters),
  'cloudtrail.amazonaws.com': (c, a) => {
    const trail = `arn:aws:cloudtrail:${c.account.homeRegion}:${c.account.id}:trail/org-trail`;
    if (a.eventName === 'LookupEvents') return { requestParameters: { maxResults: 50, lookupAttributes: [{ attributeKey: 'EventName', attributeValue: c.rng.pick(['ConsoleLogin', 'RunInstances', 'CreateUser']) }] }, responseElements: null };
    if (a.eventName === 'DescribeTrails' || a.eventName === 'ListTrails') return { requestParameters: { includeShadowTrails: true }, responseElements: null };
    return { requestParameters: { name: trail }, responseElements: null };
  },
};

export function buildPayload(c: CallContext, a: ApiDef): Payload {
  const b = BY_SOURCE[a.eventSource];
  return b ? b(c, a) : none();
}
