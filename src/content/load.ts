/**
 * The content model: every detection, baseline, macro, lookup definition, story and test of the
 * project's own content/ and of each --content DIR (security_content layout), loaded once.
 *
 * Loading never stops at a bad file: a file that cannot be read is reported (file:line) and
 * skipped, and only a search that needs what it would have defined fails, naming it. A later
 * directory's search of the same name replaces an earlier one (user content overrides).
 * Each search is compiled once, on first use, and the result (or the error) is kept.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join, relative, resolve, sep } from 'node:path';
import { TrailguardError, TrailguardErrors } from '../errors.js';
import { compileSearch, type CompiledSearch } from '../engine/session.js';
import { loadLookupDefinitionSet, type LookupDefinitionSet } from '../state/index.js';
import { packagePath } from '../util/paths.js';
import { readContentYaml, YamlReadError, type YamlFile } from '../util/yaml.js';
import { asString, readContentSearch, testsOf } from './detections.js';
import { loadMacroSet, normalisedNote, type MacroSet } from './macros.js';
import type { ContentSearch, Story } from './model.js';
import type { ContentProblem } from './problems.js';
import { loadSettings, type SearchSettings } from './settings.js';

export interface ContentOptions {
  /** Extra content directories, after the project's own. */
  dirs?: readonly string[];
  /** Load the project's own content/ first (default true). */
  includeProject?: boolean;
}

export type CompileOutcome = { ok: true; compiled: CompiledSearch } | { ok: false; error: TrailguardError | TrailguardErrors };

/** YAML files under `dir`, recursively (security_content nests detections by domain), sorted. */
function yamlFilesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      let st;
      try {
        st = statSync(p);
      } catch {
        continue;
      }
      if (st.isDirectory()) walk(p);
      else if (/\.ya?ml$/i.test(name)) out.push(p);
    }
  };
  walk(dir);
  return out;
}

function unreadable(err: YamlReadError, what: string): ContentProblem {
  return { severity: 'error', code: 'yaml-invalid', ...err.failure, message: `${what} skipped: ${err.failure.reason}`, hint: 'fix the YAML; the rest of the content still loads' };
}

export class Content {
  readonly dirs: readonly string[];
  readonly detections: ContentSearch[] = [];
  readonly baselines: ContentSearch[] = [];
  readonly stories: Story[] = [];
  readonly macros: MacroSet;
  readonly lookups: LookupDefinitionSet;
  readonly problems: ContentProblem[] = [];
  /** Detection/baseline files that could not be read, by file (a search named after one fails naming it). */
  readonly brokenSearchFiles = new Map<string, ContentProblem>();
  private readonly compiled = new Map<ContentSearch, CompileOutcome>();

  constructor(opts: ContentOptions = {}) {
    const dirs = [...(opts.includeProject === false ? [] : [packagePath('content')]), ...(opts.dirs ?? [])];
    this.dirs = [...new Set(dirs.map((d) => resolve(d)))];
    for (const d of opts.dirs ?? []) {
      if (!existsSync(d) || !statSync(d).isDirectory()) {
        throw new TrailguardError({
          code: 'E_CONTENT_DIR', phase: 'usage', reason: `--content ${d}: no such directory`, location: { file: d },
          hints: ['pass a directory laid out like security_content: detections/, baselines/, macros/, lookups/'],
        });
      }
    }
    this.macros = loadMacroSet(this.dirs, { includeProject: false });
    this.problems.push(...this.macros.problems);
    this.lookups = loadLookupDefinitionSet(this.dirs);
    for (const [, bad] of this.lookups.broken) {
      this.problems.push({ severity: 'error', code: 'lookup-unreadable', file: bad.file, line: bad.line, message: `lookup definition skipped: ${bad.reason}` });
    }
    const byName = { detection: new Map<string, ContentSearch>(), baseline: new Map<string, ContentSearch>() };
    const settings: Map<string, SearchSettings>[] = [];
    for (const dir of this.dirs) {
      settings.push(loadSettings(dir, this.problems));
      for (const [kind, sub] of [['detection', 'detections'], ['baseline', 'baselines']] as const) {
        for (const file of yamlFilesUnder(join(dir, sub))) {
          const y = this.read(file, kind);
          if (y === null) continue;
          const s = readContentSearch(y, kind, dir, this.problems);
          if (s !== null) byName[kind].set(s.name, s);
        }
      }
      for (const file of yamlFilesUnder(join(dir, 'stories'))) {
        const y = this.read(file, 'story');
        const v = (y?.value ?? null) as Record<string, unknown> | null;
        if (y && v && typeof v === 'object' && typeof v.name === 'string') {
          this.stories.push({ name: v.name, id: asString(v.id), description: asString(v.description), file });
        }
      }
    }
    // Settings of every dir apply to every search (a user's dir can reschedule a shipped search);
    // later dirs override earlier ones, key by key.
    for (const dirSettings of settings) {
      const used = new Set<string>();
      for (const s of [...byName.baseline.values(), ...byName.detection.values()]) this.applySettings(s, dirSettings, used);
      for (const [key, entry] of dirSettings) {
        if (!used.has(key)) this.problems.push({ severity: 'warning', code: 'settings-unknown-search', file: entry.file, line: entry.line, message: `settings for "${key}", but no loaded detection or baseline has that name or id` });
      }
    }
    this.detections.push(...byName.detection.values());
    this.baselines.push(...byName.baseline.values());
    this.loadTestFiles();
  }

  private read(file: string, what: string): YamlFile | null {
    try {
      const y = readContentYaml(file);
      if (y.normalisedLines.length > 0) this.problems.push(normalisedNote(y));
      return y;
    } catch (err) {
      if (!(err instanceof YamlReadError)) throw err;
      const p = unreadable(err, `${what} file`);
      this.problems.push(p);
      this.brokenSearchFiles.set(file, p);
      return null;
    }
  }

  private applySettings(s: ContentSearch, settings: Map<string, SearchSettings>, used: Set<string>): void {
    const key = settings.has(s.name) ? s.name : settings.has(s.id) ? s.id : undefined;
    if (key === undefined) return;
    used.add(key);
    const o = settings.get(key)!;
    if (o.enabled !== undefined) {
      s.enabled = o.enabled;
      s.enabledBecause = `${basename(o.file)}: enabled: ${o.enabled}`;
    }
    if (o.run !== undefined) s.runMode = o.run;
    if (o.schedule !== undefined) {
      s.schedule = {
        cron: o.schedule.cron ?? s.schedule.cron,
        earliest: o.schedule.earliest ?? s.schedule.earliest,
        latest: o.schedule.latest ?? s.schedule.latest,
        origin: 'settings',
      };
    }
    if (o.suppressSeconds !== undefined) s.suppressSeconds = o.suppressSeconds;
    if (o.evidence !== undefined) s.evidenceLimit = o.evidence;
  }

  /** `<dir>/tests/*.yml`: `detection: NAME|ID` plus `tests:`, added to that detection's own tests. */
  private loadTestFiles(): void {
    for (const dir of this.dirs) {
      for (const file of yamlFilesUnder(join(dir, 'tests'))) {
        const y = this.read(file, 'test');
        if (y === null) continue;
        const v = (y.value ?? {}) as Record<string, unknown>;
        const ref = asString(v.detection);
        const target = ref === undefined ? undefined : this.find(ref, 'detection');
        if (target === undefined) {
          this.problems.push({ severity: 'error', code: 'test-unknown-detection', file, line: 1, message: ref === undefined ? 'a test file needs `detection:` naming a detection' : `no detection named "${ref}"` });
          continue;
        }
        target.tests.push(...testsOf(y, v.tests, ['tests'], dir, this.problems));
      }
    }
  }

  all(): ContentSearch[] {
    return [...this.baselines, ...this.detections];
  }

  /** By id, name (case-insensitive) or file name stem. */
  find(ref: string, kind?: ContentSearch['kind']): ContentSearch | undefined {
    const pool = kind === 'detection' ? this.detections : kind === 'baseline' ? this.baselines : this.all();
    const r = ref.trim();
    const lower = r.toLowerCase();
    return (
      pool.find((s) => s.id === r) ??
      pool.find((s) => s.name.toLowerCase() === lower) ??
      pool.find((s) => basename(s.file).replace(/\.ya?ml$/i, '').toLowerCase() === lower)
    );
  }

  /** Compiles once; later calls return the same plan or the same error. */
  tryCompile(s: ContentSearch): CompileOutcome {
    let out = this.compiled.get(s);
    if (out === undefined) {
      try {
        out = { ok: true, compiled: compileSearch(s.search, { file: s.file, lineOffset: s.searchLine, macros: this.macros }) };
      } catch (err) {
        if (!(err instanceof TrailguardError) && !(err instanceof TrailguardErrors)) throw err;
        out = { ok: false, error: err };
      }
      this.compiled.set(s, out);
    }
    return out;
  }

  compile(s: ContentSearch): CompiledSearch {
    const out = this.tryCompile(s);
    if (!out.ok) throw out.error;
    return out.compiled;
  }

  /** A file path as shown to users: relative to the working directory when inside it. */
  static display(file: string): string {
    const cwd = process.cwd();
    return file.startsWith(cwd + sep) ? relative(cwd, file) : file;
  }
}

const cache = new Map<string, Content>();

/** The content for these dirs, loaded once per process. */
export function loadContent(dirs: readonly string[] = [], opts: { includeProject?: boolean } = {}): Content {
  const key = JSON.stringify([opts.includeProject !== false, ...dirs.map((d) => resolve(d))]);
  let c = cache.get(key);
  if (c === undefined) {
    c = new Content({ dirs, includeProject: opts.includeProject });
    cache.set(key, c);
  }
  return c;
}

/** Forget loaded content (tests that edit content files between runs). */
export function clearContentCache(): void {
  cache.clear();
}
