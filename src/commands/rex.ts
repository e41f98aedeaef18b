/**
 * `rex [field=f] "(?<name>re)" [max_match=N] [mode=sed]` (SPL.md §5): PCRE named groups become
 * fields on a match; no match leaves fields untouched. max_match=0 means unlimited and several
 * matches give multivalues. mode=sed applies `s/re/replacement/flags` to the field.
 */
import type { RexCommand } from '../spl/ast.js';
import { TrailguardError } from '../errors.js';
import { translatePcre } from '../eval/index.js';
import { toText, valuesOf, type Scalar } from '../eval/value.js';
import { mapOperator, simplePlan, type CommandPlan, type PlanEnv } from '../engine/operator.js';

/** PCRE → JS RegExp through eval's translation (inline flags, `(?P<n>`, `\A`/`\z`); a fresh object, so `g` state is never shared. */
export function pcreToRegExp(pattern: string, extraFlags = ''): RegExp {
  const t = translatePcre(pattern, extraFlags);
  return new RegExp(t.source, t.flags);
}

function sedRegex(expr: string): { re: RegExp; replacement: string } {
  const m = /^s(.)(.*?)(?<!\\)\1(.*?)(?<!\\)\1([gi0-9]*)$/s.exec(expr);
  if (!m) throw new Error(`mode=sed expects s/regex/replacement/flags, got ${expr}`);
  const flags = m[4]!.includes('g') ? 'g' : '';
  // PCRE back-references \1 in the replacement are $1 in JS.
  return { re: pcreToRegExp(m[2]!, flags + (m[4]!.includes('i') ? 'i' : '')), replacement: m[3]!.replace(/\\(\d)/g, '$$$1') };
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
    return simplePlan(cmd, env, `field=${field} mode=sed`, () =>
      mapOperator((row) => {
        const vals = valuesOf(row.get(field));
        if (vals.length) row.set(field, vals.map((v) => toText(v).replace(sed.re, sed.replacement)));
        return row;
      }),
    );
  }
  let re: RegExp;
  try {
    re = pcreToRegExp(cmd.regex, 'g');
  } catch (e) {
    throw bad(e);
  }
  const names = [...cmd.regex.matchAll(/\(\?P?<([A-Za-z_][A-Za-z0-9_]*)>/g)].map((m) => m[1]!);
  const maxMatch = cmd.options['max_match'] !== undefined ? Number(cmd.options['max_match']) : 1;
  const limit = maxMatch <= 0 ? Infinity : maxMatch;
  return simplePlan(cmd, env, `field=${field} ${names.join(',')}`, () =>
    mapOperator((row) => {
      const found = new Map<string, Scalar[]>();
      let matches = 0;
      for (const v of valuesOf(row.get(field))) {
        for (const m of toText(v).matchAll(re)) {
          if (matches >= limit) break;
          matches++;
          for (const n of names) {
            const g = m.groups?.[n];
            if (g === undefined) continue;
            const list = found.get(n) ?? [];
            list.push(g);
            found.set(n, list);
          }
          if (m[0] === '') break;
        }
        if (matches >= limit) break;
      }
      for (const [n, vals] of found) row.set(n, vals);
      return row;
    }),
  );
}
