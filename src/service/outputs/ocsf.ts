/**
 * `{ type: ocsf, path: findings.ocsf.jsonl }`: each new finding as an OCSF Detection Finding
 * (class_uid 2004, category Findings, activity Create; OCSF schema 1.3.0), one JSON object per
 * line, appended and fsynced once per drain, for security data lakes (Amazon Security Lake, …).
 *
 * Mapping from the finding document:
 * - metadata: product Trailguard (vendor Trailguard, the package version), `uid` = the stored
 *   finding's id (stable: the Idempotency-Key of the webhook), `event_code` = the detection id,
 *   `labels` = the detection's analytic stories.
 * - time = the run's now() in ms; start_time/end_time = the search window.
 * - finding_info: uid (finding id), title (detection name), desc (message), analytic (name, uid =
 *   detection id, version, type Rule), attacks (one per technique and tactic, sub-techniques as
 *   `sub_technique`), types = [detection type], created_time.
 * - risk_score (rounded) and severity_id/risk_level_id from it, see `severityOf`.
 * - observables: one per risk object; `name` points at the result field under `unmapped`.
 * - unmapped: the result row's fields, as the finding holds them.
 */
import { readFileSync } from 'node:fs';
import { mitreTable, type MitreTable } from '../../content/mitre.js';
import type { FindingDoc } from '../../state/findings.js';
import { packagePath } from '../../util/paths.js';
import { checkKeys, LinesOutput, requirePath } from './jsonl.js';
import type { OutputType } from './types.js';

export const OCSF_SCHEMA_VERSION = '1.3.0';

/**
 * Risk score → OCSF severity and risk level. Risk scores run 0–100 in security content; the bands
 * are fifths of that range. No risk score → Unknown.
 *
 *   risk score      severity_id         risk_level_id
 *   none            0 Unknown           (absent)
 *   0 – 20          1 Informational     0 Info
 *   21 – 40         2 Low               1 Low
 *   41 – 60         3 Medium            2 Medium
 *   61 – 80         4 High              3 High
 *   over 80         5 Critical          4 Critical
 */
const SEVERITY_BANDS: { upTo: number; severity: [number, string]; risk: [number, string] }[] = [
  { upTo: 20, severity: [1, 'Informational'], risk: [0, 'Info'] },
  { upTo: 40, severity: [2, 'Low'], risk: [1, 'Low'] },
  { upTo: 60, severity: [3, 'Medium'], risk: [2, 'Medium'] },
  { upTo: 80, severity: [4, 'High'], risk: [3, 'High'] },
  { upTo: Infinity, severity: [5, 'Critical'], risk: [4, 'Critical'] },
];

export function severityOf(score: number | null): { severity_id: number; severity: string; risk_level_id?: number; risk_level?: string } {
  if (score === null || !Number.isFinite(score)) return { severity_id: 0, severity: 'Unknown' };
  const band = SEVERITY_BANDS.find((b) => Math.round(score) <= b.upTo)!;
  return { severity_id: band.severity[0], severity: band.severity[1], risk_level_id: band.risk[0], risk_level: band.risk[1] };
}

/** Risk object type (as content names it, lower-case) → OCSF observable type_id and caption. */
const OBSERVABLE_TYPES: Record<string, [number, string]> = {
  hostname: [1, 'Hostname'], system: [1, 'Hostname'], endpoint: [1, 'Hostname'],
  ip_address: [2, 'IP Address'], ip: [2, 'IP Address'],
  mac_address: [3, 'MAC Address'],
  user: [4, 'User Name'], user_name: [4, 'User Name'],
  email_address: [5, 'Email Address'], email: [5, 'Email Address'],
  url_string: [6, 'URL String'], url: [6, 'URL String'],
  file_name: [7, 'File Name'],
  file_hash: [8, 'Hash'], hash: [8, 'Hash'],
  process_name: [9, 'Process Name'], process: [9, 'Process Name'],
  resource_uid: [10, 'Resource UID'],
  port: [11, 'Port'],
  subnet: [12, 'Subnet'],
  command_line: [13, 'Command Line'],
  country: [14, 'Country'],
  process_id: [15, 'Process ID'],
  http_user_agent: [16, 'HTTP User-Agent'], user_agent: [16, 'HTTP User-Agent'],
};

let version: string | undefined;
function productVersion(): string {
  version ??= (JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version: string }).version;
  return version;
}

function attacksOf(doc: FindingDoc, table: MitreTable): Record<string, unknown>[] {
  const tacticId = new Map(table.tactics.map((t) => [t.name, t.id]));
  const out: Record<string, unknown>[] = [];
  for (const m of doc.mitre) {
    const [base, sub] = m.id.split('.');
    const [baseName, subName] = (m.name ?? '').split(/:\s+/, 2);
    const technique = { uid: base, ...(baseName ? { name: baseName } : {}) };
    const subTechnique = sub !== undefined ? { sub_technique: { uid: m.id, ...(subName ? { name: subName } : {}) } } : {};
    const tactics = m.tactics.length > 0 ? m.tactics : [undefined];
    for (const t of tactics) {
      const tactic = t === undefined ? {} : { tactic: { name: t, ...(tacticId.has(t) ? { uid: tacticId.get(t) } : {}) } };
      out.push({ technique, ...subTechnique, ...tactic, version: table.attackVersion });
    }
  }
  return out;
}

/** One finding as an OCSF Detection Finding event. */
export function ocsfDetectionFinding(doc: FindingDoc, findingId: string, table: MitreTable = mitreTable()): Record<string, unknown> {
  const ms = (isoText: string) => Date.parse(isoText);
  const time = ms(doc.time);
  return {
    class_uid: 2004,
    class_name: 'Detection Finding',
    category_uid: 2,
    category_name: 'Findings',
    activity_id: 1,
    activity_name: 'Create',
    type_uid: 200401,
    type_name: 'Detection Finding: Create',
    time,
    start_time: ms(doc.window.earliest),
    end_time: ms(doc.window.latest),
    ...severityOf(doc.risk_score),
    ...(doc.risk_score === null ? {} : { risk_score: Math.round(doc.risk_score) }),
    status_id: 1,
    status: 'New',
    message: doc.message,
    metadata: {
      version: OCSF_SCHEMA_VERSION,
      uid: findingId,
      event_code: doc.detection.id,
      product: { name: 'Trailguard', vendor_name: 'Trailguard', version: productVersion() },
      profiles: ['cloud'],
      ...(doc.stories.length > 0 ? { labels: doc.stories } : {}),
    },
    finding_info: {
      uid: findingId,
      title: doc.detection.name,
      desc: doc.message,
      created_time: time,
      types: [doc.detection.type],
      analytic: { uid: doc.detection.id, name: doc.detection.name, version: doc.detection.version, type_id: 1, type: 'Rule' },
      attacks: attacksOf(doc, table),
    },
    observables: doc.risk_objects.map((o) => {
      const [typeId, type] = OBSERVABLE_TYPES[o.type.toLowerCase()] ?? [99, 'Other'];
      return { name: `unmapped.${o.field}`, type_id: typeId, type, value: o.value };
    }),
    cloud: { provider: 'AWS' },
    unmapped: doc.fields,
  };
}

export const ocsfOutput: OutputType = {
  type: 'ocsf',
  create(cfg) {
    checkKeys(cfg, ['path']);
    return new LinesOutput('ocsf', requirePath(cfg), (i) => JSON.stringify(ocsfDetectionFinding(i.doc, i.findingId)) + '\n');
  },
};
