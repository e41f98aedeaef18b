/**
 * `rex [field=f] "(?<name>re)" [max_match=N] [mode=sed]` (SPL.md §5): PCRE named groups become
 * fields on a match; no match leaves fields untouched. max_match=0 means unlimited and several
 * matches give multivalues. mode=sed applies `s/re/replacement/flags` to the field.
 */
import type { RexCommand } from '../spl/ast.js';
import { TrailguardError } from '../errors.js';
import { compileRegex, overBudgetWarning, parseReplacement, type BoundedRegex, type Replacement } from '../eval/index.js';
import { toText, valuesOf, type Scalar } from '../eval/value.js';
import { mapOperator, simplePlan, type CommandPlan, type PlanEnv } from '../engine/operator.js';

/** `s/regex/replacement/flags`: the pattern (bounded, see eval/regex.ts), `\N` groups in the replacement, g and i flags. */
function sedRegex(expr: string): { re: BoundedRegex; replacement: Replacement; global: boolean } {
  const m = /^s(.)(.*?)(?<!\\)\1(.*?)(?<!\\)\1([gi0-9]*)$/s.exec(expr);
  if (!m) throw new Error(`mode=sed expects s/regex/replacement/flags, got ${expr}`);
  return { re: compileRegex(m[2]!, m[4]!.includes('i') ? 'i' : ''), replacement: parseReplacement(m[3]!), global: m[4]!.includes('g') };
}

export default function rexPlan(cmd: RexCommand, env: PlanEnv): CommandPlan {
  const field = cmd.field || '_raw';
  const bad = (e: unknown) =>
    new TrailguardError({ code: 'E_REX', phase: 'plan', span: cmd.span, reason: `rex: invalid regular expression: ${(e as Error).message}` });
  if ((cmd.options['mode'] ?? '').toLowerCase() === 'sed') {
    let sed: ReturnType<typeof sedRegex>;
    try {
      sed = sedRegex(cmd.regex);
    } catch (e) {
      throw bad(e);
    }
    return simplePlan(cmd, env, `field=${field} mode=sed`, (ctx) =>
      mapOperator((row) => {
        const vals = valuesOf(row.get(field));
        if (vals.length) {
          row.set(field, vals.map((v) => {
            const text = toText(v);
            const out = sed.re.replace(text, sed.replacement, sed.global);
            if (out !== null) return out;
            ctx.warn(overBudgetWarning('rex mode=sed', sed.re));
            return text;
          }));
        }
        return row;
      }),
    );
  }
  let re: BoundedRegex;
  try {
    re = compileRegex(cmd.regex);
  } catch (e) {
    throw bad(e);
  }
  const names = [...cmd.regex.matchAll(/\(\?P?<([A-Za-z_][A-Za-z0-9_]*)>/g)].map((m) => m[1]!);
  const maxMatch = cmd.options['max_match'] !== undefined ? Number(cmd.options['max_match']) : 1;
  const limit = maxMatch <= 0 ? Infinity : maxMatch;
  return simplePlan(cmd, env, `field=${field} ${names.join(',')}`, (ctx) =>
    mapOperator((row) => {
      const found = new Map<string, Scalar[]>();
      let matches = 0;
      for (const v of valuesOf(row.get(field))) {
        if (matches >= limit) break;
        const all = re.matches(toText(v), limit - matches);
        if (all === null) {
          // Over its budget: no match in this value.
          ctx.warn(overBudgetWarning('rex', re));
          continue;
        }
        for (const m of all) {
          matches++;
          for (const n of names) {
            const g = m.groups[n];
            if (g === undefined) continue;
            const list = found.get(n) ?? [];
            list.push(g);
            found.set(n, list);
          }
          // An empty match ends the search in this value (it would match again one character on).
          if (m.text === '') break;
        }
      }
      for (const [n, vals] of found) row.set(n, vals);
      return row;
    }),
  );
}
