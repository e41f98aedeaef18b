/**
 * `rename a as b, "x.*" as *` (SPL.md §5): moves a's value to b (replacing b); a missing a leaves
 * b as it is. With wildcards every matching field is renamed by substituting the `*` parts.
 */
import type { RenameCommand } from '../spl/ast.js';
import type { Row } from '../engine/row.js';
import { mapOperator, simplePlan, type CommandPlan, type PlanEnv } from '../engine/operator.js';
import { hasWildcard, matchWildcard, substituteWildcard } from '../engine/wildcard.js';

function move(row: Row, from: string, to: string): void {
  if (from === to) return;
  const v = row.get(from);
  if (v === null) return;
  row.delete(from);
  row.set(to, v);
}

export default function renamePlan(cmd: RenameCommand, env: PlanEnv): CommandPlan {
  const pairs = cmd.pairs.map((p) => ({ ...p, wild: hasWildcard(p.from) }));
  return simplePlan(cmd, env, pairs.map((p) => `${p.from} → ${p.to}`).join(', '), () =>
    mapOperator((row) => {
      for (const p of pairs) {
        if (!p.wild) {
          move(row, p.from, p.to);
          continue;
        }
        for (const name of row.fieldNames()) {
          const caps = matchWildcard(p.from, name);
          if (caps) move(row, name, substituteWildcard(p.to, caps));
        }
      }
      return row;
    }),
  );
}
