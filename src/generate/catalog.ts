/**
 * The generator's vocabulary, as data: real CloudTrail event names with their event sources,
 * whether CloudTrail marks them read-only, which are data events, and the personas (habit pools)
 * identities draw their APIs from. Shapes were checked against the real events in
 * ../shared/data (invictus-ir, panther, OTRF).
 */

export interface ApiDef {
  /** `s3:GetObject` style key. */
  key: string;
  eventSource: string;
  eventName: string;
  readOnly: boolean;
  /** S3 object-level / Lambda Invoke / DynamoDB item calls are data events (managementEvent=false). */
  dataEvent: boolean;
  /** Services whose calls are logged in us-east-1 whatever the caller's region. */
  global: boolean;
  /** Recorded as eventType AwsServiceEvent: done by AWS itself, with no caller identity type. */
  serviceEvent: boolean;
}

/** Event names per service prefix. The service prefix is also the IAM action prefix. */
const NAMES: Record<string, string[]> = {
  iam: [
    'GetUser', 'ListUsers', 'ListRoles', 'GetRole', 'ListAttachedRolePolicies', 'ListRolePolicies', 'GetRolePolicy',
    'GetPolicy', 'GetPolicyVersion', 'ListPolicies', 'ListGroups', 'ListGroupsForUser', 'GetAccountSummary',
    'ListAccessKeys', 'GetAccountAuthorizationDetails', 'ListMFADevices', 'ListInstanceProfilesForRole',
    'GetInstanceProfile', 'GetAccountPasswordPolicy', 'ListAccountAliases', 'GenerateCredentialReport',
    'GetCredentialReport', 'CreateRole', 'AttachRolePolicy', 'DetachRolePolicy', 'PutRolePolicy', 'DeleteRole',
    'CreatePolicy', 'CreatePolicyVersion', 'TagRole', 'UpdateAssumeRolePolicy', 'CreateUser', 'CreateAccessKey',
    'DeleteAccessKey', 'UpdateAccessKey', 'CreateLoginProfile', 'CreateServiceLinkedRole', 'AddUserToGroup',
    'AttachUserPolicy', 'PassRole',
  ],
  sts: ['AssumeRole', 'GetCallerIdentity', 'GetSessionToken', 'AssumeRoleWithWebIdentity', 'DecodeAuthorizationMessage', 'GetAccessKeyInfo'],
  s3: [
    'ListBuckets', 'GetBucketAcl', 'GetBucketPolicy', 'GetBucketLocation', 'GetBucketVersioning', 'GetBucketEncryption',
    'GetBucketTagging', 'GetBucketLogging', 'GetBucketPublicAccessBlock', 'GetBucketPolicyStatus', 'CreateBucket',
    'PutBucketPolicy', 'PutBucketTagging', 'PutBucketEncryption', 'PutBucketVersioning', 'DeleteBucket', 'PutBucketAcl',
    'PutBucketPublicAccessBlock', 'DeleteBucketPolicy', 'GetObject', 'PutObject', 'HeadObject', 'ListObjects',
    'DeleteObject',
  ],
  ec2: [
    'DescribeInstances', 'DescribeVolumes', 'DescribeSecurityGroups', 'DescribeSubnets', 'DescribeVpcs', 'DescribeImages',
    'DescribeRegions', 'DescribeAvailabilityZones', 'DescribeSnapshots', 'DescribeNetworkInterfaces', 'DescribeAddresses',
    'DescribeKeyPairs', 'DescribeInstanceStatus', 'DescribeTags', 'DescribeLaunchTemplates', 'DescribeRouteTables',
    'DescribeAccountAttributes', 'RunInstances', 'StartInstances', 'StopInstances', 'TerminateInstances',
    'RebootInstances', 'CreateTags', 'DeleteTags', 'CreateVolume', 'AttachVolume', 'DetachVolume', 'DeleteVolume',
    'CreateSnapshot', 'DeleteSnapshot', 'CreateSecurityGroup', 'AuthorizeSecurityGroupIngress',
    'RevokeSecurityGroupIngress', 'CreateKeyPair', 'ImportKeyPair', 'CreateNetworkInterface', 'DeleteNetworkInterface',
    'ModifyInstanceAttribute', 'GetPasswordData', 'CreateImage', 'CopySnapshot', 'ModifySnapshotAttribute',
    'AllocateAddress', 'AssociateAddress',
  ],
  lambda: [
    'ListFunctions20150331', 'GetFunction20150331v2', 'GetFunctionConfiguration20150331v2', 'CreateFunction20150331',
    'UpdateFunctionCode20150331v2', 'UpdateFunctionConfiguration20150331v2', 'AddPermission20150331v2',
    'DeleteFunction20150331', 'PublishVersion20150331', 'Invoke',
  ],
  kms: [
    'RotateKey', 'Decrypt', 'Encrypt', 'GenerateDataKey', 'DescribeKey', 'ListKeys', 'ListAliases', 'CreateKey', 'ScheduleKeyDeletion',
    'DisableKey', 'PutKeyPolicy', 'CreateGrant', 'GetKeyPolicy', 'GetKeyRotationStatus',
  ],
  cloudtrail: [
    'DescribeTrails', 'GetTrailStatus', 'LookupEvents', 'GetEventSelectors', 'ListTrails', 'StopLogging', 'DeleteTrail',
    'UpdateTrail', 'PutEventSelectors', 'CreateTrail', 'StartLogging',
  ],
  logs: [
    'CreateLogGroup', 'CreateLogStream', 'DescribeLogGroups', 'DescribeLogStreams', 'FilterLogEvents', 'GetLogEvents',
    'PutRetentionPolicy', 'DeleteLogGroup', 'StartQuery', 'GetQueryResults',
  ],
  dynamodb: ['DescribeTable', 'ListTables', 'CreateTable', 'UpdateTable', 'DeleteTable', 'DescribeContinuousBackups', 'GetItem', 'PutItem', 'Query'],
  ssm: [
    'UpdateInstanceInformation', 'ListInstanceAssociations', 'GetParameter', 'GetParameters', 'GetParametersByPath',
    'DescribeParameters', 'PutParameter', 'DeleteParameter', 'SendCommand', 'StartSession', 'DescribeInstanceInformation',
  ],
  secretsmanager: ['RotationSucceeded', 'GetSecretValue', 'DescribeSecret', 'ListSecrets', 'CreateSecret', 'PutSecretValue', 'DeleteSecret', 'RotateSecret'],
  monitoring: ['DescribeAlarms', 'GetMetricData', 'PutMetricAlarm', 'ListMetrics', 'GetMetricStatistics'],
  ecr: ['GetAuthorizationToken', 'BatchGetImage', 'DescribeRepositories', 'GetDownloadUrlForLayer', 'PutImage', 'InitiateLayerUpload', 'CompleteLayerUpload', 'CreateRepository', 'BatchCheckLayerAvailability'],
  ecs: ['DescribeServices', 'ListClusters', 'DescribeTasks', 'UpdateService', 'RegisterTaskDefinition', 'RunTask', 'DescribeClusters', 'ListTasks'],
  rds: ['DescribeDBInstances', 'DescribeDBSnapshots', 'CreateDBSnapshot', 'ModifyDBInstance', 'DescribeDBClusters'],
  sns: ['ListTopics', 'GetTopicAttributes', 'Publish'],
  guardduty: ['ListDetectors', 'GetFindings', 'ListFindings', 'GetDetector'],
  config: ['DescribeConfigRules', 'PutEvaluations', 'DescribeConfigurationRecorders', 'DescribeComplianceByConfigRule'],
  organizations: ['DescribeOrganization', 'ListAccounts', 'ListPolicies'],
  cloudformation: ['DescribeStacks', 'CreateStack', 'UpdateStack', 'DescribeStackEvents', 'ListStacks', 'GetTemplate', 'CreateChangeSet', 'ExecuteChangeSet', 'DescribeChangeSet', 'DeleteStack'],
  elasticloadbalancing: ['DescribeLoadBalancers', 'DescribeTargetHealth', 'RegisterTargets', 'DescribeTargetGroups'],
  health: ['DescribeEventAggregates'],
  signin: ['ConsoleLogin'],
};

/** Verbs CloudTrail records as read-only, plus exceptions by name. */
const READ_PREFIXES = ['Get', 'List', 'Describe', 'Head', 'Lookup', 'BatchGet', 'BatchCheck', 'Scan', 'Query', 'Search', 'Filter', 'Decode'];
const READ_ONLY_NAMES = new Set(['Decrypt', 'Encrypt', 'GenerateDataKey', 'AssumeRole', 'AssumeRoleWithWebIdentity', 'GetSessionToken', 'GetCallerIdentity']);
const NOT_READ_ONLY_NAMES = new Set(['ConsoleLogin', 'GetPasswordData', 'GenerateCredentialReport', 'StartQuery', 'GetAuthorizationToken']);
const DATA_EVENTS = new Set(['s3:GetObject', 's3:PutObject', 's3:HeadObject', 's3:DeleteObject', 'lambda:Invoke', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query']);
const SERVICE_EVENTS = new Set(['kms:RotateKey', 'secretsmanager:RotationSucceeded']);
const GLOBAL_SOURCES = new Set(['iam', 'organizations', 'health', 'signin']);
/** Actions that exist as IAM permissions but are not CloudTrail events; kept out of the catalog. */
const NOT_EVENTS = new Set(['iam:PassRole', 'organizations:ListPolicies']);

function isReadOnly(name: string): boolean {
  if (name === 'RotateKey' || name === 'RotationSucceeded') return false;
  if (READ_ONLY_NAMES.has(name)) return true;
  if (NOT_READ_ONLY_NAMES.has(name)) return false;
  return READ_PREFIXES.some((p) => name.startsWith(p));
}

export const APIS: ReadonlyMap<string, ApiDef> = (() => {
  const m = new Map<string, ApiDef>();
  for (const [svc, names] of Object.entries(NAMES)) {
    for (const eventName of names) {
      const key = `${svc}:${eventName}`;
      if (NOT_EVENTS.has(key)) continue;
      m.set(key, {
        key,
        eventSource: `${svc}.amazonaws.com`,
        eventName,
        readOnly: isReadOnly(eventName),
        dataEvent: DATA_EVENTS.has(key),
        global: GLOBAL_SOURCES.has(svc) || key === 's3:ListBuckets',
        serviceEvent: SERVICE_EVENTS.has(key),
      });
    }
  }
  return m;
})();

export function api(key: string): ApiDef {
  const d = APIS.get(key);
  if (!d) throw new Error(`generator catalog: unknown API ${key}`);
  return d;
}

/**
 * Habit pools. Each identity draws a subset of its persona's pool with Zipf-like weights; the
 * first entries of a pool are the most common for that persona.
 */
export const PERSONAS = {
  admin: [
    'sts:GetCallerIdentity', 'iam:ListRoles', 'iam:GetRole', 'iam:ListUsers', 'ec2:DescribeInstances', 's3:ListBuckets',
    'iam:ListAttachedRolePolicies', 'iam:GetPolicy', 'iam:GetPolicyVersion', 'ec2:DescribeSecurityGroups',
    'cloudtrail:DescribeTrails', 'cloudtrail:GetTrailStatus', 'iam:GetAccountSummary', 'organizations:DescribeOrganization',
    'organizations:ListAccounts', 'iam:CreateRole', 'iam:AttachRolePolicy', 'iam:PutRolePolicy', 'iam:TagRole',
    'ec2:CreateTags', 'ec2:AuthorizeSecurityGroupIngress', 'ec2:CreateSecurityGroup', 's3:GetBucketPolicy',
    's3:PutBucketTagging', 'kms:ListKeys', 'kms:DescribeKey', 'iam:CreatePolicy', 'iam:DetachRolePolicy',
    'ec2:StopInstances', 'ec2:StartInstances', 'guardduty:ListDetectors', 'iam:ListMFADevices', 'health:DescribeEventAggregates',
    'iam:CreateUser', 'iam:CreateAccessKey', 'iam:CreateLoginProfile', 'iam:AddUserToGroup', 'iam:UpdateAccessKey',
  ],
  developer: [
    'sts:GetCallerIdentity', 'lambda:ListFunctions20150331', 'lambda:GetFunction20150331v2', 'logs:DescribeLogGroups',
    'logs:FilterLogEvents', 'logs:GetLogEvents', 's3:ListBuckets', 's3:GetObject', 's3:PutObject', 'dynamodb:DescribeTable',
    'dynamodb:ListTables', 'ec2:DescribeInstances', 'cloudformation:DescribeStacks', 'cloudformation:DescribeStackEvents',
    'ecr:DescribeRepositories', 'ssm:GetParameter', 'ssm:GetParametersByPath', 'lambda:UpdateFunctionCode20150331v2',
    'lambda:UpdateFunctionConfiguration20150331v2', 'logs:StartQuery', 'logs:GetQueryResults', 'monitoring:GetMetricData',
    'sns:ListTopics', 'secretsmanager:DescribeSecret', 'lambda:Invoke', 'ecs:DescribeServices', 'ecs:ListClusters',
  ],
  auditor: [
    'iam:GetAccountSummary', 'iam:ListUsers', 'iam:ListRoles', 'iam:GetCredentialReport', 'iam:GenerateCredentialReport',
    'cloudtrail:LookupEvents', 'cloudtrail:DescribeTrails', 'cloudtrail:GetEventSelectors', 'guardduty:ListFindings',
    'guardduty:GetFindings', 'config:DescribeComplianceByConfigRule', 'config:DescribeConfigRules', 's3:GetBucketAcl',
    's3:GetBucketPolicyStatus', 's3:GetBucketPublicAccessBlock', 's3:GetBucketEncryption', 'ec2:DescribeSecurityGroups',
    'kms:GetKeyRotationStatus', 'iam:GetAccountPasswordPolicy', 'iam:ListMFADevices', 'ec2:DescribeRegions',
  ],
  terraform: [
    'sts:GetCallerIdentity', 'ec2:DescribeVpcs', 'ec2:DescribeSubnets', 'ec2:DescribeSecurityGroups', 'ec2:DescribeRouteTables',
    'ec2:DescribeAccountAttributes', 'iam:GetRole', 'iam:ListAttachedRolePolicies', 'iam:ListRolePolicies',
    's3:GetBucketAcl', 's3:GetBucketPolicy', 's3:GetBucketVersioning', 's3:GetBucketTagging', 's3:GetBucketEncryption',
    'kms:DescribeKey', 'kms:GetKeyPolicy', 'lambda:GetFunction20150331v2', 'ec2:DescribeInstances', 'ec2:CreateTags',
    'iam:TagRole', 'ec2:RunInstances', 'ec2:TerminateInstances', 'ec2:CreateSecurityGroup', 's3:PutBucketTagging',
    'lambda:UpdateFunctionConfiguration20150331v2', 'logs:PutRetentionPolicy', 'ssm:PutParameter', 'iam:CreatePolicyVersion',
  ],
  ciDeploy: [
    'sts:GetCallerIdentity', 'cloudformation:DescribeStacks', 'cloudformation:CreateChangeSet',
    'cloudformation:DescribeChangeSet', 'cloudformation:ExecuteChangeSet', 'cloudformation:DescribeStackEvents',
    's3:PutObject', 's3:GetObject', 'ecr:GetAuthorizationToken', 'ecr:InitiateLayerUpload', 'ecr:CompleteLayerUpload',
    'ecr:PutImage', 'ecr:BatchCheckLayerAvailability', 'lambda:UpdateFunctionCode20150331v2', 'lambda:PublishVersion20150331',
    'ecs:RegisterTaskDefinition', 'ecs:UpdateService', 'ecs:DescribeServices',
  ],
  backup: [
    'ec2:DescribeVolumes', 'ec2:CreateSnapshot', 'ec2:DescribeSnapshots', 'ec2:DeleteSnapshot', 'ec2:CreateTags',
    'rds:DescribeDBInstances', 'rds:CreateDBSnapshot', 'rds:DescribeDBSnapshots', 'dynamodb:DescribeContinuousBackups',
    's3:PutObject', 'sts:GetCallerIdentity',
  ],
  monitoring: [
    'monitoring:GetMetricData', 'monitoring:DescribeAlarms', 'monitoring:ListMetrics', 'ec2:DescribeInstances',
    'ec2:DescribeInstanceStatus', 'elasticloadbalancing:DescribeTargetHealth', 'elasticloadbalancing:DescribeLoadBalancers',
    'rds:DescribeDBInstances', 'logs:DescribeLogGroups', 'sts:GetCallerIdentity', 'monitoring:PutMetricAlarm',
    'ecs:DescribeClusters', 'ecs:ListTasks',
  ],
  ec2Instance: [
    'ssm:UpdateInstanceInformation', 'ssm:ListInstanceAssociations', 's3:GetObject', 'logs:CreateLogStream', 'kms:Decrypt',
    's3:PutObject', 'ec2:DescribeTags', 'secretsmanager:GetSecretValue', 'ssm:GetParameters', 'sts:GetCallerIdentity',
    'ec2:DescribeInstances', 'monitoring:ListMetrics', 'logs:DescribeLogStreams',
  ],
  lambdaRuntime: [
    'logs:CreateLogStream', 'kms:Decrypt', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 's3:GetObject',
    's3:PutObject', 'secretsmanager:GetSecretValue', 'sns:Publish', 'logs:CreateLogGroup', 'ssm:GetParameter',
  ],
  ecsTask: [
    'ecr:GetAuthorizationToken', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'logs:CreateLogStream', 's3:GetObject',
    'kms:Decrypt', 'ssm:GetParameters', 'secretsmanager:GetSecretValue', 'dynamodb:Query', 's3:PutObject',
  ],
  autoscalingLinked: ['ec2:DescribeInstances', 'ec2:RunInstances', 'ec2:TerminateInstances', 'ec2:DescribeInstanceStatus', 'elasticloadbalancing:RegisterTargets', 'ec2:CreateTags'],
  ecsLinked: ['ec2:DescribeNetworkInterfaces', 'ec2:CreateNetworkInterface', 'ec2:DeleteNetworkInterface', 'elasticloadbalancing:RegisterTargets', 'ec2:DescribeSubnets'],
  configLinked: ['ec2:DescribeSecurityGroups', 'iam:GetRole', 's3:GetBucketAcl', 'ec2:DescribeVolumes', 'config:PutEvaluations', 'iam:ListAttachedRolePolicies', 'kms:DescribeKey'],
  awsService: ['sts:AssumeRole', 'kms:GenerateDataKey', 'kms:Decrypt', 'kms:RotateKey', 'secretsmanager:RotationSucceeded'],
  root: ['signin:ConsoleLogin', 'iam:GetAccountSummary', 'iam:ListMFADevices', 'organizations:DescribeOrganization', 'iam:GetAccountPasswordPolicy'],
} satisfies Record<string, string[]>;

export type Persona = keyof typeof PERSONAS;

/** Read calls an intruder makes when exploring (scenario: a role's first call of an API). */
export const RECON_APIS = [
  'iam:GetAccountAuthorizationDetails', 'secretsmanager:ListSecrets', 'iam:ListAccessKeys', 'ec2:DescribeKeyPairs',
  'ssm:DescribeParameters', 'iam:ListUsers', 'rds:DescribeDBSnapshots', 'kms:ListAliases',
];

/** Write calls an intruder makes (scenario: a role/command pair never seen in the Change data model). */
export const INTRUSION_WRITES = [
  'ec2:ModifySnapshotAttribute', 's3:PutBucketPolicy', 'ec2:CreateKeyPair', 'ec2:AuthorizeSecurityGroupIngress',
  'kms:ScheduleKeyDeletion', 'cloudtrail:StopLogging', 'ec2:ImportKeyPair', 's3:PutBucketAcl',
];

/** Read calls made by an MFA-less console session (scenario: API activity without MFA). */
export const CONSOLE_BROWSE_APIS = [
  'sts:GetCallerIdentity', 's3:ListBuckets', 'ec2:DescribeInstances', 'iam:ListUsers', 'iam:GetAccountSummary',
  'secretsmanager:ListSecrets', 'iam:ListRoles', 'ec2:DescribeSecurityGroups',
];

export const USER_AGENTS = {
  console: ['AWS Internal'],
  s3console: [
    '[S3Console/0.4, aws-internal/3 aws-sdk-java/1.12.488 Linux/5.4.242-163.349.amzn2int.x86_64 OpenJDK_64-Bit_Server_VM/25.372-b08 java/1.8.0_372 vendor/Oracle_Corporation cfg/retry-mode/standard]',
  ],
  browser: [
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0',
    'Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:102.0) Gecko/20100101 Firefox/102.0',
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
  ],
  cli: [
    'aws-cli/2.15.30 Python/3.11.8 Darwin/23.4.0 exe/x86_64 prompt/off command/{cmd}',
    'aws-cli/2.13.25 Python/3.11.5 Linux/6.5.0-26-generic exe/x86_64.ubuntu.22 prompt/off command/{cmd}',
    'aws-cli/1.29.62 Python/3.10.12 Linux/5.15.0-1051-aws botocore/1.31.62',
  ],
  boto3: [
    'Boto3/1.34.69 md/Botocore#1.34.69 ua/2.0 os/linux#5.10.213-201.855.amzn2.x86_64 md/arch#x86_64 lang/python#3.11.8 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.69',
    'Boto3/1.26.165 Python/3.10.6 Linux/5.19.0-46-generic Botocore/1.29.165',
  ],
  terraform: [
    'APN/1.0 HashiCorp/1.0 Terraform/1.7.5 (+https://www.terraform.io) terraform-provider-aws/5.43.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.26.1 ua/2.0 os/linux lang/go#1.22.1 md/GOOS#linux md/GOARCH#amd64 api/{svc}#1.0.0',
  ],
  goSdk: ['aws-sdk-go-v2/1.26.1 ua/2.0 os/linux lang/go#1.22.1 md/GOOS#linux md/GOARCH#amd64 api/{svc}#1.30.0'],
  ssmAgent: ['aws-sdk-go/1.50.38 (go1.21.8; linux; amd64) amazon-ssm-agent/3.3.40.0'],
  javaSdk: ['aws-sdk-java/2.25.16 Linux/5.10.213-201.855.amzn2.x86_64 OpenJDK_64-Bit_Server_VM/17.0.10+7-LTS Java/17.0.10 vendor/Amazon.com_Inc. exec-env/AWS_ECS_FARGATE io/sync http/Apache cfg/retry-mode/legacy'],
  jsSdk: ['aws-sdk-js/3.540.0 ua/2.0 os/linux#5.10.213-227.813.amzn2.x86_64 lang/js md/nodejs#20.11.1 api/{svc}#3.540.0 exec-env/AWS_Lambda_nodejs20.x'],
  githubActions: ['aws-cli/2.15.30 Python/3.11.8 Linux/6.5.0-1016-azure exe/x86_64.ubuntu.22 prompt/off command/{cmd}'],
} satisfies Record<string, string[]>;

export type AgentKind = keyof typeof USER_AGENTS;

export const REGIONS = ['us-east-1', 'us-east-2', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-2', 'ap-northeast-1'];

export const ACCOUNT_NAMES = ['management', 'prod', 'staging', 'dev', 'security', 'shared-services', 'data'];

export const FIRST_NAMES = [
  'alice', 'bruno', 'chen', 'dana', 'emeka', 'fatima', 'gustav', 'hana', 'ines', 'jonas', 'kavya', 'liam', 'mei', 'nils',
  'olga', 'pedro', 'quinn', 'rosa', 'sanjay', 'tomas', 'uma', 'victor', 'wen', 'yusuf', 'zoe',
];
export const LAST_NAMES = ['nguyen', 'silva', 'okafor', 'schmidt', 'tanaka', 'haddad', 'novak', 'kowalski', 'ibrahim', 'larsen', 'moreau', 'patel', 'rossi', 'weber'];

export const SERVICE_USER_NAMES: { name: string; persona: Persona; agent: AgentKind }[] = [
  { name: 'ci-deploy', persona: 'ciDeploy', agent: 'cli' },
  { name: 'svc-terraform', persona: 'terraform', agent: 'terraform' },
  { name: 'svc-backup', persona: 'backup', agent: 'boto3' },
  { name: 'svc-monitoring', persona: 'monitoring', agent: 'boto3' },
  { name: 'svc-datadog-integration', persona: 'monitoring', agent: 'goSdk' },
  { name: 'svc-log-shipper', persona: 'ec2Instance', agent: 'boto3' },
];

export const HUMAN_ROLE_NAMES: { name: string; persona: Persona; sso: boolean }[] = [
  { name: 'AWSReservedSSO_AdministratorAccess', persona: 'admin', sso: true },
  { name: 'AWSReservedSSO_ReadOnlyAccess', persona: 'auditor', sso: true },
  { name: 'AWSReservedSSO_DeveloperAccess', persona: 'developer', sso: true },
  { name: 'OrganizationAccountAccessRole', persona: 'admin', sso: false },
  { name: 'DevOpsRole', persona: 'terraform', sso: false },
  { name: 'SecurityAuditRole', persona: 'auditor', sso: false },
];

export const WORKLOAD_ROLE_NAMES: { name: string; persona: Persona; kind: 'ec2' | 'lambda' | 'ecs' | 'oidc' }[] = [
  { name: 'app-web-instance-role', persona: 'ec2Instance', kind: 'ec2' },
  { name: 'batch-worker-instance-role', persona: 'ec2Instance', kind: 'ec2' },
  { name: 'orders-api-lambda-role', persona: 'lambdaRuntime', kind: 'lambda' },
  { name: 'image-resizer-lambda-role', persona: 'lambdaRuntime', kind: 'lambda' },
  { name: 'payments-task-role', persona: 'ecsTask', kind: 'ecs' },
  { name: 'github-actions-deploy', persona: 'ciDeploy', kind: 'oidc' },
];

export const SERVICE_LINKED_ROLES: { name: string; service: string; persona: Persona; session: string }[] = [
  { name: 'AWSServiceRoleForAutoScaling', service: 'autoscaling.amazonaws.com', persona: 'autoscalingLinked', session: 'AutoScaling' },
  { name: 'AWSServiceRoleForECS', service: 'ecs.amazonaws.com', persona: 'ecsLinked', session: 'ecs-service-scheduler' },
  { name: 'AWSServiceRoleForConfig', service: 'config.amazonaws.com', persona: 'configLinked', session: 'AWSConfig-Describe' },
];
