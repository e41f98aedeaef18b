/**
 * `fields f…` keeps only the listed fields (internal `_time`/`_raw` stay unless removed);
 * `fields - f…` removes them (SPL.md §5). Wildcards allowed.
 */
import type { FieldsCommand } from '../spl/ast.js';
import { mapOperator, simplePlan, type CommandPlan, type PlanEnv } from '../engine/operator.js';
import { expandFieldPatterns, hasWildcard } from '../engine/wildcard.js';

const KEPT_INTERNAL = ['_time', '_raw'];

export default function fieldsPlan(cmd: FieldsCommand, env: PlanEnv): CommandPlan {
  const wild = cmd.fields.some(hasWildcard);
  if (cmd.mode === '-') {
    return simplePlan(cmd, env, `- ${cmd.fields.join(', ')}`, () =>
      mapOperator((row) => {
        for (const n of wild ? expandFieldPatterns(cmd.fields, row.fieldNames()) : cmd.fields) row.delete(n);
        return row;
      }),
    );
  }
  return simplePlan(cmd, env, cmd.fields.join(', '), () =>
    mapOperator((row) => {
      const names = wild ? expandFieldPatterns(cmd.fields, row.fieldNames()) : [...cmd.fields];
      for (const n of KEPT_INTERNAL) if (!names.includes(n)) names.push(n);
      return row.project(names);
    }),
  );
}
