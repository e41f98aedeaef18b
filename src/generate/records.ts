/**
 * Turns one call (who, what, when) into a CloudTrail record with the field set, key order and
 * userIdentity shapes of real CloudTrail (IAMUser with and without a session, AssumedRole with
 * sessionIssuer, AWSService, Root), errors, user agents, TLS details and event categories.
 */
import { USER_AGENTS, type AgentKind, type ApiDef } from './catalog.js';
import { buildPayload, type Payload } from './payloads.js';
import { hash32, stableChars, type Rng } from './prng.js';
import type { Identity, RoleSession, World } from './world.js';

export type CloudTrailRecord = Record<string, unknown> & {
  eventTime: string;
  eventID: string;
  eventName: string;
  eventSource: string;
  userIdentity: Record<string, unknown>;
};

export interface CallSpec {
  identity: Identity;
  api: ApiDef;
  time: number;
  /** Scenario overrides; background calls leave these unset. */
  success?: boolean;
  session?: RoleSession;
  /** IAM users: call from a console session (true) or with the long-term key (false). */
  console?: boolean;
  mfa?: boolean;
  ip?: string;
  userAgent?: string;
  region?: string;
  /** AssumeRole: the role and session name. */
  target?: { role: Identity; session: string };
  /** IAM user-management calls (CreateAccessKey, …): the IAM user acted on. */
  targetUser?: string;
}

/** What the stream needs to know about a built record besides its JSON. */
export interface BuiltCall {
  record: CloudTrailRecord;
  success: boolean;
  mfaAuthenticated: boolean | null;
  /** The role name of an AssumedRole caller (sessionIssuer.userName). */
  roleName: string | null;
}

const HOUR = 3_600_000;
const ENDPOINT_SERVICES = new Set(['s3.amazonaws.com', 'kms.amazonaws.com', 'ssm.amazonaws.com', 'logs.amazonaws.com', 'secretsmanager.amazonaws.com', 'ecr.amazonaws.com', 'dynamodb.amazonaws.com']);

export function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** Sessions start on a per-identity grid, so calls of one hour share creationDate and key. */
function sessionStart(key: string, time: number, length: number): number {
  const offset = hash32(key) % length;
  return Math.floor((time - offset) / length) * length + offset;
}

function natIp(accountId: string): string {
  return `198.51.100.${(hash32(accountId) % 100) + 2}`;
}

function agentString(kind: AgentKind, api: ApiDef, rng: Rng): string {
  const svc = api.eventSource.split('.')[0]!;
  const cmd = `${svc}.${api.eventName.replace(/20\d{6}(v\d)?$/, '').replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase()}`;
  return rng.pick(USER_AGENTS[kind]).replace('{cmd}', cmd).replace('{svc}', svc);
}

function hostHeader(api: ApiDef, region: string, payload: Payload): string {
  const req = payload.requestParameters as Record<string, unknown> | null;
  if (api.eventSource === 's3.amazonaws.com') return typeof req?.Host === 'string' ? req.Host : 's3.amazonaws.com';
  if (api.eventSource === 'signin.amazonaws.com') return 'signin.aws.amazon.com';
  if (api.global) return `${api.eventSource.split('.')[0]}.amazonaws.com`;
  return `${api.eventSource.split('.')[0]}.${region}.amazonaws.com`;
}

function tls(rng: Rng, host: string): Record<string, string> {
  return rng.chance(0.6)
    ? { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256', clientProvidedHostHeader: host }
    : { tlsVersion: 'TLSv1.2', cipherSuite: 'ECDHE-RSA-AES128-GCM-SHA256', clientProvidedHostHeader: host };
}

function iamAction(api: ApiDef): string {
  return `${api.eventSource.split('.')[0]}:${api.eventName.replace(/20\d{6}(v\d)?$/, '')}`;
}

function errorFor(rng: Rng, api: ApiDef, callerArn: string, resourceArn: string): { errorCode: string; errorMessage: string } {
  const r = rng.next();
  const ec2 = api.eventSource === 'ec2.amazonaws.com';
  if (r < 0.25) return ec2 ? { errorCode: 'Client.RequestLimitExceeded', errorMessage: 'Request limit exceeded.' } : { errorCode: 'ThrottlingException', errorMessage: 'Rate exceeded' };
  if (r < 0.85) {
    if (ec2) return { errorCode: 'Client.UnauthorizedOperation', errorMessage: `You are not authorized to perform this operation. Encoded authorization failure message: ${rng.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_', 160)}` };
    if (api.eventSource === 's3.amazonaws.com') return { errorCode: 'AccessDenied', errorMessage: 'Access Denied' };
    const action = iamAction(api);
    return { errorCode: 'AccessDenied', errorMessage: `User: ${callerArn} is not authorized to perform: ${action} on resource: ${resourceArn} because no identity-based policy allows the ${action} action` };
  }
  if (api.eventSource === 'iam.amazonaws.com') return { errorCode: 'NoSuchEntityException', errorMessage: `The role with name ${resourceArn.split('/').pop()} cannot be found.` };
  if (api.eventSource === 's3.amazonaws.com') return { errorCode: 'NoSuchBucketPolicy', errorMessage: 'The bucket policy does not exist' };
  if (ec2) return { errorCode: 'Client.InvalidInstanceID.NotFound', errorMessage: `The instance ID 'i-0${rng.hex(16)}' does not exist` };
  return { errorCode: 'ResourceNotFoundException', errorMessage: 'Requested resource not found' };
}

export function eventVersionFor(eventSource: string): string {
  return hash32(eventSource) % 3 === 0 ? '1.09' : '1.08';
}

/** Something AWS did by itself (key rotation, secret rotation): no caller, eventType AwsServiceEvent. */
function buildServiceEvent(rng: Rng, spec: CallSpec): BuiltCall {
  const { identity: id, api, time } = spec;
  const acct = id.account;
  const region = acct.homeRegion;
  const host = api.eventSource;
  const record: Record<string, unknown> = {
    eventVersion: eventVersionFor(api.eventSource),
    userIdentity: { accountId: acct.id, invokedBy: host },
    eventTime: isoSeconds(time),
    eventSource: api.eventSource,
    eventName: api.eventName,
    awsRegion: region,
    sourceIPAddress: host,
    userAgent: host,
    requestParameters: null,
    responseElements: null,
  };
  if (api.eventName === 'RotationSucceeded') {
    const secret = `arn:aws:secretsmanager:${region}:${acct.id}:secret:${rng.pick(acct.resources.secrets)}-${rng.alnum(6)}`;
    record.additionalEventData = { SecretId: secret };
    record.requestID = rng.uuid();
    record.eventID = rng.uuid();
    record.readOnly = false;
  } else {
    record.eventID = rng.uuid();
    record.readOnly = false;
    const key = rng.pick(acct.resources.kmsKeys);
    record.resources = [{ accountId: acct.id, type: 'AWS::KMS::Key', ARN: `arn:aws:kms:${region}:${acct.id}:key/${key}` }];
    record.serviceEventDetails = { keyId: key };
  }
  record.eventType = 'AwsServiceEvent';
  record.managementEvent = true;
  record.recipientAccountId = acct.id;
  record.eventCategory = 'Management';
  return { record: record as CloudTrailRecord, success: true, mfaAuthenticated: null, roleName: null };
}

export function buildCall(rng: Rng, world: World, spec: CallSpec): BuiltCall {
  if (spec.api.serviceEvent) return buildServiceEvent(rng, spec);
  const { identity: id, api, time } = spec;
  const acct = id.account;
  const region = api.global ? 'us-east-1' : (spec.region ?? (rng.chance(0.85) ? id.regions[0]! : rng.pick(id.regions)));
  const consoleLogin = api.eventName === 'ConsoleLogin';
  let target = spec.target;
  let invokedByService: string | undefined;

  // AssumeRole targets: people assume their cross-account roles; AWS services assume workload roles.
  if (api.eventName === 'AssumeRole' && !target) {
    if (id.kind === 'human-user' && id.assumes.length > 0) target = { role: rng.pick(id.assumes), session: id.name };
    if (id.kind === 'aws-service') {
      const candidates = world.identities.filter((i) => i.account === acct && (i.assumedBy !== undefined || i.kind === 'service-linked-role'));
      if (candidates.length > 0) {
        const role = rng.pick(candidates);
        target = { role, session: rng.pick(role.sessions).name };
        invokedByService = role.assumedBy ?? role.service;
      }
    }
  }
  if (id.kind === 'aws-service' && !invokedByService) invokedByService = rng.pick(['cloudtrail.amazonaws.com', 's3.amazonaws.com', 'secretsmanager.amazonaws.com']);

  // Who is calling, and with which credentials.
  let userIdentity: Record<string, unknown>;
  let mfaAuthenticated: boolean | null = null;
  let console = false;
  let callerArn = id.arn;
  let roleName: string | null = null;
  let sessionName = '';
  switch (id.type) {
    case 'IAMUser': {
      console = spec.console ?? (id.kind === 'human-user' && rng.chance(id.consoleShare));
      // GetSessionToken itself needs the long-term key; its credentials then sign later calls.
      const temporary = console || (id.kind === 'service-user' && api.eventName !== 'GetSessionToken' && rng.chance(id.sessionShare));
      userIdentity = { type: 'IAMUser', principalId: id.principalId, arn: id.arn, accountId: acct.id };
      if (!consoleLogin) {
        if (temporary) {
          const start = sessionStart(`${id.arn}/${console ? 'console' : 'sts'}`, time, console ? 8 * HOUR : 12 * HOUR);
          mfaAuthenticated = spec.mfa ?? (console ? id.mfa : false);
          userIdentity.accessKeyId = `ASIA${acct.keyInfix}${stableChars(`${id.arn}|${start}|${mfaAuthenticated}`, 8)}`;
          userIdentity.userName = id.name;
          userIdentity.sessionContext = { sessionIssuer: {}, webIdFederationData: {}, attributes: { creationDate: isoSeconds(start), mfaAuthenticated: String(mfaAuthenticated) } };
        } else {
          userIdentity.accessKeyId = id.accessKeyId;
          userIdentity.userName = id.name;
        }
      } else {
        userIdentity.userName = id.name;
      }
      break;
    }
    case 'AssumedRole': {
      const session = spec.session ?? rng.pick(id.sessions);
      sessionName = session.name;
      roleName = id.name;
      mfaAuthenticated = spec.mfa ?? session.mfa;
      console = spec.console ?? ((id.roleKind === 'sso' || id.roleKind === 'cross-account') && rng.chance(id.consoleShare));
      const start = sessionStart(`${id.arn}/${session.name}`, time, HOUR);
      callerArn = `arn:aws:sts::${acct.id}:assumed-role/${id.name}/${session.name}`;
      const sessionContext: Record<string, unknown> = {
        sessionIssuer: { type: 'Role', principalId: id.principalId, arn: id.arn, accountId: acct.id, userName: id.name },
        webIdFederationData: id.roleKind === 'oidc' ? { federatedProvider: `arn:aws:iam::${acct.id}:oidc-provider/token.actions.githubusercontent.com`, attributes: {} } : {},
        attributes: { creationDate: isoSeconds(start), mfaAuthenticated: String(mfaAuthenticated) },
      };
      if (id.roleKind === 'ec2') sessionContext.ec2RoleDelivery = '2.0';
      userIdentity = {
        type: 'AssumedRole', principalId: `${id.principalId}:${session.name}`, arn: callerArn, accountId: acct.id,
        accessKeyId: `ASIA${acct.keyInfix}${stableChars(`${callerArn}|${start}`, 8)}`, sessionContext,
      };
      if (id.service) userIdentity.invokedBy = id.service;
      break;
    }
    case 'AWSService':
      userIdentity = { type: 'AWSService', invokedBy: invokedByService };
      break;
    case 'Root': {
      userIdentity = { type: 'Root', principalId: acct.id, arn: id.arn, accountId: acct.id };
      console = true;
      if (consoleLogin) userIdentity.accessKeyId = '';
      else {
        mfaAuthenticated = true;
        const start = sessionStart(id.arn, time, 2 * HOUR);
        userIdentity.accessKeyId = `ASIA${acct.keyInfix}${stableChars(`${id.arn}|${start}`, 8)}`;
        userIdentity.sessionContext = { sessionIssuer: {}, webIdFederationData: {}, attributes: { creationDate: isoSeconds(start), mfaAuthenticated: 'true' } };
      }
      break;
    }
  }

  const payload = consoleLogin ? null : buildPayload({ rng, identity: id, account: acct, region, time, target, sessionName, targetUser: spec.targetUser }, api);

  // Where from, and with what client.
  const serviceHost = id.kind === 'aws-service' ? invokedByService : id.service;
  let ip: string;
  let ua: string;
  let vpcEndpointId: string | undefined;
  if (serviceHost) {
    ip = serviceHost;
    ua = serviceHost;
  } else if (consoleLogin) {
    ip = spec.ip ?? rng.pick(id.ips);
    ua = spec.userAgent ?? USER_AGENTS.browser[hash32(id.arn) % USER_AGENTS.browser.length]!;
  } else if (console) {
    // Some console calls are made by AWS on the user's behalf and show no client address.
    ip = spec.ip ?? (rng.chance(0.1) ? 'AWS Internal' : rng.pick(id.ips));
    ua = spec.userAgent ?? (api.eventSource === 's3.amazonaws.com' ? USER_AGENTS.s3console[0]! : 'AWS Internal');
  } else if (id.roleKind === 'ec2' || id.roleKind === 'ecs') {
    const viaEndpoint = ENDPOINT_SERVICES.has(api.eventSource);
    ip = spec.ip ?? (viaEndpoint ? rng.pick(id.ips) : natIp(acct.id));
    if (viaEndpoint && !spec.ip) vpcEndpointId = `vpce-0${stableChars(`${acct.id}|${api.eventSource}`, 16, '0123456789abcdef')}`;
    const agent: AgentKind = id.roleKind === 'ec2' && api.eventSource === 'ssm.amazonaws.com' ? 'ssmAgent' : rng.pick(id.agents);
    ua = spec.userAgent ?? agentString(agent, api, rng);
  } else if (id.roleKind === 'lambda') {
    ip = spec.ip ?? natIp(acct.id);
    ua = spec.userAgent ?? agentString(rng.pick(id.agents), api, rng);
  } else {
    ip = spec.ip ?? rng.pick(id.ips);
    ua = spec.userAgent ?? agentString(rng.pick(id.agents.length > 0 ? id.agents : (['cli'] as AgentKind[])), api, rng);
  }

  // Outcome.
  let error: { errorCode: string; errorMessage: string } | null = null;
  let loginFailed = false;
  if (spec.success !== true) {
    if (consoleLogin) loginFailed = rng.chance(0.06);
    else if (rng.chance(id.errorRate)) {
      const req = payload?.requestParameters as Record<string, unknown> | null | undefined;
      const resource = payload?.resources?.[0]?.ARN ?? (typeof req?.roleArn === 'string' ? req.roleArn : `arn:aws:${api.eventSource.split('.')[0]}:${region}:${acct.id}:*`);
      error = errorFor(rng, api, callerArn, resource);
    }
  }

  const record: Record<string, unknown> = {
    eventVersion: eventVersionFor(api.eventSource),
    userIdentity,
    eventTime: isoSeconds(time),
    eventSource: api.eventSource,
    eventName: api.eventName,
    awsRegion: region,
    sourceIPAddress: ip,
    userAgent: ua,
  };
  if (error) {
    record.errorCode = error.errorCode;
    record.errorMessage = error.errorMessage;
  }
  if (consoleLogin) {
    record.requestParameters = null;
    record.responseElements = { ConsoleLogin: loginFailed ? 'Failure' : 'Success' };
    if (loginFailed) record.errorMessage = 'Failed authentication';
    const mfaUsed = spec.mfa ?? id.mfa;
    record.additionalEventData = {
      LoginTo: `https://${region}.console.aws.amazon.com/console/home?region=${region}&state=hashArgs%23&isauthcode=true`,
      MobileVersion: 'No',
      ...(mfaUsed && id.type === 'IAMUser' ? { MFAIdentifier: `arn:aws:iam::${acct.id}:mfa/${id.name}` } : {}),
      MFAUsed: mfaUsed ? 'Yes' : 'No',
    };
  } else {
    record.requestParameters = payload!.requestParameters;
    record.responseElements = error ? null : payload!.responseElements;
    if (payload!.additionalEventData) record.additionalEventData = payload!.additionalEventData;
    record.requestID = payload!.requestID ?? rng.uuid();
  }
  record.eventID = rng.uuid();
  record.readOnly = api.readOnly;
  if (payload?.resources) record.resources = payload.resources;
  record.eventType = consoleLogin ? 'AwsConsoleSignIn' : 'AwsApiCall';
  record.managementEvent = !api.dataEvent;
  record.recipientAccountId = acct.id;
  if (id.kind === 'aws-service' && api.eventName === 'AssumeRole') record.sharedEventID = rng.uuid();
  if (vpcEndpointId) record.vpcEndpointId = vpcEndpointId;
  record.eventCategory = api.dataEvent ? 'Data' : 'Management';
  if (!serviceHost && ua !== 'AWS Internal') record.tlsDetails = tls(rng, hostHeader(api, region, payload ?? { requestParameters: null, responseElements: null }));
  if (console && !consoleLogin && id.type !== 'Root') record.sessionCredentialFromConsole = 'true';

  const success = !error && !loginFailed;
  return { record: record as CloudTrailRecord, success, mfaAuthenticated, roleName };
}
