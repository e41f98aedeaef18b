/**
 * security_content ends each detection with `` `<name>_filter` `` and Splunk's tooling generates
 * an empty definition for it; Trailguard reads an undefined one as `search *` (keeps everything).
 * Worth knowing: a tuning filter someone wrote elsewhere is not applied here.
 */
import type { LintFinding, LintRule } from './types.js';

export const defaultFilterMacro: LintRule = {
  code: 'lint-default-filter-macro',
  severity: 'info',
  summary: 'a `*_filter` macro that is not defined (read as `search *`)',
  hint: 'define it in macros/<name>.yml to filter this search\'s results (definition: search *, or your exclusions)',
  needsAst: true,
  check(ctx) {
    const out: LintFinding[] = [];
    for (const call of ctx.compiled!.expansion.calls) {
      if (!call.defaulted) continue;
      out.push({ message: `macro \`${call.name}\` is not defined; read as \`search *\``, position: ctx.atOriginal(call.span) });
    }
    return out;
  },
};
