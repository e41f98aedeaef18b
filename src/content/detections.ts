/**
 * Detections and baselines as content: security_content-style YAML files loaded into a typed,
 * validated model. Each search is kept as written; the engine compiles it with the macros.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { TrailguardError } from '../errors.js';
import { packagePath } from '../util/paths.js';

export interface Schedule {
  cron: string;
  /** SPL time modifiers relative to the run's now(). */
  earliest: string;
  latest: string;
  /** Where the values came from: the YAML's `deployment.scheduling`, or Trailguard's default. */
  origin: 'content' | 'default';
}

export interface ContentSearch {
  kind: 'detection' | 'baseline';
  name: string;
  id: string;
  type: string;
  status?: string;
  description?: string;
  search: string;
  /** The YAML file and the 1-based line on which the `search:` value starts (for error positions). */
  file: string;
  searchLine: number;
  schedule: Schedule;
  riskScore?: number;
  confidence?: number;
  impact?: number;
  /** Finding message with `$field$` placeholders. */
  message?: string;
  mitreAttackIds: string[];
  analyticStories: string[];
  /** Detections a baseline feeds (baselines' `tags.detections`). */
  feeds: string[];
}

/**
 * The seed documents give every seed detection the same Splunk ES default: hourly, over
 * `-70m@m` .. `-10m@m`. Detections whose YAML has no `deployment` get that default; it is marked
 * as such so a user can see it was not in the content.
 */
export const DEFAULT_DETECTION_SCHEDULE: Schedule = { cron: '0 * * * *', earliest: '-70m@m', latest: '-10m@m', origin: 'default' };
/** Baselines without a schedule are "run once" searches over the last 30 days (their descriptions say so). */
export const DEFAULT_BASELINE_SCHEDULE: Schedule = { cron: '0 2 * * 0', earliest: '-30d@d', latest: '-70m@m', origin: 'default' };

function contentError(file: string, reason: string, line?: number): TrailguardError {
  return new TrailguardError({
    code: 'content-invalid',
    phase: 'content',
    reason,
    location: { file, line },
    hints: ['fix the YAML file or remove it from the content directory'],
  });
}

function asString(v: unknown): string | undefined {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
}

function asNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

function asStringList(v: unknown): string[] {
  return Array.isArray(v) ? v.map(asString).filter((s): s is string => s !== undefined) : [];
}

/** Loads one detection or baseline YAML file. */
export function loadContentSearch(file: string, kind: ContentSearch['kind']): ContentSearch {
  const text = readFileSync(file, 'utf8');
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    throw contentError(file, `invalid YAML: ${e.message.split('\n')[0]}`, e.linePos?.[0]?.line);
  }
  const y = doc.toJS() as Record<string, unknown> | null;
  if (y === null || typeof y !== 'object') throw contentError(file, 'expected a YAML mapping');
  const name = asString(y.name);
  const search = asString(y.search);
  if (!name) throw contentError(file, 'missing `name`');
  if (!search) throw contentError(file, `${kind} "${name}" has no \`search\``);
  const searchNode = doc.get('search', true) as { range?: [number, number, number] } | undefined;
  const searchLine = searchNode?.range ? lineCounter.linePos(searchNode.range[0]).line : 1;
  const tags = (y.tags ?? {}) as Record<string, unknown>;
  const sched = ((y.deployment as Record<string, unknown> | undefined)?.scheduling ?? undefined) as Record<string, unknown> | undefined;
  const fallback = kind === 'detection' ? DEFAULT_DETECTION_SCHEDULE : DEFAULT_BASELINE_SCHEDULE;
  const schedule: Schedule = sched
    ? {
        cron: asString(sched.cron_schedule) ?? fallback.cron,
        earliest: asString(sched.earliest_time) ?? fallback.earliest,
        latest: asString(sched.latest_time) ?? fallback.latest,
        origin: 'content',
      }
    : fallback;
  return {
    kind,
    name,
    id: asString(y.id) ?? name,
    type: asString(y.type) ?? (kind === 'baseline' ? 'Baseline' : 'Unknown'),
    status: asString(y.status),
    description: asString(y.description),
    search: search.trim(),
    file,
    searchLine,
    schedule,
    riskScore: asNumber(tags.risk_score),
    confidence: asNumber(tags.confidence),
    impact: asNumber(tags.impact),
    message: asString(tags.message),
    mitreAttackIds: asStringList(tags.mitre_attack_id),
    analyticStories: asStringList(tags.analytic_story),
    feeds: asStringList(tags.detections),
  };
}

function yamlFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yml') || f.endsWith('.yaml'))
    .sort()
    .map((f) => join(dir, f));
}

/**
 * Every detection and baseline in the project's own content/ and in the extra content dirs.
 * A later directory's search with the same name replaces an earlier one (user content overrides).
 */
export function loadContent(extraDirs: string[] = []): { detections: ContentSearch[]; baselines: ContentSearch[] } {
  const byName = { detection: new Map<string, ContentSearch>(), baseline: new Map<string, ContentSearch>() };
  for (const dir of [packagePath('content'), ...extraDirs]) {
    for (const f of yamlFiles(join(dir, 'detections'))) {
      const d = loadContentSearch(f, 'detection');
      byName.detection.set(d.name, d);
    }
    for (const f of yamlFiles(join(dir, 'baselines'))) {
      const b = loadContentSearch(f, 'baseline');
      byName.baseline.set(b.name, b);
    }
  }
  return { detections: [...byName.detection.values()], baselines: [...byName.baseline.values()] };
}
