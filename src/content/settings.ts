/**
 * Trailguard's settings for the searches of a content directory: `<dir>/trailguard-settings.yml`.
 * Upstream detection YAML stays as written; what Trailguard needs beyond it (enabling a deprecated
 * seed, running a baseline once, a schedule the YAML lacks, a suppression period) lives here.
 *
 *   searches:
 *     "Previously Seen Cloud API Calls Per User Role - Initial":   # name or id
 *       run: once                    # scheduled | once | manual
 *       enabled: true
 *       schedule: { cron: "0 2 * * 0", earliest: -90d@d, latest: -1d@d }
 *       suppress: 70m                # findings with the same identity are not raised again within it
 *       evidence: 20                 # CloudTrail events kept per finding
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ContentProblem } from './problems.js';
import type { RunMode } from './model.js';
import { lineOf, readContentYaml, YamlReadError, type YamlFile } from '../util/yaml.js';
import { parseDuration } from '../util/duration.js';

export const SETTINGS_FILE = 'trailguard-settings.yml';

export interface SearchSettings {
  enabled?: boolean;
  run?: RunMode;
  schedule?: { cron?: string; earliest?: string; latest?: string };
  suppressSeconds?: number;
  evidence?: number;
  /** Where the entry is, for messages. */
  file: string;
  line?: number;
}

const RUN_MODES: readonly RunMode[] = ['scheduled', 'once', 'manual'];
const KEYS = new Set(['enabled', 'run', 'schedule', 'suppress', 'evidence']);
const SCHEDULE_KEYS = new Set(['cron', 'earliest', 'latest']);

/** The settings of one content dir, keyed by search name or id as written. */
export function loadSettings(dir: string, problems: ContentProblem[]): Map<string, SearchSettings> {
  const out = new Map<string, SearchSettings>();
  const file = join(dir, SETTINGS_FILE);
  if (!existsSync(file)) return out;
  let y: YamlFile;
  try {
    y = readContentYaml(file);
  } catch (err) {
    if (!(err instanceof YamlReadError)) throw err;
    problems.push({ severity: 'error', code: 'settings-unreadable', ...err.failure, message: `settings file skipped: ${err.failure.reason}` });
    return out;
  }
  const doc = (y.value ?? {}) as Record<string, unknown>;
  const searches = doc.searches;
  if (searches === undefined || searches === null) return out;
  if (typeof searches !== 'object' || Array.isArray(searches)) {
    problems.push({ severity: 'error', code: 'settings-invalid', file, line: lineOf(y, ['searches']), message: '`searches:` must map search names or ids to settings' });
    return out;
  }
  for (const [key, raw] of Object.entries(searches as Record<string, unknown>)) {
    const line = lineOf(y, ['searches', key]);
    const bad = (message: string) => problems.push({ severity: 'error', code: 'settings-invalid', file, line, message: `"${key}": ${message}` });
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      bad('expected a mapping of settings');
      continue;
    }
    const r = raw as Record<string, unknown>;
    const s: SearchSettings = { file, line };
    for (const k of Object.keys(r)) if (!KEYS.has(k)) bad(`unknown setting \`${k}\` (known: ${[...KEYS].join(', ')})`);
    if (r.enabled !== undefined) {
      if (typeof r.enabled === 'boolean') s.enabled = r.enabled;
      else bad('`enabled` must be true or false');
    }
    if (r.run !== undefined) {
      if (RUN_MODES.includes(r.run as RunMode)) s.run = r.run as RunMode;
      else bad(`\`run\` must be one of ${RUN_MODES.join(', ')}`);
    }
    if (r.schedule !== undefined) {
      const sc = r.schedule as Record<string, unknown>;
      if (sc === null || typeof sc !== 'object' || Array.isArray(sc)) bad('`schedule` must be a mapping with cron, earliest, latest');
      else {
        for (const k of Object.keys(sc)) if (!SCHEDULE_KEYS.has(k)) bad(`unknown schedule key \`${k}\``);
        const str = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : undefined);
        s.schedule = { cron: str(sc.cron), earliest: str(sc.earliest), latest: str(sc.latest) };
      }
    }
    if (r.suppress !== undefined) {
      const d = parseDuration(r.suppress, ['s', 'm', 'h', 'd']);
      if (d === undefined) bad('`suppress` must be a duration such as 70m, 2h or 1d');
      else s.suppressSeconds = d;
    }
    if (r.evidence !== undefined) {
      if (typeof r.evidence === 'number' && Number.isInteger(r.evidence) && r.evidence >= 0) s.evidence = r.evidence;
      else bad('`evidence` must be a whole number of events (0 keeps none)');
    }
    out.set(key, s);
  }
  return out;
}
