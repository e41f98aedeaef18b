/**
 * Report input from real findings: `generate` writes CloudTrail with injected attacks, the
 * detection service replays the shipped detections over the last hours (the path `trailguard run
 * --replay` takes), and the report reads the findings store — findings, their evidence events
 * and risk events — as `trailguard report --state` does.
 *
 * Used by the browser tests and by scripts/report-screenshot.mjs.
 */
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generate } from '../../src/generate/index.js';
import { loadContent } from '../../src/content/load.js';
import { StateStore } from '../../src/state/index.js';
import { DetectionService } from '../../src/service/service.js';
import { loadReportInput } from '../../src/report/load.js';
import type { ReportInput } from '../../src/report/model.js';

type Raw = Record<string, any>;

export interface SeedReport {
  dir: string;
  stateDir: string;
  input: ReportInput;
  /** Every generated CloudTrail record. */
  events: Raw[];
}

export interface SeedReportOptions {
  dir: string;
  events: number;
  seed: string;
  /** End of the generated data and now() of the last tick, epoch ms (on the hour). */
  end: number;
  /** Hourly ticks ending at `end`. */
  ticks: number;
}

export async function buildSeedReport(o: SeedReportOptions): Promise<SeedReport> {
  const dataFile = join(o.dir, 'events.ndjson');
  const summary = await generate({
    events: o.events, seed: o.seed, days: 9, end: o.end, out: dataFile, layout: 'ndjson',
    truth: join(o.dir, 'truth.json'), serviceAccounts: join(o.dir, 'aws_service_accounts.csv'), force: true,
  });
  const stateDir = join(o.dir, 'state');
  mkdirSync(join(stateDir, 'lookups'), { recursive: true });
  copyFileSync(summary.serviceAccountsPath, join(stateDir, 'lookups', 'aws_service_accounts.csv'));
  const content = loadContent();
  const state = new StateStore({ stateDir, contentDirs: [...content.dirs], includeProjectContent: false, definitions: content.lookups });
  try {
    const end = o.end / 1000;
    await new DetectionService({ content, state, dataPaths: [dataFile], tz: 'UTC', maxTicks: 1000, outputs: [], replay: { from: end - (o.ticks - 1) * 3600, to: end } }).run();
  } finally {
    state.close();
  }
  const events = readFileSync(dataFile, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Raw);
  return { dir: o.dir, stateDir, events, input: loadReportInput({ kind: 'store', stateDir }) };
}
