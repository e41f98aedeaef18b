/**
 * `trailguard explain [--stage tokens|expanded|ast|plan] [--json] [--content DIR]… <spl | @file>`:
 * shows one stage of the SPL front end. @file is a .spl text file or a detection/baseline YAML
 * (its `search:` is used, and errors point into the YAML). For a detection or baseline, a header
 * says when and over what window it runs and what it needs (see searchHeader).
 */
import { realpathSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import pc from 'picocolors';
import { TrailguardError, TrailguardErrors, renderError, type SourceText } from '../errors.js';
import { baselinesFor } from '../content/dependencies.js';
import { readContentSearch } from '../content/detections.js';
import { Content, loadContent } from '../content/load.js';
import { loadMacros } from '../content/macros.js';
import type { ContentSearch } from '../content/model.js';
import { readContentYaml } from '../util/yaml.js';
import { compileSplDetailed, expandMacros, printJson, printPipeline, printTree, tokenize } from '../spl/index.js';
import { EXIT, useColour } from './output.js';
import { inputError, readSplArgument } from './spl-argument.js';
import { compileSearch, parseNow } from '../engine/session.js';
import { loadFieldModel } from '../cloudtrail/index.js';
import { fusedEligibility } from '../engine/fused.js';

interface ExplainOptions {
  stage: string;
  engine?: string;
  profile?: string;
  now?: string;
  json?: boolean;
  content: string[];
}

const STAGES = ['tokens', 'expanded', 'ast', 'plan'];

/** Schedule, window, run mode and needs of a detection or baseline, for the explain header. */
export interface SearchHeader {
  name: string;
  kind: ContentSearch['kind'];
  file: string;
  /** False when the file is outside the loaded content dirs (settings are then not applied). */
  in_content: boolean;
  schedule: { cron: string; earliest: string; latest: string; origin: ContentSearch['schedule']['origin'] };
  run: ContentSearch['runMode'];
  enabled: boolean;
  enabled_because: string;
  /** Detections: the baselines that must have run, in run order. */
  baselines: string[];
}

const ORIGIN_TEXT: Record<ContentSearch['schedule']['origin'], string> = {
  settings: 'from trailguard-settings.yml',
  content: "from the YAML's deployment.scheduling",
  default: "Trailguard's default: the YAML has no deployment.scheduling",
};

function samePath(a: string, b: string): boolean {
  const real = (p: string) => {
    try {
      return realpathSync(p);
    } catch {
      return resolve(p);
    }
  };
  return real(a) === real(b);
}

/**
 * The header for `@file` when it is a detection or baseline YAML: the loaded content's search of
 * that file, or — for a file outside the content dirs — the file read on its own (no settings).
 */
export function searchHeader(arg: string, contentDirs: string[]): SearchHeader | undefined {
  if (!arg.startsWith('@') || !/\.ya?ml$/i.test(arg)) return undefined;
  const file = arg.slice(1);
  const content = loadContent(contentDirs);
  let s = content.all().find((x) => samePath(x.file, file));
  const inContent = s !== undefined;
  if (s === undefined) {
    try {
      const y = readContentYaml(file);
      const type = (y.value as { type?: unknown } | null)?.type;
      const kind = basename(dirname(resolve(file))) === 'baselines' || type === 'Baseline' ? 'baseline' : 'detection';
      s = readContentSearch(y, kind, dirname(dirname(resolve(file))), []) ?? undefined;
    } catch {
      return undefined;
    }
  }
  if (s === undefined) return undefined;
  return {
    name: s.name,
    kind: s.kind,
    file: Content.display(s.file),
    in_content: inContent,
    schedule: { ...s.schedule },
    run: s.runMode,
    enabled: s.enabled,
    enabled_because: s.enabledBecause,
    baselines: s.kind === 'detection' ? baselinesFor(content, s).map((b) => b.name) : [],
  };
}

function headerText(h: SearchHeader, colour: boolean): string {
  const bold = colour ? pc.bold : (x: string) => x;
  const lines = [
    `${h.kind} ${bold(`"${h.name}"`)} (${h.file}${h.in_content ? '' : ', not in the loaded content: settings not applied'})`,
    `  schedule: ${h.schedule.cron}   window: ${h.schedule.earliest}..${h.schedule.latest}   (${ORIGIN_TEXT[h.schedule.origin]})`,
    `  run: ${h.run}   enabled: ${h.enabled ? 'yes' : 'no'} (${h.enabled_because})`,
  ];
  if (h.kind === 'detection') lines.push(`  needs baselines: ${h.baselines.length > 0 ? h.baselines.join(', ') : 'none'}`);
  return lines.join('\n') + '\n\n';
}

async function runExplain(arg: string, opts: ExplainOptions): Promise<number> {
  if (!STAGES.includes(opts.stage)) throw inputError(`unknown stage \`${opts.stage}\``, [`use one of ${STAGES.join(', ')}`]);
  const source = readSplArgument(arg);
  const macros = loadMacros(opts.content);
  // The header goes to stderr, so stdout stays the stage's output; with --json it is the
  // `search` key of the JSON object instead (the tokens stage prints an array: stderr then too).
  const header = searchHeader(arg, opts.content);
  const withHeader = (json: object): object => (header ? { search: header, ...json } : json);
  if (header && (!opts.json || opts.stage === 'tokens')) process.stderr.write(headerText(header, useColour()));
  try {
    if (opts.stage === 'tokens') {
      const text = opts.stage === 'tokens' ? expandMacrosOrRaw(source, macros) : source.text;
      const tokens = tokenize(text);
      if (opts.json) process.stdout.write(JSON.stringify(tokens, null, 2) + '\n');
      else for (const t of tokens) process.stdout.write(`${String(t.span.start).padStart(5)}-${String(t.span.end).padEnd(5)} ${t.kind.padEnd(8)} ${t.text}${t.error ? `   ! ${t.error}` : ''}\n`);
      return EXIT.ok;
    }
    if (opts.stage === 'expanded') {
      const exp = expandMacros(source.text, macros, { source });
      if (opts.json) process.stdout.write(JSON.stringify(withHeader({ text: exp.text, calls: exp.calls }), null, 2) + '\n');
      else process.stdout.write(exp.text + '\n');
      return EXIT.ok;
    }
    if (opts.stage === 'plan') {
      // One numbered line per operator, with what went into the byte prefilter.
      const { plan, pipeline } = compileSearch(source.text, { contentDirs: opts.content, file: source.file, lineOffset: source.lineOffset });
      const lines = plan.describe();
      const fused = fusedEligibility(pipeline, loadFieldModel());
      const fusedLine = fused.ok
        ? 'fused: commands 1-2 are read over NDJSON lines by the WebAssembly stats scan (no rows; lines it is unsure of take the plain path)'
        : `fused: no (${fused.reason})`;
      const cut = await pushdownLines(pipeline, opts);
      process.stdout.write(opts.json ? JSON.stringify(withHeader({ plan: lines, fused: fused.ok ? { ok: true } : fused, pushdown: cut }), null, 2) + '\n' : [...lines, fusedLine, '', ...cut].join('\n') + '\n');
      return EXIT.ok;
    }
    const { pipeline } = compileSplDetailed(source.text, { macros, source });
    if (opts.json) process.stdout.write((header ? JSON.stringify(withHeader(JSON.parse(printJson(pipeline)) as object), null, 2) : printJson(pipeline)) + '\n');
    else process.stdout.write(`${printTree(pipeline)}\n\ncanonical: ${printPipeline(pipeline)}\n`);
    return EXIT.ok;
  } catch (err) {
    const errors = err instanceof TrailguardErrors ? err.errors : err instanceof TrailguardError ? [err] : null;
    if (!errors) throw err;
    const paint = useColour() ? pc.red : (s: string) => s;
    for (const e of errors) process.stderr.write(paint(renderError(e)) + '\n\n');
    process.stderr.write(`${errors.length} error(s); fix the SPL and run explain again\n`);
    // An error in the SPL is a search error (1), as in `search`; 2 is for flags and unreadable input.
    return errors.some((e) => e.phase === 'usage' || e.phase === 'input' || e.phase === 'content') ? EXIT.usage : EXIT.search;
  }
}

/**
 * Where the search would be cut for a SQL engine (SCALEOUT.md §5.1): which commands run in SQL,
 * where Trailguard takes over, and why. Default: the Athena profile.
 */
async function pushdownLines(pipeline: Parameters<typeof import('../sql/describe.js').placementLines>[1], opts: ExplainOptions): Promise<string[]> {
  const engine = opts.engine ?? 'athena';
  if (engine === 'inprocess') return [];
  if (engine !== 'duckdb' && engine !== 'athena') throw inputError(`unknown engine \`${engine}\``, ['use inprocess, duckdb or athena']);
  const { loadProfile, defaultProfile } = await import('../sql/profile.js');
  const { Planner } = await import('../sql/planner.js');
  const { placementLines } = await import('../sql/describe.js');
  const profile = loadProfile(opts.profile ?? defaultProfile(engine === 'athena' ? 'trino' : 'duckdb'));
  const sp = new Planner({ profile, model: loadFieldModel(), now: parseNow(opts.now), tz: 'UTC' }).plan(pipeline);
  const subs = sp.subsearches.map((sub, i) => {
    const s = new Planner({ profile, model: loadFieldModel(), now: parseNow(opts.now), tz: 'UTC' }).plan(sub);
    return [`  subsearch ${i + 1} (runs first${s.query ? ', in SQL' : ', in Trailguard'}):`, ...placementLines(s, sub, '    ')];
  });
  return [`pushdown to ${engine} (profile ${profile.name}; \`trailguard sql\` prints the SQL):`, ...placementLines(sp, pipeline, '  '), ...subs.flat()];
}

/** Tokens are shown for the expanded text when every macro resolves, else for the text as written. */
function expandMacrosOrRaw(source: SourceText, macros: ReturnType<typeof loadMacros>): string {
  try {
    return expandMacros(source.text, macros, { source }).text;
  } catch {
    return source.text;
  }
}

export function register(program: Command): void {
  program
    .command('explain')
    .description('Show how Trailguard reads an SPL search: its tokens, its macro expansion, its syntax tree, or its operator plan')
    .argument('<spl>', 'SPL text, or @file (.spl text, or a detection/baseline YAML whose `search:` is used)')
    .option('--stage <stage>', `what to show: ${STAGES.join(', ')}`, 'ast')
    .option('--json', 'machine-readable output (the AST with spans into the expanded text)')
    .option('--content <dir>', 'extra security_content-style folder with macros/ (repeatable)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--engine <engine>', 'with --stage plan: show where the search is cut for duckdb or athena (default athena; inprocess shows no cut)')
    .option('--profile <name>', 'with --stage plan: the table profile of that engine')
    .option('--now <time>', 'fix now() for the plan (relative times fold to constants)')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        "  trailguard explain '`cloudtrail` eventName=Create* OR eventName=Delete* user!=root | stats count by user'\n" +
        '  trailguard explain --stage expanded @content/detections/detect_new_api_calls_from_user_roles.yml\n' +
        '  trailguard explain --json @my_search.spl | jq .commands[0]\n' +
        '  trailguard explain --stage plan --engine duckdb @content/detections/cloud_api_calls_from_previously_unseen_user_roles.yml\n' +
        'For a detection or baseline YAML, a header on stderr names its schedule (cron), window\n' +
        '(earliest..latest) and where they come from, its run mode, whether it is enabled and why, and\n' +
        'the baselines it needs; with --json that header is the `search` key of the JSON object.\n' +
        'Exit codes: 0 ok, 1 the SPL has errors (printed with a caret under the problem), 2 usage error.\n',
    )
    .action(async (spl: string, opts: ExplainOptions) => {
      process.exitCode = await runExplain(spl, opts);
    });
}
