/**
 * `trailguard validate`: every problem of the loaded content in one run, and for each detection
 * and baseline whether Trailguard can run it.
 *
 * A search is
 *   - invalid: it cannot be read as SPL at all (syntax error, unknown macro, a macro or lookup
 *     whose file could not be read), or its file could not be read;
 *   - unsupported: valid SPL that Trailguard cannot run (a command or function it lacks, a data
 *     model it does not model, an `apply` of a model no search in the content trains);
 *   - supported otherwise. Lint warnings and notes do not change that.
 * Compile errors are classified by their code (src/spl/codes.ts and the engine's codes), never
 * by message text; the name shown in the reason is read from the source the error points at.
 */
import { join, sep } from 'node:path';
import { loadFieldModel, type FieldModel } from '../cloudtrail/index.js';
import { TrailguardErrors, type Span, type TrailguardError } from '../errors.js';
import { SPL } from '../spl/codes.js';
import type { Command } from '../spl/ast.js';
import { readContentYaml, type YamlFile } from '../util/yaml.js';
import { allCommands, tableUse } from './analysis.js';
import type { Content } from './load.js';
import type { ContentSearch } from './model.js';
import { SearchPositions, type FilePosition } from './positions.js';
import type { ContentProblem } from './problems.js';
import { LINT_RULES, type ContentIndex, type LintContext, type LintRule } from './lint/index.js';
import { brokenLookup } from './lint/unknown-lookup.js';

export type SearchStatus = 'supported' | 'unsupported' | 'invalid';

export interface Reason {
  status: Exclude<SearchStatus, 'supported'>;
  /** What the summary counts by: `unknown command \`inputintelligence\``, `syntax error`. */
  kind: string;
  /** The reason as shown for this search. */
  text: string;
}

export interface SearchReport {
  search: ContentSearch;
  status: SearchStatus;
  reasons: Reason[];
  problems: ContentProblem[];
}

/** Problems of a file that holds no loaded search (an unreadable file, a macro, the settings). */
export interface FileReport {
  file: string;
  problems: ContentProblem[];
}

export interface ValidationReport {
  dirs: readonly string[];
  searches: SearchReport[];
  files: FileReport[];
  /** Detection and baseline files that did not load (unreadable YAML, no name or search). */
  unloaded: FileReport[];
  summary: ValidationSummary;
}

export interface ValidationSummary {
  detections: number;
  baselines: number;
  supported: number;
  unsupported: number;
  invalid: number;
  /** Reason kind → number of searches with that reason, most frequent first. */
  unsupportedBy: Array<[string, number]>;
  invalidBy: Array<[string, number]>;
  unloadedFiles: number;
  errors: number;
  warnings: number;
  infos: number;
}

// ───────────────────────── compile errors → reasons ─────────────────────────

const IDENT = /[A-Za-z_][A-Za-z0-9_]*/;

/** The text an error points at in the search as written. */
function pointedText(e: TrailguardError): string {
  return e.source && e.span ? e.source.text.slice(e.span.start, e.span.end) : '';
}

/**
 * The name an error is about: the identifier it points at. When it points at a macro call (the
 * problem is inside the macro's expansion) the name is taken from the reason's first quoted name.
 */
function nameOf(e: TrailguardError): string {
  const text = pointedText(e);
  if (!text.startsWith('`')) {
    const m = IDENT.exec(text);
    if (m) return m[0];
  }
  return /[`']([^`']+)[`']/.exec(e.reason)?.[1]?.replace(/\(\)$/, '') ?? '?';
}

const unsupported = (kind: string, text = kind): Reason => ({ status: 'unsupported', kind, text });
const invalid = (kind: string, text: string): Reason => ({ status: 'invalid', kind, text });

type Classify = (e: TrailguardError, content: Content) => Reason;

const unknownCommand: Classify = (e) => unsupported(`unknown command \`${nameOf(e)}\``);
const unknownFunction: Classify = (e) => unsupported(`unknown function \`${nameOf(e)}()\``);

/** By error code; codes not listed are classified by phase (PHASE_KIND). */
const BY_CODE: Record<string, Classify> = {
  [SPL.unknownCommand]: unknownCommand,
  E_UNKNOWN_COMMAND: unknownCommand,
  'unknown-function': unknownFunction,
  E_UNKNOWN_AGGREGATE: unknownFunction,
  E_UNSUPPORTED_OPTION: (e) => unsupported('a command option Trailguard lacks', e.reason),
  E_TSTATS_FROM: (e) => unsupported('tstats without a data model', e.reason),
  [SPL.macroMissing]: (e, content) => {
    const call = /^`?\s*([^`(\s]+)/.exec(pointedText(e))?.[1];
    if (call !== undefined && content.macros.broken.has(call)) return invalid(`macro \`${call}\` whose file could not be read`, e.reason);
    return invalid(call !== undefined ? `unknown macro \`${call}\`` : 'unknown macro', e.reason);
  },
};

const PHASE_KIND: Record<string, string> = { lex: 'syntax error', parse: 'syntax error', macro: 'macro error', eval: 'expression error', plan: 'search error' };

function classify(e: TrailguardError, content: Content): Reason {
  const by = BY_CODE[e.code];
  return by ? by(e, content) : invalid(PHASE_KIND[e.phase] ?? `error[${e.code}]`, e.reason);
}

// ───────────────────────── support checks on compiled searches ─────────────────────────

export interface SupportIssue {
  reason: Reason;
  code: string;
  message: string;
  hint: string;
  span: Span;
}

/** A model name as `fit … into`/`apply`/`summary` write it, without an `app:` or `user:` namespace. */
function modelName(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v.replace(/^(app|user):/, '') : undefined;
}

/**
 * Checks of a compiled search that find what Trailguard cannot run. `apply` and `summary` are read
 * defensively: they exist only where the MLTK commands are built in (otherwise the parser has
 * already reported them as unknown commands).
 */
type SupportCheck = (c: Command, content: Content, index: ContentIndex, model: FieldModel) => SupportIssue | undefined;

const SUPPORT_CHECKS: readonly SupportCheck[] = [
  (c, _content, _index, model) => {
    if (c.name !== 'tstats' || !c.from || model.datamodels.has(c.from.datamodel)) return undefined;
    const known = [...model.datamodels.keys()].sort().join(', ');
    const kind = `data model \`${c.from.datamodel}\``;
    return {
      reason: unsupported(kind, `${kind}: Trailguard models only ${known} (from CloudTrail)`),
      code: 'unsupported-datamodel',
      message: `tstats from data model \`${c.from.datamodel}\`, which Trailguard does not model (it has ${known})`,
      hint: 'this detection needs data other than CloudTrail',
      span: c.span,
    };
  },
  (c, _content, index) => {
    if (c.name !== ('apply' as string) && c.name !== ('summary' as string)) return undefined;
    const m = modelName((c as unknown as { model?: unknown }).model);
    if (m === undefined || index.fittedModels.has(m)) return undefined;
    const text = `applies model ${m}, which no baseline in the content fits (pre-trained models from other apps cannot be used)`;
    return {
      reason: unsupported('applies a model no baseline fits', text),
      code: 'unsupported-model',
      message: `\`${c.name} ${m}\`: no baseline in the content trains \`${m}\` with \`fit … into ${m}\``,
      hint: 'add the baseline that fits the model (fit … into <model>) to the content; models trained by other apps (DSDL) are not available',
      span: c.span,
    };
  },
  (c, content) => {
    if (c.name !== 'lookup' && c.name !== 'inputlookup' && c.name !== 'outputlookup') return undefined;
    const bad = brokenLookup(content, c.table);
    if (bad === undefined) return undefined;
    const where = `${bad.file}${bad.line !== undefined ? `:${bad.line}` : ''}`;
    return {
      reason: invalid(`lookup \`${c.table}\` whose file could not be read`, `lookup \`${c.table}\` cannot be used: its definition ${where} could not be read (${bad.reason})`),
      code: 'lookup-unreadable',
      message: `lookup \`${c.table}\` cannot be used: its definition ${where} could not be read (${bad.reason})`,
      hint: 'fix that file',
      span: c.span,
    };
  },
];

/** What keeps Trailguard from running one command of a compiled search (empty when nothing). */
export function supportIssues(c: Command, content: Content, index: ContentIndex, model: FieldModel): SupportIssue[] {
  return SUPPORT_CHECKS.map((check) => check(c, content, index, model)).filter((x): x is SupportIssue => x !== undefined);
}

// ───────────────────────── the run ─────────────────────────

/** Tables written and models trained anywhere in the content. */
export function indexContent(content: Content): ContentIndex {
  const index: ContentIndex = { writtenTables: new Set(), fittedModels: new Set() };
  for (const s of content.all()) {
    const out = content.tryCompile(s);
    if (!out.ok) continue;
    for (const t of tableUse(out.compiled.pipeline).writes) index.writtenTables.add(t);
    for (const c of allCommands(out.compiled.pipeline)) {
      if (c.name !== ('fit' as string)) continue;
      const m = modelName((c as unknown as { into?: unknown }).into);
      if (m !== undefined) index.fittedModels.add(m);
    }
  }
  return index;
}

function problemKey(p: ContentProblem): string {
  return JSON.stringify([p.file, p.line, p.column, p.code, p.message]);
}

function byPosition(a: ContentProblem, b: ContentProblem): number {
  return (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0) || a.code.localeCompare(b.code);
}

/** True when a file lies in a content dir's detections/ or baselines/ (for files that did not load). */
function inSearchFolder(content: Content, file: string): boolean {
  return content.dirs.some((d) => ['detections', 'baselines'].some((sub) => file.startsWith(join(d, sub) + sep)));
}

class SearchValidation {
  readonly problems: ContentProblem[] = [];
  readonly reasons: Reason[] = [];
  private yamlFile: YamlFile | null | undefined;
  private positions: SearchPositions | undefined;

  constructor(
    readonly content: Content,
    readonly search: ContentSearch,
  ) {}

  yaml(): YamlFile | undefined {
    if (this.yamlFile === undefined) {
      try {
        this.yamlFile = readContentYaml(this.search.file);
      } catch {
        this.yamlFile = null;
      }
    }
    return this.yamlFile ?? undefined;
  }

  /** Position in the file of an offset of the search as written. */
  locate(offset: number): FilePosition {
    const y = this.yaml();
    if (y === undefined) return { line: this.search.searchLine };
    this.positions ??= new SearchPositions(y, this.search.searchLine, this.search.search);
    return this.positions.locate(offset);
  }

  add(p: Omit<ContentProblem, 'file' | 'search'> & { position?: FilePosition }): void {
    const { position, ...rest } = p;
    const pos = position ?? { line: this.search.searchLine };
    this.problems.push({ ...rest, file: this.search.file, line: pos.line, ...(pos.column !== undefined ? { column: pos.column } : {}), search: this.search.name });
  }

  addError(e: TrailguardError): void {
    const reason = classify(e, this.content);
    this.reasons.push(reason);
    // A span into this search's text is placed in the YAML; other errors keep their own location.
    const inSearch = e.source !== undefined && e.span !== undefined && e.source.text === this.search.search;
    const hint = e.hints.length > 0 ? e.hints.join('; ') : undefined;
    if (inSearch) this.add({ severity: 'error', code: e.code, message: e.reason, hint, position: this.locate(e.span!.start) });
    else if (e.location) {
      this.problems.push({ severity: 'error', code: e.code, file: e.location.file, line: e.location.line, message: e.reason, hint, search: this.search.name });
    } else this.add({ severity: 'error', code: e.code, message: e.reason, hint });
  }

  status(): SearchStatus {
    if (this.reasons.some((r) => r.status === 'invalid')) return 'invalid';
    return this.reasons.length > 0 ? 'unsupported' : 'supported';
  }
}

function runLint(v: SearchValidation, rules: readonly LintRule[], model: FieldModel, index: ContentIndex): void {
  const out = v.content.tryCompile(v.search);
  const compiled = out.ok ? out.compiled : undefined;
  const ctx: LintContext = {
    content: v.content,
    search: v.search,
    compiled,
    fieldModel: model,
    index,
    yaml: () => v.yaml(),
    at: (span) => v.locate(compiled ? compiled.expansion.toOriginal(span).start : 0),
    atOriginal: (span) => v.locate(span.start),
  };
  for (const rule of rules) {
    if (rule.needsAst && compiled === undefined) continue;
    for (const f of rule.check(ctx)) v.add({ severity: rule.severity, code: rule.code, message: f.message, hint: f.hint ?? rule.hint, position: f.position });
  }
}

export interface ValidateOptions {
  rules?: readonly LintRule[];
  fieldModel?: FieldModel;
}

export function validateContent(content: Content, opts: ValidateOptions = {}): ValidationReport {
  const model = opts.fieldModel ?? loadFieldModel();
  const rules = opts.rules ?? LINT_RULES;
  const index = indexContent(content);
  const searches = content.all();
  const byFile = new Map(searches.map((s) => [s.file, s]));
  const reports: SearchReport[] = [];
  const loadProblems = new Map<ContentSearch, ContentProblem[]>();
  const orphans = new Map<string, ContentProblem[]>();
  for (const p of content.problems) {
    const owner = byFile.get(p.file);
    if (owner) loadProblems.set(owner, [...(loadProblems.get(owner) ?? []), { ...p, search: owner.name }]);
    else orphans.set(p.file, [...(orphans.get(p.file) ?? []), p]);
  }

  for (const s of searches) {
    const v = new SearchValidation(content, s);
    v.problems.push(...(loadProblems.get(s) ?? []));
    const out = content.tryCompile(s);
    if (!out.ok) {
      const errors = out.error instanceof TrailguardErrors ? out.error.errors : [out.error];
      for (const e of errors) v.addError(e);
    } else {
      for (const c of allCommands(out.compiled.pipeline)) {
        for (const issue of supportIssues(c, content, index, model)) {
          v.reasons.push(issue.reason);
          v.add({ severity: 'error', code: issue.code, message: issue.message, hint: issue.hint, position: v.locate(out.compiled.expansion.toOriginal(issue.span).start) });
        }
      }
    }
    runLint(v, rules, model, index);
    const seen = new Set<string>();
    const problems = v.problems.filter((p) => !seen.has(problemKey(p)) && seen.add(problemKey(p))).sort(byPosition);
    reports.push({ search: s, status: v.status(), reasons: dedupeReasons(v.reasons), problems });
  }

  const files: FileReport[] = [...orphans].map(([file, problems]) => ({ file, problems: problems.sort(byPosition) })).sort((a, b) => a.file.localeCompare(b.file));
  const unloaded = files.filter((f) => inSearchFolder(content, f.file) && f.problems.some((p) => p.severity === 'error'));
  return { dirs: content.dirs, searches: reports, files, unloaded, summary: summarise(reports, files, unloaded) };
}

function dedupeReasons(reasons: Reason[]): Reason[] {
  const seen = new Set<string>();
  return reasons.filter((r) => !seen.has(r.text) && seen.add(r.text));
}

function countBy(reports: SearchReport[], status: SearchStatus): Array<[string, number]> {
  const counts = new Map<string, number>();
  for (const r of reports) {
    if (r.status !== status) continue;
    // A search counts once per kind, under the reasons of its own status.
    for (const kind of new Set(r.reasons.filter((x) => x.status === status).map((x) => x.kind))) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

function summarise(reports: SearchReport[], files: FileReport[], unloaded: FileReport[]): ValidationSummary {
  const all = [...reports.flatMap((r) => r.problems), ...files.flatMap((f) => f.problems)];
  const n = (st: SearchStatus) => reports.filter((r) => r.status === st).length;
  return {
    detections: reports.filter((r) => r.search.kind === 'detection').length,
    baselines: reports.filter((r) => r.search.kind === 'baseline').length,
    supported: n('supported'),
    unsupported: n('unsupported'),
    invalid: n('invalid'),
    unsupportedBy: countBy(reports, 'unsupported'),
    invalidBy: countBy(reports, 'invalid'),
    unloadedFiles: unloaded.length,
    errors: all.filter((p) => p.severity === 'error').length,
    warnings: all.filter((p) => p.severity === 'warning').length,
    infos: all.filter((p) => p.severity === 'info').length,
  };
}

/** True when everything loaded, is valid and supported, and no file has an error. */
export function validationPassed(r: ValidationReport): boolean {
  return r.summary.unsupported === 0 && r.summary.invalid === 0 && r.summary.errors === 0;
}
