/**
 * `dedup [N] f… [keepempty=t] [consecutive=t] [sortby …]`: keeps the first N rows of each
 * combination of values. Rows lacking a field are dropped unless keepempty=true. With sortby it
 * is blocking and the kept rows are sorted.
 */
import type { DedupCommand } from '../spl/ast.js';
import type { Row } from '../engine/row.js';
import { toText, valuesOf } from '../eval/value.js';
import { blockingOperator, mapOperator, simplePlan, type CommandPlan, type Operator, type PlanEnv } from '../engine/operator.js';
import { rowComparator } from './sort.js';

const TRUE = new Set(['t', 'true', '1', 'yes']);

export default function dedupPlan(cmd: DedupCommand, env: PlanEnv): CommandPlan {
  const keep = Math.max(1, cmd.count || 1);
  const keepEmpty = TRUE.has((cmd.options['keepempty'] ?? '').toLowerCase());
  const consecutive = TRUE.has((cmd.options['consecutive'] ?? '').toLowerCase());
  const keyOf = (row: Row): string | null => {
    const parts: string[] = [];
    for (const f of cmd.fields) {
      const v = valuesOf(row.get(f));
      if (v.length === 0) return null;
      parts.push(v.map(toText).join('\u0001'));
    }
    return parts.join('\u0000');
  };
  const open = (): Operator => {
    const counts = new Map<string, number>();
    let last: string | null | undefined;
    const filter = mapOperator((row) => {
      const k = keyOf(row);
      if (k === null) return keepEmpty ? row : null;
      if (consecutive) {
        const same = k === last;
        last = k;
        return same ? null : row;
      }
      const n = counts.get(k) ?? 0;
      if (n >= keep) return null;
      counts.set(k, n + 1);
      return row;
    });
    if (cmd.sortby.length === 0) return filter;
    const cmp = rowComparator(cmd.sortby);
    return blockingOperator(async (rows) => (await filter.push(rows)).slice().sort(cmp));
  };
  return simplePlan(cmd, env, `${keep > 1 ? keep + ' ' : ''}${cmd.fields.join(' ')}`, open);
}
