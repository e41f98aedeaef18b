/**
 * The `search` command's matcher (SPL.md §2): compiles a SearchExpr into a row predicate.
 * Values match case-insensitively with `*` wildcards; any value of a multivalue field may match;
 * `field=*` tests presence; `field!=v` needs the field present (§2.5) while `NOT field=v` also
 * keeps rows without it; `<`/`>` compare numbers when both sides are numeric (§2.6); bare words
 * match whole tokens of `_raw` (§2.7). Field names are case-sensitive.
 */
import type { SearchExpr, SearchValue } from '../spl/ast.js';
import { TrailguardError } from '../errors.js';
import { compareText } from './compare.js';
import type { EvalContext, FieldGetter } from './context.js';
import { parseTimeBound } from './time/bound.js';
import { searchWildcardMatcher } from './glob.js';
import { firstValue, toNumber, toText, valuesOf, type Scalar } from './value.js';
import { escapeRegExp } from '../util/regexp.js';
import { re2js } from '../util/lazy-require.js';

const wildcardCache = new Map<string, RegExp>();

/**
 * An anchored RegExp for a search wildcard pattern: `*` matches any run (including none, across
 * any characters); every other character is literal. The definition of the language; searches
 * match values with glob.ts, which gives the same answers in linear time.
 */
export function wildcardToRegExp(pattern: string, opts: { caseInsensitive?: boolean } = {}): RegExp {
  const ci = opts.caseInsensitive ?? false;
  const key = `${ci ? 'i' : 's'}${pattern}`;
  let re = wildcardCache.get(key);
  if (!re) {
    const body = pattern
      .split('*')
      .map(escapeRegExp)
      .join('[\\s\\S]*');
    re = new RegExp(`^${body}$`, ci ? 'iu' : 'u');
    if (wildcardCache.size > 10_000) wildcardCache.clear();
    wildcardCache.set(key, re);
  }
  return re;
}

/** A case-insensitive value test for one search value (`*` wildcards honoured). */
export function valueMatcher(text: string): (v: Scalar) => boolean {
  if (text === '*') return () => true;
  if (!text.includes('*')) {
    const lower = text.toLowerCase();
    // A value whose lower case is ASCII has that many characters itself (no character lowers to
    // several ASCII ones), so for an ASCII pattern a length apart rejects without lower-casing;
    // the same spelling accepts without it.
    const ascii = /^[\x00-\x7f]*$/.test(lower);
    return (v) => {
      const s = toText(v);
      if (ascii && s.length !== lower.length) return false;
      return s === text || s.toLowerCase() === lower;
    };
  }
  const match = searchWildcardMatcher(text);
  return (v) => match(toText(v));
}

/**
 * Characters that separate tokens of `_raw` for bare-word matching: Splunk's major breakers
 * (space, quotes, brackets, `,`, `;`, `|`, `!`, `&`, `?`, `+`) and minor breakers
 * (`/ : = @ . - $ # % \ _`). A bare word must start and end at one of these (or the text's edge).
 */
export const RAW_BREAKERS = ` \t\r\n"'[]<>(){}|!;,*&?+/:=@.$#%\\_-`;
const BREAKER_CLASS = `[${RAW_BREAKERS.replace(/[\]\\^-]/g, '\\$&')}]`;

/**
 * Regex finding `word` (with `*` wildcards) as whole tokens, case-insensitively. With a `*` the
 * lazy run makes it quadratic on a long `_raw`; searches then use rawTermTest (RE2, linear).
 */
export function rawTermRegExp(word: string): RegExp {
  const body = word
    .split('*')
    .map(escapeRegExp)
    .join('[\\s\\S]*?');
  return new RegExp(`(?<!(?!${BREAKER_CLASS})[\\s\\S])${body}(?!(?!${BREAKER_CLASS})[\\s\\S])`, 'iu');
}

/** A test for `word` as whole tokens of a text: rawTermRegExp's answer, in linear time when `word` has a `*`. */
export function rawTermTest(word: string): (text: string) => boolean {
  if (!word.includes('*')) {
    const re = rawTermRegExp(word);
    return (text) => re.test(text);
  }
  // Lookaround is not RE2; for a yes/no answer, consuming the breaker on each side is the same.
  const { RE2JS } = re2js();
  const body = word.split('*').map((p) => RE2JS.quote(p)).join('.*');
  const re = RE2JS.compile(`(?is)(?:^|${BREAKER_CLASS})${body}(?:${BREAKER_CLASS}|$)`);
  return (text) => re.test(text);
}

type Pred = (row: FieldGetter) => boolean;

function numericOrText(op: '<' | '<=' | '>' | '>=', value: string): (v: Scalar) => boolean {
  const n = toNumber(value);
  const test =
    op === '<' ? (c: number) => c < 0 : op === '<=' ? (c: number) => c <= 0 : op === '>' ? (c: number) => c > 0 : (c: number) => c >= 0;
  return (v) => {
    const vn = n === null ? null : toNumber(v);
    if (n !== null && vn !== null) return test(vn < n ? -1 : vn > n ? 1 : 0);
    return test(compareText(toText(v), value));
  };
}

function compileRawWord(value: SearchValue): Pred {
  if (value.text === '*' || value.text === '') return () => true;
  const test = rawTermTest(value.text);
  return (row) => valuesOf(row.get('_raw')).some((r) => test(toText(r)));
}

function compile(expr: SearchExpr, ctx: EvalContext): Pred {
  switch (expr.kind) {
    case 'and': {
      const parts = expr.terms.map((t) => compile(t, ctx));
      return (row) => {
        for (const p of parts) if (!p(row)) return false;
        return true;
      };
    }
    case 'or': {
      const parts = expr.terms.map((t) => compile(t, ctx));
      return (row) => {
        for (const p of parts) if (p(row)) return true;
        return false;
      };
    }
    case 'not': {
      const inner = compile(expr.term, ctx);
      return (row) => !inner(row);
    }
    case 'compare': {
      const field = expr.field;
      const text = expr.value.text;
      if (expr.op === '=') {
        if (text === '*') return (row) => row.get(field) !== null;
        const m = valueMatcher(text);
        return (row) => valuesOf(row.get(field)).some(m);
      }
      if (expr.op === '!=') {
        const m = valueMatcher(text);
        return (row) => {
          const vals = valuesOf(row.get(field));
          return vals.length > 0 && !vals.some(m);
        };
      }
      const m = numericOrText(expr.op, text);
      return (row) => valuesOf(row.get(field)).some(m);
    }
    case 'in': {
      const field = expr.field;
      const ms = expr.values.map((v) => valueMatcher(v.text));
      return (row) => valuesOf(row.get(field)).some((v) => ms.some((m) => m(v)));
    }
    case 'word':
      return compileRawWord(expr.value);
    case 'time': {
      const bound = parseTimeBound(expr.value, ctx.now, ctx.tz);
      const early = expr.which === 'earliest';
      return (row) => {
        const t = firstValue(row.get('_time'));
        const n = t === null ? null : toNumber(t);
        if (n === null) return false;
        return early ? n >= bound : n < bound;
      };
    }
    case 'subsearch':
      throw new TrailguardError({
        code: 'unresolved-subsearch',
        phase: 'eval',
        span: expr.span,
        reason: 'a subsearch must be run and replaced by its results before the search filter is compiled',
        hints: ['this is an internal ordering error in the engine; please report it'],
      });
  }
}

/** Compiles a search expression into a row predicate (SPL.md §2). Throws on a 'subsearch' node. */
export function compileSearchFilter(expr: SearchExpr, ctx: EvalContext): (row: FieldGetter) => boolean {
  return compile(expr, ctx);
}

// ───────────────────────── byte prefilter terms ─────────────────────────

/**
 * CloudTrail JSON fields whose search value is the raw JSON text itself (no field-model
 * derivation); a value required of them must appear in `_raw`. Derived fields (errorCode=success
 * when absent, user, action, date_*, CIM fields) are NOT here.
 */
const RAW_TOP_LEVEL = new Set([
  'eventName', 'eventSource', 'eventType', 'eventCategory', 'awsRegion', 'sourceIPAddress', 'userAgent',
  'recipientAccountId', 'eventID', 'requestID', 'eventVersion', 'readOnly', 'managementEvent',
  'sharedEventID', 'vpcEndpointId', 'apiVersion', 'sessionCredentialFromConsole',
]);
const RAW_PREFIXES = ['userIdentity.', 'requestParameters.', 'responseElements.', 'additionalEventData.', 'resources{}.', 'tlsDetails.', 'serviceEventDetails.'];

export function isRawJsonField(name: string): boolean {
  return RAW_TOP_LEVEL.has(name) || RAW_PREFIXES.some((p) => name.startsWith(p));
}

/** Literal pieces safe to look for in raw JSON text: printable ASCII that JSON never escapes. */
function safePieces(pattern: string): string[] {
  return pattern.split('*').filter((p) => p.length > 0 && /^[\x20-\x7e]+$/.test(p) && !/["\\/<>&']/.test(p));
}

export interface PrefilterOptions {
  /** Whether a field's value is copied verbatim from the raw text (default: isRawJsonField). */
  rawField?: (name: string) => boolean;
}

/**
 * Literal strings that every event matching `expr` must contain in its raw text (compare
 * case-insensitively). Conservative: only AND-ed positive terms — bare words, and `field=value`
 * or one-value `IN` on raw JSON fields — contribute; anything else contributes nothing. An
 * empty list means "no requirement".
 */
export function searchTermsForPrefilter(expr: SearchExpr, opts: PrefilterOptions = {}): string[] {
  const rawField = opts.rawField ?? isRawJsonField;
  const out: string[] = [];
  const visit = (e: SearchExpr): void => {
    switch (e.kind) {
      case 'and':
        e.terms.forEach(visit);
        return;
      case 'compare':
        if (e.op === '=' && e.value.text !== '*' && rawField(e.field)) out.push(...safePieces(e.value.text));
        return;
      case 'in':
        if (e.values.length === 1 && rawField(e.field)) out.push(...safePieces(e.values[0]!.text));
        return;
      case 'word':
        out.push(...safePieces(e.value.text));
        return;
      default:
        return;
    }
  };
  visit(expr);
  return [...new Set(out)];
}
