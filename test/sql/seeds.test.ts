/**
 * The seed detections and their variants (and the baselines they need first) give identical results and findings in-process and
 * through the SQL engines — DuckDB's dialect, and the Trino text of the Athena profile on DuckDB —
 * on generated CloudTrail (NDJSON and an AWSLogs tree of gzipped {"Records":[…]} files) and on real
 * events (the invictus-ir sample; real delivery files in test/fixtures/sql/awslogs). Each run uses
 * its own state directory, so the baselines' lookups are built by the engine under test.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from '../../src/generate/index.js';
import { Content } from '../../src/content/load.js';
import { runBaselines, runDetections, selectBaselines, selectDetections } from '../../src/detect/operations.js';
import { StateStore } from '../../src/state/index.js';
import type { EngineChoice } from '../../src/engine/session.js';
import { fixturePath, repoPath } from '../helpers.js';
import { asText } from './harness.js';

const END = Date.parse('2026-11-20T12:00:00Z');

async function outcomes(dataPaths: string[], now: number, engine: EngineChoice | undefined, allowList?: string) {
  const stateDir = mkdtempSync(join(tmpdir(), 'tg-sql-seeds-'));
  if (allowList) {
    mkdirSync(join(stateDir, 'lookups'), { recursive: true });
    copyFileSync(allowList, join(stateDir, 'lookups', 'aws_service_accounts.csv'));
  }
  const sql: string[] = [];
  // The same calls `trailguard baseline` and `trailguard detect --engine …` make.
  const content = new Content();
  const state = new StateStore({ stateDir, contentDirs: [...content.dirs], includeProjectContent: false, definitions: content.lookups });
  try {
    const env = { content, state, dataPaths, now, setup: { engine: engine && { ...engine, onSql: (s: string) => sql.push(s) } } };
    const baselines = await runBaselines(env, selectBaselines(content, []));
    const report = await runDetections(env, selectDetections(content, []), false);
    assert.deepEqual(report.failures.map((f) => f.error.message), []);
    return {
      baselines: baselines.map((b) => `${b.baseline.name}: ${JSON.stringify([...b.tables])}`),
      tables: [...new Set(baselines.flatMap((b) => [...b.tables.keys()]))].sort().map((t) => state.lookups.read(t)),
      detections: report.outcomes.map((d) => ({ name: d.detection.name, rows: asText(d.rows), findings: d.findings.map((f) => f.finding.doc) })),
      sql,
    };
  } finally {
    state.close();
  }
}

const ENGINES: [string, EngineChoice][] = [
  ['duckdb', { kind: 'duckdb' }],
  ['trino text (athena-cloudtrail-pp) on duckdb', { kind: 'duckdb', profile: 'athena-cloudtrail-pp' }],
];

async function compare(title: string, dataPaths: string[], now: number, allowList?: string): Promise<void> {
  const expected = await outcomes(dataPaths, now, undefined, allowList);
  assert.ok(expected.detections.some((d) => d.rows.length > 0), `${title}: no detection found anything; the comparison would prove little`);
  for (const [label, engine] of ENGINES) {
    const got = await outcomes(dataPaths, now, engine, allowList);
    assert.deepEqual(got.baselines, expected.baselines, `${label}: baselines`);
    assert.deepEqual(got.tables, expected.tables, `${label}: baseline tables`);
    for (const [i, d] of expected.detections.entries()) assert.deepEqual(got.detections[i], d, `${label}: ${d.name}`);
    assert.ok(got.sql.length >= expected.detections.length, `${label}: the detections did not run as SQL`);
  }
}

for (const layout of ['ndjson', 'awslogs'] as const) {
  test(`seeds on generated data (${layout}): in-process = duckdb = Trino text on duckdb`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tg-sql-gen-'));
    const summary = await generate({
      events: 3000, seed: `sql-${layout}`, days: 9, end: END, out: join(dir, layout === 'ndjson' ? 'events.ndjson' : 'data'), layout,
      truth: join(dir, 'truth.json'), serviceAccounts: join(dir, 'aws_service_accounts.csv'), force: true,
    });
    await compare(layout, [join(dir, layout === 'ndjson' ? 'events.ndjson' : 'data')], END / 1000, summary.serviceAccountsPath);
  });
}

test('seeds on real events (invictus-ir sample, NDJSON gz): in-process = duckdb = Trino text on duckdb', async () => {
  await compare('invictus', [repoPath('samples', 'invictus-ir', 'events.ndjson.gz')], Date.parse('2023-07-10T13:00:00Z') / 1000);
});

test('seeds on real delivery files ({"Records":[…]} .json.gz): in-process = duckdb = Trino text on duckdb', async () => {
  await compare('records', [fixturePath('sql', 'awslogs')], Date.parse('2023-07-10T12:20:00Z') / 1000);
});
