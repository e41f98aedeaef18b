import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { TrailguardError } from '../../src/errors.js';
import { defaultMitreFile, findingTechniques, loadMitreTable, mitreTable, tacticOrder, techniqueInfo } from '../../src/content/mitre.js';
import { fixturePath, repoPath } from '../helpers.js';

/** The 14 Enterprise tactics in kill-chain order with their TA ids, written out from ATT&CK's tactics page. */
const TACTICS: Array<[string, string]> = [
  ['TA0043', 'Reconnaissance'],
  ['TA0042', 'Resource Development'],
  ['TA0001', 'Initial Access'],
  ['TA0002', 'Execution'],
  ['TA0003', 'Persistence'],
  ['TA0004', 'Privilege Escalation'],
  ['TA0005', 'Defense Evasion'],
  ['TA0006', 'Credential Access'],
  ['TA0007', 'Discovery'],
  ['TA0008', 'Lateral Movement'],
  ['TA0009', 'Collection'],
  ['TA0011', 'Command and Control'],
  ['TA0010', 'Exfiltration'],
  ['TA0040', 'Impact'],
];
const TACTIC_NAMES = TACTICS.map(([, n]) => n);

interface RawEntry {
  id: string;
  name: string;
  tactics: string[];
  platforms?: string[];
}

/** The shipped file read as plain YAML, without the loader under test. */
function rawTable(): { tactics: Array<{ id: string; name: string }>; techniques: RawEntry[] } {
  return parse(readFileSync(repoPath('data', 'mitre', 'enterprise-attack.yml'), 'utf8')) as ReturnType<typeof rawTable>;
}

describe('shipped ATT&CK table', () => {
  test('is found under the package data/ and loads', () => {
    assert.equal(defaultMitreFile(), repoPath('data', 'mitre', 'enterprise-attack.yml'));
    const table = mitreTable();
    assert.equal(table.techniques.size, rawTable().techniques.length);
    assert.ok(table.techniques.size > 300, `only ${table.techniques.size} techniques`);
  });

  test('lists the 14 tactics with their TA ids in kill-chain order', () => {
    assert.deepEqual(
      rawTable().tactics.map((t) => [t.id, t.name]),
      TACTICS,
    );
    assert.deepEqual(tacticOrder(), TACTIC_NAMES);
  });

  test('every entry has a valid id, a name and known tactics in kill-chain order, and no id twice', () => {
    const seen = new Set<string>();
    for (const e of rawTable().techniques) {
      assert.match(e.id, /^T\d{4}(\.\d{3})?$/, `bad id ${e.id}`);
      assert.ok(!seen.has(e.id), `${e.id} twice`);
      seen.add(e.id);
      assert.ok(typeof e.name === 'string' && e.name.trim() !== '', `${e.id} has no name`);
      assert.ok(Array.isArray(e.tactics) && e.tactics.length > 0, `${e.id} has no tactics`);
      for (const t of e.tactics) assert.ok(TACTIC_NAMES.includes(t), `${e.id}: unknown tactic ${t}`);
      const ranks = e.tactics.map((t) => TACTIC_NAMES.indexOf(t));
      assert.deepEqual(ranks, [...ranks].sort((a, b) => a - b), `${e.id}: tactics not in kill-chain order`);
    }
  });

  test('every sub-technique has its parent, is named "Parent: Sub" and shares its tactics', () => {
    const byId = new Map(rawTable().techniques.map((e) => [e.id, e]));
    let subs = 0;
    for (const e of byId.values()) {
      if (!e.id.includes('.')) continue;
      subs++;
      const parent = byId.get(e.id.slice(0, 5));
      assert.ok(parent, `${e.id} has no parent`);
      assert.ok(e.name.startsWith(`${parent.name}: `) && e.name.length > parent.name.length + 2, `${e.id} "${e.name}" vs parent "${parent.name}"`);
      // ATT&CK gives a sub-technique its parent's tactics; a difference here is a transcription slip.
      assert.deepEqual(e.tactics, parent.tactics, `${e.id} tactics differ from ${parent.id}`);
    }
    assert.ok(subs > 100, `only ${subs} sub-techniques`);
  });

  test('spot checks against ATT&CK Enterprise', () => {
    const t = techniqueInfo('T1078.004');
    assert.deepEqual(t, {
      id: 'T1078.004',
      name: 'Valid Accounts: Cloud Accounts',
      tactics: ['Initial Access', 'Persistence', 'Privilege Escalation', 'Defense Evasion'],
    });
    assert.deepEqual(techniqueInfo('T1078')?.tactics, ['Initial Access', 'Persistence', 'Privilege Escalation', 'Defense Evasion']);
    assert.deepEqual(techniqueInfo('T1530'), { id: 'T1530', name: 'Data from Cloud Storage', tactics: ['Collection'] });
    assert.deepEqual(techniqueInfo('T1537'), { id: 'T1537', name: 'Transfer Data to Cloud Account', tactics: ['Exfiltration'] });
    assert.deepEqual(techniqueInfo('T1562.008'), { id: 'T1562.008', name: 'Impair Defenses: Disable or Modify Cloud Logs', tactics: ['Defense Evasion'] });
    assert.deepEqual(techniqueInfo('T1098.001'), {
      id: 'T1098.001',
      name: 'Account Manipulation: Additional Cloud Credentials',
      tactics: ['Persistence', 'Privilege Escalation'],
    });
    assert.deepEqual(techniqueInfo('T1136.003')?.name, 'Create Account: Cloud Account');
    assert.deepEqual(techniqueInfo('T1556.006')?.tactics, ['Persistence', 'Defense Evasion', 'Credential Access']);
    assert.deepEqual(techniqueInfo('T1040')?.tactics, ['Credential Access', 'Discovery']);
    assert.deepEqual(techniqueInfo('T1586.003'), { id: 'T1586.003', name: 'Compromise Accounts: Cloud Accounts', tactics: ['Resource Development'] });
  });

  test('covers the cloud techniques of the AWS detections in the brief', () => {
    // Ids used by public AWS/cloud detections (Splunk security_content) and the cloud matrix.
    const ids = (
      'T1078 T1078.004 T1098 T1098.001 T1098.003 T1136.003 T1110 T1110.001 T1110.003 T1110.004 T1526 T1530 T1535 ' +
      'T1537 T1538 T1552 T1552.005 T1562 T1562.001 T1562.008 T1580 T1586.003 T1119 T1485 T1486 T1490 T1496 ' +
      'T1498 T1499 T1525 T1528 T1531 T1550 T1550.001 T1556 T1556.006 T1566 T1567 T1567.002 T1578 T1578.001 ' +
      'T1578.002 T1578.003 T1578.004 T1578.005 T1619 T1621 T1648 T1651 T1059.009 T1087.004 T1069.003 T1201 ' +
      'T1204.003 T1021.007 T1040 T1048 T1070 T1190 T1199 T1213 T1213.003 T1484 T1484.002 T1546 T1548.005 ' +
      'T1555.006 T1606 T1606.002 T1614 T1613 T1666'
    ).split(' ');
    const missing = ids.filter((id) => techniqueInfo(id) === undefined);
    assert.deepEqual(missing, []);
  });

  test('every mitre_attack_id of the shipped detections is in the table', () => {
    const dir = repoPath('content', 'detections');
    const ids: string[] = [];
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.yml'))) {
      const y = parse(readFileSync(join(dir, f), 'utf8')) as { tags?: { mitre_attack_id?: string[] } };
      ids.push(...(y.tags?.mitre_attack_id ?? []));
    }
    assert.ok(ids.length >= 2, 'the shipped detections carry ATT&CK ids');
    for (const id of ids) assert.ok(techniqueInfo(id), `${id} is not in the table`);
  });
});

describe('techniqueInfo / findingTechniques', () => {
  test('ids are case-insensitive and trimmed', () => {
    assert.equal(techniqueInfo('  t1078.004 ')?.id, 'T1078.004');
    assert.equal(techniqueInfo('t1530')?.name, 'Data from Cloud Storage');
  });

  test('an unknown or malformed id is undefined, and a finding shows it with name null', () => {
    assert.equal(techniqueInfo('T9999'), undefined);
    assert.equal(techniqueInfo('T1078.999'), undefined);
    assert.equal(techniqueInfo(''), undefined);
    assert.deepEqual(findingTechniques(['T1078.004', ' t9999 ']), [
      { id: 'T1078.004', name: 'Valid Accounts: Cloud Accounts', tactics: ['Initial Access', 'Persistence', 'Privilege Escalation', 'Defense Evasion'] },
      { id: 'T9999', name: null, tactics: [] },
    ]);
  });

  test('callers cannot change the table through a returned entry', () => {
    techniqueInfo('T1530')!.tactics.push('Impact');
    assert.deepEqual(techniqueInfo('T1530')?.tactics, ['Collection']);
  });
});

describe('loader errors', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tg-mitre-'));
  const head = [
    'attack_version: "16"',
    'tactics:',
    '  - { id: TA0003, name: Persistence, shortname: persistence }',
    '  - { id: TA0005, name: Defense Evasion, shortname: defense-evasion }',
    'techniques:',
    '  - { id: T1136, name: Create Account, tactics: [Persistence] }',
  ];
  const write = (name: string, lines: string[]): string => {
    const f = join(dir, name);
    writeFileSync(f, [...head, ...lines].join('\n') + '\n');
    return f;
  };
  /** Loads `lines` after the head; the bad entry is always on line 7 (head has 6 lines). */
  const failsAt7 = (name: string, lines: string[], reason: RegExp): void => {
    const f = write(name, lines);
    assert.throws(
      () => loadMitreTable(f),
      (e: unknown) => {
        assert.ok(e instanceof TrailguardError);
        assert.equal(e.phase, 'content');
        assert.deepEqual(e.location, { file: f, line: 7 });
        assert.match(e.reason, reason);
        return true;
      },
    );
  };

  test('a good small table loads, tactics sorted into kill-chain order', () => {
    const t = loadMitreTable(write('ok.yml', ['  - { id: T1136.003, name: "Create Account: Cloud Account", tactics: [Persistence] }', '  - { id: T1562, name: Impair Defenses, tactics: [Defense Evasion, Persistence] }']));
    assert.equal(t.techniques.size, 3);
    assert.deepEqual(techniqueInfo('t1562', t)?.tactics, ['Persistence', 'Defense Evasion']);
    assert.deepEqual(tacticOrder(t), ['Persistence', 'Defense Evasion']);
  });

  test('an unknown tactic names the file and line', () => {
    failsAt7('tactic.yml', ['  - { id: T1530, name: Data from Cloud Storage, tactics: [Colection] }'], /unknown tactic.*"Colection"/);
  });
  test('a bad id', () => {
    failsAt7('id.yml', ['  - { id: T153, name: X, tactics: [Persistence] }'], /not of the form Tnnnn/);
  });
  test('an id listed twice', () => {
    failsAt7('dup.yml', ['  - { id: T1136, name: Create Account, tactics: [Persistence] }'], /listed twice/);
  });
  test('a sub-technique without its parent', () => {
    failsAt7('orphan.yml', ['  - { id: T1098.001, name: "Account Manipulation: Additional Cloud Credentials", tactics: [Persistence] }'], /no parent technique T1098/);
  });
  test('a sub-technique not named after its parent', () => {
    failsAt7('subname.yml', ['  - { id: T1136.003, name: Cloud Account, tactics: [Persistence] }'], /must be named "Create Account: <sub-technique>"/);
  });
  test('a misspelt key', () => {
    failsAt7('key.yml', ['  - { id: T1530, name: Data from Cloud Storage, tactic: [Persistence] }'], /unknown key\(s\) tactic/);
  });
  test('empty tactics', () => {
    failsAt7('empty.yml', ['  - { id: T1530, name: Data from Cloud Storage, tactics: [] }'], /non-empty list of tactics/);
  });
  test('invalid YAML (a key given twice)', () => {
    failsAt7('syntax.yml', ['  - { id: T1530, name: Data from Cloud Storage, name: X, tactics: [Collection] }'], /invalid YAML: Map keys must be unique/);
  });
  test('a missing file', () => {
    assert.throws(() => loadMitreTable(join(dir, 'nope.yml')), (e: unknown) => e instanceof TrailguardError && /cannot read/.test(e.reason));
  });

  after(() => rmSync(dir, { recursive: true, force: true }));
});

describe('scripts/mitre-from-stix.mjs', () => {
  const script = repoPath('scripts', 'mitre-from-stix.mjs');
  const run = (...args: string[]) => spawnSync(process.execPath, [script, ...args], { encoding: 'utf8' });

  test('converts the small STIX fixture into a table the loader accepts', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tg-stix-'));
    try {
      const out = join(dir, 'enterprise-attack.yml');
      const r = run(fixturePath('mitre', 'stix-small.json'), '--out', out);
      assert.equal(r.status, 0, r.stderr);
      // The sub-technique whose parent is deprecated is dropped, and the user is told.
      assert.match(r.stderr, /T1501\.001 has no live parent technique T1501; skipped/);
      assert.match(r.stderr, /2 techniques, 1 sub-techniques, 4 tactics/);
      const t = loadMitreTable(out);
      assert.equal(t.attackVersion, '16.1');
      assert.equal(t.source, 'stix');
      // Order from the matrix's tactic_refs, not from the order of the objects in the bundle.
      assert.deepEqual(
        t.tactics.map((x) => [x.id, x.name, x.shortname]),
        [
          ['TA0001', 'Initial Access', 'initial-access'],
          ['TA0003', 'Persistence', 'persistence'],
          ['TA0004', 'Privilege Escalation', 'privilege-escalation'],
          ['TA0005', 'Defense Evasion', 'defense-evasion'],
        ],
      );
      // Hand-derived from the fixture: revoked T1500 and deprecated T1501 skipped, the
      // lockheed-kill-chain phase of T1136 ignored, the sub-technique named after its parent.
      assert.deepEqual(
        [...t.techniques.values()],
        [
          { id: 'T1078', name: 'Valid Accounts', tactics: ['Initial Access', 'Persistence', 'Privilege Escalation', 'Defense Evasion'], platforms: ['Windows', 'IaaS', 'Linux'] },
          {
            id: 'T1078.004',
            name: 'Valid Accounts: Cloud Accounts',
            tactics: ['Initial Access', 'Persistence', 'Privilege Escalation', 'Defense Evasion'],
            platforms: ['IaaS', 'SaaS', 'Office Suite', 'Identity Provider'],
          },
          { id: 'T1136', name: 'Create Account', tactics: ['Persistence'], platforms: [] },
        ],
      );
      assert.match(readFileSync(out, 'utf8'), /^# Generated by scripts\/mitre-from-stix\.mjs from stix-small\.json \(ATT&CK Enterprise v16\.1\)/m);
      assert.deepEqual(readdirSync(dir), ['enterprise-attack.yml'], 'no temp file left behind');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('without --out the table goes to stdout', () => {
    const r = run(fixturePath('mitre', 'stix-small.json'));
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^ {2}- \{ id: "T1078\.004", name: "Valid Accounts: Cloud Accounts", /m);
    assert.doesNotMatch(r.stdout, /T1500|T1501/);
  });

  test('a file that is not JSON, or not a bundle, exits 2 naming the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tg-stix-'));
    try {
      const bad = join(dir, 'broken.json');
      writeFileSync(bad, '{"type": "bundle", "objects": [');
      let r = run(bad);
      assert.equal(r.status, 2);
      assert.match(r.stderr, /broken\.json: cannot read it as JSON/);
      const notBundle = join(dir, 'list.json');
      writeFileSync(notBundle, '[1, 2]');
      r = run(notBundle);
      assert.equal(r.status, 2);
      assert.match(r.stderr, /list\.json: not a STIX bundle/);
      r = run();
      assert.equal(r.status, 2);
      assert.match(r.stderr, /usage:/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
