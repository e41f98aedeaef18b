/**
 * Public API of the eval layer (team brief): values and coercion, the expression compiler, the
 * function registry, time modifiers and formats, and the search-expression matcher. No I/O here.
 */
export type { EvalContext, EvalResult, Compiled, FieldGetter } from './context.js';
export {
  compileExpr,
  compileCondition,
  compileAssignment,
  compileEvalAssignments,
  isBooleanExpr,
  nearFunctionNames,
  type WritableRow,
} from './compile.js';
export { FUNCTIONS, type FunctionDef, type FunctionTable } from './functions/index.js';
export {
  compileSearchFilter,
  wildcardToRegExp,
  valueMatcher,
  rawTermRegExp,
  searchTermsForPrefilter,
  isRawJsonField,
  RAW_BREAKERS,
  type PrefilterOptions,
} from './search-match.js';
export { relativeTime, parseRelative, parseTimeBound, strftime, strptime, toLocal, fromLocal, zoneOffset, checkTimeZone } from './time/index.js';
export { compareValues, compareScalars, arithmetic, concat, truth, like, likeRegExp, asValue } from './ops.js';
export { compileRegex, parseReplacement, overBudgetWarning, translatePcre, BACKTRACK_BUDGET_MS, type BoundedRegex, type RegexMatch, type Replacement } from './regex.js';
export { cidrMatch } from './functions/conditional.js';
export { roundHalfAway } from './functions/math.js';
export * from './value.js';
export { compareAuto, compareLexical, compareText } from './compare.js';
