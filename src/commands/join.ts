/**
 * `join [type=inner|outer|left] [max=N] f… [subsearch]` (SPL.md §5): each main row is joined to
 * the subsearch rows with exactly (case-sensitively) equal values on every join field; the first
 * `max` matches (default 1, 0 = all) are used and their fields overwrite the main row's. Rows
 * lacking a join field never match; outer/left keep unmatched main rows unchanged. Without join
 * fields, the fields common to both sides are used.
 */
import type { JoinCommand } from '../spl/ast.js';
import type { Row } from '../engine/row.js';
import { toText, valuesOf } from '../eval/value.js';
import { rejectOptions } from '../engine/options.js';
import type { CommandPlan, PlanEnv, Rows } from '../engine/operator.js';

const FALSE = new Set(['f', 'false', '0', 'no']);

function keyOf(row: Row, fields: readonly string[]): string | null {
  const parts: string[] = [];
  for (const f of fields) {
    const v = valuesOf(row.get(f));
    if (v.length === 0) return null;
    parts.push(v.map(toText).join('\u0001'));
  }
  return parts.join('\u0000');
}

export default function joinPlan(cmd: JoinCommand, env: PlanEnv): CommandPlan {
  const sub = env.compile(cmd.subsearch);
  rejectOptions(cmd, ['usetime', 'earlier']);
  const type = (cmd.options['type'] ?? 'inner').toLowerCase();
  const keepUnmatched = type === 'outer' || type === 'left';
  const max = cmd.options['max'] !== undefined ? Number(cmd.options['max']) : 1;
  const overwrite = !FALSE.has((cmd.options['overwrite'] ?? 'true').toLowerCase());
  return {
    command: cmd,
    position: env.position,
    describe: () => [`type=${type} max=${max} ${cmd.fields.join(', ')} [`, ...sub.describe('    '), ']'].join('\n'),
    async open(ctx) {
      const cap = ctx.limits.joinRows;
      const { rows: right, truncated } = await sub.run(ctx, { maxRows: cap });
      if (truncated) ctx.warn(`join: subsearch returned more than ${cap} rows; only the first ${cap} were joined`);
      let fields = cmd.fields;
      if (fields.length === 0) {
        const rightNames = new Set(right.flatMap((r) => r.fieldNames()));
        fields = [...rightNames].filter((n) => !n.startsWith('_'));
      }
      const index = new Map<string, Row[]>();
      for (const r of right) {
        const k = keyOf(r, fields);
        if (k === null) continue;
        const list = index.get(k);
        if (list) list.push(r);
        else index.set(k, [r]);
      }
      const commonOnly = cmd.fields.length === 0;
      return {
        push(rows: Rows) {
          const out: Row[] = [];
          for (const left of rows) {
            // With implicit fields, use only those the left row has too.
            const use = commonOnly ? fields.filter((f) => left.has(f)) : fields;
            const k = use.length > 0 ? keyOf(left, use) : null;
            const candidates = k === null ? undefined : commonOnly ? right.filter((r) => keyOf(r, use) === k) : index.get(k);
            if (!candidates || candidates.length === 0) {
              if (keepUnmatched) out.push(left);
              continue;
            }
            const chosen = max > 0 ? candidates.slice(0, max) : candidates;
            for (const r of chosen) {
              const joined = chosen.length === 1 ? left : left.clone();
              for (const n of r.fieldNames()) if (overwrite || !joined.has(n)) joined.set(n, r.get(n));
              out.push(joined);
            }
          }
          return out;
        },
        finish: () => [],
      };
    },
  };
}
