/**
 * `sort [N] [-|+]f …` with `num()`, `str()`, `ip()`, `auto()` key types. Auto order: numbers
 * before strings, numbers numerically, strings by byte order (SPL.md §4.1 compareAuto). Rows
 * lacking a key sort after those that have it. The sort is stable.
 */
import type { SortCommand, SortKey } from '../spl/ast.js';
import type { Row } from '../engine/row.js';
import { compareAuto, compareLexical } from '../eval/compare.js';
import { firstValue, toNumber, toText, type Scalar } from '../eval/value.js';
import { blockingOperator, simplePlan, type CommandPlan, type PlanEnv } from '../engine/operator.js';

function ipKey(s: Scalar): number | null {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(toText(s));
  if (!m) return null;
  return ((+m[1]! * 256 + +m[2]!) * 256 + +m[3]!) * 256 + +m[4]!;
}

function compareScalars(a: Scalar, b: Scalar, mode: SortKey['mode']): number {
  switch (mode) {
    case 'str':
      return compareLexical(a, b);
    case 'num': {
      const na = toNumber(a);
      const nb = toNumber(b);
      if (na !== null && nb !== null) return na - nb;
      if (na !== null) return -1;
      if (nb !== null) return 1;
      return compareLexical(a, b);
    }
    case 'ip': {
      const ia = ipKey(a);
      const ib = ipKey(b);
      if (ia !== null && ib !== null) return ia - ib;
      if (ia !== null) return -1;
      if (ib !== null) return 1;
      return compareLexical(a, b);
    }
    default:
      return compareAuto(a, b);
  }
}

/** A row comparator for sort keys (used by sort and dedup sortby). */
export function rowComparator(keys: readonly SortKey[]): (a: Row, b: Row) => number {
  return (ra, rb) => {
    for (const k of keys) {
      const a = firstValue(ra.get(k.field));
      const b = firstValue(rb.get(k.field));
      let c: number;
      if (a === null || b === null) c = a === b ? 0 : a === null ? 1 : -1;
      else c = compareScalars(a, b, k.mode) * (k.desc ? -1 : 1);
      if (c !== 0) return c;
    }
    return 0;
  };
}

export default function sortPlan(cmd: SortCommand, env: PlanEnv): CommandPlan {
  const cmp = rowComparator(cmd.keys);
  const limit = cmd.limit > 0 ? cmd.limit : Infinity;
  const desc = cmd.keys.map((k) => `${k.desc ? '-' : ''}${k.mode && k.mode !== 'auto' ? `${k.mode}(${k.field})` : k.field}`).join(' ');
  return simplePlan(cmd, env, desc, () =>
    blockingOperator((rows) => {
      const sorted = rows.slice().sort(cmp);
      return limit === Infinity ? sorted : sorted.slice(0, limit);
    }),
  );
}
