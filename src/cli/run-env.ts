/**
 * What `baseline`, `detect`, `test` and `findings` share: the flags that say where the data, the
 * content and the state are and what now() is, turned into a RunEnvironment.
 */
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import pc from 'picocolors';
import { loadContent, type Content } from '../content/load.js';
import type { ContentSearch } from '../content/model.js';
import { renderProblem } from '../content/problems.js';
import { parseNow } from '../engine/session.js';
import { TrailguardError } from '../errors.js';
import { StateStore } from '../state/index.js';
import type { RunEnvironment } from '../detect/runner.js';
import { useColour } from './output.js';
import { addEngineOptions, engineChoice, type EngineFlags } from './engine-flags.js';
import { addReadFlags, readOptionsFrom, type ReadFlags } from './read-flags.js';

export interface RunFlags extends EngineFlags, ReadFlags {
  data: string[];
  now?: string;
  state?: string;
  content: string[];
  tz: string;
  threads?: string;
  geoip?: string;
}

export const collect = (v: string, prev: string[]): string[] => [...prev, v];

export function addContentFlags(cmd: Command): Command {
  return cmd.option('--content <dir>', 'extra security_content-style directory (detections/, baselines/, macros/, lookups/); repeatable', collect, []);
}

export function addStateFlag(cmd: Command): Command {
  return cmd.option('--state <dir>', 'where baselines, lookups and findings are kept (default ./.trailguard/)');
}

export function addRunFlags(cmd: Command): Command {
  addContentFlags(cmd);
  addStateFlag(cmd);
  addReadFlags(cmd);
  addEngineOptions(cmd);
  return cmd
    .option('--data <path>', 'CloudTrail: file, directory, glob or - for stdin (repeatable)', collect, [])
    .option('--now <time>', 'now() of the run, ISO-8601 or epoch seconds (default: the clock); windows are relative to it')
    .option('--tz <zone>', 'time zone for snapping (@d) and time formatting', 'UTC')
    .option('--threads <n>', 'worker threads for large scans (default: env TRAILGUARD_THREADS, else the CPU cores)')
    .option('--geoip <file>', 'MaxMind GeoLite2-City .mmdb for iplocation (or env TRAILGUARD_GEOIP)');
}

export function usageError(reason: string, hint: string): TrailguardError {
  return new TrailguardError({ code: 'E_USAGE', phase: 'usage', reason, hints: [hint] });
}

/** A --data path that names a file or directory (not a glob, not stdin, not a URL) must exist. */
export function checkDataPaths(paths: readonly string[], command: string): void {
  if (paths.length === 0) throw usageError('no --data given', `pass the CloudTrail to read: trailguard ${command} --data logs/ (run \`trailguard ${command} --help\`)`);
  for (const p of paths) {
    if (p === '-' || /[*?[{]/.test(p) || /^[a-z][a-z0-9+.-]*:\/\//i.test(p) || existsSync(p)) continue;
    throw new TrailguardError({
      code: 'E_DATA_PATH', phase: 'input', location: { file: p },
      reason: `--data ${p}: no such file or directory`,
      hints: ['pass CloudTrail files, directories, quoted globs (\'logs/**/*.json.gz\') or - for stdin'],
    });
  }
}

export function parseThreads(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^[1-9]\d*$/.test(text)) throw usageError(`--threads must be a whole number ≥ 1, got "${text}"`, 'for example --threads 2');
  return Number(text);
}

/** Prints content errors once per process (a broken file is reported once, then skipped). */
export function reportContentProblems(content: Content, stream: NodeJS.WriteStream = process.stderr): void {
  const colour = useColour(stream);
  for (const p of content.problems) {
    if (p.severity !== 'error') continue;
    stream.write(`${colour ? pc.yellow('warning:') : 'warning:'} ${renderProblem(p)} (skipped; run \`trailguard validate\`)\n`);
  }
}

export function openContent(flags: Pick<RunFlags, 'content'>): Content {
  const content = loadContent(flags.content);
  reportContentProblems(content);
  return content;
}

export function openState(flags: Pick<RunFlags, 'state'>, content: Content): StateStore {
  return new StateStore({ stateDir: flags.state, contentDirs: [...content.dirs], includeProjectContent: false, definitions: content.lookups });
}

/** Warnings of a run on stderr, prefixed by the search they came from. */
export function warnFor(): (s: ContentSearch, msg: string) => void {
  const colour = useColour();
  return (s, msg) => process.stderr.write(`${colour ? pc.yellow('warning:') : 'warning:'} [${s.name}] ${msg}\n`);
}

export async function runEnvironment(flags: RunFlags, command: string, content: Content, state: StateStore): Promise<RunEnvironment> {
  checkDataPaths(flags.data, command);
  const engine = await engineChoice(flags);
  return {
    setup: { ...readOptionsFrom(flags), ...(engine ? { engine } : {}) },
    content,
    state,
    dataPaths: flags.data,
    now: parseNow(flags.now),
    tz: flags.tz,
    threads: parseThreads(flags.threads),
    geoipFile: flags.geoip ?? process.env.TRAILGUARD_GEOIP,
    onWarning: warnFor(),
  };
}
