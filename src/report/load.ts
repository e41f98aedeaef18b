/**
 * Where a report's findings come from. `loadReportInput(source)` is the one entry point: today the
 * source is a JSON-lines file of findings (what `detect --format json` prints, optionally with
 * `id` and `evidence`) and optionally one of risk events; the findings store in the state
 * directory becomes another `ReportSource` kind with its own loader in `LOADERS`.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { TrailguardError } from '../errors.js';
import type { FindingRecord, ReportInput, RiskEvent } from './model.js';
import { parseFinding, parseRiskEvent, ShapeError } from './parse.js';
import { StateStore } from '../state/index.js';

/** The period asked for, epoch milliseconds; undefined = open. */
export interface Period {
  since?: number;
  until?: number;
}

export type ReportSource =
  | ({
      kind: 'jsonl';
      /** Findings, one JSON object per line; `-` reads standard input. */
      findings: string;
      /** Risk events, one JSON object per line (optional: derived from the findings when absent). */
      riskEvents?: string;
    } & Period)
  | ({
      kind: 'store';
      /** The state directory whose findings store to read (default ./.trailguard/). */
      stateDir?: string;
    } & Period);

type Loader<S extends ReportSource> = (source: S) => ReportInput;

const LOADERS: { [K in ReportSource['kind']]: Loader<Extract<ReportSource, { kind: K }>> } = {
  jsonl: loadJsonl,
  store: loadStore,
};

export function loadReportInput(source: ReportSource): ReportInput {
  const load = LOADERS[source.kind] as Loader<ReportSource>;
  return load(source);
}

/** True when `time` (ISO-8601) falls in [since, until). */
export function inPeriod(time: string, period: Period): boolean {
  const t = Date.parse(time);
  return (period.since === undefined || t >= period.since) && (period.until === undefined || t < period.until);
}

function inputError(file: string, reason: string, line?: number, hints: string[] = []): TrailguardError {
  return new TrailguardError({ code: 'E_REPORT_INPUT', phase: 'input', reason, location: { file, line }, hints });
}

function readText(file: string, what: string): string {
  if (file === '-') return readFileSync(0, 'utf8');
  if (!existsSync(file)) throw inputError(file, `${what} file ${file} does not exist`, undefined, ['write one with `trailguard demo --format json > findings.jsonl`']);
  if (statSync(file).isDirectory()) throw inputError(file, `${what} file ${file} is a directory; give a JSON-lines file`);
  return readFileSync(file, 'utf8');
}

/** Parses every non-blank line of a JSON-lines file with `parse`, reporting file and line on error. */
export function readJsonLines<T>(file: string, what: string, parse: (v: unknown) => T): T[] {
  const label = file === '-' ? '<stdin>' : file;
  const out: T[] = [];
  const lines = readText(file, what).split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      throw inputError(label, `line ${i + 1} is not JSON (${(err as Error).message})`, i + 1, [`each line of a ${what} file is one JSON object`]);
    }
    try {
      out.push(parse(value));
    } catch (err) {
      if (!(err instanceof ShapeError)) throw err;
      throw inputError(label, `line ${i + 1}: ${what} member ${err.path} ${err.reason}`, i + 1, [
        'see the finding JSON shape in `trailguard report --help`',
      ]);
    }
  }
  return out;
}

function loadJsonl(source: Extract<ReportSource, { kind: 'jsonl' }>): ReportInput {
  const findings: FindingRecord[] = readJsonLines(source.findings, 'findings', parseFinding).filter((f) => inPeriod(f.time, source));
  const riskEvents: RiskEvent[] | null = source.riskEvents === undefined
    ? null
    : readJsonLines(source.riskEvents, 'risk events', parseRiskEvent).filter((r) => inPeriod(r.time, source));
  return {
    findings,
    riskEvents,
    since: source.since ?? null,
    until: source.until ?? null,
    sourceLabel: source.findings === '-' ? 'standard input' : source.findings,
  };
}

/** The findings store: each finding with its stored evidence, and the stored risk events. */
function loadStore(source: Extract<ReportSource, { kind: 'store' }>): ReportInput {
  const state = new StateStore({ stateDir: source.stateDir });
  try {
    if (!state.db.exists()) {
      throw inputError(state.db.file, `no findings store in ${state.stateDir}`, undefined, [
        'run `trailguard detect` or `trailguard run` with this --state first, or pass --findings FILE.jsonl',
      ]);
    }
    const q = { since: source.since === undefined ? undefined : source.since / 1000, until: source.until === undefined ? undefined : source.until / 1000 };
    const findings: FindingRecord[] = state.findings.list(q).map((s) => ({ ...s.doc, id: s.id, evidence: state.findings.evidence(s.id) }));
    const riskEvents: RiskEvent[] = state.findings.riskEvents(q);
    return { findings, riskEvents, since: source.since ?? null, until: source.until ?? null, sourceLabel: state.stateDir };
  } finally {
    state.close();
  }
}
