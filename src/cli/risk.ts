/**
 * `trailguard risk`: risk objects ranked by summed risk score, with their distinct ATT&CK tactics
 * and detections, and the two standard risk incident rules flagged (src/risk/rank.ts).
 */
import type { Command } from 'commander';
import { csvStringify } from '../util/lazy-require.js';
import { Row } from '../engine/row.js';
import { parseBound, parseNow } from '../engine/session.js';
import { rankRiskObjects, riskEventsNeededSince, type RankedRiskObject } from '../risk/rank.js';
import { StateStore } from '../state/index.js';
import { EXIT, reportFatal } from './output.js';
import { tableText } from './results.js';
import { addStateFlag, usageError } from './run-env.js';

interface Flags {
  state?: string;
  since: string;
  now?: string;
  format: string;
  flagged?: boolean;
  limit?: string;
  tz: string;
}

const FORMATS = ['table', 'json', 'csv'];

const HELP = `
Every finding writes one risk event per risk object (user, IP address, …) with the detection's
risk score and ATT&CK tactics. This ranks the objects with risk events since --since by summed
score, and flags the two standard risk incident rules, each over its own window ending at --now:
  risk>100/24h          the object's risk scores sum to more than 100 in the last 24 hours
  3tactics+4sources/7d  3 or more distinct ATT&CK tactics from 4 or more distinct detections
                        in the last 7 days
An object that trips a rule is listed even when it has no risk event since --since.

--since takes a duration back from --now (24h, 7d, 90m, 2w), an SPL time modifier (-7d@d) or
ISO-8601. --now defaults to the clock; set it to look at replayed or historical state.

Examples:
  trailguard risk
  trailguard risk --since 24h --flagged
  trailguard risk --state ./.trailguard --now 2026-11-20T12:00:00Z --format json

Exit codes: 0 ok, 2 usage error.
`;

function parseSince(text: string, now: number, tz: string): number {
  // A bare duration means "that long before --now".
  const bare = /^\s*(\d+)\s*(s|m|h|d|w)\s*$/.exec(text);
  if (bare) return now - Number(bare[1]) * { s: 1, m: 60, h: 3600, d: 86400, w: 604800 }[bare[2] as 's' | 'm' | 'h' | 'd' | 'w'];
  return parseBound('--since', text, now, tz)!;
}

const RULE_LABELS: [keyof RankedRiskObject['rules'], string][] = [
  ['over100in24h', 'risk>100/24h'],
  ['tactics3sources4in7d', '3tactics+4sources/7d'],
];

const ruleLabels = (r: RankedRiskObject) => RULE_LABELS.filter(([k]) => r.rules[k]).map(([, label]) => label);

const CSV_COLUMNS = ['rank', 'object', 'object_type', 'score', 'events', 'sources', 'detections', 'tactics', 'first', 'last', 'score_24h', 'tactics_7d', 'sources_7d', 'over100in24h', 'tactics3sources4in7d'];

export function riskText(list: readonly RankedRiskObject[], format: string, width: number): string {
  if (format === 'json') return list.map((r, i) => JSON.stringify({ rank: i + 1, ...r }) + '\n').join('');
  if (format === 'csv') {
    const rows = list.map((r, i) => [
      i + 1, r.object, r.object_type, r.score, r.events, r.sources, r.detections.join('\n'), r.tactics.join('\n'), r.first ?? '', r.last ?? '',
      r.measures.score_24h, r.measures.tactics_7d, r.measures.sources_7d, String(r.rules.over100in24h), String(r.rules.tactics3sources4in7d),
    ]);
    return csvStringify().stringify([CSV_COLUMNS, ...rows]);
  }
  const rows = list.map((r, i) => Row.of({ rank: i + 1, score: r.score, type: r.object_type, object: r.object, events: r.events, sources: r.sources, tactics: r.tactics, rules: ruleLabels(r) }));
  return tableText(rows, ['rank', 'score', 'type', 'object', 'events', 'sources', 'tactics', 'rules'], width);
}

export function riskAction(f: Flags): number {
  if (!FORMATS.includes(f.format)) throw usageError(`--format must be one of ${FORMATS.join(', ')}, got "${f.format}"`, 'run `trailguard risk --help`');
  let limit: number | undefined;
  if (f.limit !== undefined) {
    if (!/^[1-9]\d*$/.test(f.limit)) throw usageError(`--limit must be a whole number ≥ 1, got "${f.limit}"`, 'for example --limit 20');
    limit = Number(f.limit);
  }
  const now = parseNow(f.now);
  const since = parseSince(f.since, now, f.tz);
  if (since > now) throw usageError(`--since ${f.since} is after --now`, 'pass a time before --now, for example --since 24h');
  const state = new StateStore({ stateDir: f.state });
  try {
    const events = state.findings.riskEvents({ since: riskEventsNeededSince({ now, since }) });
    let list = rankRiskObjects(events, { now, since });
    if (f.flagged) list = list.filter((r) => r.rules.over100in24h || r.rules.tactics3sources4in7d);
    const total = list.length;
    if (limit !== undefined) list = list.slice(0, limit);
    const width = process.stdout.isTTY ? (process.stdout.columns ?? 120) : 200;
    process.stdout.write(list.length === 0 && f.format === 'table' ? '' : riskText(list, f.format, width));
    const tripped = list.filter((r) => ruleLabels(r).length > 0).length;
    process.stderr.write(`${total} risk object(s)${f.flagged ? ' tripping a rule' : ''} since ${new Date(since * 1000).toISOString()}${limit !== undefined && total > limit ? `, ${limit} shown` : ''}; ${tripped} shown trip a risk incident rule; state in ${state.stateDir}\n`);
    return EXIT.ok;
  } finally {
    state.close();
  }
}

export function register(program: Command): void {
  const cmd = program.command('risk').description('Rank risk objects by risk score and flag the risk incident rules');
  addStateFlag(cmd)
    .option('--since <time>', 'ranking window start: a duration back from --now (24h, 7d), -7d@d, or ISO-8601', '7d')
    .option('--now <time>', 'the end of the windows, ISO-8601 or epoch seconds (default: the clock)')
    .option('--format <format>', 'table | json (one line per object) | csv', 'table')
    .option('--flagged', 'only objects that trip a risk incident rule')
    .option('--limit <n>', 'at most this many objects (the highest ranked)')
    .option('--tz <zone>', 'time zone for snapping --since (-7d@d)', 'UTC')
    .addHelpText('after', HELP)
    .action((flags: Flags) => {
      try {
        process.exitCode = riskAction(flags);
      } catch (err) {
        process.exitCode = reportFatal(err);
      }
    });
}
