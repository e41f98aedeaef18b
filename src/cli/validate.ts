/**
 * `trailguard validate [--content DIR]… [--format table|json]`: loads the content (Trailguard's own
 * content/ and each --content DIR), and reports every problem in one run — unreadable files, SPL
 * errors with file:line:column in the YAML, searches Trailguard cannot run and why, lint warnings —
 * then a support summary.
 */
import { existsSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import pc from 'picocolors';
import { Content, loadContent } from '../content/load.js';
import { LINT_RULES } from '../content/lint/index.js';
import { problemLocation, type ContentProblem, type Severity } from '../content/problems.js';
import { validateContent, validationPassed, type SearchReport, type ValidationReport } from '../content/validate.js';
import { EXIT, reportFatal, useColour } from './output.js';
import { addContentFlags, usageError } from './run-env.js';

interface Flags {
  content: string[];
  format: string;
  projectContent: boolean;
}

const FORMATS = ['table', 'json'] as const;

const HELP = `
Loads Trailguard's own content/ and each --content DIR (laid out like security_content:
detections/, baselines/, macros/, lookups/, stories/, tests/) and reports every problem at once.
A file that cannot be read is reported and skipped; only the searches that need it fail.

Each detection and baseline is
  supported    Trailguard can run it;
  unsupported  valid SPL that Trailguard cannot run: a command or function it lacks, a data
               model other than CloudTrail's Change/Authentication, an \`apply\` of a model
               no baseline in the content fits (pre-trained models from other apps);
  invalid      a syntax error, an unknown macro, a macro or lookup whose file cannot be read.

Lint rules (warnings and notes; they never change the exit code):
${LINT_RULES.map((r) => `  ${r.code.padEnd(26)} ${r.severity.padEnd(8)} ${r.summary}`).join('\n')}

--format table (default): problems grouped by file as file:line:col: severity[code]: message,
  each with a hint; then one line per search that is not supported; then a summary.
--format json: one JSON object per line —
  for each detection and baseline:
    {"file", "id", "name", "kind": "detection"|"baseline", "supported": true|false,
     "reasons": [...], "problems": [...]}
  then, for each file whose problems belong to no loaded search (an unreadable detection,
  a macro, a lookup definition, the settings file):
    {"file", "problems": [...]}
  A problem is {"severity", "code", "file", "line"?, "column"?, "message", "hint"?, "search"?}.

Examples:
  trailguard validate
  trailguard validate --content ~/security_content
  trailguard validate --content ~/security_content --format json | jq -c 'select(.supported == false) | [.name, .reasons]'

Exit codes: 0 all content valid and supported, 1 some search is unsupported or invalid or a file
has an error, 2 usage error (a --content dir that does not exist, a bad --format).
`;

const SEVERITY_COLOUR: Record<Severity, (s: string) => string> = { error: pc.red, warning: pc.yellow, info: pc.cyan };
const STATUS_COLOUR: Record<SearchReport['status'], (s: string) => string> = { supported: pc.green, unsupported: pc.yellow, invalid: pc.red };

function shown(p: ContentProblem): ContentProblem {
  return { ...p, file: Content.display(p.file) };
}

function problemText(p: ContentProblem, colour: boolean): string {
  const paint = colour ? SEVERITY_COLOUR[p.severity] : (s: string) => s;
  const hint = p.hint ? `\n  ${colour ? pc.dim('hint:') : 'hint:'} ${p.hint}` : '';
  return `${problemLocation(p)}: ${paint(`${p.severity}[${p.code}]`)}: ${p.message}${hint}\n`;
}

/** Collects the output; it is written at once and flushed before the process exits. */
interface Sink {
  write(s: string): void;
}

function printTable(r: ValidationReport, out: Sink, colour: boolean): void {
  const byFile = new Map<string, ContentProblem[]>();
  for (const p of [...r.searches.flatMap((s) => s.problems), ...r.files.flatMap((f) => f.problems)]) {
    const file = Content.display(p.file);
    byFile.set(file, [...(byFile.get(file) ?? []), { ...p, file }]);
  }
  for (const file of [...byFile.keys()].sort()) {
    for (const p of byFile.get(file)!) out.write(problemText(p, colour));
    out.write('\n');
  }
  const bad = r.searches.filter((s) => s.status !== 'supported');
  for (const s of bad) {
    const status = s.status.padEnd(11);
    out.write(`${colour ? STATUS_COLOUR[s.status](status) : status} ${s.search.kind.padEnd(9)} "${s.search.name}" (${Content.display(s.search.file)}): ${s.reasons.map((x) => x.text).join('; ')}\n`);
  }
  for (const f of r.unloaded) {
    const status = 'invalid'.padEnd(11);
    const first = f.problems.find((p) => p.severity === 'error')!;
    out.write(`${colour ? STATUS_COLOUR.invalid(status) : status} ${'file'.padEnd(9)} ${Content.display(f.file)}: not loaded (${first.message})\n`);
  }
  if (bad.length > 0 || r.unloaded.length > 0) out.write('\n');
  const s = r.summary;
  const lines = [
    `${s.detections} detection(s) and ${s.baselines} baseline(s) loaded from ${r.dirs.map(Content.display).join(', ')}`,
    `  supported:   ${s.supported}`,
    `  unsupported: ${s.unsupported}`,
    ...s.unsupportedBy.map(([k, n]) => `    ${k}: ${n}`),
    `  invalid:     ${s.invalid}`,
    ...s.invalidBy.map(([k, n]) => `    ${k}: ${n}`),
    ...(s.unloadedFiles > 0 ? [`  not loaded:  ${s.unloadedFiles} detection/baseline file(s) (see above)`] : []),
    `problems: ${s.errors} error(s), ${s.warnings} warning(s), ${s.infos} note(s)`,
  ];
  out.write(lines.join('\n') + '\n');
}

function printJson(r: ValidationReport, out: Sink): void {
  for (const s of r.searches) {
    out.write(
      JSON.stringify({
        file: Content.display(s.search.file),
        id: s.search.id,
        name: s.search.name,
        kind: s.search.kind,
        supported: s.status === 'supported',
        reasons: s.reasons.map((x) => x.text),
        problems: s.problems.map(shown),
      }) + '\n',
    );
  }
  for (const f of r.files) out.write(JSON.stringify({ file: Content.display(f.file), problems: f.problems.map(shown) }) + '\n');
}

/**
 * Writes `text` to stdout and resolves once it is handed to the OS: main() ends with
 * process.exit(), which would otherwise cut a long report short when stdout is a pipe.
 */
function writeOut(text: string): Promise<void> {
  return new Promise((res, rej) => process.stdout.write(text, (err) => (err ? rej(err) : res())));
}

export async function validateAction(flags: Flags): Promise<number> {
  if (!FORMATS.includes(flags.format as (typeof FORMATS)[number])) {
    throw usageError(`--format must be one of ${FORMATS.join(', ')}, got "${flags.format}"`, 'run `trailguard validate --help`');
  }
  for (const d of flags.content) {
    if (!existsSync(d) || !statSync(d).isDirectory()) throw usageError(`--content ${d}: no such directory`, 'pass a directory laid out like security_content: detections/, baselines/, macros/, lookups/');
  }
  const content = loadContent(flags.content, { includeProject: flags.projectContent });
  const report = validateContent(content);
  const chunks: string[] = [];
  const sink: Sink = { write: (s) => void chunks.push(s) };
  if (flags.format === 'json') printJson(report, sink);
  else printTable(report, sink, useColour(process.stdout));
  await writeOut(chunks.join(''));
  return validationPassed(report) ? EXIT.ok : EXIT.search;
}

export function register(program: Command): void {
  const cmd = program.command('validate').description('Check detections, baselines, macros and lookups: errors with file:line:column, what Trailguard cannot run and why, lint warnings');
  addContentFlags(cmd)
    .option('--format <format>', 'table | json (one object per search, then per file with other problems)', 'table')
    .option('--no-project-content', "check only the --content dirs, without Trailguard's own content/")
    .addHelpText('after', HELP)
    .action(async (flags: Flags) => {
      try {
        process.exitCode = await validateAction(flags);
      } catch (err) {
        process.exitCode = reportFatal(err);
      }
    });
}
