/**
 * Detections and baselines: security_content-style YAML read into ContentSearch. The search is
 * kept exactly as written; compiling it (with macros) is the content model's job.
 */
import { lineOf as lineIn, type YamlFile } from '../util/yaml.js';
import type { ContentProblem } from './problems.js';
import type { ContentSearch, ContentTest, DatasetRef, Drilldown, RiskObjectSpec, Schedule, TestExpectation } from './model.js';

/**
 * The seed documents give every seed detection the same Splunk ES default: hourly, over
 * `-70m@m` .. `-10m@m`. Detections without a schedule get it, marked as a default.
 */
export const DEFAULT_DETECTION_SCHEDULE: Schedule = { cron: '0 * * * *', earliest: '-70m@m', latest: '-10m@m', origin: 'default' };
/** Baselines without a schedule learn from the last 30 days, weekly (their descriptions speak of 30 days). */
export const DEFAULT_BASELINE_SCHEDULE: Schedule = { cron: '0 2 * * 0', earliest: '-30d@d', latest: '-70m@m', origin: 'default' };
export const DEFAULT_EVIDENCE_LIMIT = 20;

export function asString(v: unknown): string | undefined {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
}

function asNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

function asStringList(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  return Array.isArray(v) ? v.map(asString).filter((s): s is string => s !== undefined) : [];
}

function asRecord(v: unknown): Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/** `IP Address` → `ip_address`. */
function typeName(v: unknown): string {
  return (asString(v) ?? 'other').trim().toLowerCase().replace(/[\s-]+/g, '_') || 'other';
}

/** Risk objects: `tags.observable` (older content) and `rba.risk_objects` (newer content). */
function riskObjectsOf(y: Record<string, unknown>, tags: Record<string, unknown>): RiskObjectSpec[] {
  const out: RiskObjectSpec[] = [];
  for (const o of Array.isArray(tags.observable) ? tags.observable : []) {
    const r = asRecord(o);
    const field = asString(r.name);
    if (!field) continue;
    const role = asStringList(r.role)[0] ?? 'other';
    out.push({ field, type: typeName(r.type), role: role.toLowerCase() });
  }
  const rba = asRecord(y.rba);
  for (const o of Array.isArray(rba.risk_objects) ? rba.risk_objects : []) {
    const r = asRecord(o);
    const field = asString(r.field);
    if (!field || out.some((x) => x.field === field)) continue;
    out.push({ field, type: typeName(r.type), role: 'risk_object', score: asNumber(r.score) });
  }
  return out;
}

function expectationOf(v: unknown): TestExpectation | undefined {
  if (v === undefined || v === null || v === 'some' || v === 'results') return { kind: 'some' };
  if (v === 'none' || v === 0 || v === '0') return { kind: 'none' };
  const n = asNumber(v);
  if (n !== undefined && Number.isInteger(n) && n > 0) return { kind: 'count', count: n };
  const count = asNumber(asRecord(v).count);
  if (count !== undefined && Number.isInteger(count) && count >= 0) return count === 0 ? { kind: 'none' } : { kind: 'count', count };
  return undefined;
}

/**
 * The `tests:` list of a detection (security_content schema, plus Trailguard's `expect`, `now`
 * and `baselines`). `path` locates the list in the YAML for line numbers.
 */
export function testsOf(y: YamlFile, list: unknown, path: (string | number)[], contentDir: string, problems: ContentProblem[]): ContentTest[] {
  const out: ContentTest[] = [];
  if (list === undefined || list === null) return out;
  if (!Array.isArray(list)) {
    problems.push({ severity: 'error', code: 'test-invalid', file: y.file, line: lineIn(y, path), message: '`tests:` must be a list' });
    return out;
  }
  list.forEach((raw, i) => {
    const t = asRecord(raw);
    const line = lineIn(y, [...path, i]);
    const name = asString(t.name) ?? `test ${i + 1}`;
    const datasets: DatasetRef[] = [];
    for (const d of Array.isArray(t.attack_data) ? t.attack_data : []) {
      const r = asRecord(d);
      const data = asString(r.data)?.trim();
      if (!data) continue;
      datasets.push({ data, sourcetype: asString(r.sourcetype), source: asString(r.source), updateTimestamp: r.update_timestamp === true || r.update_timestamp === 'true' });
    }
    const expect = expectationOf(t.expect);
    if (expect === undefined) {
      problems.push({ severity: 'error', code: 'test-invalid', file: y.file, line, message: `test "${name}": \`expect\` must be some, none, a count, or { count: N }` });
      return;
    }
    if (datasets.length === 0) problems.push({ severity: 'warning', code: 'test-no-data', file: y.file, line, message: `test "${name}" names no attack_data` });
    out.push({ name, datasets, expect, now: asString(t.now), baselines: t.baselines !== false, file: y.file, line, contentDir });
  });
  return out;
}

function drilldownsOf(v: unknown): Drilldown[] {
  if (!Array.isArray(v)) return [];
  return v.flatMap((d) => {
    const r = asRecord(d);
    const search = asString(r.search);
    if (!search) return [];
    return [{ name: asString(r.name) ?? 'drilldown', search, earliestOffset: asString(r.earliest_offset), latestOffset: asString(r.latest_offset) }];
  });
}

/** One detection or baseline file; null (with a problem) when it is not one. */
export function readContentSearch(y: YamlFile, kind: ContentSearch['kind'], contentDir: string, problems: ContentProblem[]): ContentSearch | null {
  const doc = y.value;
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    problems.push({ severity: 'error', code: 'content-invalid', file: y.file, line: 1, message: `expected a ${kind} (a YAML mapping)` });
    return null;
  }
  const d = doc as Record<string, unknown>;
  const name = asString(d.name)?.trim();
  const search = asString(d.search);
  if (!name) {
    problems.push({ severity: 'error', code: 'content-invalid', file: y.file, line: 1, message: `${kind} has no \`name\`` });
    return null;
  }
  if (!search || search.trim() === '') {
    problems.push({ severity: 'error', code: 'content-invalid', file: y.file, line: lineIn(y, ['search']) ?? 1, message: `${kind} "${name}" has no \`search\``, search: name });
    return null;
  }
  const tags = asRecord(d.tags);
  const sched = asRecord(asRecord(d.deployment).scheduling);
  const fallback = kind === 'detection' ? DEFAULT_DETECTION_SCHEDULE : DEFAULT_BASELINE_SCHEDULE;
  const hasSched = Object.keys(sched).length > 0;
  const schedule: Schedule = hasSched
    ? {
        cron: asString(sched.cron_schedule) ?? fallback.cron,
        earliest: asString(sched.earliest_time) ?? fallback.earliest,
        latest: asString(sched.latest_time) ?? fallback.latest,
        origin: 'content',
      }
    : fallback;
  const status = asString(d.status);
  const rba = asRecord(d.rba);
  const retired = status === 'deprecated' || status === 'removed';
  return {
    kind,
    name,
    id: asString(d.id)?.trim() || name,
    version: asString(d.version) ?? '1',
    type: asString(d.type) ?? (kind === 'baseline' ? 'Baseline' : 'Unknown'),
    status,
    description: asString(d.description),
    search: search.trim(),
    file: y.file,
    searchLine: lineIn(y, ['search']) ?? 1,
    contentDir,
    schedule,
    runMode: 'scheduled',
    enabled: !retired,
    enabledBecause: retired ? `status: ${status}` : 'default',
    evidenceLimit: DEFAULT_EVIDENCE_LIMIT,
    riskScore: asNumber(tags.risk_score),
    confidence: asNumber(tags.confidence),
    impact: asNumber(tags.impact),
    message: asString(tags.message) ?? asString(rba.message),
    mitreAttackIds: asStringList(tags.mitre_attack_id).map((s) => s.trim()),
    analyticStories: asStringList(tags.analytic_story),
    riskObjects: riskObjectsOf(d, tags),
    feeds: asStringList(tags.detections),
    tests: kind === 'detection' ? testsOf(y, d.tests, ['tests'], contentDir, problems) : [],
    drilldowns: drilldownsOf(d.drilldown_searches),
  };
}
