/**
 * The seed detections (and the baselines they need first) give identical results in-process and
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
import { runSeedDetections } from '../../src/detect/seed-run.js';
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
  const run = await runSeedDetections({ dataPaths, stateDir, now, engine: engine && { ...engine, onSql: (s) => sql.push(s) } });
  return {
    baselines: run.baselines.map((b) => `${b.baseline.name}: ${b.writtenRows}`),
    detections: run.detections.map((d) => ({ name: d.detection.name, rows: asText(d.rows) })),
    sql,
  };
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
