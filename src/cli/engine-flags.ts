/**
 * The `--engine` flags shared by commands that run searches (search today; baseline/detect when
 * they land): where the search runs, the table profile, and the Athena connection. Flags override
 * the TRAILGUARD_ATHENA_* environment; the options object is what `trailguard.yml` will fill.
 */
import type { Command } from 'commander';
import { TrailguardError } from '../errors.js';
import type { EngineChoice } from '../engine/session.js';

export const ENGINES = ['inprocess', 'duckdb', 'athena'] as const;

export interface EngineFlags {
  engine?: string;
  profile?: string;
  athenaWorkgroup?: string;
  athenaDatabase?: string;
  athenaTable?: string;
  athenaOutput?: string;
  athenaRegion?: string;
  athenaEndpoint?: string;
  athenaCatalog?: string;
}

export function addEngineOptions(cmd: Command): Command {
  return cmd
    .option('--engine <engine>', `where the search runs: ${ENGINES.join(' | ')} (duckdb and athena run the pushable part as SQL; default inprocess)`)
    .option('--profile <name>', 'table profile for --engine duckdb|athena (data/sql-profiles; default duckdb-cloudtrail / athena-cloudtrail-pp)')
    .option('--athena-workgroup <name>', 'Athena workgroup (or env TRAILGUARD_ATHENA_WORKGROUP)')
    .option('--athena-database <name>', 'Glue database of the CloudTrail table (or env TRAILGUARD_ATHENA_DATABASE)')
    .option('--athena-table <name>', "the CloudTrail table (default: the profile's; or env TRAILGUARD_ATHENA_TABLE)")
    .option('--athena-output <s3url>', 'query result location s3://bucket/prefix/ (or env TRAILGUARD_ATHENA_OUTPUT)')
    .option('--athena-region <region>', 'AWS region (default: the AWS SDK chain, e.g. AWS_REGION)')
    .option('--athena-endpoint <url>', 'Athena endpoint override (or env TRAILGUARD_ATHENA_ENDPOINT)')
    .option('--athena-catalog <name>', 'data catalog (default AwsDataCatalog)');
}

function usage(reason: string): TrailguardError {
  return new TrailguardError({ code: 'E_USAGE', phase: 'usage', reason, hints: [`use one of ${ENGINES.join(', ')}`] });
}

/** The engine choice, or undefined for in-process. */
export async function engineChoice(f: EngineFlags, onSql?: (sql: string, dialect: string) => void): Promise<EngineChoice | undefined> {
  const kind = f.engine ?? 'inprocess';
  if (!(ENGINES as readonly string[]).includes(kind)) throw usage(`--engine must be one of ${ENGINES.join(', ')}, got "${kind}"`);
  if (kind === 'inprocess') {
    if (f.profile) throw new TrailguardError({ code: 'E_USAGE', phase: 'usage', reason: '--profile needs --engine duckdb or --engine athena' });
    return undefined;
  }
  const choice: EngineChoice = { kind: kind as EngineChoice['kind'], profile: f.profile, onSql };
  if (kind === 'athena') {
    const { athenaOptionsFromEnv } = await import('../sql/athena.js');
    const o: Record<string, unknown> = { ...athenaOptionsFromEnv() };
    const set = (k: string, v: string | undefined) => {
      if (v !== undefined) o[k] = v;
    };
    set('workgroup', f.athenaWorkgroup);
    set('database', f.athenaDatabase);
    set('table', f.athenaTable);
    set('outputLocation', f.athenaOutput);
    set('region', f.athenaRegion);
    set('endpoint', f.athenaEndpoint);
    set('catalog', f.athenaCatalog);
    choice.athena = o;
  }
  return choice;
}
