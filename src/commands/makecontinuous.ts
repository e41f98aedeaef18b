/**
 * `makecontinuous [<field>] span=<n>[unit] [start=<n>] [end=<n>]` (MLTK.md §6): buckets the field as
 * `bin` does, sorts rows by bucket (stable), and inserts one row holding only the field for every
 * empty bucket between the first and last (or from start to end, end exclusive; rows outside are
 * dropped). Rows are never merged. Rows without a numeric value of the field follow at the end.
 * bins= is not supported (neither is it by `bin`).
 */
import { TrailguardError } from '../errors.js';
import type { MakecontinuousCommand } from '../spl/ast.js';
import { Row } from '../engine/row.js';
import { firstValue, toNumber } from '../eval/value.js';
import { blockingOperator, type CommandPlan, type PlanEnv } from '../engine/operator.js';
import { binStart, parseSpan } from './bin.js';

/** More empty buckets than this is almost certainly a span mistake (span=1s over a year). */
const MAX_FILLED = 1_000_000;

export default function makecontinuousPlan(cmd: MakecontinuousCommand, env: PlanEnv): CommandPlan {
  const fail = (reason: string, hint: string) => new TrailguardError({ code: 'E_MAKECONTINUOUS', phase: 'plan', span: cmd.span, reason: `makecontinuous: ${reason}`, hints: [hint] });
  const opts: Record<string, string> = {};
  for (const [k, v] of Object.entries(cmd.options)) opts[k.toLowerCase()] = v;
  for (const k of Object.keys(opts)) {
    if (k === 'bins') throw fail('bins= is not supported', 'give the bucket size with span= (for example span=1h)');
    if (!['span', 'start', 'end'].includes(k)) throw fail(`unknown parameter "${k}"`, 'makecontinuous accepts span, start and end');
  }
  if (opts.span === undefined) throw fail('span= is required', 'for example `makecontinuous span=1h _time`');
  const span = parseSpan(opts.span);
  if (!span) throw fail(`cannot read span=${opts.span}`, 'spans look like 30s, 5m, 1h, 1d');
  const bound = (k: 'start' | 'end') => {
    const v = opts[k];
    if (v === undefined) return undefined;
    const n = toNumber(v);
    if (n === null) throw fail(`${k}=${v} is not a number`, `give ${k} as a number (epoch seconds for _time)`);
    return n;
  };
  const start = bound('start');
  const end = bound('end');
  const field = cmd.field ?? '_time';
  return {
    command: cmd,
    position: env.position,
    describe: () => `${field} span=${opts.span}${start !== undefined ? ` start=${start}` : ''}${end !== undefined ? ` end=${end}` : ''}`,
    open(ctx) {
      const next = (b: number) => (span.days ? binStart(b + span.seconds + 3 * 3600, span, ctx.tz) : b + span.seconds);
      return blockingOperator((rows) => {
        const bucketed: { row: Row; bucket: number }[] = [];
        const rest: Row[] = [];
        for (const row of rows) {
          const v = firstValue(row.get(field));
          const n = v === null ? null : toNumber(v);
          if (n === null) {
            rest.push(row);
            continue;
          }
          if ((start !== undefined && n < start) || (end !== undefined && n >= end)) continue;
          const bucket = binStart(n, span, ctx.tz);
          row.set(field, bucket);
          bucketed.push({ row, bucket });
        }
        bucketed.sort((a, b) => a.bucket - b.bucket); // stable: input order within a bucket
        const first = start !== undefined ? binStart(start, span, ctx.tz) : bucketed[0]?.bucket;
        const last = end !== undefined ? end : bucketed[bucketed.length - 1]?.bucket;
        if (first === undefined || last === undefined) return [...bucketed.map((b) => b.row), ...rest];
        const out: Row[] = [];
        let i = 0;
        let filled = 0;
        for (let b = first; end !== undefined ? b < last : b <= last; b = next(b)) {
          const before = i;
          while (i < bucketed.length && bucketed[i]!.bucket <= b) out.push(bucketed[i++]!.row);
          if (i === before) {
            if (++filled > MAX_FILLED) throw new TrailguardError({ code: 'E_MAKECONTINUOUS', phase: 'runtime', reason: `makecontinuous: more than ${MAX_FILLED} empty buckets to fill`, hints: ['use a larger span='] });
            out.push(Row.of({ [field]: b }));
          }
        }
        while (i < bucketed.length) out.push(bucketed[i++]!.row);
        return [...out, ...rest];
      });
    },
  };
}
