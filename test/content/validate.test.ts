import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ContentProblem } from '../../src/content/problems.js';
import { COMMAND_SYNTAX } from '../../src/spl/index.js';
import { repoPath } from '../helpers.js';
import { writeContentTree, type Tree } from './content-tree.js';

function cli(args: string[]) {
  const dist = repoPath('dist', 'cli', 'main.js');
  const argv = existsSync(dist) ? [dist, ...args] : ['--import', 'tsx', repoPath('src', 'cli', 'main.ts'), ...args];
  return spawnSync(process.execPath, argv, { encoding: 'utf8', cwd: repoPath(), env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 64 * 1024 * 1024 });
}

/** The JSON lines carry ContentProblem objects as they are. */
type Problem = ContentProblem;
interface SearchLine {
  file: string;
  id: string;
  name: string;
  kind: string;
  supported: boolean;
  reasons: string[];
  problems: Problem[];
}
interface FileLine {
  file: string;
  problems: Problem[];
}

function jsonLines(stdout: string): { searches: SearchLine[]; files: FileLine[] } {
  const lines = stdout.trim().split('\n').map((l) => JSON.parse(l) as SearchLine | FileLine);
  return { searches: lines.filter((l): l is SearchLine => 'kind' in l), files: lines.filter((l): l is FileLine => !('kind' in l)) };
}

/** Counts by reason kind, from the generator's own record of what it wrote. */
function expectedCounts(tree: Tree, status: string): Map<string, number> {
  const m = new Map<string, number>();
  for (const s of tree.searches.filter((x) => x.status === status)) for (const k of s.kinds) m.set(k, (m.get(k) ?? 0) + 1);
  return m;
}

describe('validate over a synthetic security_content-like tree', () => {
  let root: string;
  let tree: Tree;
  let json: ReturnType<typeof cli>;
  let out: ReturnType<typeof jsonLines>;
  const mltk = 'apply' in COMMAND_SYNTAX && 'fit' in COMMAND_SYNTAX;

  before(() => {
    root = mkdtempSync(join(tmpdir(), 'tg-validate-'));
    tree = writeContentTree(root, { mltk });
    json = cli(['validate', '--no-project-content', '--content', root, '--format', 'json']);
    out = jsonLines(json.stdout);
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  test('the tree has hundreds of files, and the run completes with exit 1 and no stack trace', () => {
    const count = (d: string): number => readdirSync(d, { withFileTypes: true }).reduce((n, e) => n + (e.isDirectory() ? count(join(d, e.name)) : 1), 0);
    assert.ok(count(root) > 400, `only ${count(root)} files`);
    assert.equal(json.status, 1, json.stderr);
    assert.doesNotMatch(json.stderr, /at .*\.js:\d+/);
  });

  test('--format json: one line per detection and baseline, with exactly the documented keys', () => {
    assert.equal(out.searches.length, tree.searches.length);
    for (const s of out.searches) assert.deepEqual(Object.keys(s), ['file', 'id', 'name', 'kind', 'supported', 'reasons', 'problems']);
    const byName = new Map(out.searches.map((s) => [s.name, s]));
    for (const e of tree.searches) {
      const s = byName.get(e.name);
      assert.ok(s, `no line for ${e.name}`);
      assert.equal(s.kind, e.kind, e.name);
      assert.equal(s.supported, e.status === 'supported', `${e.name}: ${JSON.stringify(s.reasons)}`);
      if (e.status === 'supported') assert.deepEqual(s.reasons, [], e.name);
      else assert.ok(s.reasons.some((r) => e.reason!.test(r)), `${e.name}: ${JSON.stringify(s.reasons)} does not match ${e.reason}`);
      // Every error of a search that is supported would be a bug; an unsupported/invalid one has one.
      const errors = s.problems.filter((p) => p.severity === 'error');
      assert.equal(errors.length > 0, e.status !== 'supported', `${e.name}: ${JSON.stringify(errors)}`);
    }
  });

  test('an SPL syntax error is reported at its exact line:column in the YAML', () => {
    const s = out.searches.find((x) => x.name === 'Broken Score')!;
    const p = s.problems.find((x) => x.severity === 'error')!;
    // Hand-computed in content-tree.ts: line 8, column 22 (the stray `)`).
    assert.equal(p.code, 'SPL002');
    assert.equal(p.line, 8);
    assert.equal(p.column, 22);
    assert.match(p.file, /broken_score\.yml$/);
  });

  test('an unknown command is unsupported with the reason, located at the command name', () => {
    const s = out.searches.find((x) => x.name === 'Intel Match 0')!;
    assert.deepEqual(s.reasons, ['unknown command `inputintelligence`']);
    // `search: '| inputintelligence …` on line 7: the name starts in column 12.
    const p = s.problems.find((x) => x.code === 'SPL004')!;
    assert.deepEqual([p.line, p.column], [7, 12]);
    const f = out.searches.find((x) => x.name === 'Formatted Message')!;
    assert.deepEqual(f.reasons, ['unknown function `printf()`']);
  });

  test('the unreadable macro file is reported once with file:line:column; the search needing it is invalid naming it', () => {
    const all = [...out.searches.flatMap((s) => s.problems), ...out.files.flatMap((f) => f.problems)];
    const reported = all.filter((p) => p.file.endsWith('approved_regions.yml') && p.code === 'macro-unreadable');
    assert.equal(reported.length, 1);
    // `definition: "x" y` on line 3: the stray `y` is column 17.
    assert.deepEqual([reported[0]!.line, reported[0]!.column, reported[0]!.severity], [3, 17, 'error']);
    const fileLines = out.files.filter((f) => f.file.endsWith('approved_regions.yml'));
    assert.equal(fileLines.length, 1);
    assert.deepEqual(Object.keys(fileLines[0]!), ['file', 'problems']);
    const lookup = all.filter((p) => p.file.endsWith('known_bad_ips.yml') && p.code === 'lookup-unreadable');
    assert.equal(lookup.length, 1);
    assert.equal(lookup[0]!.line, 2);
  });

  test('the PyYAML-only macro loads with an info note, and the search using it compiles', () => {
    const f = out.files.find((x) => x.file.endsWith('iam_write_events.yml'))!;
    assert.deepEqual(f.problems.map((p) => [p.severity, p.code, p.line]), [['info', 'yaml-pyyaml-indent', 3]]);
    const s = out.searches.find((x) => x.name === 'IAM User Changes')!;
    assert.equal(s.supported, true);
    assert.deepEqual(s.problems.filter((p) => p.severity !== 'info'), []);
  });

  test('a detection file without search: is reported on its own line and does not load', () => {
    assert.equal(out.searches.find((s) => s.name === 'No Search Here'), undefined);
    const f = out.files.find((x) => x.file.endsWith('no_search.yml'))!;
    assert.deepEqual(f.problems.map((p) => p.code), ['content-invalid']);
  });

  test('lint findings land on the searches the generator flawed, and only there', () => {
    const byName = new Map(out.searches.map((s) => [s.name, s]));
    for (const e of tree.searches) {
      const codes = byName.get(e.name)!.problems.map((p) => p.code);
      assert.equal(codes.includes('lint-no-tests'), e.kind === 'detection' && !e.hasTests, `${e.name}: ${codes}`);
      if (e.compiles) assert.equal(codes.includes('lint-default-filter-macro'), e.filterInfo, `${e.name}: ${codes}`);
    }
    assert.ok(byName.get('Odd Technique')!.problems.some((p) => p.code === 'lint-unknown-attack-id' && /T9999\.999/.test(p.message)));
    // The broken lookup makes its search invalid; it is not also an "unknown lookup" warning.
    assert.ok(!byName.get('Known Bad Source')!.problems.some((p) => p.code === 'lint-unknown-lookup'));
  });

  test('the table ends with the support summary, counted by reason kind', () => {
    const r = cli(['validate', '--no-project-content', '--content', root]);
    assert.equal(r.status, 1);
    const detections = tree.searches.filter((s) => s.kind === 'detection').length;
    const baselines = tree.searches.length - detections;
    assert.match(r.stdout, new RegExp(`^${detections} detection\\(s\\) and ${baselines} baseline\\(s\\) loaded`, 'm'));
    const count = (st: string) => tree.searches.filter((s) => s.status === st).length;
    assert.match(r.stdout, new RegExp(`^  supported:   ${count('supported')}$`, 'm'));
    assert.match(r.stdout, new RegExp(`^  unsupported: ${count('unsupported')}$`, 'm'));
    assert.match(r.stdout, new RegExp(`^  invalid:     ${count('invalid')}$`, 'm'));
    for (const st of ['unsupported', 'invalid']) {
      for (const [kind, n] of expectedCounts(tree, st)) assert.ok(r.stdout.includes(`\n    ${kind}: ${n}\n`), `no "${kind}: ${n}" in the summary`);
    }
    assert.match(r.stdout, /^  not loaded:  1 detection\/baseline file/m);
    // Problems grouped by file, as file:line:col: severity[code]: message, with hints.
    assert.match(r.stdout, /broken_score\.yml:8:22: error\[SPL002\]: expected an expression, found `\)`/);
    assert.match(r.stdout, /approved_regions\.yml:3:17: error\[macro-unreadable\]/);
    assert.match(r.stdout, /^unsupported detection "Intel Match 3" \(.*intel_match_3\.yml\): unknown command `inputintelligence`$/m);
    assert.match(r.stdout, /^invalid {5}file {6}.*no_search\.yml: not loaded/m);
  });

  test("with Trailguard's own content the shipped searches are counted too", () => {
    const shipped = (sub: string) => readdirSync(repoPath('content', sub)).filter((f) => f.endsWith('.yml')).length;
    const r = cli(['validate', '--content', root, '--format', 'json']);
    assert.equal(jsonLines(r.stdout).searches.length, tree.searches.length + shipped('detections') + shipped('baselines'));
  });
});

describe('validate: exit codes and usage', () => {
  test('a --content dir that does not exist is a usage error (2)', () => {
    const r = cli(['validate', '--content', join(tmpdir(), 'no-such-content-dir-tg')]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--content .*no such directory/);
  });

  test('a bad --format is a usage error (2)', () => {
    const r = cli(['validate', '--format', 'xml']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--format must be one of table, json/);
  });

  test('--help shows examples and the lint rules', () => {
    const r = cli(['validate', '--help']);
    assert.equal(r.status, 0);
    assert.match(r.stdout, /Examples:\n\s+trailguard validate/);
    assert.match(r.stdout, /lint-null-by-field/);
    assert.match(r.stdout, /\{"file", "problems": \[\.\.\.\]\}/);
  });
});

describe('validate of the shipped content', () => {
  test('exits 0 with no errors; the MFA seed draws the null-`user` warning', () => {
    const r = cli(['validate', '--format', 'json']);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const { searches, files } = jsonLines(r.stdout);
    assert.ok(searches.length > 0 && searches.every((s) => s.supported));
    const errors = [...searches.flatMap((s) => s.problems), ...files.flatMap((f) => f.problems)].filter((p) => p.severity === 'error');
    assert.deepEqual(errors, []);
    const mfa = searches.find((s) => s.name === 'Detect API activity from users without MFA')!;
    const w = mfa.problems.find((p) => p.code === 'lint-null-by-field')!;
    assert.equal(w.severity, 'warning');
    assert.match(w.message, /drops events whose `user` is null — most AssumedRole activity/);
    // `… by userIdentity.arn userIdentity.type user |` — line 18, column 54 of the seed file.
    assert.deepEqual([w.line, w.column], [18, 54]);
  });

  test('the table run exits 0 and says everything is supported', () => {
    const r = cli(['validate']);
    assert.equal(r.status, 0);
    assert.match(r.stdout, /^ {2}unsupported: 0$/m);
    assert.match(r.stdout, /^ {2}invalid: {5}0$/m);
  });
});
