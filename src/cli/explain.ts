/**
 * `trailguard explain [--stage tokens|expanded|ast|plan] [--json] [--content DIR]… <spl | @file>`:
 * shows one stage of the SPL front end. @file is a .spl text file or a detection/baseline YAML
 * (its `search:` is used, and errors point into the YAML).
 */
import type { Command } from 'commander';
import pc from 'picocolors';
import { TrailguardError, TrailguardErrors, renderError, type SourceText } from '../errors.js';
import { loadMacros } from '../content/macros.js';
import { compileSplDetailed, expandMacros, printJson, printPipeline, printTree, tokenize } from '../spl/index.js';
import { EXIT, useColour } from './output.js';
import { inputError, readSplArgument } from './spl-argument.js';
import { compileSearch, parseNow } from '../engine/session.js';
import { loadFieldModel } from '../cloudtrail/index.js';

interface ExplainOptions {
  stage: string;
  engine?: string;
  profile?: string;
  now?: string;
  json?: boolean;
  content: string[];
}

const STAGES = ['tokens', 'expanded', 'ast', 'plan'];

async function runExplain(arg: string, opts: ExplainOptions): Promise<number> {
  if (!STAGES.includes(opts.stage)) throw inputError(`unknown stage \`${opts.stage}\``, [`use one of ${STAGES.join(', ')}`]);
  const source = readSplArgument(arg);
  const macros = loadMacros(opts.content);
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
      if (opts.json) process.stdout.write(JSON.stringify({ text: exp.text, calls: exp.calls }, null, 2) + '\n');
      else process.stdout.write(exp.text + '\n');
      return EXIT.ok;
    }
    if (opts.stage === 'plan') {
      // One numbered line per operator, with what went into the byte prefilter.
      const { plan, pipeline } = compileSearch(source.text, { contentDirs: opts.content, file: source.file, lineOffset: source.lineOffset });
      const lines = plan.describe();
      const cut = await pushdownLines(pipeline, opts);
      process.stdout.write(opts.json ? JSON.stringify({ plan: lines, pushdown: cut }, null, 2) + '\n' : [...lines, '', ...cut].join('\n') + '\n');
      return EXIT.ok;
    }
    const { pipeline } = compileSplDetailed(source.text, { macros, source });
    if (opts.json) process.stdout.write(printJson(pipeline) + '\n');
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
        'Exit codes: 0 ok, 1 the SPL has errors (printed with a caret under the problem), 2 usage error.\n',
    )
    .action(async (spl: string, opts: ExplainOptions) => {
      process.exitCode = await runExplain(spl, opts);
    });
}
