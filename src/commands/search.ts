/**
 * `search` (SPL.md §2): the implicit first command reads events through the filter; a later
 * `| search` filters rows. Subsearches are resolved when the run opens (§2.8); top-level inline
 * `earliest=`/`latest=` narrow the time range (§2.9).
 */
import type { SearchCommand, SearchExpr } from '../spl/ast.js';
import { compileSearchFilter, parseTimeBound } from '../eval/index.js';
import type { CommandPlan, PlanEnv, ScanOperator, ScanSpec } from '../engine/operator.js';
import { mapOperator } from '../engine/operator.js';
import type { RunContext } from '../engine/context.js';
import { collectSubsearches, replaceSubsearches, resolveSubsearch } from '../engine/subsearch.js';
import { buildPrefilter, prefilterTerms } from '../engine/prefilter.js';
import { toNumber, firstValue } from '../eval/value.js';

interface TimeTerm {
  which: 'earliest' | 'latest';
  value: string;
}

/** Splits top-level `earliest=`/`latest=` terms off the expression (they bound time, not fields). */
export function splitTimeTerms(expr: SearchExpr | null): { expr: SearchExpr | null; times: TimeTerm[] } {
  if (!expr) return { expr, times: [] };
  if (expr.kind === 'time') return { expr: null, times: [{ which: expr.which, value: expr.value }] };
  if (expr.kind !== 'and') return { expr, times: [] };
  const times: TimeTerm[] = [];
  const rest: SearchExpr[] = [];
  for (const t of expr.terms) {
    if (t.kind === 'time') times.push({ which: t.which, value: t.value });
    else rest.push(t);
  }
  if (times.length === 0) return { expr, times };
  const e: SearchExpr | null = rest.length === 0 ? null : rest.length === 1 ? rest[0]! : { ...expr, terms: rest };
  return { expr: e, times };
}

export function timeBounds(times: TimeTerm[], ctx: RunContext): { earliest?: number; latest?: number } {
  const out: { earliest?: number; latest?: number } = {};
  for (const t of times) out[t.which] = parseTimeBound(t.value, ctx.now, ctx.tz);
  return out;
}

export function searchPlan(cmd: SearchCommand, env: PlanEnv): CommandPlan {
  const { expr: baseExpr, times } = splitTimeTerms(cmd.expr);
  const subs = collectSubsearches(baseExpr).map((s) => ({ plan: env.compile(s.pipeline), span: s.span }));
  return {
    command: cmd,
    position: env.position,
    readsEvents: env.first,
    describe: () => {
      const parts: string[] = [];
      if (env.first) {
        const terms = prefilterTerms(baseExpr);
        parts.push(terms.length ? `prefilter=[${terms.map((t) => JSON.stringify(t)).join(', ')}]` : 'prefilter=none');
      }
      if (times.length) parts.push(times.map((t) => `${t.which}=${t.value}`).join(' '));
      if (subs.length) parts.push(`(${subs.length} subsearch${subs.length > 1 ? 'es' : ''})`);
      return parts.join(' ');
    },
    async open(ctx: RunContext) {
      let expr = baseExpr;
      if (expr && subs.length > 0) {
        const replacements: SearchExpr[] = [];
        for (const s of subs) replacements.push((await resolveSubsearch(s.plan, s.span, ctx)).expr);
        expr = replaceSubsearches(expr, replacements);
      }
      const bounds = timeBounds(times, ctx);
      const filter = expr ? compileSearchFilter(expr, ctx) : null;
      const lo = bounds.earliest ?? -Infinity;
      const hi = bounds.latest ?? Infinity;
      const inTime = (t: number | null) => t !== null && t >= lo && t < hi;
      const timed = times.length > 0 && !env.first;
      const op = mapOperator((row) => {
        if (filter !== null && !filter(row)) return null;
        if (timed) {
          const tv = firstValue(row.get('_time'));
          if (!inTime(tv === null ? null : toNumber(tv))) return null;
        }
        return row;
      });
      const scan: ScanSpec = { ...bounds, prefilter: env.first && expr ? buildPrefilter(expr) : null };
      const result: ScanOperator = { push: op.push, finish: op.finish, scan };
      return result;
    },
  };
}

export default searchPlan;
