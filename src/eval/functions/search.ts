/**
 * searchmatch("<search expression>"): true when the row matches the expression under `search`
 * semantics (SPL.md §2). A literal argument is parsed once when the eval compiles; the matcher is
 * built per run context (inline earliest/latest depend on its clock).
 */
import type { FunctionTable } from './types.js';
import type { EvalContext, FieldGetter } from '../context.js';
import type { SearchExpr } from '../../spl/ast.js';
import { parseSearchExpression } from '../../spl/parse.js';
import { compileSearchFilter } from '../search-match.js';
import { textOf } from '../ops.js';
import { TrailguardError } from '../../errors.js';

type Matcher = (row: FieldGetter) => boolean;

function matcherFor(expr: SearchExpr | null, ctx: EvalContext, cache: WeakMap<EvalContext, Matcher>): Matcher {
  let m = cache.get(ctx);
  if (!m) {
    m = expr === null ? () => true : compileSearchFilter(expr, ctx);
    cache.set(ctx, m);
  }
  return m;
}

export const SEARCH: FunctionTable = {
  searchmatch: {
    minArgs: 1,
    maxArgs: 1,
    signature: 'searchmatch("search expression")',
    returnsBoolean: true,
    compile: ([arg], [expr]) => {
      if (expr!.kind === 'string') {
        let parsed: SearchExpr | null;
        try {
          parsed = parseSearchExpression(expr!.value);
        } catch (err) {
          throw new TrailguardError({
            code: 'bad-searchmatch',
            phase: 'eval',
            span: expr!.span,
            reason: `searchmatch(): ${JSON.stringify(expr!.value)} is not a valid search expression (${(err as Error).message})`,
          });
        }
        const cache = new WeakMap<EvalContext, Matcher>();
        return (row, ctx) => matcherFor(parsed, ctx, cache)(row);
      }
      const byText = new Map<string, { parsed: SearchExpr | null; cache: WeakMap<EvalContext, Matcher> } | null>();
      return (row, ctx) => {
        const text = textOf(arg!(row, ctx));
        if (text === null) return null;
        let entry = byText.get(text);
        if (entry === undefined) {
          try {
            entry = { parsed: parseSearchExpression(text), cache: new WeakMap() };
          } catch {
            ctx.warn?.(`searchmatch(): cannot parse ${JSON.stringify(text)} as a search expression`);
            entry = null;
          }
          if (byText.size > 1000) byText.clear();
          byText.set(text, entry);
        }
        return entry === null ? null : matcherFor(entry.parsed, ctx, entry.cache)(row);
      };
    },
  },
};
