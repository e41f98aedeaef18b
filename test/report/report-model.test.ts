/**
 * The report's data side without a browser: reading finding JSON lines, the risk incident rules on
 * hand-made timelines, the timeline buckets, and the page's safety properties (CSP hashes match
 * the inline scripts, data cannot close its script block, writes are atomic).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TrailguardError } from '../../src/errors.js';
import { loadReportInput } from '../../src/report/load.js';
import type { FindingRecord, ReportInput } from '../../src/report/model.js';
import { parseFinding } from '../../src/report/parse.js';
import { renderReportHtml, scriptJson, writeReport } from '../../src/report/page.js';
import { summarise } from '../../src/report/summary.js';

const HOUR = 3_600_000;
const T0 = Date.parse('2026-11-01T00:00:00Z');
const at = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
let nextId = 0;

interface FindingSpec { user?: string; at?: number; detection?: string; tactics?: string[]; risk_score?: number | null }

function finding(over: FindingSpec = {}): FindingRecord {
  const name = over.detection ?? 'Det A';
  return {
    id: (nextId++).toString(16).padStart(8, '0'),
    detection: { id: `id-${name}`, name, version: 1, type: 'TTP' },
    time: at(over.at ?? T0),
    window: null,
    risk_score: over.risk_score === undefined ? 50 : over.risk_score,
    risk_objects: [{ field: 'user', value: over.user ?? 'alice', type: 'user', role: 'victim' }],
    message: 'm',
    mitre: [{ id: 'T1078', name: 'Valid Accounts', tactics: over.tactics ?? ['Initial Access'] }],
    stories: [],
    fields: {},
    evidence: [],
  };
}

const input = (findings: FindingRecord[], extra: Partial<ReportInput> = {}): ReportInput => ({ findings, riskEvents: null, since: null, until: null, sourceLabel: 'test', ...extra });
const identity = (findings: FindingRecord[], user = 'alice') => summarise(input(findings)).identities.find((i) => i.object === user)!;

// ------------------------------------------------------------------ reading findings

const GOOD = {
  detection: { id: 'd1', name: 'Detect X', version: 3, type: 'TTP' },
  time: '2026-11-20T11:00:00Z',
  window: { earliest: '2026-11-20T09:50:00Z', latest: '2026-11-20T10:50:00Z' },
  risk_score: 25,
  risk_objects: [{ field: 'user', value: 'bob', type: 'user', role: 'victim' }],
  message: 'bob did X',
  mitre: [{ id: 'T1078.004', name: 'Cloud Accounts', tactics: ['Persistence'] }],
  stories: ['AWS User Monitoring'],
  fields: { user: 'bob', eventName: ['A', 'B'], count: '3', missing: null },
};

test('a finding line in the issue-7 shape reads as written, with a stable id when it has none', () => {
  const f = parseFinding(GOOD);
  assert.deepEqual(f.fields, GOOD.fields);
  assert.equal(f.detection.version, 3);
  assert.match(f.id, /^[0-9a-f]{16}$/);
  assert.equal(parseFinding(structuredClone(GOOD)).id, f.id, 'same finding, same id');
  assert.notEqual(parseFinding({ ...GOOD, time: '2026-11-20T12:00:00Z' }).id, f.id);
  assert.equal(parseFinding({ ...GOOD, id: 'abc123' }).id, 'abc123');
  assert.deepEqual(f.evidence, []);
  assert.deepEqual(parseFinding({ ...GOOD, mitre: [{ id: 'T9999', name: null, tactics: [] }] }).mitre, [{ id: 'T9999', name: null, tactics: [] }]);
  assert.equal(parseFinding({ ...GOOD, detection: { ...GOOD.detection, version: '3' } }).detection.version, '3');
});

function loadLines(lines: string[]): ReportInput {
  const dir = mkdtempSync(join(tmpdir(), 'tg-report-in-'));
  try {
    writeFileSync(join(dir, 'f.jsonl'), lines.join('\n') + '\n');
    return loadReportInput({ kind: 'jsonl', findings: join(dir, 'f.jsonl') });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function loadError(lines: string[]): TrailguardError {
  try {
    loadLines(lines);
  } catch (err) {
    assert.ok(err instanceof TrailguardError, String(err));
    return err;
  }
  assert.fail('expected an error');
}

test('bad finding lines are errors that name the file, the line and the member', () => {
  const notJson = loadError([JSON.stringify(GOOD), '{"detection": ']);
  assert.equal(notJson.phase, 'input');
  assert.equal(notJson.location?.line, 2);
  assert.match(notJson.reason, /line 2 is not JSON/);
  assert.match(notJson.location!.file, /f\.jsonl$/);

  const badValue = loadError([JSON.stringify(GOOD), '', JSON.stringify({ ...GOOD, risk_objects: [{ field: 'user', value: 7 }] })]);
  assert.equal(badValue.location?.line, 3);
  assert.match(badValue.reason, /line 3: findings member risk_objects\[0\]\.value must be a string, got number/);

  assert.match(loadError([JSON.stringify({ ...GOOD, time: '20/11/2026' })]).reason, /time must be an ISO-8601 time with a zone/);
  assert.match(loadError([JSON.stringify({ ...GOOD, evidence: [{ time: '2026-11-20T11:00:00Z', raw: 'x' }] })]).reason, /evidence\[0\]\.raw must be an object/);
  assert.match(loadError([JSON.stringify({ ...GOOD, detection: { name: 'x' } })]).reason, /detection\.id must be a string/);
});

test('a missing findings file is an input error with a next step', () => {
  const err = (() => {
    try {
      loadReportInput({ kind: 'jsonl', findings: '/nonexistent/findings.jsonl' });
    } catch (e) {
      return e as TrailguardError;
    }
    return undefined;
  })();
  assert.ok(err instanceof TrailguardError);
  assert.match(err.reason, /does not exist/);
  assert.ok(err.hints.length > 0);
});

test('--since/--until keep findings in [since, until)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tg-report-in-'));
  try {
    const lines = ['10:00:00', '11:00:00', '11:59:59', '12:00:00'].map((t) => JSON.stringify({ ...GOOD, time: `2026-11-20T${t}Z` }));
    writeFileSync(join(dir, 'f.jsonl'), lines.join('\n'));
    const got = loadReportInput({ kind: 'jsonl', findings: join(dir, 'f.jsonl'), since: Date.parse('2026-11-20T11:00:00Z'), until: Date.parse('2026-11-20T12:00:00Z') });
    assert.deepEqual(got.findings.map((f) => f.time), ['2026-11-20T11:00:00Z', '2026-11-20T11:59:59Z']);
    const s = summarise(got);
    assert.deepEqual(s.period, { start: '2026-11-20T11:00:00Z', end: '2026-11-20T12:00:00Z' });
    assert.equal(s.timeline!.buckets, 1, 'the exclusive end does not open a 12:00 bucket');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// ------------------------------------------------------------------ risk and the incident rules

test('risk threshold: more than 100 within 24 hours fires; exactly 100, or 24 hours apart, does not', () => {
  const a = (h: number, score: number) => finding({ at: T0 + h * HOUR, risk_score: score });
  assert.equal(identity([a(0, 50), a(23.99, 51)]).riskIncident, true);
  assert.equal(identity([a(0, 50), a(23.99, 51)]).peakDay!.score, 101);
  assert.equal(identity([a(0, 50), a(10, 50)]).riskIncident, false, 'exactly 100 is not over 100');
  assert.equal(identity([a(0, 50), a(24, 51)]).riskIncident, false, 'the first event left the window');
  assert.equal(identity([a(0, 50), a(24, 51)]).peakDay!.score, 51);
  assert.equal(identity([a(0, 40), a(30, 40), a(40, 40), a(50, 40)]).riskIncident, true, '30h..50h: 120');
  assert.equal(identity([a(5, 60), a(5, 60)]).score, 120, 'two findings at the same instant both count');
  assert.equal(identity([a(5, 60), a(5, 60)]).riskIncident, true);
});

test('tactic threshold: 3+ tactics from 4+ detections within 7 days', () => {
  const f = (day: number, detection: string, tactics: string[]) => finding({ at: T0 + day * 24 * HOUR, detection, tactics, risk_score: 1 });
  const four = [f(0, 'D1', ['Initial Access']), f(2, 'D2', ['Persistence']), f(4, 'D3', ['Discovery']), f(6, 'D4', ['Discovery'])];
  const hit = identity(four);
  assert.deepEqual(hit.tacticIncident?.tactics, ['Discovery', 'Initial Access', 'Persistence']);
  assert.deepEqual(hit.tacticIncident?.sources, ['D1', 'D2', 'D3', 'D4']);
  assert.equal(hit.riskIncident, false);
  assert.equal(identity([...four.slice(0, 3), f(7, 'D4', ['Discovery'])]).tacticIncident, null, 'day 0 left the 7-day window');
  assert.equal(identity([f(0, 'D1', ['A', 'B', 'C', 'D']), f(1, 'D2', ['A']), f(2, 'D3', ['A'])]).tacticIncident, null, 'only 3 detections');
  assert.equal(identity([f(0, 'D1', ['A']), f(1, 'D2', ['B']), f(2, 'D3', ['A']), f(3, 'D4', ['B'])]).tacticIncident, null, 'only 2 tactics');
  assert.equal(identity([f(0, 'D1', ['A']), f(1, 'D1', ['B']), f(2, 'D2', ['C']), f(3, 'D3', ['C'])]).tacticIncident, null, 'D1 twice is one source');
});

test('identities: summed risk, ranked; objects named only by unscored findings have risk 0; given risk events are used as they are', () => {
  const s = summarise(input([finding({ user: 'a', risk_score: 30 }), finding({ user: 'b', risk_score: 20 }), finding({ user: 'b', risk_score: 20 }), finding({ user: 'c', risk_score: null })]));
  assert.deepEqual(s.identities.map((i) => [i.object, i.score, i.findings]), [['b', 40, 2], ['a', 30, 1], ['c', 0, 1]]);
  assert.equal(s.totals.identities, 3);
  assert.equal(s.riskEventsDerived, true);
  const given = summarise(input([finding({ user: 'a' })], {
    riskEvents: [{ time: at(T0), object: 'a', object_type: 'user', score: 120, detection_id: 'x', detection_name: 'X', mitre_ids: [], tactics: [] }],
  }));
  assert.equal(given.identities[0]!.score, 120);
  assert.equal(given.totals.highRiskIdentities, 1);
  assert.equal(given.riskEventsDerived, false);
});

test('timeline: one bucket per hour from the first finding to the last, stacked by detection, the rest grouped', () => {
  const fs = [
    finding({ at: T0 + 10 * 60_000, detection: 'A' }),
    finding({ at: T0 + 50 * 60_000, detection: 'B' }),
    finding({ at: T0 + 3 * HOUR + 5, detection: 'A' }),
  ];
  const tl = summarise(input(fs)).timeline!;
  assert.equal(tl.unit, 'hour');
  assert.equal(tl.start, T0);
  assert.equal(tl.buckets, 4);
  assert.deepEqual(tl.series.map((s) => [s.label, s.counts]), [['A', [1, 0, 0, 1]], ['B', [1, 0, 0, 0]]]);
  const many = Array.from({ length: 10 }, (_, i) => Array.from({ length: 10 - i }, () => finding({ detection: `D${i}` }))).flat();
  const stacks = summarise(input(many)).timeline!.series;
  assert.equal(stacks.length, 8);
  assert.deepEqual(stacks[7]!.detections, ['D7', 'D8', 'D9']);
  assert.equal(stacks[7]!.total, 3 + 2 + 1);
  const long = summarise(input([finding({ at: T0 }), finding({ at: T0 + 90 * 24 * HOUR })])).timeline!;
  assert.equal(long.unit, 'day', 'a long period is bucketed by day');
});

// ------------------------------------------------------------------ the page

const HOSTILE = '</script><img src=x onerror="window.__pwned=1"><!--<script>';

test('page: the CSP lists the SHA-256 of exactly its inline scripts and style, and nothing may be fetched', () => {
  const html = renderReportHtml(input([finding()]));
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)![1]!.replace(/&#39;/g, "'");
  const hash = (s: string) => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`;
  const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => hash(m[1]!));
  const styles = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => hash(m[1]!));
  assert.equal(scripts.length, 2);
  assert.equal(styles.length, 1);
  assert.equal(/script-src ([^;]+)/.exec(csp)![1], scripts.join(' '));
  assert.equal(/style-src ([^;]+)/.exec(csp)![1], styles.join(' '));
  assert.match(csp, /default-src 'none'/);
  assert.ok(html.indexOf('Content-Security-Policy') < html.indexOf('<style>'), 'the policy comes before any style or script');
});

test('page: hostile strings in the data cannot end the data block', () => {
  const f = finding({ user: HOSTILE });
  f.message = HOSTILE;
  f.evidence = [{ time: at(T0), raw: { userAgent: HOSTILE, requestParameters: { q: '\u2028</SCRIPT >' } } }];
  const html = renderReportHtml(input([f]));
  const block = /<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(html)![1]!;
  assert.doesNotMatch(block, /[<>]/);
  const data = JSON.parse(block);
  assert.equal(data.findings[0].message, HOSTILE);
  assert.equal(data.findings[0].evidence[0].raw.requestParameters.q, '\u2028</SCRIPT >');
  assert.equal(scriptJson({ a: '<!--' }), '{"a":"\\u003c!--"}');
  assert.equal((html.match(/<script\b/gi) ?? []).length, 3);
});

test('page: evidence is capped per finding and the true count kept', () => {
  const f = finding();
  f.evidence = Array.from({ length: 25 }, (_, i) => ({ time: at(T0 + i * 1000), raw: { eventName: `E${i}` } }));
  const html = renderReportHtml(input([f]), { evidenceLimit: 20 });
  const data = JSON.parse(/id="report-data">([\s\S]*?)<\/script>/.exec(html)![1]!);
  assert.equal(data.findings[0].evidence.length, 20);
  assert.equal(data.findings[0].evidence_total, 25);
});

test('writeReport replaces the file atomically and leaves no temp file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tg-report-out-'));
  try {
    const file = join(dir, 'r.html');
    writeFileSync(file, 'old');
    const summary = writeReport(input([finding(), finding({ user: 'bob' })]), file);
    assert.equal(summary.totals.findings, 2);
    assert.match(readFileSync(file, 'utf8'), /^<!doctype html>/);
    assert.deepEqual(readdirSync(dir), ['r.html']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
