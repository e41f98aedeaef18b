/**
 * Writes a synthetic content tree laid out like a security_content checkout (detections/cloud,
 * detections/endpoint, baselines/, macros/, lookups/ with YAML and CSV, stories/) with hundreds of
 * files, and returns what a correct `validate` must say about it. The expectations are kept by
 * the generator as it writes each file (which template, which flaw), not computed by Trailguard.
 *
 * Besides ordinary searches, the tree holds one of each hard case: a PyYAML-only macro (a quoted
 * value continued in column 0), a macro file and a lookup definition that are not YAML, searches
 * needing them, an SPL syntax error at a known line:column, unknown commands and functions, a
 * data model Trailguard does not model, an undefined macro, a file without `search:`, and an MLTK
 * train/apply pair plus an `apply` of a model nothing trains.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type Status = 'supported' | 'unsupported' | 'invalid';

export interface Expected {
  name: string;
  kind: 'detection' | 'baseline';
  file: string;
  status: Status;
  /** Reason kinds expected (summary keys), when not supported. */
  kinds: string[];
  /** What the reason shown for it (JSON `reasons`) must say, when not supported. */
  reason?: RegExp;
  hasTests: boolean;
  /** Whether it calls a `<name>_filter` macro that is not defined (an info note). */
  filterInfo: boolean;
  /** Whether the search compiles (lint rules that read the AST run). */
  compiles: boolean;
}

export interface Tree {
  dir: string;
  searches: Expected[];
  files: {
    pyyamlMacro: string;
    brokenMacro: string;
    brokenLookup: string;
    syntaxError: string;
    noSearch: string;
    unknownCommand: string;
  };
  /** Whether the build has the MLTK commands (fit/apply/summary); the MLTK cases depend on it. */
  mltk: boolean;
}

const EVENTS = ['CreateUser', 'DeleteUser', 'AttachUserPolicy', 'PutBucketPolicy', 'CreateAccessKey', 'StopLogging', 'DeleteTrail', 'RunInstances', 'ModifyInstanceAttribute', 'CreateKeyPair', 'AuthorizeSecurityGroupIngress', 'PutBucketAcl', 'DeleteBucket', 'CreateLoginProfile', 'UpdateAssumeRolePolicy', 'GetSecretValue'];

function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '');
}

/** A detection YAML with `search` written single-quoted over several lines (security_content's style). */
function detectionYaml(name: string, id: string, lines: string[], extra: { tests?: boolean; mitre?: string; dataset?: string } = {}): string {
  const search = lines.map((l) => l.replace(/'/g, "''")).join('\n  ');
  const tests = extra.tests
    ? `tests:\n- name: True Positive Test\n  attack_data:\n  - data: ${extra.dataset ?? 'datasets/cloudtrail.json'}\n    sourcetype: aws:cloudtrail\n    source: aws_cloudtrail\n`
    : '';
  return [
    `name: ${name}`,
    `id: ${id}`,
    'version: 1',
    'type: TTP',
    'status: production',
    `description: Synthetic detection ${name}.`,
    `search: '${search}'`,
    'how_to_implement: none',
    'tags:',
    '  analytic_story:',
    '  - Synthetic Story 1',
    `  mitre_attack_id:`,
    `  - ${extra.mitre ?? 'T1078.004'}`,
    '  risk_score: 25',
    tests.trimEnd(),
  ]
    .filter((l) => l !== '')
    .join('\n') + '\n';
}

function uuid(n: number): string {
  return `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
}

const baselineTable = (i: number) => `seen_${slug(EVENTS[i % EVENTS.length]!)}_${i}`;

export function writeContentTree(root: string, opts: { cloud?: number; endpoint?: number; baselines?: number; mltk: boolean }): Tree {
  const cloud = opts.cloud ?? 240;
  const endpoint = opts.endpoint ?? 60;
  const baselineCount = opts.baselines ?? 40;
  for (const sub of ['detections/cloud', 'detections/endpoint', 'baselines', 'macros', 'lookups', 'stories']) mkdirSync(join(root, sub), { recursive: true });
  const searches: Expected[] = [];
  let n = 0;
  const write = (rel: string, text: string): string => {
    const file = join(root, rel);
    writeFileSync(file, text);
    return file;
  };

  write('macros/cloudtrail.yml', 'name: cloudtrail\ndefinition: sourcetype=aws:cloudtrail\ndescription: CloudTrail events\n');
  write('macros/security_content_ctime.yml', 'name: security_content_ctime\narguments:\n- field\ndefinition: \'convert timeformat="%Y-%m-%dT%H:%M:%S" ctime($field$)\'\ndescription: epoch to text\n');
  write('macros/drop_dm_object_name.yml', 'name: drop_dm_object_name\narguments:\n- object\ndefinition: rename "$object$.*" as *\ndescription: strip a data model prefix\n');

  // Baselines: each writes a history table, defined as a collection in lookups/.
  for (let i = 0; i < baselineCount; i++) {
    const ev = EVENTS[i % EVENTS.length]!;
    const table = baselineTable(i);
    const name = `Previously Seen ${ev} Callers ${i}`;
    write(`lookups/${table}.yml`, `name: ${table}\ncollection: ${table}\nfields_list: _key,userName,eventName,firstTime\ndescription: history for baseline ${i}\n`);
    const file = write(
      `baselines/${slug(name)}.yml`,
      `name: ${name}\nid: ${uuid(++n)}\nversion: 1\ntype: Baseline\ndescription: history of ${ev} callers\nsearch: '\`cloudtrail\` eventName=${ev}\n  | stats earliest(_time) as firstTime by userName eventName\n  | outputlookup ${table}'\ntags:\n  detections:\n  - Synthetic Cloud Detection ${i}\n`,
    );
    searches.push({ name, kind: 'baseline', file, status: 'supported', kinds: [], hasTests: false, filterInfo: false, compiles: true });
  }

  // A CSV lookup shipped as a file, with its definition.
  write('lookups/approved_accounts.yml', 'name: approved_accounts\nfilename: approved_accounts.csv\ndescription: reviewed identities\n');
  write('lookups/approved_accounts.csv', 'identity,approved\nalice,true\nci-deployer,true\n');

  // Ordinary cloud detections, rotating over four shapes; every other one has its filter macro defined.
  for (let i = 0; i < cloud; i++) {
    const ev = EVENTS[i % EVENTS.length]!;
    const name = `Synthetic Cloud Detection ${i}`;
    const filter = `${slug(name)}_filter`;
    const filterDefined = i % 2 === 0;
    if (filterDefined) write(`macros/${filter}.yml`, `name: ${filter}\ndefinition: search *\ndescription: tune ${name}\n`);
    const shape = i % 4;
    const lines =
      shape === 0
        ? [`\`cloudtrail\` eventName=${ev} errorCode=success`, '| stats count min(_time) as firstTime max(_time) as lastTime by userIdentity.arn eventName src_ip', '| `security_content_ctime(firstTime)`', `| \`${filter}\``]
        : shape === 1
          ? [`\`cloudtrail\` eventName=${ev}`, `| lookup ${baselineTable(i % baselineCount)} userName eventName OUTPUT firstTime as seen`, '| where isnull(seen)', '| stats count by userName eventName', `| \`${filter}\``]
          : shape === 2
            ? [`\`cloudtrail\` eventName=${ev}`, '| rename userName as identity', '| search NOT [| inputlookup approved_accounts | fields identity]', '| stats values(eventName) as calls by identity', `| \`${filter}\``]
            : [`\`cloudtrail\` eventName=${ev} userIdentity.type=IAMUser`, "| eval arn='userIdentity.arn'", '| stats dc(eventName) as calls by arn', '| where calls > 3', `| \`${filter}\``];
    const hasTests = i % 3 !== 0;
    const file = write(`detections/cloud/${slug(name)}.yml`, detectionYaml(name, uuid(++n), lines, { tests: hasTests }));
    searches.push({ name, kind: 'detection', file, status: 'supported', kinds: [], hasTests, filterInfo: !filterDefined, compiles: true });
  }

  const special = (rel: string, name: string, lines: string[], status: Status, kinds: string[], compiles: boolean, extra: { mitre?: string; reason?: RegExp } = {}): string => {
    const file = write(rel, detectionYaml(name, uuid(++n), lines, { tests: true, mitre: extra.mitre }));
    searches.push({ name, kind: 'detection', file, status, kinds, reason: extra.reason ?? (kinds[0] !== undefined ? new RegExp(kinds[0].replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : undefined), hasTests: true, filterInfo: false, compiles });
    return file;
  };

  // Endpoint detections: tstats over a data model Trailguard does not have.
  for (let i = 0; i < endpoint; i++) {
    special(
      `detections/endpoint/synthetic_endpoint_detection_${i}.yml`,
      `Synthetic Endpoint Detection ${i}`,
      ['| tstats count min(_time) as firstTime from datamodel=Endpoint.Processes', `where Processes.process_name=tool${i}.exe by Processes.dest Processes.user`, '| `drop_dm_object_name("Processes")`'],
      'unsupported',
      ['data model `Endpoint`'],
      true,
    );
  }

  // Twelve searches start with a threat-intelligence command Trailguard lacks; three use xyseries.
  let unknownCommand = '';
  for (let i = 0; i < 12; i++) {
    const f = special(`detections/cloud/intel_match_${i}.yml`, `Intel Match ${i}`, ['| inputintelligence threat_ips', '| stats count by ip'], 'unsupported', ['unknown command `inputintelligence`'], false);
    if (i === 0) unknownCommand = f;
  }
  for (let i = 0; i < 3; i++) {
    special(`detections/cloud/calls_matrix_${i}.yml`, `Calls Matrix ${i}`, ['`cloudtrail` errorCode=success', '| stats count by userName eventName', '| xyseries userName eventName count'], 'unsupported', ['unknown command `xyseries`'], false);
  }
  // Eval functions Trailguard lacks.
  for (let i = 0; i < 4; i++) {
    special(`detections/cloud/source_subnet_${i}.yml`, `Source Subnet ${i}`, ['`cloudtrail` eventName=ConsoleLogin', '| eval subnet=ipmask("255.255.255.0", src_ip)', '| stats count by subnet'], 'unsupported', ['unknown function `ipmask()`'], false);
  }
  special('detections/cloud/formatted_message.yml', 'Formatted Message', ['`cloudtrail` eventName=DeleteTrail', '| eval msg=printf("%s deleted a trail", userName)', '| table msg'], 'unsupported', ['unknown function `printf()`'], false);

  // The PyYAML-only macro: its quoted definition continues in column 0. A detection uses it.
  const pyyamlMacro = write('macros/iam_write_events.yml', "name: iam_write_events\ndefinition: 'eventSource=iam.amazonaws.com\neventName IN (\"CreateUser\", \"DeleteUser\")'\ndescription: IAM user changes\n");
  special('detections/cloud/iam_user_changes.yml', 'IAM User Changes', ['`cloudtrail` `iam_write_events`', '| stats count by userIdentity.arn eventName'], 'supported', [], true);

  // A macro file that is not YAML (line 3, column 17: text after the closing quote), and a search needing it.
  const brokenMacro = write('macros/approved_regions.yml', 'name: approved_regions\ndescription: regions we operate in\ndefinition: "x" y\n');
  special('detections/cloud/unapproved_region.yml', 'Unapproved Region', ['`cloudtrail` NOT `approved_regions`', '| stats count by awsRegion'], 'invalid', ['macro `approved_regions` whose file could not be read'], false, { reason: /macro `approved_regions` cannot be used: its definition .*approved_regions\.yml:3 could not be read/ });

  // A lookup definition that is not YAML (line 2), and a search needing it.
  const brokenLookup = write('lookups/known_bad_ips.yml', 'name: known_bad_ips\nfilename: "known_bad_ips.csv" extra\n');
  special('detections/cloud/known_bad_source.yml', 'Known Bad Source', ['`cloudtrail`', '| lookup known_bad_ips ip as src_ip OUTPUT reason', '| where isnotnull(reason)', '| stats count by src_ip reason'], 'invalid', ['lookup `known_bad_ips` whose file could not be read'], true, { reason: /lookup `known_bad_ips` cannot be used: its definition .*known_bad_ips\.yml:2 could not be read/ });

  // An SPL syntax error. The search starts on line 7 of the file (detectionYaml's layout):
  //   7: search: '`cloudtrail` eventName=ConsoleLogin
  //   8:   | eval score = 3 * ) + 1
  //   9:   | stats count by src_ip'
  // Line 8: two spaces, then `| eval score = 3 * ` (19 characters), so `)` is in column 22.
  const syntaxError = special('detections/cloud/broken_score.yml', 'Broken Score', ['`cloudtrail` eventName=ConsoleLogin', '| eval score = 3 * ) + 1', '| stats count by src_ip'], 'invalid', ['syntax error'], false, { reason: /expected an expression, found `\)`/ });

  // A macro nobody defines.
  special('detections/cloud/undefined_macro.yml', 'Undefined Macro', ['`cloudtrail` `not_a_macro`', '| stats count by eventName'], 'invalid', ['unknown macro `not_a_macro`'], false, { reason: /macro `not_a_macro` is not defined/ });

  // An ATT&CK id the table does not know (still supported: lint only).
  special('detections/cloud/odd_technique.yml', 'Odd Technique', ['`cloudtrail` eventName=StopLogging', '| stats count by userIdentity.arn'], 'supported', [], true, { mitre: 'T9999.999' });

  // A detection file without `search:` (does not load).
  const noSearch = write('detections/cloud/no_search.yml', 'name: No Search Here\nid: 11111111-0000-4000-8000-000000000000\ntype: TTP\ndescription: forgot the search\n');

  // MLTK: a baseline trains a model, a detection applies it, another applies a pre-trained DSDL model.
  const fitFile = write('baselines/train_api_volume_model.yml', `name: Train API Volume Model\nid: ${uuid(++n)}\nversion: 1\ntype: Baseline\ndescription: trains the API-volume model\nsearch: '\`cloudtrail\` | bin _time span=1h | stats count as api_calls by _time userName\n  | fit DensityFunction api_calls by userName into app:api_volume_model'\n`);
  searches.push({ name: 'Train API Volume Model', kind: 'baseline', file: fitFile, status: opts.mltk ? 'supported' : 'unsupported', kinds: opts.mltk ? [] : ['unknown command `fit`'], reason: opts.mltk ? undefined : /^unknown command `fit`$/, hasTests: false, filterInfo: false, compiles: opts.mltk });
  special('detections/cloud/api_volume_outlier.yml', 'API Volume Outlier', ['`cloudtrail` | bin _time span=1h | stats count as api_calls by _time userName', '| apply api_volume_model threshold=0.01', "| where 'IsOutlier(api_calls)'=1"], opts.mltk ? 'supported' : 'unsupported', opts.mltk ? [] : ['unknown command `apply`'], opts.mltk);
  special('detections/cloud/dga_domains.yml', 'DGA Domains', ['`cloudtrail` eventSource=route53.amazonaws.com', '| apply pretrained_dga_model_dsdl', '| where is_dga=1'], 'unsupported', opts.mltk ? ['applies a model no baseline fits'] : ['unknown command `apply`'], opts.mltk, {
    reason: opts.mltk ? /^applies model pretrained_dga_model_dsdl, which no baseline in the content fits \(pre-trained models from other apps cannot be used\)$/ : /^unknown command `apply`$/,
  });

  // Stories.
  for (let i = 0; i < 20; i++) write(`stories/synthetic_story_${i}.yml`, `name: Synthetic Story ${i}\nid: ${uuid(900000 + i)}\ndescription: story ${i}\n`);

  return {
    dir: root,
    searches,
    files: { pyyamlMacro, brokenMacro, brokenLookup, syntaxError, noSearch, unknownCommand },
    mltk: opts.mltk,
  };
}
