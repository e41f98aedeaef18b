import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadFieldModel } from '../../src/cloudtrail/index.js';
import { Content } from '../../src/content/load.js';
import { nullableFields } from '../../src/content/lint/null-fields.js';
import type { ContentProblem } from '../../src/content/problems.js';
import { supportIssues, validateContent } from '../../src/content/validate.js';
import type { Command } from '../../src/spl/ast.js';
import { repoPath } from '../helpers.js';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

interface Setup {
  /** Extra files, path relative to the content dir → text. */
  files?: Record<string, string>;
  /** Extra top-level YAML of the detection (tests:, tags:). */
  yaml?: string;
  kind?: 'detection' | 'baseline';
}

/**
 * Validates one search in a fresh content dir and returns its problems. The search is written as a
 * block literal starting on line 3, so line L of the SPL is file line L + 3, column + 2.
 */
function check(spl: string, setup: Setup = {}): ContentProblem[] {
  const dir = mkdtempSync(join(tmpdir(), 'tg-lint-'));
  dirs.push(dir);
  const kind = setup.kind ?? 'detection';
  for (const sub of [`${kind}s`, 'macros', 'lookups']) mkdirSync(join(dir, sub), { recursive: true });
  writeFileSync(join(dir, 'macros', 'cloudtrail.yml'), 'name: cloudtrail\ndefinition: sourcetype=aws:cloudtrail\n');
  for (const [rel, text] of Object.entries(setup.files ?? {})) writeFileSync(join(dir, rel), text);
  const body = spl.split('\n').map((l) => `  ${l}`).join('\n');
  writeFileSync(join(dir, `${kind}s`, 'x.yml'), `name: X\nid: x-1\nsearch: |\n${body}\n${setup.yaml ?? 'tests:\n- name: t\n  attack_data:\n  - data: d.json\n'}`);
  const report = validateContent(new Content({ dirs: [dir], includeProject: false }));
  assert.equal(report.searches.length, 1);
  return report.searches[0]!.problems;
}

const withCode = (ps: ContentProblem[], code: string) => ps.filter((p) => p.code === code);

describe('lint-null-by-field', () => {
  test('stats … by user warns, at the by field, naming AssumedRole activity', () => {
    const ps = withCode(check('`cloudtrail` errorCode=success\n| stats count by eventName user'), 'lint-null-by-field');
    assert.equal(ps.length, 1);
    assert.equal(ps[0]!.severity, 'warning');
    assert.match(ps[0]!.message, /`stats … by user` drops events whose `user` is null — most AssumedRole activity/);
    assert.match(ps[0]!.hint!, /fillnull|coalesce/);
    assert.match(ps[0]!.hint!, /userIdentity\.arn/);
    // SPL line 2 → file line 5; `| stats count by eventName ` is 27 characters, +2 indent → column 30.
    assert.deepEqual([ps[0]!.line, ps[0]!.column], [5, 30]);
  });

  test('tstats … by All_Changes.user warns that those events land under `unknown`', () => {
    const ps = withCode(check('| tstats count from datamodel=Change where All_Changes.user_type=AssumedRole by All_Changes.user All_Changes.command'), 'lint-null-by-field');
    assert.equal(ps.length, 1);
    assert.match(ps[0]!.message, /files every event whose `user` is null — most AssumedRole activity — under `unknown`/);
  });

  test('no warning when the field is always set, set by the search, required, or set for the eventNames searched', () => {
    const quiet = [
      '`cloudtrail` | stats count by userIdentity.arn userName src_ip',
      '`cloudtrail` | eval user=coalesce(user, userName) | stats count by user',
      '`cloudtrail` | rename userName as user | stats count by user',
      '`cloudtrail` | fillnull value=unknown user | stats count by user',
      '`cloudtrail` user=* | stats count by user',
      '`cloudtrail` eventName=ConsoleLogin | stats count by user',
      '`cloudtrail` eventName IN (CreateUser, DeleteUser) | stats count by user',
      '`cloudtrail` | stats count by eventName | stats count by user',
      '| tstats count from datamodel=Change by All_Changes.user fillnull_value=none',
    ];
    for (const spl of quiet) assert.deepEqual(withCode(check(spl), 'lint-null-by-field'), [], spl);
  });

  test('the null-prone fields come from the field model: changing the model changes the lint', () => {
    const fields = nullableFields(loadFieldModel()).fields();
    assert.ok(fields.includes('user') && fields.includes('userIdentity.userName'), fields.join(', '));
    for (const always of ['userName', 'src_ip', 'eventName', 'action', 'errorCode']) assert.ok(!fields.includes(always), always);
    // A copy of the field model whose `user` defaults to the ARN (always present).
    const dir = mkdtempSync(join(tmpdir(), 'tg-fm-'));
    dirs.push(dir);
    const text = readFileSync(repoPath('data', 'fieldmodel', 'cloudtrail.yml'), 'utf8');
    const at = text.indexOf('  - id: user\n');
    const end = text.indexOf('        else: userIdentity.userName\n', at);
    assert.ok(at > 0 && end > at);
    const changed = text.slice(0, end) + '        else: userIdentity.arn\n' + text.slice(end + '        else: userIdentity.userName\n'.length);
    writeFileSync(join(dir, 'cloudtrail.yml'), changed);
    const model = loadFieldModel(join(dir, 'cloudtrail.yml'), repoPath('data', 'datamodels'));
    assert.equal(nullableFields(model).nullFor('user'), undefined);
    assert.notEqual(nullableFields(model).nullFor('src_user'), undefined);
  });
});

describe('lint-dotted-name', () => {
  test("an unquoted CloudTrail path in eval warns with the single-quoted fix", () => {
    const ps = withCode(check("`cloudtrail` | eval x=userIdentity.arn | table x"), 'lint-dotted-name');
    assert.equal(ps.length, 1);
    assert.match(ps[0]!.message, /`userIdentity\.arn` reads as the concatenation of fields `userIdentity` and `arn` — not the CloudTrail field/);
    assert.match(ps[0]!.hint!, /'userIdentity\.arn'/);
    // `  \`cloudtrail\` | eval x=` is 24 characters: the name starts in column 25 of line 4.
    assert.deepEqual([ps[0]!.line, ps[0]!.column], [4, 25]);
  });

  test('also in where and inside function calls, once per name', () => {
    const ps = withCode(check('`cloudtrail` | where match(userIdentity.userName, requestParameters.userName)'), 'lint-dotted-name');
    assert.deepEqual(ps.map((p) => /`([^`]+)` reads/.exec(p.message)![1]), ['userIdentity.userName', 'requestParameters.userName']);
  });

  test('quoted names and spaced concatenation do not warn', () => {
    for (const spl of ["`cloudtrail` | eval x='userIdentity.arn'", '`cloudtrail` | eval y=eventName . "-" . awsRegion', '`cloudtrail` | eval y=eventName . awsRegion', '`cloudtrail` userIdentity.type=IAMUser | stats count by userIdentity.arn']) {
      assert.deepEqual(withCode(check(spl), 'lint-dotted-name'), [], spl);
    }
  });
});

describe('lint-no-tests', () => {
  test('a detection without tests warns; one with tests and a baseline do not', () => {
    assert.equal(withCode(check('`cloudtrail` | stats count by eventName', { yaml: '' }), 'lint-no-tests').length, 1);
    assert.equal(withCode(check('`cloudtrail` | stats count by eventName'), 'lint-no-tests').length, 0);
    assert.equal(withCode(check('`cloudtrail` | stats count by eventName', { yaml: '', kind: 'baseline' }), 'lint-no-tests').length, 0);
  });
});

describe('lint-unknown-lookup', () => {
  test('reading or writing a lookup nothing defines warns', () => {
    const read = withCode(check('`cloudtrail` | lookup nowhere_table ip as src_ip OUTPUT label'), 'lint-unknown-lookup');
    assert.equal(read.length, 1);
    assert.match(read[0]!.message, /lookup `nowhere_table` is not defined.*reads as an empty table/);
    const write = withCode(check('`cloudtrail` | stats count by eventName | outputlookup nowhere_table'), 'lint-unknown-lookup');
    assert.match(write[0]!.message, /write fails/);
  });

  test('a defined lookup, a shipped CSV, and a new CSV written by the search do not warn', () => {
    const files = { 'lookups/known.yml': 'name: known\nfilename: known.csv\n', 'lookups/known.csv': 'ip,label\n1.2.3.4,x\n', 'lookups/loose.csv': 'a\n1\n' };
    for (const spl of ['`cloudtrail` | lookup known ip as src_ip OUTPUT label', '`cloudtrail` | lookup loose.csv a OUTPUT a', '`cloudtrail` | stats count by eventName | outputlookup fresh.csv']) {
      assert.deepEqual(withCode(check(spl, { files }), 'lint-unknown-lookup'), [], spl);
    }
  });

  test('an unknown macro is a compile error only, not also a lint', () => {
    const ps = check('`cloudtrail` `nope_macro` | stats count');
    assert.deepEqual(ps.filter((p) => p.severity === 'error').map((p) => p.code), ['SPL101']);
    assert.equal(ps.filter((p) => /nope_macro/.test(p.message)).length, 1);
  });
});

describe('lint-unknown-attack-id', () => {
  const tags = (id: string) => `tags:\n  mitre_attack_id:\n  - ${id}\ntests:\n- name: t\n  attack_data:\n  - data: d.json\n`;
  test('an id the ATT&CK table does not know warns at its line', () => {
    const ps = withCode(check('`cloudtrail` | stats count', { yaml: tags('T1999.123') }), 'lint-unknown-attack-id');
    assert.equal(ps.length, 1);
    assert.match(ps[0]!.message, /T1999\.123/);
    assert.equal(ps[0]!.line, 7); // 1 name, 2 id, 3 search: |, 4 the SPL, 5 tags:, 6 mitre_attack_id:, 7 the item
  });
  test('known ids (any case) do not warn', () => {
    assert.deepEqual(withCode(check('`cloudtrail` | stats count', { yaml: tags('t1078.004') }), 'lint-unknown-attack-id'), []);
  });
});

describe('lint-default-filter-macro', () => {
  test('an undefined *_filter macro is a note at the call; a defined one is not', () => {
    const ps = withCode(check('`cloudtrail` | stats count by eventName | `x_filter`'), 'lint-default-filter-macro');
    assert.equal(ps.length, 1);
    assert.equal(ps[0]!.severity, 'info');
    assert.match(ps[0]!.message, /`x_filter` is not defined; read as `search \*`/);
    // `  \`cloudtrail\` | stats count by eventName | ` is 44 characters: the call is column 45.
    assert.deepEqual([ps[0]!.line, ps[0]!.column], [4, 45]);
    const defined = check('`cloudtrail` | stats count by eventName | `x_filter`', { files: { 'macros/x_filter.yml': 'name: x_filter\ndefinition: search *\n' } });
    assert.deepEqual(withCode(defined, 'lint-default-filter-macro'), []);
  });
});

describe('support: apply of a model no baseline fits', () => {
  // The MLTK commands come from another branch; the check reads `apply`/`summary` defensively, so it
  // is exercised here with the command shape they have (name + model).
  const content = new Content({ includeProject: true });
  const apply = (model: string) => ({ kind: 'command', name: 'apply', model, as: null, options: {}, span: { start: 0, end: 5 } }) as unknown as Command;
  const index = { writtenTables: new Set<string>(), fittedModels: new Set(['api_volume_model']) };

  test('a pre-trained model is unsupported with the reason', () => {
    const issues = supportIssues(apply('pretrained_dga_model_dsdl'), content, index, loadFieldModel());
    assert.deepEqual(issues.map((i) => [i.reason.status, i.reason.text]), [
      ['unsupported', 'applies model pretrained_dga_model_dsdl, which no baseline in the content fits (pre-trained models from other apps cannot be used)'],
    ]);
  });

  test('a model a baseline trains (with or without an app: namespace) is fine', () => {
    assert.deepEqual(supportIssues(apply('api_volume_model'), content, index, loadFieldModel()), []);
    assert.deepEqual(supportIssues(apply('app:api_volume_model'), content, index, loadFieldModel()), []);
  });
});
