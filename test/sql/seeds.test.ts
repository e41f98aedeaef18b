/**
 * The seed detections and their variants (and the baselines they need first) give identical results and findings in-process and
 * through the SQL engines — DuckDB's dialect, and the Trino text of the Athena profile on DuckDB —
 * on generated CloudTrail (NDJSON and an AWSLogs tree of gzipped {"Records":[…]} files) and on real
 * events (the invictus-ir sample; real delivery files in test/fixtures/sql/awslogs). The extended
 * suite (test/extended/sql-seeds.ext.ts) does the same over all the real data beside the repository.
 */
import { test } from 'node:test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from '../../src/generate/index.js';
import { fixturePath, repoPath } from '../helpers.js';
import { compareSeeds as compare } from './seed-compare.js';

const END = Date.parse('2026-11-20T12:00:00Z');

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
