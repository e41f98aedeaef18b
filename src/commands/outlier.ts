/**
 * `outlier [action=remove|rm|transform|tf] [param=2.5] [uselower=f] [mark=f] [<field>…]`
 * (MLTK.md §5): per numeric field, values above Q3 + param·IQR (and, with uselower, below
 * Q1 − param·IQR; quartiles by linear interpolation) are outliers. remove drops the event;
 * transform (default) clamps the value to the bound, prefixed `000` with mark=true. Without fields,
 * every field whose set values are all numbers (internal `_` fields aside). Non-numeric and missing
 * values are left alone.
 */
import { TrailguardError } from '../errors.js';
import type { OutlierCommand } from '../spl/ast.js';
import type { Row } from '../engine/row.js';
import { formatNumber, toNumber, type Value } from '../eval/value.js';
import { blockingOperator, type CommandPlan, type PlanEnv } from '../engine/operator.js';
import { quantileSorted, sortedCopy } from '../mltk/stats.js';

export interface OutlierOptions {
  action: 'remove' | 'transform';
  param: number;
  uselower: boolean;
  mark: boolean;
}

const ACTIONS: Record<string, OutlierOptions['action']> = { remove: 'remove', rm: 'remove', transform: 'transform', tf: 'transform' };
const TRUE = /^(1|t|true|y|yes)$/i;
const FALSE = /^(0|f|false|n|no)$/i;

export function readOutlierOptions(cmd: OutlierCommand, name = 'outlier'): OutlierOptions {
  const fail = (reason: string, hint: string) => new TrailguardError({ code: 'E_MLTK_PARAM', phase: 'plan', span: cmd.span, reason: `${name}: ${reason}`, hints: [hint] });
  const o: OutlierOptions = { action: 'transform', param: 2.5, uselower: false, mark: false };
  for (const [k, v] of Object.entries(cmd.options)) {
    switch (k.toLowerCase()) {
      case 'action': {
        const a = ACTIONS[v.toLowerCase()];
        if (!a) throw fail(`action=${v} is not an action`, 'use action=remove (rm) or action=transform (tf)');
        o.action = a;
        break;
      }
      case 'param': {
        const n = Number(v);
        if (!/^[\d.]+$/.test(v) || !(n >= 0)) throw fail(`param=${v} is not a non-negative number`, 'for example param=2.5');
        o.param = n;
        break;
      }
      case 'uselower':
      case 'mark': {
        const b = TRUE.test(v) ? true : FALSE.test(v) ? false : null;
        if (b === null) throw fail(`${k}=${v} is not a boolean`, `use ${k}=true or ${k}=false`);
        o[k.toLowerCase() as 'uselower' | 'mark'] = b;
        break;
      }
      default:
        throw fail(`unknown parameter "${k}"`, 'outlier accepts action, param, uselower and mark');
    }
  }
  return o;
}

/** A single numeric value, or null (missing, multivalue or text). */
function numberOf(v: Value): number | null {
  if (v === null || Array.isArray(v)) return null;
  return toNumber(v);
}

function numericFields(rows: readonly Row[]): string[] {
  const state = new Map<string, boolean>();
  for (const r of rows) {
    for (const n of r.fieldNames()) {
      if (n.startsWith('_') || state.get(n) === false) continue;
      state.set(n, numberOf(r.get(n)) !== null);
    }
  }
  return [...state].filter(([, ok]) => ok).map(([n]) => n);
}

export function outlierTransform(rows: Row[], listed: readonly string[], o: OutlierOptions): Row[] {
  const fields = listed.length > 0 ? listed : numericFields(rows);
  const bounds = fields.map((f) => {
    const s = sortedCopy(rows.map((r) => numberOf(r.get(f))).filter((n): n is number => n !== null));
    if (s.length === 0) return null;
    const q1 = quantileSorted(s, 0.25);
    const q3 = quantileSorted(s, 0.75);
    return { lower: q1 - o.param * (q3 - q1), upper: q3 + o.param * (q3 - q1) };
  });
  const out: Row[] = [];
  for (const row of rows) {
    let drop = false;
    fields.forEach((f, i) => {
      const b = bounds[i];
      const v = numberOf(row.get(f));
      if (!b || v === null) return;
      const bound = v > b.upper ? b.upper : o.uselower && v < b.lower ? b.lower : null;
      if (bound === null) return;
      if (o.action === 'remove') drop = true;
      else row.set(f, o.mark ? `000${formatNumber(bound)}` : bound);
    });
    if (!drop) out.push(row);
  }
  return out;
}

export default function outlierPlan(cmd: OutlierCommand, env: PlanEnv): CommandPlan {
  const o = readOutlierOptions(cmd);
  return {
    command: cmd,
    position: env.position,
    describe: () => `action=${o.action} param=${o.param}${o.uselower ? ' uselower=t' : ''}${o.mark ? ' mark=t' : ''} ${cmd.fields.join(' ')}`.trimEnd(),
    open: () => blockingOperator((rows) => outlierTransform(rows, cmd.fields, o)),
  };
}
