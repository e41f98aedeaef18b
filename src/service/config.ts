/**
 * `trailguard.yml`: the service's configuration (found in the working directory or given with
 * --config). `${VAR}` in a string expands from the environment; unknown keys and bad values are
 * errors with file:line. Command-line flags override the file.
 *
 *   data: ["s3://my-trail/AWSLogs/", "./local-logs"]
 *   state: ./.trailguard
 *   content: ["./my-content"]
 *   timezone: UTC
 *   catchup: { max_ticks: 48 }
 *   outputs:
 *     - { type: jsonl, path: findings.jsonl }
 *     - { type: webhook, url: "http://127.0.0.1:9000/hook", headers: { Authorization: "Bearer ${HOOK_TOKEN}" } }
 */
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { TrailguardError } from '../errors.js';
import { readContentYaml, YamlReadError, type YamlFile } from '../util/yaml.js';

export const CONFIG_FILE = 'trailguard.yml';

export interface OutputConfig {
  type: string;
  /** The entry as written (after ${VAR} expansion), for the output's own checks. */
  options: Record<string, unknown>;
  /** Where it is, for messages. */
  file: string;
  line?: number;
}

export interface ServiceConfig {
  data: string[];
  state?: string;
  content: string[];
  timezone: string;
  catchupMaxTicks: number;
  outputs: OutputConfig[];
  report?: string;
  /** Values that came from `${VAR}`: never printed (logs and errors mask them). */
  secrets: string[];
  file?: string;
}

export const DEFAULT_CATCHUP_TICKS = 48;

export function defaultConfig(): ServiceConfig {
  return { data: [], content: [], timezone: 'UTC', catchupMaxTicks: DEFAULT_CATCHUP_TICKS, outputs: [], secrets: [] };
}

function configError(file: string, line: number | undefined, reason: string, hint?: string): TrailguardError {
  return new TrailguardError({ code: 'E_CONFIG', phase: 'usage', reason, location: { file, line }, hints: [hint ?? `fix ${file}; see \`trailguard run --help\` for the keys`] });
}

function lineOf(y: YamlFile, path: (string | number)[]): number | undefined {
  const node = y.doc.getIn(path, true) as { range?: [number, number, number] } | undefined;
  return node?.range ? y.lineCounter.linePos(node.range[0]).line : undefined;
}

/** Expands `${VAR}` in every string of a value; a variable that is not set is an error. */
function expand(v: unknown, y: YamlFile, path: (string | number)[], secrets: string[]): unknown {
  if (typeof v === 'string') {
    return v.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_m, name: string) => {
      const value = process.env[name];
      if (value === undefined) throw configError(y.file, lineOf(y, path), `\${${name}} is not set in the environment`, `export ${name}=… before starting trailguard, or remove it from ${y.file}`);
      if (value !== '') secrets.push(value);
      return value;
    });
  }
  if (Array.isArray(v)) return v.map((x, i) => expand(x, y, [...path, i], secrets));
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, expand(x, y, [...path, k], secrets)]));
  }
  return v;
}

const KEYS = ['data', 'state', 'content', 'timezone', 'catchup', 'outputs', 'report'];

/** Reads a config file. Relative paths in it are relative to the file's directory. */
export function readConfig(file: string): ServiceConfig {
  let y: YamlFile;
  try {
    y = readContentYaml(file);
  } catch (err) {
    if (!(err instanceof YamlReadError)) throw err;
    throw configError(file, err.failure.line, err.failure.reason);
  }
  const raw = y.value ?? {};
  if (typeof raw !== 'object' || Array.isArray(raw)) throw configError(file, 1, 'expected a mapping of settings');
  const cfg = defaultConfig();
  cfg.file = file;
  const base = dirname(resolve(file));
  const rel = (p: string) => (/^[a-z][a-z0-9+.-]*:\/\//i.test(p) || isAbsolute(p) ? p : resolve(base, p));
  const doc = raw as Record<string, unknown>;
  for (const key of Object.keys(doc)) {
    if (!KEYS.includes(key)) throw configError(file, lineOf(y, [key]), `unknown key \`${key}\` (known: ${KEYS.join(', ')})`);
  }
  const get = (key: string) => expand(doc[key], y, [key], cfg.secrets);
  const strings = (key: string): string[] => {
    const v = get(key);
    if (v === undefined || v === null) return [];
    const list = Array.isArray(v) ? v : [v];
    if (!list.every((x) => typeof x === 'string' && x !== '')) throw configError(file, lineOf(y, [key]), `\`${key}\` must be a path or a list of paths`);
    return list as string[];
  };
  cfg.data = strings('data').map(rel);
  cfg.content = strings('content').map(rel);
  const state = get('state');
  if (state !== undefined) {
    if (typeof state !== 'string' || state === '') throw configError(file, lineOf(y, ['state']), '`state` must be a directory path');
    cfg.state = rel(state);
  }
  const tz = get('timezone');
  if (tz !== undefined) {
    if (typeof tz !== 'string') throw configError(file, lineOf(y, ['timezone']), '`timezone` must be an IANA zone name such as UTC or Europe/Berlin');
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
    } catch {
      throw configError(file, lineOf(y, ['timezone']), `unknown time zone "${tz}"`);
    }
    cfg.timezone = tz;
  }
  const catchup = get('catchup');
  if (catchup !== undefined) {
    const c = catchup as Record<string, unknown>;
    if (c === null || typeof c !== 'object' || Array.isArray(c)) throw configError(file, lineOf(y, ['catchup']), '`catchup` must be a mapping: { max_ticks: N }');
    for (const k of Object.keys(c)) if (k !== 'max_ticks') throw configError(file, lineOf(y, ['catchup', k]), `unknown key \`catchup.${k}\` (known: max_ticks)`);
    if (c.max_ticks !== undefined) {
      if (typeof c.max_ticks !== 'number' || !Number.isInteger(c.max_ticks) || c.max_ticks < 1) throw configError(file, lineOf(y, ['catchup', 'max_ticks']), '`catchup.max_ticks` must be a whole number ≥ 1');
      cfg.catchupMaxTicks = c.max_ticks;
    }
  }
  const report = get('report');
  if (report !== undefined) {
    if (typeof report !== 'string' || report === '') throw configError(file, lineOf(y, ['report']), '`report` must be a file path');
    cfg.report = rel(report);
  }
  const outputs = get('outputs');
  if (outputs !== undefined && outputs !== null) {
    if (!Array.isArray(outputs)) throw configError(file, lineOf(y, ['outputs']), '`outputs` must be a list');
    outputs.forEach((o, i) => {
      const line = lineOf(y, ['outputs', i]);
      if (o === null || typeof o !== 'object' || Array.isArray(o) || typeof (o as Record<string, unknown>).type !== 'string') {
        throw configError(file, line, 'each output needs a `type` (jsonl, webhook, ocsf)');
      }
      const opts = { ...(o as Record<string, unknown>) };
      for (const k of ['path', 'file']) if (typeof opts[k] === 'string') opts[k] = rel(opts[k] as string);
      cfg.outputs.push({ type: String(opts.type), options: opts, file, line });
    });
  }
  return cfg;
}

/** `--config FILE`, else `./trailguard.yml` when it exists, else the defaults. */
export function loadConfig(flag: string | undefined): ServiceConfig {
  if (flag !== undefined) {
    if (!existsSync(flag)) throw configError(flag, undefined, `--config ${flag}: no such file`, 'pass the path of a trailguard.yml');
    return readConfig(flag);
  }
  return existsSync(CONFIG_FILE) ? readConfig(CONFIG_FILE) : defaultConfig();
}

/** Replaces every secret in a message (logs and errors never show them). */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s.length >= 4) out = out.split(s).join('***');
  return out;
}
