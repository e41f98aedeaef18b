/**
 * `convert [timeformat=F] fn(f) [as g] …` (SPL.md §5): ctime (epoch → text with F, default
 * `%m/%d/%Y %H:%M:%S`, in the search's zone), mktime (text → epoch), num, auto, none, rmcomma,
 * rmunit, dur2sec. A missing field is a no-op; a value that cannot convert is left unchanged;
 * multivalues convert each value.
 */
import type { ConvertCommand } from '../spl/ast.js';
import { TrailguardError } from '../errors.js';
import { strftime, strptime } from '../eval/index.js';
import { toNumber, toText, valuesOf, type Scalar } from '../eval/value.js';
import { mapOperator, simplePlan, type CommandPlan, type PlanEnv } from '../engine/operator.js';
import { expandFieldPatterns, hasWildcard } from '../engine/wildcard.js';

type Converter = (v: Scalar, fmt: string, tz: string) => Scalar | null;

const CONVERTERS: Record<string, Converter> = {
  ctime: (v, fmt, tz) => {
    const n = toNumber(v);
    return n === null ? null : strftime(n, fmt, tz);
  },
  mktime: (v, fmt, tz) => {
    if (toNumber(v) !== null) return v;
    const t = strptime(toText(v), fmt, tz);
    return t === null || t === undefined ? null : t;
  },
  num: (v) => toNumber(toText(v).replace(/,/g, '')),
  auto: (v) => toNumber(toText(v).replace(/,/g, '')) ?? v,
  none: (v) => v,
  rmcomma: (v) => toText(v).replace(/,/g, ''),
  rmunit: (v) => {
    const m = /^\s*([+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)/i.exec(toText(v));
    return m ? Number(m[1]) : null;
  },
  dur2sec: (v) => {
    const m = /^(?:(\d+)\+)?(\d+):(\d+):(\d+(?:\.\d+)?)$/.exec(toText(v).trim());
    if (!m) return null;
    return (Number(m[1] ?? 0) * 24 + Number(m[2])) * 3600 + Number(m[3]) * 60 + Number(m[4]);
  },
};

export default function convertPlan(cmd: ConvertCommand, env: PlanEnv): CommandPlan {
  const fmt = cmd.options['timeformat'] ?? '%m/%d/%Y %H:%M:%S';
  const steps = cmd.conversions.map((c) => {
    const fn = CONVERTERS[c.fn];
    if (!fn) {
      throw new TrailguardError({
        code: 'E_CONVERT_FN', phase: 'plan', span: cmd.span,
        reason: `convert has no function ${c.fn}()`,
        hints: [`available: ${Object.keys(CONVERTERS).join(', ')}`],
      });
    }
    return { ...c, name: c.fn, fn, wild: hasWildcard(c.field) };
  });
  return simplePlan(cmd, env, steps.map((s) => `${s.name}(${s.field})${s.as ? ` as ${s.as}` : ''}`).join(', '), (ctx) =>
    mapOperator((row) => {
      for (const s of steps) {
        const fields = s.wild ? expandFieldPatterns([s.field], row.fieldNames()) : [s.field];
        for (const f of fields) {
          const vals = valuesOf(row.get(f));
          if (vals.length === 0) continue;
          const out = vals.map((v) => s.fn(v, fmt, ctx.tz) ?? v);
          row.set(s.as ?? f, out);
        }
      }
      return row;
    }),
  );
}
