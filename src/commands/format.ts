/**
 * `format [maxresults=N] [mvsep=S] [emptystr=S] ["(" "(" "AND" ")" "OR" ")"]` (SPL.md §2.8):
 * the rows become one row whose `search` field holds them as search text.
 */
import type { FormatCommand } from '../spl/ast.js';
import { Row } from '../engine/row.js';
import { blockingOperator, simplePlan, type CommandPlan, type PlanEnv } from '../engine/operator.js';
import { DEFAULT_FORMAT, formatRows, type FormatStrings } from '../engine/format.js';

export default function formatPlan(cmd: FormatCommand, env: PlanEnv): CommandPlan {
  const p = cmd.positional;
  const strings: FormatStrings = {
    rowPrefix: p[0] ?? DEFAULT_FORMAT.rowPrefix,
    columnPrefix: p[1] ?? DEFAULT_FORMAT.columnPrefix,
    columnSeparator: p[2] ?? DEFAULT_FORMAT.columnSeparator,
    columnEnd: p[3] ?? DEFAULT_FORMAT.columnEnd,
    rowSeparator: p[4] ?? DEFAULT_FORMAT.rowSeparator,
    rowEnd: p[5] ?? DEFAULT_FORMAT.rowEnd,
    emptyString: cmd.options['emptystr'] ?? DEFAULT_FORMAT.emptyString,
  };
  const max = cmd.options['maxresults'] !== undefined ? Number(cmd.options['maxresults']) : 0;
  return simplePlan(cmd, env, '', () =>
    blockingOperator((rows) => [Row.of({ search: formatRows(max > 0 ? rows.slice(0, max) : rows, strings) })]),
  );
}
