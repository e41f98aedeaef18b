/**
 * Report input from real findings: `generate` writes CloudTrail with injected attacks, the seed
 * detections run as written (src/detect/seed-run.ts) at several hourly ticks, and their findings
 * are converted to the issue-7 finding JSON shape. Evidence is attached by an independent plain-JS
 * reading of the generated events: each finding gets the events in its window whose identity and
 * event name its result row names.
 *
 * Used by the browser tests and by scripts/report-screenshot.mjs. Once `demo` writes findings into
 * the store, the screenshot script reads the demo's store instead and this stays a test helper.
 */
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { generate } from '../../src/generate/index.js';
import { runSeedDetections } from '../../src/detect/seed-run.js';
import type { Finding } from '../../src/detect/findings.js';
import type { ContentSearch } from '../../src/content/detections.js';
import { relativeTime } from '../../src/eval/time/index.js';
import type { EvidenceEvent, FindingRecord, MitreTechnique, ReportInput, RiskObject } from '../../src/report/model.js';

/** ATT&CK names and tactics of the techniques the seed detections carry (attack.mitre.org). */
const ATTACK: Record<string, Omit<MitreTechnique, 'id'>> = {
  T1078: { name: 'Valid Accounts', tactics: ['Defense Evasion', 'Persistence', 'Privilege Escalation', 'Initial Access'] },
  'T1078.004': { name: 'Cloud Accounts', tactics: ['Defense Evasion', 'Persistence', 'Privilege Escalation', 'Initial Access'] },
};

/** security_content observable types to the finding shape's risk-object types. */
const OBJECT_TYPES: Record<string, string> = { user: 'user', 'ip address': 'ip_address' };

interface Observable { name: string; type: string; role: string[] }

function contentDetails(d: ContentSearch): { version: number | string | null; observables: Observable[] } {
  const y = parseYaml(readFileSync(d.file, 'utf8')) as { version?: number; tags?: { observable?: Observable[] } };
  return { version: y.version ?? null, observables: y.tags?.observable ?? [] };
}

const iso = (epochSeconds: number) => new Date(epochSeconds * 1000).toISOString().replace('.000Z', 'Z');

export function toFindingRecord(d: ContentSearch, f: Finding): Omit<FindingRecord, 'id' | 'evidence'> {
  const { version, observables } = contentDetails(d);
  const riskObjects: RiskObject[] = [];
  for (const o of observables) {
    const v = f.fields[o.name];
    for (const value of v === null || v === undefined ? [] : Array.isArray(v) ? v : [v]) {
      riskObjects.push({ field: o.name, value, type: OBJECT_TYPES[o.type.toLowerCase()] ?? 'other', role: (o.role[0] ?? '').toLowerCase() });
    }
  }
  return {
    detection: { id: d.id, name: d.name, version, type: d.type },
    time: iso(f.raisedAt),
    window: { earliest: iso(relativeTime(f.raisedAt, d.schedule.earliest)!), latest: iso(relativeTime(f.raisedAt, d.schedule.latest)!) },
    risk_score: f.riskScore,
    risk_objects: riskObjects,
    message: f.message,
    mitre: f.mitreAttackIds.map((id) => ({ id, ...(ATTACK[id] ?? { name: id, tactics: [] }) })),
    stories: d.analyticStories,
    fields: f.fields,
  };
}

type Raw = Record<string, any>;

/** Names an event's identity goes by: user name, role (session issuer) name, ARN. */
function identityNames(e: Raw): string[] {
  const u = e.userIdentity ?? {};
  const names = [u.userName, u.arn, u.sessionContext?.sessionIssuer?.userName].filter((x): x is string => typeof x === 'string');
  // Splunk's `user` for a call without userIdentity.userName is "unknown" (README, SPL.md §12.3).
  if (typeof u.userName !== 'string') names.push('unknown');
  return names;
}

const list = (v: unknown): string[] => (v === null || v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);

/** The events in the finding's window by the identity and with the event names its row names. */
export function evidenceFor(finding: Omit<FindingRecord, 'id' | 'evidence'>, events: readonly Raw[], limit = 20): { evidence: EvidenceEvent[]; total: number } {
  const f = finding.fields;
  const who = new Set(list(f['userIdentity.arn']).length > 0 ? list(f['userIdentity.arn']) : list(f.user));
  const what = new Set([...list(f.eventName), ...list(f['values(eventName)']), ...list(f.command)]);
  const from = Date.parse(finding.window!.earliest);
  const to = Date.parse(finding.window!.latest);
  const matching = events
    .filter((e) => {
      const t = Date.parse(e.eventTime);
      return t >= from && t < to && what.has(e.eventName) && identityNames(e).some((n) => who.has(n));
    })
    .sort((a, b) => Date.parse(a.eventTime) - Date.parse(b.eventTime));
  return { evidence: matching.slice(0, limit).map((raw) => ({ time: raw.eventTime, raw })), total: matching.length };
}

export interface SeedReport {
  dir: string;
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
  /** Hourly detection runs ending at `end`. */
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
  const events = readFileSync(dataFile, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Raw);
  const findings: FindingRecord[] = [];
  for (let k = o.ticks - 1; k >= 0; k--) {
    const now = o.end / 1000 - k * 3600;
    const run = await runSeedDetections({ dataPaths: [dataFile], stateDir, now, onWarning: () => {} });
    for (const outcome of run.detections) {
      for (const f of outcome.findings) {
        const record = toFindingRecord(outcome.detection, f);
        const { evidence, total } = evidenceFor(record, events);
        findings.push({ ...record, id: `${findings.length.toString(16).padStart(8, '0')}`, evidence, evidence_total: total });
      }
    }
  }
  return { dir: o.dir, events, input: { findings, riskEvents: null, since: null, until: null, sourceLabel: 'generated CloudTrail, seed detections' } };
}
