/**
 * `trailguard risk` as a user runs it, over findings stored the way detections store them (risk
 * events written by the findings store, one per risk object). Expected rankings are summed by hand.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { StateStore } from '../../src/state/index.js';
import type { FindingDoc, StoredFinding } from '../../src/state/findings.js';
import { repoPath } from '../helpers.js';
import { scratchDir } from '../state/tmp.js';

function cli(args: string[]) {
  const dist = repoPath('dist', 'cli', 'main.js');
  const argv = existsSync(dist) ? [dist, ...args] : ['--import', 'tsx', repoPath('src', 'cli', 'main.ts'), ...args];
  return spawnSync(process.execPath, argv, { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
}

const N = Date.parse('2026-11-20T12:00:00Z') / 1000;
const H = 3600;
const D = 86400;
const dir = scratchDir('tg-risk-cli-');
const stateDir = join(dir, 'state');

let k = 0;
function finding(t: number, detection: string, score: number | null, users: string[], tactics: string[]): StoredFinding {
  k++;
  const doc: FindingDoc = {
    detection: { id: `det-${detection}`, name: detection, version: '1', type: 'TTP' },
    time: new Date(t * 1000).toISOString(),
    window: { earliest: new Date((t - H) * 1000).toISOString(), latest: new Date(t * 1000).toISOString() },
    risk_score: score,
    risk_objects: users.map((u) => ({ field: 'user', value: u, type: 'user', role: 'victim' })),
    message: `finding ${k}`,
    mitre: [{ id: 'T1078', name: 'Valid Accounts', tactics }],
    stories: [],
    fields: { user: users },
  };
  return { id: `f${k}`, identity: `i${k}`, doc, time: t, earliest: t - H, latest: t };
}

// mallory: 3 findings of 40 in the last day (120 > 100) — one of them shared with trent.
// trent: 4 detections, 3 tactics in 6 days (the tactic rule), 40 + 10 + 10 + 10 = 70.
// peggy: one old finding (3 days ago) of 90, no rule.
const FINDINGS = [
  finding(N - 1 * H, 'Alpha', 40, ['mallory', 'trent'], ['Initial Access']),
  finding(N - 5 * H, 'Beta', 40, ['mallory'], ['Initial Access']),
  finding(N - 23 * H, 'Alpha', 40, ['mallory'], ['Initial Access']),
  finding(N - 2 * D, 'Gamma', 10, ['trent'], ['Persistence']),
  finding(N - 4 * D, 'Delta', 10, ['trent'], ['Discovery']),
  finding(N - 6 * D, 'Epsilon', 10, ['trent'], ['Discovery']),
  finding(N - 3 * D, 'Zeta', 90, ['peggy'], ['Impact']),
];
const state = new StateStore({ stateDir });
state.transaction((db) => {
  for (const f of FINDINGS) state.findings.insert(db, f);
});
state.close();
const NOW = ['--state', stateDir, '--now', '2026-11-20T12:00:00Z'];

test('risk --format json ranks objects by summed score and flags both rules', () => {
  const r = cli(['risk', ...NOW, '--format', 'json']);
  assert.equal(r.status, 0, r.stderr);
  const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, any>);
  assert.deepEqual(rows.map((x) => [x.rank, x.object, x.score, x.events, x.sources, x.tactics, x.rules.over100in24h, x.rules.tactics3sources4in7d]), [
    [1, 'mallory', 120, 3, 2, ['Initial Access'], true, false],
    [2, 'peggy', 90, 1, 1, ['Impact'], false, false],
    [3, 'trent', 70, 4, 4, ['Discovery', 'Initial Access', 'Persistence'], false, true],
  ]);
  assert.deepEqual(rows[2]!.detections, ['Alpha', 'Delta', 'Epsilon', 'Gamma']);
  assert.match(r.stderr, /3 risk object\(s\) since 2026-11-13T12:00:00.000Z; 2 shown trip a risk incident rule/);
});

test('risk --since 24h ranks the last day only; --flagged keeps objects that trip a rule; table and csv', () => {
  const day = cli(['risk', ...NOW, '--since', '24h', '--format', 'json']);
  assert.equal(day.status, 0, day.stderr);
  // peggy has nothing in the last day and trips no rule; trent has one finding (40) but trips the 7-day rule.
  assert.deepEqual(day.stdout.trim().split('\n').map((l) => { const x = JSON.parse(l); return [x.object, x.score]; }), [['mallory', 120], ['trent', 40]]);

  const flagged = cli(['risk', ...NOW, '--flagged']);
  assert.equal(flagged.status, 0, flagged.stderr);
  const lines = flagged.stdout.trim().split('\n');
  assert.match(lines[0]!, /^rank\s+score\s+type\s+object\s+events\s+sources\s+tactics\s+rules$/);
  assert.match(flagged.stdout, /1\s+120\s+user\s+mallory\s+3\s+2\s+Initial Access\s+risk>100\/24h/);
  assert.match(flagged.stdout, /2\s+70\s+user\s+trent\s+4\s+4\s+Discovery\s+3tactics\+4sources\/7d/);
  assert.ok(!flagged.stdout.includes('peggy'));

  const csv = cli(['risk', ...NOW, '--format', 'csv', '--limit', '2']);
  assert.equal(csv.status, 0, csv.stderr);
  const records = parse(csv.stdout, { columns: true }) as Record<string, string>[];
  assert.deepEqual(records.map((x) => [x.rank, x.object, x.score, x.over100in24h, x.tactics3sources4in7d, x.score_24h]), [
    ['1', 'mallory', '120', 'true', 'false', '120'],
    ['2', 'peggy', '90', 'false', 'false', '0'],
  ]);
  assert.match(csv.stderr, /3 risk object\(s\).*2 shown/);
});

test('risk over a state with no findings prints nothing and exits 0; bad flags exit 2; --help has examples', () => {
  const empty = cli(['risk', '--state', join(dir, 'none')]);
  assert.equal(empty.status, 0, empty.stderr);
  assert.equal(empty.stdout, '');
  assert.match(empty.stderr, /0 risk object\(s\)/);
  for (const bad of [['--format', 'xml'], ['--since', 'last tuesday'], ['--limit', '0'], ['--now', 'soon'], ['--since', '2026-12-01T00:00:00Z']]) {
    const r = cli(['risk', ...NOW, ...bad]);
    assert.equal(r.status, 2, `${bad.join(' ')}: ${r.stderr}`);
    assert.doesNotMatch(r.stderr, /at .*\.js:\d+/, 'no stack trace');
  }
  const help = cli(['risk', '--help']);
  assert.equal(help.status, 0);
  assert.match(help.stdout, /Examples:\n\s+trailguard risk/);
});
