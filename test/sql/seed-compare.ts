/**
 * Runs the seed detections and their variants (with the baselines they need first) on some
 * CloudTrail in-process and through the SQL engines — DuckDB's dialect, and the Trino text of the
 * Athena profile on DuckDB — and asserts identical baselines, baseline tables, result rows and
 * findings. Each run uses its own state directory, so the baselines' lookups are built by the
 * engine under test. Shared by test/sql/seeds.test.ts and the extended suite over real data.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Content } from '../../src/content/load.js';
import { runBaselines, runDetections, selectBaselines, selectDetections } from '../../src/detect/operations.js';
import { StateStore } from '../../src/state/index.js';
import type { EngineChoice } from '../../src/engine/session.js';
import { asText } from './harness.js';

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

export const ENGINES: [string, EngineChoice][] = [
  ['duckdb', { kind: 'duckdb' }],
  ['trino text (athena-cloudtrail-pp) on duckdb', { kind: 'duckdb', profile: 'athena-cloudtrail-pp' }],
];

/**
 * Compares the engines; returns how many result rows the detections gave in-process. With
 * `requireRows` (the default) a run where no detection finds anything fails: it would prove little.
 */
export async function compareSeeds(title: string, dataPaths: string[], now: number, allowList?: string, requireRows = true, engines = ENGINES): Promise<number> {
  const expected = await outcomes(dataPaths, now, undefined, allowList);
  const rows = expected.detections.reduce((n, d) => n + d.rows.length, 0);
  if (requireRows) assert.ok(rows > 0, `${title}: no detection found anything; the comparison would prove little`);
  for (const [label, engine] of engines) {
    const got = await outcomes(dataPaths, now, engine, allowList);
    assert.deepEqual(got.baselines, expected.baselines, `${label}: baselines`);
    assert.deepEqual(got.tables, expected.tables, `${label}: baseline tables`);
    for (const [i, d] of expected.detections.entries()) assert.deepEqual(got.detections[i], d, `${label}: ${d.name}`);
    assert.ok(got.sql.length >= expected.detections.length, `${label}: the detections did not run as SQL`);
  }
  return rows;
}
