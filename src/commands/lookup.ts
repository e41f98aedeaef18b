/**
 * `lookup T col [as field] … [OUTPUT|OUTPUTNEW out [as field] …]` (SPL.md §7.4). Matching (exact,
 * case-sensitive, all matches up to max_matches → multivalue) is the state store's
 * buildLookupIndex/outputValue; this command decides what is written: OUTPUT overwrites (and
 * clears the outputs when nothing matches [verify]); OUTPUTNEW only fills outputs the row lacks.
 * Without an output clause every non-key column is output. A missing table: warning, and rows
 * pass with empty outputs.
 */
import type { LookupCommand } from '../spl/ast.js';
import { buildLookupIndex, outputValue } from '../state/index.js';
import { mapOperator, type CommandPlan, type PlanEnv } from '../engine/operator.js';
import { readTable } from '../engine/lookups.js';

const FALSE = /^(f|false|0|no)$/i;

export default function lookupPlan(cmd: LookupCommand, env: PlanEnv): CommandPlan {
  const keys = cmd.keys.map((k) => ({ column: k.field, field: k.as ?? k.field }));
  const outputNew = cmd.outputMode === 'OUTPUTNEW';
  return {
    command: cmd,
    position: env.position,
    describe: () =>
      `${cmd.table} ${keys.map((k) => k.column + (k.field !== k.column ? ` as ${k.field}` : '')).join(', ')}` +
      (cmd.outputMode ? ` ${cmd.outputMode} ${cmd.outputs.map((o) => o.field + (o.as ? ` as ${o.as}` : '')).join(', ')}` : ''),
    async open(ctx) {
      const table = await readTable(ctx, cmd.table);
      if (table === null) return mapOperator((row) => row);
      const maxMatches = cmd.options['max_matches'] !== undefined ? Number(cmd.options['max_matches']) : ctx.limits.lookupMaxMatches;
      const caseSensitive = !FALSE.test(cmd.options['case_sensitive_match'] ?? 'true');
      const index = buildLookupIndex(table, keys.map((k) => k.column), { maxMatches, caseSensitive });
      const keyCols = new Set(keys.map((k) => k.column));
      const outputs =
        cmd.outputs.length > 0
          ? cmd.outputs.map((o) => ({ column: o.field, field: o.as ?? o.field }))
          : table.columns.filter((c) => !keyCols.has(c) && c !== '_key').map((c) => ({ column: c, field: c }));
      return mapOperator((row) => {
        if (outputNew && outputs.every((o) => row.has(o.field))) return row;
        const matches = index.match(keys.map((k) => row.get(k.field)));
        for (const o of outputs) {
          if (outputNew && row.has(o.field)) continue;
          row.set(o.field, matches.length === 0 ? null : outputValue(matches, o.column));
        }
        return row;
      });
    },
  };
}
