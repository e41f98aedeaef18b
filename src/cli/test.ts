/**
 * `trailguard test [NAME|ID]...`: runs the detections' content tests (their own `tests:` and the
 * `tests/*.yml` files of the content directories), each in a temporary state directory, and
 * prints one line per test. Exit 1 when any test fails.
 */
import type { Command } from 'commander';
import pc from 'picocolors';
import { selectDetections } from '../detect/operations.js';
import { isoTime } from '../detect/findings.js';
import { DEFAULT_TEST_NOW, LANDING_MARGIN_SECONDS } from '../detect/test-data.js';
import { runContentTests, testCases, type TestResult, type TestVerdict } from '../detect/testing.js';
import { Content } from '../content/load.js';
import { EXIT, reportFatal, useColour } from './output.js';
import { addContentFlags, openContent, parseThreads, usageError } from './run-env.js';

interface Flags {
  content: string[];
  format: string;
  keep?: boolean;
  tz: string;
  threads?: string;
}

const HELP = `
A test names datasets (attack_data: a path relative to its content directory, or an attack_data
URL, found by its file name under datasets/) and what it expects: some result with every
risk-object field (the default), none, or an exact count (expect: none | some | N). Each test
runs in its own temporary directory: the baselines the detection needs run first over the
test's data, then the detection, through the same code as \`baseline\` and \`detect\`; your
--state is never touched. Datasets with update_timestamp: true are shifted (keeping their
spacing) so that their latest event lands ${LANDING_MARGIN_SECONDS} s before the end of the detection's window
at the test's now (its \`now:\`, default ${DEFAULT_TEST_NOW}); without a shifted dataset or a
\`now:\`, now is chosen so the data's latest event lands there. An unavailable dataset is
reported as skipped, with the reason.

Examples:
  trailguard test
  trailguard test "Detect API activity from users without MFA (per ARN)" --format json
  trailguard test --content my-content/ --keep

Exit codes: 0 every test passed or was skipped, 1 a test failed, 2 usage or input error.
`;

const COLOURS: Record<TestVerdict, (s: string) => string> = { pass: pc.green, fail: pc.red, skip: pc.yellow };

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function json(r: TestResult): string {
  return JSON.stringify({
    detection: { id: r.detection.id, name: r.detection.name },
    test: r.test.name,
    file: Content.display(r.test.file),
    line: r.test.line ?? null,
    result: r.verdict,
    reason: r.reason,
    rows: r.rows,
    now: r.now === null ? null : isoTime(r.now),
    shift_seconds: r.shiftSeconds,
    duration_ms: r.durationMs,
    warnings: r.warnings,
    ...(r.dir ? { dir: r.dir } : {}),
  }) + '\n';
}

export async function testAction(refs: string[], flags: Flags): Promise<number> {
  if (flags.format !== 'table' && flags.format !== 'json') throw usageError(`--format must be table or json, got "${flags.format}"`, 'run `trailguard test --help`');
  const threads = parseThreads(flags.threads);
  const content = openContent(flags);
  const detections = refs.length > 0 ? selectDetections(content, refs) : content.detections;
  const list = testCases(detections);
  const untested = detections.filter((d) => d.tests.length === 0);
  if (untested.length > 0) process.stderr.write(`${untested.length} detection(s) without tests: ${untested.map((d) => `"${d.name}"`).join(', ')}\n`);
  if (list.length === 0) {
    process.stderr.write('no tests to run\n');
    return EXIT.ok;
  }
  const colour = useColour(process.stdout);
  const width = {
    detection: Math.max('detection'.length, ...list.map((x) => x.detection.name.length)),
    test: Math.max('test'.length, ...list.map((x) => x.test.name.length)),
  };
  const row = (d: string, t: string, res: string, time: string) => `${d.padEnd(width.detection)}  ${t.padEnd(width.test)}  ${res}  ${time}\n`;
  if (flags.format === 'table') process.stdout.write(row('detection', 'test', 'result', 'time') + row('-'.repeat(width.detection), '-'.repeat(width.test), '------', '----'));

  const results = await runContentTests(content, list, { keep: flags.keep, tz: flags.tz, threads }, (r) => {
    if (flags.format === 'json') {
      process.stdout.write(json(r));
      return;
    }
    const verdict = r.verdict.padEnd(6);
    process.stdout.write(row(r.detection.name, r.test.name, colour ? COLOURS[r.verdict](verdict) : verdict, seconds(r.durationMs)));
    if (r.verdict !== 'pass') process.stdout.write(r.reason.replace(/^/gm, '    ') + '\n');
    if (r.dir) process.stdout.write(`    kept: ${r.dir}\n`);
  });
  const count = (v: TestVerdict) => results.filter((r) => r.verdict === v).length;
  process.stderr.write(`\n${results.length} test(s): ${count('pass')} passed, ${count('fail')} failed, ${count('skip')} skipped\n`);
  return count('fail') > 0 ? EXIT.search : EXIT.ok;
}

export function register(program: Command): void {
  const cmd = program
    .command('test')
    .description("Run the detections' content tests (datasets, baselines, expected results), each in a temporary state directory")
    .argument('[names...]', 'detections by name or id (default: every detection with tests)');
  addContentFlags(cmd)
    .option('--format <format>', 'table | json (one test per line)', 'table')
    .option('--keep', "keep each test's temporary directory (its data and state) and print where")
    .option('--tz <zone>', 'time zone for snapping (@d) and time formatting', 'UTC')
    .option('--threads <n>', 'worker threads for large scans (default: env TRAILGUARD_THREADS, else the CPU cores)')
    .addHelpText('after', HELP)
    .action(async (names: string[], flags: Flags) => {
      try {
        process.exitCode = await testAction(names, flags);
      } catch (err) {
        process.exitCode = reportFatal(err);
      }
    });
}
