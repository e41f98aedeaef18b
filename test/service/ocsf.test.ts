/**
 * The OCSF output: each finding becomes one OCSF 1.3.0 Detection Finding (class 2004) line. The
 * shape is checked against a hand-written subset of the schema (required attributes, types,
 * enumerations, type_uid arithmetic), and the mapped values against the finding by hand.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createOutput } from '../../src/service/outputs/index.js';
import { ocsfDetectionFinding, severityOf } from '../../src/service/outputs/ocsf.js';
import { StateStore } from '../../src/state/index.js';
import { Outbox } from '../../src/state/outbox.js';
import { scratchDir } from '../state/tmp.js';
import { findingDoc, seedFindings } from './receiver.js';

// --- A subset of OCSF 1.3.0, written from the schema's documentation ------------------------
type Spec = { type: 'int' | 'string' | 'object' | 'array' | 'number' | 'long'; required?: boolean; enum?: number[]; items?: Schema; props?: Schema };
type Schema = Record<string, Spec>;

const PRODUCT: Schema = { name: { type: 'string' }, vendor_name: { type: 'string' }, version: { type: 'string' } };
const METADATA: Schema = { version: { type: 'string', required: true }, product: { type: 'object', required: true, props: PRODUCT }, uid: { type: 'string' }, event_code: { type: 'string' }, labels: { type: 'array' }, profiles: { type: 'array' } };
const ATTACK: Schema = {
  technique: { type: 'object', props: { uid: { type: 'string' }, name: { type: 'string' } } },
  sub_technique: { type: 'object', props: { uid: { type: 'string' }, name: { type: 'string' } } },
  tactic: { type: 'object', props: { uid: { type: 'string' }, name: { type: 'string' } } },
  version: { type: 'string' },
};
const ANALYTIC: Schema = { type_id: { type: 'int', required: true, enum: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 99] }, name: { type: 'string' }, uid: { type: 'string' }, type: { type: 'string' }, version: { type: 'string' } };
const FINDING_INFO: Schema = {
  uid: { type: 'string', required: true }, title: { type: 'string' }, desc: { type: 'string' }, created_time: { type: 'long' },
  types: { type: 'array' }, analytic: { type: 'object', props: ANALYTIC }, attacks: { type: 'array', items: ATTACK },
};
const OBSERVABLE: Schema = { name: { type: 'string', required: true }, type_id: { type: 'int', required: true }, type: { type: 'string' }, value: { type: 'string' } };
const DETECTION_FINDING: Schema = {
  activity_id: { type: 'int', required: true, enum: [0, 1, 2, 3, 99] },
  category_uid: { type: 'int', required: true, enum: [2] },
  class_uid: { type: 'int', required: true, enum: [2004] },
  type_uid: { type: 'long', required: true },
  time: { type: 'long', required: true },
  severity_id: { type: 'int', required: true, enum: [0, 1, 2, 3, 4, 5, 6, 99] },
  metadata: { type: 'object', required: true, props: METADATA },
  finding_info: { type: 'object', required: true, props: FINDING_INFO },
  risk_score: { type: 'int' },
  risk_level_id: { type: 'int', enum: [0, 1, 2, 3, 4, 99] },
  status_id: { type: 'int', enum: [0, 1, 2, 3, 4, 5, 99] },
  message: { type: 'string' },
  start_time: { type: 'long' },
  end_time: { type: 'long' },
  observables: { type: 'array', items: OBSERVABLE },
  cloud: { type: 'object', props: { provider: { type: 'string', required: true } } },
  unmapped: { type: 'object' },
};

function check(value: unknown, schema: Schema, path: string, problems: string[]): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    problems.push(`${path}: not an object`);
    return;
  }
  const o = value as Record<string, unknown>;
  for (const [k, spec] of Object.entries(schema)) {
    const v = o[k];
    const at = `${path}.${k}`;
    if (v === undefined) {
      if (spec.required) problems.push(`${at}: required`);
      continue;
    }
    const ok = {
      int: Number.isInteger(v), long: Number.isInteger(v), number: typeof v === 'number', string: typeof v === 'string',
      object: v !== null && typeof v === 'object' && !Array.isArray(v), array: Array.isArray(v),
    }[spec.type];
    if (!ok) problems.push(`${at}: expected ${spec.type}, got ${JSON.stringify(v)}`);
    if (spec.enum && !spec.enum.includes(v as number)) problems.push(`${at}: ${String(v)} is not one of ${spec.enum.join(', ')}`);
    if (spec.props) check(v, spec.props, at, problems);
    if (spec.items) (v as unknown[]).forEach((x, i) => check(x, spec.items!, `${at}[${i}]`, problems));
  }
}

function validate(event: Record<string, unknown>): string[] {
  const problems: string[] = [];
  check(event, DETECTION_FINDING, '$', problems);
  if (event.type_uid !== (event.class_uid as number) * 100 + (event.activity_id as number)) problems.push('$.type_uid != class_uid * 100 + activity_id');
  return problems;
}
// ---------------------------------------------------------------------------------------------

test('the validator rejects what OCSF rejects (so passing it means something)', () => {
  const good = ocsfDetectionFinding(findingDoc(), 'f-1');
  assert.deepEqual(validate(good), []);
  const broken: Record<string, unknown>[] = [
    { ...good, class_uid: undefined },
    { ...good, type_uid: 200402 },
    { ...good, severity_id: 7 },
    { ...good, time: '2026-11-20T12:00:00Z' },
    { ...good, metadata: { product: { name: 'x' } } },
    { ...good, finding_info: { title: 'no uid' } },
    { ...good, observables: [{ name: 'user', value: 'x' }] },
  ];
  for (const b of broken) assert.notDeepEqual(validate(b), [], JSON.stringify(b).slice(0, 80));
});

test('a finding maps to a Detection Finding: identity, times, analytic, ATT&CK, risk, observables, unmapped fields', () => {
  const doc = findingDoc({
    time: '2026-11-20T12:00:00.000Z',
    window: { earliest: '2026-11-20T10:50:00.000Z', latest: '2026-11-20T11:50:00.000Z' },
    risk_score: 36,
    risk_objects: [
      { field: 'user', value: 'arn:aws:iam::123456789012:user/alice', type: 'user', role: 'victim' },
      { field: 'src_ip', value: '203.0.113.7', type: 'ip_address', role: 'attacker' },
      { field: 'thing', value: 'x', type: 'widget', role: 'other' },
    ],
    mitre: [
      { id: 'T1078.004', name: 'Valid Accounts: Cloud Accounts', tactics: ['Initial Access', 'Persistence'] },
      { id: 'T1580', name: 'Cloud Infrastructure Discovery', tactics: ['Discovery'] },
      { id: 'T9999', name: null, tactics: [] },
    ],
  });
  const e = ocsfDetectionFinding(doc, 'abc123') as Record<string, any>;
  assert.deepEqual(validate(e), []);
  assert.equal(e.class_uid, 2004);
  assert.equal(e.category_uid, 2);
  assert.equal(e.activity_id, 1);
  assert.equal(e.type_uid, 200401);
  assert.equal(e.time, Date.UTC(2026, 10, 20, 12, 0, 0));
  assert.equal(e.start_time, Date.UTC(2026, 10, 20, 10, 50, 0));
  assert.equal(e.end_time, Date.UTC(2026, 10, 20, 11, 50, 0));
  assert.equal(e.metadata.version, '1.3.0');
  assert.equal(e.metadata.uid, 'abc123');
  assert.equal(e.metadata.product.name, 'Trailguard');
  assert.equal(e.metadata.event_code, doc.detection.id);
  assert.equal(e.finding_info.uid, 'abc123');
  assert.equal(e.finding_info.title, doc.detection.name);
  assert.equal(e.finding_info.desc, doc.message);
  assert.deepEqual(e.finding_info.types, ['Hunting']);
  assert.deepEqual(e.finding_info.analytic, { uid: doc.detection.id, name: doc.detection.name, version: '3', type_id: 1, type: 'Rule' });
  // One attack entry per technique and tactic; tactic ids are ATT&CK's (TA0001 Initial Access, TA0003 Persistence, TA0007 Discovery).
  const attacks = e.finding_info.attacks.map((a: any) => [a.technique.uid, a.technique.name ?? null, a.sub_technique?.uid ?? null, a.sub_technique?.name ?? null, a.tactic?.uid ?? null, a.tactic?.name ?? null]);
  assert.deepEqual(attacks, [
    ['T1078', 'Valid Accounts', 'T1078.004', 'Cloud Accounts', 'TA0001', 'Initial Access'],
    ['T1078', 'Valid Accounts', 'T1078.004', 'Cloud Accounts', 'TA0003', 'Persistence'],
    ['T1580', 'Cloud Infrastructure Discovery', null, null, 'TA0007', 'Discovery'],
    ['T9999', null, null, null, null, null],
  ]);
  assert.equal(e.risk_score, 36);
  assert.equal(e.severity_id, 2);
  assert.equal(e.severity, 'Low');
  assert.equal(e.risk_level_id, 1);
  assert.deepEqual(e.observables, [
    { name: 'unmapped.user', type_id: 4, type: 'User Name', value: 'arn:aws:iam::123456789012:user/alice' },
    { name: 'unmapped.src_ip', type_id: 2, type: 'IP Address', value: '203.0.113.7' },
    { name: 'unmapped.thing', type_id: 99, type: 'Other', value: 'x' },
  ]);
  assert.deepEqual(e.unmapped, doc.fields);
  assert.deepEqual(e.metadata.labels, doc.stories);
});

test('risk score → severity_id bands (fifths of 0–100), no score → Unknown', () => {
  const cases: [number | null, number, number | undefined][] = [
    [null, 0, undefined], [0, 1, 0], [20, 1, 0], [21, 2, 1], [25.0, 2, 1], [40, 2, 1], [41, 3, 2], [60, 3, 2], [61, 4, 3], [80, 4, 3], [81, 5, 4], [100, 5, 4], [250, 5, 4],
  ];
  for (const [score, sev, level] of cases) {
    const s = severityOf(score);
    assert.equal(s.severity_id, sev, String(score));
    assert.equal(s.risk_level_id, level, String(score));
  }
  const none = ocsfDetectionFinding(findingDoc({ risk_score: null }), 'n');
  assert.deepEqual(validate(none), []);
  assert.equal(none.risk_score, undefined);
});

test('the ocsf output appends one valid event per finding and delivers each once', async () => {
  const dir = scratchDir('tg-ocsf-');
  const state = new StateStore({ stateDir: join(dir, 'state') });
  const file = join(dir, 'out', 'findings.ocsf.jsonl');
  const out = createOutput({ type: 'ocsf', options: { type: 'ocsf', path: file }, file: join(dir, 'trailguard.yml') }, { secrets: [], stateDir: state.stateDir, log: () => {} });
  const seeded = seedFindings(state, out.key, 3);
  const outbox = new Outbox(state.db);
  assert.deepEqual(await out.drain(outbox), { delivered: 3, retrying: 0, dead: 0 });
  assert.deepEqual(await out.drain(outbox), { delivered: 0, retrying: 0, dead: 0 });
  const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, any>);
  assert.deepEqual(lines.map((l) => l.finding_info.uid), seeded.map((f) => f.id));
  for (const l of lines) assert.deepEqual(validate(l), []);
  state.close();
});
