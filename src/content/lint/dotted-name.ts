/**
 * In `where`/`eval` an unquoted `userIdentity.arn` is not the field `userIdentity.arn`: it is the
 * field `userIdentity` concatenated (`.`) with the field `arn`, both null, so null (SPL.md §3.2).
 * Splunk reads it that way and so does Trailguard; the fix is single quotes. The parser keeps
 * the reading as a binary `.` of unquoted field references; written without spaces around the
 * dot it is almost never meant, and for CloudTrail paths (`requestParameters.userName`) never.
 */
import type { Expr } from '../../spl/ast.js';
import type { LintFinding, LintRule } from './types.js';

/** Top-level keys of a CloudTrail record that hold objects (their fields are dotted paths). */
const CLOUDTRAIL_OBJECTS = new Set(['userIdentity', 'requestParameters', 'responseElements', 'additionalEventData', 'serviceEventDetails', 'tlsDetails', 'resources', 'edgeDeviceDetails', 'insightDetails']);

/** The unquoted fields of `a.b.c` written without spaces, or undefined when `e` is not such a chain. */
function dottedChain(e: Expr, text: string): Extract<Expr, { kind: 'field' }>[] | undefined {
  if (e.kind === 'field') return e.quoted ? undefined : [e];
  if (e.kind !== 'binary' || e.op !== '.') return undefined;
  const left = dottedChain(e.left, text);
  const right = left && dottedChain(e.right, text);
  if (!left || !right) return undefined;
  const l = left[left.length - 1]!;
  const r = right[0]!;
  return r.span.start === l.span.end + 1 && text[l.span.end] === '.' ? [...left, ...right] : undefined;
}

function isExpr(v: unknown): v is Expr {
  const k = (v as { kind?: unknown }).kind;
  return k === 'binary' || k === 'field' || k === 'call' || k === 'unary' || k === 'in' || k === 'string' || k === 'number';
}

export const dottedName: LintRule = {
  code: 'lint-dotted-name',
  severity: 'warning',
  summary: 'an unquoted dotted name in where/eval (userIdentity.arn) is a concatenation of two fields, not a field',
  hint: "quote the field name with single quotes: 'userIdentity.arn'",
  needsAst: true,
  check(ctx) {
    const compiled = ctx.compiled!;
    const text = compiled.expansion.text;
    const out: LintFinding[] = [];
    // Every expression anywhere in the tree (eval, where, count(eval(…)), head, commands added later).
    const visit = (v: unknown): void => {
      if (v === null || typeof v !== 'object') return;
      if (Array.isArray(v)) {
        v.forEach(visit);
        return;
      }
      if (isExpr(v)) {
        const chain = v.kind === 'binary' ? dottedChain(v, text) : undefined;
        if (chain) {
          const name = chain.map((f) => f.name).join('.');
          const parts = chain.map((f) => `\`${f.name}\``).join(' and ');
          const cloudtrail = CLOUDTRAIL_OBJECTS.has(chain[0]!.name) ? ` — not the CloudTrail field \`${name}\`` : '';
          out.push({
            message: `\`${name}\` reads as the concatenation of fields ${parts}${cloudtrail}; it is null (SPL.md §3.2)`,
            position: ctx.at({ start: chain[0]!.span.start, end: chain[chain.length - 1]!.span.end }),
            hint: `write '${name}' (single quotes) to read the field`,
          });
          return;
        }
      }
      for (const x of Object.values(v as Record<string, unknown>)) visit(x);
    };
    visit(compiled.pipeline);
    return out;
  },
};
