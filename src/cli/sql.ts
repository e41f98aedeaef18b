/**
 * `trailguard sql <spl | @file> [--dialect trino|duckdb] [--profile NAME]`: prints the SQL the
 * search's pushable part compiles to (and the queries of its filter subsearches), annotated with
 * the SPL command each part comes from and where the in-process suffix starts.
 */
import type { Command } from 'commander';
import { TrailguardError } from '../errors.js';
import { compileSearch, parseBound, parseNow } from '../engine/session.js';
import { loadFieldModel } from '../cloudtrail/index.js';
import { EXIT, reportFatal } from './output.js';
import { readSplArgument } from './spl-argument.js';

interface Flags {
  dialect: string;
  profile?: string;
  now?: string;
  earliest?: string;
  latest?: string;
  tz: string;
  content: string[];
  table?: string;
  format: string;
}

const collect = (v: string, prev: string[]) => [...prev, v];

function usage(reason: string, hint: string): TrailguardError {
  return new TrailguardError({ code: 'E_USAGE', phase: 'usage', reason, hints: [hint] });
}

export async function sqlAction(splArg: string, flags: Flags): Promise<number> {
  if (flags.dialect !== 'trino' && flags.dialect !== 'duckdb') throw usage(`--dialect must be trino or duckdb, got "${flags.dialect}"`, 'trino is Athena engine v3');
  if (flags.format !== 'text' && flags.format !== 'json') throw usage(`--format must be text or json, got "${flags.format}"`, 'use --format json for machines');
  const { loadProfile, defaultProfile } = await import('../sql/profile.js');
  const { compileSql, sqlReport } = await import('../sql/describe.js');
  const { quoteId } = await import('../sql/render.js');
  const profile = loadProfile(flags.profile ?? defaultProfile(flags.dialect));
  if (profile.dialect !== flags.dialect) {
    throw usage(`profile ${profile.name} is a ${profile.dialect} table; --dialect ${flags.dialect} cannot query it`, `use --dialect ${profile.dialect}, or a ${flags.dialect} profile`);
  }
  const { text, file, lineOffset } = readSplArgument(splArg);
  const compiled = compileSearch(text, { contentDirs: flags.content, file, lineOffset });
  const now = parseNow(flags.now);
  const ctx = {
    profile,
    model: loadFieldModel(),
    now,
    tz: flags.tz,
    earliest: parseBound('--earliest', flags.earliest, now, flags.tz),
    latest: parseBound('--latest', flags.latest, now, flags.tz),
    source: flags.table ? flags.table.split('.').map(quoteId).join('.') : undefined,
  };
  if (flags.format === 'json') {
    const r = compileSql(compiled.pipeline, ctx, flags.dialect);
    process.stdout.write(JSON.stringify({ dialect: flags.dialect, profile: profile.name, queries: r.queries, placement: r.placement, cut: r.plan.cut + 1, cutReason: r.plan.cutReason }, null, 2) + '\n');
  } else {
    process.stdout.write(sqlReport(compiled.pipeline, ctx, flags.dialect));
  }
  return EXIT.ok;
}

export function register(program: Command): void {
  program
    .command('sql')
    .description('Print the SQL (Trino/Athena or DuckDB) that the pushable part of a search compiles to, and where Trailguard takes over')
    .argument('<spl>', 'the SPL text, or @FILE: a .spl file, or a detection/baseline YAML whose search: is used')
    .option('--dialect <dialect>', 'trino (Athena engine v3) | duckdb', 'trino')
    .option('--profile <name>', 'table profile (data/sql-profiles): athena-cloudtrail-pp, athena-cloudtrail-ymd, duckdb-cloudtrail')
    .option('--table <name>', "table to query instead of the profile's (db.table)")
    .option('--earliest <time>', 'start of the window: adds partition and exact time predicates')
    .option('--latest <time>', 'end of the window (exclusive)')
    .option('--now <time>', 'fix now() (ISO-8601 or epoch); now() and relative_time() are folded to constants')
    .option('--tz <zone>', 'time zone for snapping (@d)', 'UTC')
    .option('--content <dir>', 'extra security_content-style directory with macros/ (repeatable)', collect, [])
    .option('--format <format>', 'text | json', 'text')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        "  trailguard sql '`cloudtrail` eventName=ConsoleLogin | stats count by sourceIPAddress' --earliest -24h@h\n" +
        '  trailguard sql @content/detections/detect_new_api_calls_from_user_roles.yml --dialect duckdb\n' +
        '  trailguard sql @hunt.spl --profile athena-cloudtrail-ymd --table security.cloudtrail --format json\n' +
        'Exit codes: 0 ok, 1 the SPL has errors, 2 usage error.\n',
    )
    .action(async (spl: string, flags: Flags) => {
      try {
        process.exitCode = await sqlAction(spl, flags);
      } catch (err) {
        process.exitCode = reportFatal(err);
      }
    });
}
